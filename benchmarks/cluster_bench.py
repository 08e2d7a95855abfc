"""Embeddings lab timings: embed + PCA + UMAP + K-Means for 1,000 and 10,000 utterances, and
UMAP's first call in a process (import + numba compilation) against its second, per size.

The utterances are the chatbot sample's, repeated with small variations so no two are equal.
Everything runs in this process on the CPU, through the same core functions as the tab and the
CLI. Run it after `models build`:

    python benchmarks/cluster_bench.py [--sizes 1000 10000] [--model all-MiniLM-L6-v2]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
FRAMES = (
    "{}",
    "Hi, {}",
    "Quick question: {}",
    "{} Thanks in advance!",
    "Sorry to bother you, {}",
    "{} (asking for a friend)",
    "Hello there. {}",
    "{} Please help.",
)


def utterances(n: int) -> tuple[list[str], list[str]]:
    from lab_app.core.io.text_input import read_utterances, sample_dataset_path

    base = read_utterances(sample_dataset_path())
    assert base.labels is not None
    texts, labels = [], []
    i = 0
    while len(texts) < n:
        frame = FRAMES[(i // len(base.texts)) % len(FRAMES)]
        j = i % len(base.texts)
        round_ = i // (len(base.texts) * len(FRAMES))
        suffix = f" #{round_}" if round_ else ""
        texts.append(frame.format(base.texts[j]) + suffix)
        labels.append(base.labels[j])
        i += 1
    return texts, labels


def timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--pooling", default="sbert")
    parser.add_argument("--k", type=int, default=14)
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime threads")
    parser.add_argument("--store", help="model store (default: the user's)")
    parser.add_argument(
        "--warm-up", action="store_true", help="run the GUI's UMAP warm-up first, and time it"
    )
    args = parser.parse_args()

    from lab_app.core.embeddings.cluster import kmeans
    from lab_app.core.embeddings.projection import ProjectionSettings, project, warm_umap
    from lab_app.core.embeddings.scores import compute_scores
    from lab_app.core.models.embed import embed
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import open_store

    encoder = Encoder(open_store(args.store).model(args.model), threads=args.threads)
    pca, umap = ProjectionSettings("pca"), ProjectionSettings("umap", n_neighbors=15)
    rows: list[tuple[int, dict[str, float]]] = []
    if args.warm_up:
        print(f"UMAP warm-up (both stages): {warm_umap():.2f} s", flush=True)
    for n in args.sizes:
        texts, labels = utterances(n)
        t: dict[str, float] = {}
        result, t["embed"] = timed(embed, encoder, texts, pooling=args.pooling)
        vectors = result.vectors
        _, t["pca"] = timed(project, vectors, pca)
        # The first UMAP of a size class pays numba's compilation: below 4,096 rows umap's
        # exact-neighbour kernels (and the import), above it pynndescent's NN-descent kernels.
        _, t["umap first"] = timed(project, vectors, umap)
        _, t["umap"] = timed(project, vectors, umap)
        clusters, t["kmeans"] = timed(kmeans, vectors, args.k, seed=0)
        scores, t["scores"] = timed(compute_scores, vectors, clusters.labels, labels)
        rows.append((n, t))
        print(
            f"n={n:>6}: embed {t['embed']:7.2f} s ({n / t['embed']:6.0f}/s) · "
            f"PCA {t['pca']:6.2f} s · UMAP {t['umap first']:6.2f} s first, {t['umap']:6.2f} s "
            f"second · K-Means {t['kmeans']:6.2f} s · "
            f"scores {t['scores']:6.2f} s · ARI {scores.ari:.3f}",
            flush=True,
        )
    print()
    print(f"model {args.model}, pooling {args.pooling}, k = {args.k}, UMAP n_neighbors = 15")
    print(
        f"{'n':>7} {'embed':>8} {'PCA':>7} {'UMAP 1st':>9} {'UMAP 2nd':>9} {'K-Means':>8} "
        f"{'scores':>7}"
    )
    for n, t in rows:
        print(
            f"{n:>7} {t['embed']:8.2f} {t['pca']:7.2f} {t['umap first']:9.2f} {t['umap']:9.2f} "
            f"{t['kmeans']:8.2f} {t['scores']:7.2f}"
        )
    for n, t in rows:
        ratio = t["umap first"] / t["umap"]
        print(f"UMAP n={n}: first call / second call = {ratio:.1f}×")


if __name__ == "__main__":
    main()
