"""K-Means on the full sentence vectors, seeded so a class sees the same clusters every run.

The elbow (inertia per k) and the silhouette per k help students choose k. Both use sklearn with a
fixed ``n_init`` and ``random_state``: the same vectors and seed give exactly the same labels.
Silhouettes cost O(n²), so on big inputs they are computed on a seeded sample (said in the result).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.embeddings.projection import check_vectors
from lab_app.core.errors import UserError
from lab_app.core.progress import SILENT, Progress, tick

N_INIT = 10
ELBOW_N_INIT = 4  # fixed too; fewer restarts keep the 15-k elbow under a second on 300 rows
SILHOUETTE_SAMPLE = 5000  # silhouettes on at most this many points (seeded), to bound time
ELBOW_SAMPLE = 3000  # the elbow is fitted on at most this many points (seeded)
ELBOW_MAX_K = 16


@dataclass(frozen=True, eq=False)
class KMeansResult:
    k: int
    seed: int
    labels: np.ndarray  # int, one cluster per row
    inertia: float
    centers: np.ndarray


@dataclass(frozen=True)
class ElbowResult:
    """Inertia and cosine silhouette for each k; ``sample`` says how many points they used."""

    ks: tuple[int, ...]
    inertias: tuple[float, ...]
    silhouettes: tuple[float | None, ...]
    sample: int
    n: int


def check_k(k: int, n: int) -> None:
    if k < 2:
        raise UserError(f"k = {k}: K-Means needs at least 2 clusters")
    if k > n:
        raise UserError(f"k = {k} is more than the {n} utterances; choose k at most {n}")


def one_thread() -> Any:
    """scikit-learn's OpenMP and BLAS threads for K-Means on a few thousand rows: on two cores
    they cost far more than they give (the 17 fits of the sample's elbow took 4.2 s with two
    threads, 0.3 s with one, ``benchmarks/waits_bench.py``); the labels are the same."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def kmeans(vectors: np.ndarray, k: int, seed: int = 0) -> KMeansResult:
    """Cluster the full-dimensional vectors (Euclidean K-Means, sklearn, ``n_init`` fixed)."""
    from sklearn.cluster import KMeans

    data = check_vectors(vectors)
    check_k(k, data.shape[0])
    distinct = len(np.unique(data, axis=0))
    if k > distinct:
        raise UserError(
            f"k = {k} but only {distinct} of the utterances have different vectors; "
            f"choose k at most {distinct}"
        )
    model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed)
    with one_thread():
        labels = model.fit_predict(data)
    return KMeansResult(
        k, seed, np.asarray(labels, dtype=np.int64), float(model.inertia_), model.cluster_centers_
    )


def sample_indices(n: int, size: int, seed: int) -> np.ndarray:
    """All rows when ``n <= size``, else a seeded sorted sample of ``size`` rows."""
    if n <= size:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=size, replace=False))


def silhouette(
    vectors: np.ndarray, labels: Sequence[object] | np.ndarray, seed: int = 0
) -> float | None:
    """Mean cosine silhouette, or None when it is undefined (one group, or a group per point)."""
    from sklearn.metrics import silhouette_score

    labels = np.asarray(labels)
    groups = len(np.unique(labels))
    if not 2 <= groups <= len(labels) - 1:
        return None
    n = len(labels)
    if n > SILHOUETTE_SAMPLE:
        idx = sample_indices(n, SILHOUETTE_SAMPLE, seed)
        if not 2 <= len(np.unique(labels[idx])) <= len(idx) - 1:
            return None
        return float(silhouette_score(vectors[idx], labels[idx], metric="cosine"))
    return float(silhouette_score(vectors, labels, metric="cosine"))


def default_ks(n: int, k: int) -> tuple[int, ...]:
    """k = 2 … max(16, k + 4), never more than n − 1 (a silhouette needs a point to spare)."""
    top = min(max(ELBOW_MAX_K, k + 4), n - 1)
    return tuple(range(2, top + 1))


def elbow(
    vectors: np.ndarray,
    ks: Sequence[int],
    seed: int = 0,
    progress: Progress = SILENT,
) -> ElbowResult:
    """K-Means for each k: inertia (the elbow) and cosine silhouette; each k is a cancel point."""
    from sklearn.cluster import KMeans

    data = check_vectors(vectors)
    idx = sample_indices(data.shape[0], ELBOW_SAMPLE, seed)
    sample = data[idx]
    distinct = len(np.unique(sample, axis=0))
    usable = [k for k in ks if 2 <= k <= min(distinct, len(sample) - 1)]
    if not usable:
        raise UserError("too few different utterances for an elbow plot (need at least 3)")
    inertias: list[float] = []
    silhouettes: list[float | None] = []
    for i, k in enumerate(usable):
        model = KMeans(n_clusters=k, n_init=ELBOW_N_INIT, random_state=seed)
        with one_thread():
            labels = model.fit_predict(sample)
            inertias.append(float(model.inertia_))
            silhouettes.append(silhouette(sample, labels, seed))
        tick(progress, i + 1, len(usable), f"Elbow: k = {k}")
    return ElbowResult(tuple(usable), tuple(inertias), tuple(silhouettes), len(sample), len(data))
