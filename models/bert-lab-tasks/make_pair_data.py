"""Generate next-sentence-prediction training pairs for BERT Lab's sentence-pair task model.

    python models/bert-lab-tasks/make_pair_data.py --out DIR [--pairs 8000] [--seed 0]
        [--corpus DIR | --no-corpus] [--story-share 0.5]

Pairs are built as the BERT paper builds them: take a sentence A from a document; half the time B
is the sentence that really follows A in the same document (IsNext), half the time B is a random
sentence from another document (NotNext). Writes ``DIR/nsp_train.tsv``: a header
``a<TAB>b<TAB>label``, then one pair a line, labels ``IsNext`` / ``NotNext``.

Documents come from two places:

* ``stories.txt`` and ``stories_more.txt`` next to this script: BERT Lab's own short everyday
  paragraphs (shopping, school, cooking, travel, weather, sport, work, pets, science facts,
  instructions, local news, opinions), one sentence a line. They are always used, and they alone
  are enough: by default the masked-LM corpus is absent and every pair comes from the stories.
* the masked-LM recipe's corpus, if it has been built (``python models/bert-lab-mlm/corpus.py
  --sources sotu,austen``; default location ``~/.cache/bert-lab/mlm-corpus/build``): the training
  documents of its ``sotu`` (State of the Union addresses) and ``austen`` (Jane Austen's novels)
  sources, ``<key>/train.txt``, one sentence a line, a blank line between documents. When it is
  there, ``--story-share`` of the A sentences come from the stories and the rest from the corpus.

A pair that is in the hand-written test set (``data/nsp_test.tsv``) is never written, nor a pair
with a sentence that is nearly one of the test's (the same words but for a few: see
:func:`near_test`), so the test measures sentences the model has not read. Stdlib only; the same
seed and the same inputs give the same file byte for byte.
"""

from __future__ import annotations

import argparse
import bisect
import random
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORIES = (HERE / "stories.txt", HERE / "stories_more.txt")
TEST_FILE = HERE / "data" / "nsp_test.tsv"
DEFAULT_CORPUS = Path.home() / ".cache" / "bert-lab" / "mlm-corpus" / "build"
CORPUS_SOURCES = ("sotu", "austen")
MIN_WORDS = 4


def read_documents(text: str) -> list[list[str]]:
    """Blank-line-separated blocks of one-sentence lines; ``#`` lines are comments."""
    docs: list[list[str]] = []
    for block in text.split("\n\n"):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        sentences = [s for s in lines if s and not s.startswith("#")]
        if len(sentences) >= 2:
            docs.append(sentences)
    return docs


def story_documents(paths: tuple[Path, ...] = STORIES) -> list[list[str]]:
    return [doc for path in paths for doc in read_documents(path.read_text(encoding="utf-8"))]


def corpus_documents(corpus: Path) -> list[list[str]]:
    """The corpus's training documents (sentences of at least MIN_WORDS words), or []."""
    docs: list[list[str]] = []
    for source in CORPUS_SOURCES:
        path = corpus / source / "train.txt"
        if not path.is_file():
            continue
        for doc in read_documents(path.read_text(encoding="utf-8")):
            kept = [s for s in doc if len(s.split()) >= MIN_WORDS]
            if len(kept) >= 2:
                docs.append(kept)
    return docs


class Pool:
    """Documents to draw A from, each adjacent pair equally likely."""

    def __init__(self, docs: list[list[str]]) -> None:
        self.docs = docs
        self.cum: list[int] = []
        total = 0
        for doc in docs:
            total += len(doc) - 1
            self.cum.append(total)

    def pick(self, rng: random.Random) -> tuple[int, int]:
        k = rng.randrange(self.cum[-1])
        d = bisect.bisect_right(self.cum, k)
        start = self.cum[d - 1] if d else 0
        return d, k - start

    def other_sentence(self, rng: random.Random, not_doc: int) -> str:
        d = rng.randrange(len(self.docs) - 1)
        d += d >= not_doc
        doc = self.docs[d]
        return doc[rng.randrange(len(doc))]


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def read_pairs(path: Path) -> set[tuple[str, str]]:
    if not path.is_file():
        return set()
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return {(r.split("\t")[0], r.split("\t")[1]) for r in rows if r.count("\t") == 2}


def words(sentence: str) -> frozenset[str]:
    return frozenset("".join(c if c.isalnum() else " " for c in sentence.lower()).split())


def near_test(pairs: set[tuple[str, str]], limit: float = 0.6) -> Callable[[str], bool]:
    """Whether a sentence shares at least ``limit`` of its words (Jaccard) with a test sentence."""
    test = [words(s) for pair in pairs for s in pair]
    seen: dict[str, bool] = {}

    def near(sentence: str) -> bool:
        if sentence not in seen:
            w = words(sentence)
            seen[sentence] = any(len(w & t) >= limit * len(w | t) for t in test if w & t)
        return seen[sentence]

    return near


def generate(
    n: int,
    seed: int,
    stories: list[list[str]],
    corpus: list[list[str]],
    story_share: float = 0.5,
    exclude: set[tuple[str, str]] | None = None,
) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    pools = [Pool(stories)] + ([Pool(corpus)] if corpus else [])
    exclude = exclude or set()
    near = near_test(exclude)
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        pool = pools[0] if len(pools) == 1 or rng.random() < story_share else pools[1]
        d, i = pool.pick(rng)
        a = pool.docs[d][i]
        if rng.random() < 0.5:
            b, label = pool.docs[d][i + 1], "IsNext"
        else:
            b, label = pool.other_sentence(rng, d), "NotNext"
        a, b = clean(a), clean(b)
        if (a, b) in exclude or near(a) or near(b):
            continue
        out.append((a, b, label))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Without the masked-LM corpus (the default: it is only there after "
        "models/bert-lab-mlm/corpus.py has been run) every pair comes from stories.txt, "
        "which is enough on its own.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for nsp_train.tsv")
    parser.add_argument("--pairs", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the masked-LM corpus build folder, used if it exists (default: %(default)s)",
    )
    parser.add_argument(
        "--no-corpus", action="store_true", help="stories only, even if the corpus is there"
    )
    parser.add_argument("--stories", type=Path, nargs="+", default=list(STORIES))
    parser.add_argument(
        "--story-share",
        type=float,
        default=0.5,
        help="share of A sentences from the stories when the corpus is used",
    )
    parser.add_argument("--name", default="nsp_train.tsv", help="file name inside --out")
    args = parser.parse_args()

    stories = story_documents(tuple(args.stories))
    corpus = [] if args.no_corpus else corpus_documents(args.corpus)
    rows = generate(args.pairs, args.seed, stories, corpus, args.story_share, read_pairs(TEST_FILE))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / args.name
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("a\tb\tlabel\n")
        fh.writelines(f"{a}\t{b}\t{label}\n" for a, b, label in rows)
    is_next = sum(label == "IsNext" for *_, label in rows)
    extra = f" + {len(corpus)} corpus documents" if corpus else " only"
    source = f"{len(stories)} stories{extra}"
    not_next = len(rows) - is_next
    print(f"{path}: {len(rows)} pairs ({is_next} IsNext, {not_next} NotNext) from {source}")


if __name__ == "__main__":
    main()
