"""Train BERT Lab's default word vectors and its built-in training text (see README.md).

    python models/word-vectors/train.py [--build DIR] [--out resources/vectors]

1. The corpus is the masked-LM recipe's pinned one (``models/bert-lab-mlm/corpus.py``: registry
   packages pinned by version and sha256); if ``--build`` lacks it, that script builds it there.
2. PPMI-SVD (``lab_app.core.pretrain.train_vectors``) on all its training splits; the vectors are
   written, float16, to ``OUT/bert-lab-words.npz`` with the corpus's sha256s, the settings and
   the figures in their meta.
3. A compact sample of the public-domain part (every other Austen chapter, the most recent State
   of the Union addresses) is written to ``OUT/corpus.txt.gz``: the lab's built-in text to train
   on live.
4. Figures: analogy accuracy on ``analogies.tsv``, a neighbours table, and SGNS vs PPMI-SVD on
   the sample (words/s, analogy accuracy), printed and written to ``figures.json``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from lab_app.core.pretrain.corpus import Corpus, read_corpus, tokenize_words  # noqa: E402
from lab_app.core.pretrain.train_vectors import train_ppmi_svd, train_sgns  # noqa: E402
from lab_app.core.pretrain.vectors import WordVectors, save_vectors  # noqa: E402
from lab_app.core.progress import TextBar  # noqa: E402

DEFAULT_BUILD = Path.home() / ".cache" / "bert-lab" / "word-vectors" / "build"
EXCLUDED = {"brown"}  # non-commercial: never in what the app ships
NEIGHBOUR_WORDS = (
    "king", "france", "happy", "money", "war", "mother", "computer", "river", "good", "london",
)  # fmt: skip
SAMPLE_SOTU_WORDS = 250_000  # the most recent addresses, up to about this many words


def documents(path: Path) -> list[str]:
    """A build file's documents (blank-line separated blocks of one-sentence lines)."""
    text = path.read_text(encoding="utf-8")
    return [d.strip() for d in text.split("\n\n") if d.strip()]


def load_corpus(build: Path) -> tuple[Corpus, dict[str, dict]]:
    manifest = json.loads((build / "manifest.json").read_text())
    sentences: list[list[str]] = []
    sources = {}
    for key, info in sorted(manifest["sources"].items()):
        if key in EXCLUDED:
            continue
        path = build / key / "train.txt"
        part = tokenize_words(path.read_text(encoding="utf-8"))
        sentences += part
        sources[key] = {
            "package": f"{info['registry']}:{info['package']}=={info['version']}",
            "package_sha256": info["sha256"],
            "license": info["license"],
            "train_txt_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "words": sum(len(s) for s in part),
        }
    words = sum(len(s) for s in sentences)
    return Corpus(sentences, "bert-lab-mlm corpus, all sources", words), sources


def analogy_accuracy(v: WordVectors, tsv: Path) -> dict[str, dict[str, float | int]]:
    """Top-1 accuracy per category (3CosAdd, question words excluded) over covered items."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, covered, total
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cat, a, b, c, d = line.split("\t")
        t = tally[cat]
        t[2] += 1
        if all(w in v for w in (a, b, c, d)):
            t[1] += 1
            t[0] += v.analogy(a, b, c, k=1)[0][0] == d
    out = {}
    for cat, (right, covered, total) in [*tally.items(), ("all", _sum(tally))]:
        out[cat] = {"correct": right, "covered": covered, "items": total}
        out[cat]["accuracy"] = round(right / covered, 3) if covered else 0.0
    return out


def _sum(tally: dict[str, list[int]]) -> list[int]:
    return [sum(t[i] for t in tally.values()) for i in range(3)]


def write_sample(build: Path, out: Path) -> dict[str, object]:
    """The built-in training text: every other Austen chapter, the latest SOTU addresses."""
    austen = documents(build / "austen" / "train.txt")[::2]
    sotu: list[str] = []
    words = 0
    for doc in reversed(documents(build / "sotu" / "train.txt")):
        if words >= SAMPLE_SOTU_WORDS:
            break
        sotu.insert(0, doc)
        words += len(doc.split())
    text = "\n\n".join(austen + sotu) + "\n"
    with gzip.GzipFile(out, "wb", mtime=0, compresslevel=9) as fh:  # same bytes every run
        fh.write(text.encode("utf-8"))
    return {
        "austen_chapters": len(austen),
        "sotu_addresses": len(sotu),
        "text_bytes": len(text.encode("utf-8")),
        "gzip_bytes": out.stat().st_size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=DEFAULT_BUILD)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "vectors")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--max-vocab", type=int, default=20_000)
    args = parser.parse_args()
    if not (args.build / "manifest.json").is_file():
        recipe = ROOT / "models" / "bert-lab-mlm" / "corpus.py"
        subprocess.run([sys.executable, str(recipe), "--out", str(args.build)], check=True)
    args.out.mkdir(parents=True, exist_ok=True)
    corpus, sources = load_corpus(args.build)
    print(f"corpus: {corpus.words:,} words, {len(corpus.sentences):,} sentences", flush=True)
    bar = TextBar()
    settings = {"window": args.window, "min_count": args.min_count, "max_vocab": args.max_vocab}
    vectors = train_ppmi_svd(corpus, args.dim, progress=bar, **settings)
    bar.close()
    tsv = HERE / "analogies.tsv"
    figures: dict[str, object] = {"analogies": analogy_accuracy(vectors, tsv)}
    figures["neighbours"] = {w: vectors.neighbours(w, 5) for w in NEIGHBOUR_WORDS if w in vectors}
    sample = write_sample(args.build, args.out / "corpus.txt.gz")
    figures["sample"] = sample
    live = read_corpus(None)
    speed = {}
    for method, train in (("ppmi-svd", train_ppmi_svd), ("sgns", train_sgns)):
        v = train(live)
        speed[method] = {
            "words": live.words,
            "vocabulary": len(v.words),
            "seconds": v.meta["seconds"],
            "words_per_second": v.meta["words_per_second"],
            "analogies": analogy_accuracy(v, tsv)["all"],
        }
    figures["live_training"] = speed
    meta = dict(vectors.meta, sources=sources, figures=figures)
    meta["corpus"] = dict(meta["corpus"], sentences=len(corpus.sentences))
    shipped = WordVectors(
        "bert-lab-words (PPMI-SVD, built-in corpus)",
        vectors.words,
        vectors.vectors,
        "ppmi-svd",
        meta,
    )
    save_vectors(shipped, args.out / "bert-lab-words.npz")
    (HERE / "figures.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
