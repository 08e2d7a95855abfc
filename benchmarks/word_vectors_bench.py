"""Word-vector training: BERT Lab's numpy trainers against gensim's word2vec, in one run.

The Pre-training lab ships numpy (PPMI-SVD and skip-gram with negative sampling, in
``lab_app/core/pretrain/train_vectors.py``), not gensim: this measures what that choice costs.
All three train on the built-in corpus (``resources/vectors/corpus.txt.gz``) with the same
settings (100 dimensions, window 4, 5 negatives, min count 3, one epoch) and are scored on the
project's 100-analogy set (``models/word-vectors/analogies.tsv``, 3CosAdd, top 1). gensim runs
with 2 worker threads (the lab's numpy uses 2 BLAS threads). Prints seconds, words/s, the ratio
gensim / ours (above 1: ours is faster) and the analogy accuracy of each.

    .venv/bin/pip install gensim        # dev only; the app never imports it
    .venv/bin/python benchmarks/word_vectors_bench.py [--epochs 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np

from lab_app.core.pretrain.corpus import read_corpus
from lab_app.core.pretrain.train_vectors import train_ppmi_svd, train_sgns
from lab_app.core.pretrain.vectors import WordVectors

ROOT = Path(__file__).resolve().parents[1]
ANALOGIES = ROOT / "models" / "word-vectors" / "analogies.tsv"
DIM, WINDOW, NEGATIVES, MIN_COUNT = 100, 4, 5, 3


def analogy_accuracy(v: WordVectors) -> tuple[float, int]:
    """Top-1 accuracy over the items whose four words the vectors know, and how many those are."""
    right = covered = 0
    for line in ANALOGIES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        _, a, b, c, d = line.split("\t")
        if all(w in v for w in (a, b, c, d)):
            covered += 1
            right += v.analogy(a, b, c, k=1)[0][0] == d
    return (right / covered if covered else 0.0), covered


def gensim_vectors(sentences: list[list[str]], epochs: int) -> tuple[WordVectors, float]:
    from gensim.models import Word2Vec

    start = time.perf_counter()
    model = Word2Vec(
        sentences, vector_size=DIM, window=WINDOW, negative=NEGATIVES, min_count=MIN_COUNT,
        sg=1, epochs=epochs, workers=2, seed=0,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    words = tuple(model.wv.index_to_key)
    return WordVectors("gensim", words, np.asarray(model.wv.vectors), "sgns"), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    corpus = read_corpus(None)
    print(f"corpus: {corpus.words:,} words; {args.epochs} epoch(s); dim {DIM}, window {WINDOW}")
    rows: list[tuple[str, float, WordVectors]] = []
    start = time.perf_counter()
    sgns = train_sgns(corpus, DIM, WINDOW, NEGATIVES, args.epochs, MIN_COUNT, seed=0)
    rows.append(("numpy SGNS (ours)", time.perf_counter() - start, sgns))
    start = time.perf_counter()
    ppmi = train_ppmi_svd(corpus, DIM, WINDOW, MIN_COUNT, seed=0)
    rows.append(("numpy PPMI-SVD (ours)", time.perf_counter() - start, ppmi))
    try:
        vectors, seconds = gensim_vectors(corpus.sentences, args.epochs)
    except ImportError:
        print("gensim is not installed: pip install gensim", file=sys.stderr)
        return 1
    rows.append(("gensim Word2Vec sg=1", seconds, vectors))
    print(f"{'trainer':<24}{'seconds':>9}{'words/s':>12}{'analogies':>11}{'covered':>9}")
    for name, seconds, v in rows:
        accuracy, covered = analogy_accuracy(v)
        speed = corpus.words * args.epochs / seconds
        print(f"{name:<24}{seconds:9.1f}{speed:12,.0f}{accuracy:11.1%}{covered:9}")
    print(f"gensim / ours (SGNS): {seconds / rows[0][1]:.2f}  (above 1: ours is faster)")
    print(f"gensim / ours (PPMI-SVD): {seconds / rows[1][1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
