"""2-D maps of sentence vectors: PCA (with the variance each axis explains) and UMAP.

umap-learn compiles its kernels with numba on first use (≈16 s on a classroom laptop, then ≈2 s
per process for the import alone), so it is imported lazily, inside the functions that need it,
with numba's cache in the user's cache folder (never inside the installed package). The GUI calls
:func:`warm_umap` in the background once the Embeddings lab is set to UMAP, so that a student's
first UMAP map is not the slow one. A fitted map is kept with its result so new utterances can be
placed on it (``transform``).
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.paths import APP_NAME
from lab_app.core.seeds import check_seed

Method = Literal["pca", "umap"]
METHODS: tuple[Method, ...] = ("pca", "umap")
UMAP_METRICS = ("cosine", "euclidean", "correlation", "manhattan")
MIN_ROWS = 3

_warm_lock = threading.Lock()
_warmed: set[bool] = set()  # stages done: False = exact neighbours, True = NN-descent


@dataclass(frozen=True)
class ProjectionSettings:
    """How to draw the map; the UMAP fields are ignored by PCA."""

    method: Method = "pca"
    n_neighbors: int = 15
    min_dist: float = 0.1
    metric: str = "cosine"
    seed: int = 0

    def label(self) -> str:
        """The part of a plot caption that names the map, e.g. ``UMAP n=15``."""
        if self.method == "pca":
            return "PCA"
        return f"UMAP n={self.n_neighbors} · min_dist {self.min_dist:g} · {self.metric}"


@dataclass(frozen=True, eq=False)
class Projection:
    """Coordinates of every point, the settings that made them, and the fitted map."""

    settings: ProjectionSettings
    coords: np.ndarray  # float32, N × 2
    explained_variance: tuple[float, ...] | None  # PCA only: fraction of variance per axis
    seconds: float
    model: Any = field(repr=False)  # sklearn PCA or umap.UMAP, for transform()

    def axis_labels(self) -> tuple[str, str]:
        if self.explained_variance is not None:
            return tuple(  # type: ignore[return-value]
                f"PC{i + 1} ({100 * v:.1f} % of variance)"
                for i, v in enumerate(self.explained_variance[:2])
            )
        return ("UMAP 1 (no unit)", "UMAP 2 (no unit)")


# --- checks ------------------------------------------------------------------------------------


def check_vectors(vectors: np.ndarray, what: str = "the vectors") -> np.ndarray:
    """Refuse input no map or score can be computed from, with a message that says why."""
    arr = np.asarray(vectors)
    if arr.ndim != 2:
        raise UserError(f"{what} must be a table of rows, not shape {arr.shape}")
    n = arr.shape[0]
    if n < MIN_ROWS:
        raise UserError(
            f"{what} have {n} row{'s' * (n != 1)}; a map and clusters need at least {MIN_ROWS} "
            "utterances — add more texts to the file"
        )
    if not np.all(np.isfinite(arr)):
        raise UserError(
            f"{what} contain NaN or infinite values — the model's numbers overflowed. If the "
            "weights are perturbed, lower σ or press 'Reset weights'."
        )
    if np.ptp(arr, axis=0).max(initial=0.0) == 0.0:
        raise UserError(
            f"all {n} rows of {what} are identical, so there is nothing to map or cluster. "
            "Use texts that differ (or, if the weights are perturbed, a smaller σ)."
        )
    return np.asarray(arr, dtype=np.float32)


def check_settings(settings: ProjectionSettings, n: int) -> None:
    if settings.method not in METHODS:
        raise UserError(f"unknown projection '{settings.method}'; choose pca or umap")
    check_seed(settings.seed)
    if settings.method == "pca":
        return
    if settings.n_neighbors < 2:
        raise UserError("UMAP n_neighbors must be at least 2")
    if settings.n_neighbors >= n:
        raise UserError(
            f"UMAP n_neighbors is {settings.n_neighbors} but there are only {n} utterances; "
            f"choose n_neighbors below {n}"
        )
    if not 0.0 <= settings.min_dist <= 1.0 or not np.isfinite(settings.min_dist):
        raise UserError("UMAP min_dist must be between 0 and 1")
    if settings.metric not in UMAP_METRICS:
        raise UserError(
            f"unknown UMAP metric '{settings.metric}'; choose {', '.join(UMAP_METRICS)}"
        )


# --- umap, lazily -----------------------------------------------------------------------------


def numba_cache_dir() -> Path:
    """numba's compiled-kernel cache: the user's cache folder, so the package stays read-only."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "numba"


def configure_numba_cache() -> None:
    """Point numba's cache at :func:`numba_cache_dir` unless the user chose a folder already."""
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    folder = numba_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    import sys

    if "numba" in sys.modules:  # imported by someone else first: make it re-read the variable
        from numba.core import config

        config.reload_config()


def import_umap() -> Any:
    """``import umap`` with numba's cache pointed at the user's cache folder first."""
    configure_numba_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import umap

    return umap


def _umap_model(settings: ProjectionSettings, n: int, approximate: bool = False) -> Any:
    umap = import_umap()
    return umap.UMAP(
        force_approximation_algorithm=approximate,
        n_components=2,
        n_neighbors=settings.n_neighbors,
        min_dist=settings.min_dist,
        metric=settings.metric,
        random_state=settings.seed,
        transform_seed=settings.seed,
        # Tiny inputs cannot have a spectral layout; umap would warn and fall back anyway.
        init="spectral" if n > settings.n_neighbors + 2 else "random",
    )


def warm_umap(approximate: bool = True, on_stage: Callable[[str], None] | None = None) -> float:
    """Import umap and compile its kernels on tiny fits + transforms; returns the seconds taken.

    Stage "exact" covers inputs below 4,096 rows (umap's exact-neighbour path: the chatbot sample
    and most class datasets). Stage "approximate" (when ``approximate``) covers bigger inputs,
    for which umap builds an NN-descent index whose kernels compile separately (≈3× longer).
    ``on_stage`` is called as each stage is ready. Safe from any thread and more than once: a
    stage already done is not repeated.
    """
    start = time.perf_counter()
    with _warm_lock:
        data = np.random.default_rng(0).normal(size=(60, 8)).astype(np.float32)
        settings = ProjectionSettings("umap", n_neighbors=5)
        for approx in (False, True) if approximate else (False,):
            if approx not in _warmed:
                model = _umap_model(settings, len(data), approx)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.fit(data)
                    model.transform(data[:2])
                _warmed.add(approx)
            if on_stage is not None:
                on_stage("approximate" if approx else "exact")
    return time.perf_counter() - start


def umap_is_warm(approximate: bool = False) -> bool:
    return approximate in _warmed


# --- projection ------------------------------------------------------------------------------


def project(vectors: np.ndarray, settings: ProjectionSettings) -> Projection:
    """Fit the map on ``vectors`` (N × D) and return every point's 2-D coordinates."""
    data = check_vectors(vectors)
    check_settings(settings, data.shape[0])
    start = time.perf_counter()
    if settings.method == "pca":
        from sklearn.decomposition import PCA

        # Deterministic like the full SVD, but through the D × D covariance: 7× faster on 20,000
        # rows and it never holds the GIL (the full SVD held it 0.36 s: a frozen window).
        model: Any = PCA(n_components=2, svd_solver="covariance_eigh")
        coords = model.fit_transform(data)
        ratio = tuple(float(v) for v in model.explained_variance_ratio_)
        explained: tuple[float, ...] | None = ratio
    else:
        model = _umap_model(settings, data.shape[0])
        with warnings.catch_warnings():
            # "n_jobs overridden by setting random_state" and friends: expected, not for students.
            warnings.simplefilter("ignore")
            coords = model.fit_transform(data)
        explained = None
    coords = np.asarray(coords, dtype=np.float32)
    if not np.all(np.isfinite(coords)):
        raise UserError("the map came out with NaN coordinates; try PCA or other UMAP settings")
    return Projection(settings, coords, explained, time.perf_counter() - start, model)


def transform(projection: Projection, vectors: np.ndarray) -> np.ndarray:
    """Place new points (M × D) on an existing map without refitting it."""
    data = np.asarray(vectors, dtype=np.float32)
    if data.ndim == 1:
        data = data[None, :]
    if not np.all(np.isfinite(data)):
        raise UserError("the new utterance's vector has NaN or infinite values; reset the weights")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = projection.model.transform(data)
    return np.asarray(out, dtype=np.float32)
