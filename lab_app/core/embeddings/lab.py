"""The Embeddings lab as pure functions: embed → map → K-Means → scores, a σ sweep, a new point.

The GUI tab and ``bert-lab cluster`` both call :func:`analyse`; the tab adds only drawing. Vectors
are cached per (dataset, model, representation, layer, perturbation) and whole analyses per
(vectors, map settings, k, seed), so flipping back to a configuration is instant. Every long step
reports progress and is a cancel point (``progress(done, total, message)`` returning False).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from lab_app.core.embeddings.cache import LruCache, ModelPool, nbytes
from lab_app.core.embeddings.cluster import ElbowResult, KMeansResult, default_ks, elbow, kmeans
from lab_app.core.embeddings.config import DEFAULT_SIGMAS, Dataset, EmbedConfig
from lab_app.core.embeddings.perturb import Perturbation
from lab_app.core.embeddings.projection import (
    Projection,
    ProjectionSettings,
    check_vectors,
    project,
)
from lab_app.core.embeddings.projection import transform as project_new
from lab_app.core.embeddings.scores import IntentGuess, Scores, compute_scores, knn_intent
from lab_app.core.errors import UserError
from lab_app.core.models.embed import embed, resolve_layer
from lab_app.core.progress import SILENT, Progress, Relabelled, tick
from lab_app.core.seeds import check_seed


@dataclass(frozen=True, eq=False)
class Vectors:
    vectors: np.ndarray
    truncated: tuple[int, ...]
    max_length: int
    seconds: float


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything one configuration shows: vectors, map, clusters, scores, elbow, caption."""

    dataset: Dataset
    config: EmbedConfig  # with the layer resolved
    settings: ProjectionSettings
    vectors: Vectors
    projection: Projection
    clusters: KMeansResult
    scores: Scores
    elbow: ElbowResult | None
    timings: dict[str, float]

    @property
    def caption(self) -> str:
        return f"{self.config.label()} · {self.settings.label()}"


@dataclass(frozen=True)
class SweepResult:
    sigmas: tuple[float, ...]
    ari: tuple[float | None, ...]
    nmi: tuple[float | None, ...]
    notes: tuple[str, ...]
    config: EmbedConfig
    k: int


@dataclass(frozen=True, eq=False)
class Placement:
    """A new utterance on the current map, with its kNN intent."""

    text: str
    vector: np.ndarray
    xy: tuple[float, float]
    guess: IntentGuess


class LabSession:
    """The caches one GUI tab (or one CLI run) keeps: model sessions, vectors, analyses."""

    def __init__(self, pool: ModelPool, max_vector_bytes: int = 512 * 1024**2) -> None:
        self.pool = pool
        self.vectors: LruCache[tuple[object, ...], Vectors] = LruCache(8, max_vector_bytes, nbytes)
        self.analyses: LruCache[tuple[object, ...], Analysis] = LruCache(6)
        self.elbows: LruCache[tuple[object, ...], ElbowResult] = LruCache(8)

    def clear(self) -> None:
        self.pool.clear()
        self.vectors.clear()
        self.analyses.clear()
        self.elbows.clear()

    def release(self, keep_bytes: int = 64 * 1024**2) -> None:
        """Give back the models (the tab is hidden), and the results too once their vectors
        pass ``keep_bytes``: the sample's (0.4 MB a configuration) stay, so a student coming
        back changes k or the map at once; a large file's are embedded again."""
        self.pool.release()
        if self.vectors.total_size() > keep_bytes:
            for cache in (self.vectors, self.analyses, self.elbows):
                cache.release()


def resolved(session: LabSession, config: EmbedConfig) -> EmbedConfig:
    """The config with its layer made explicit (and checked against the model)."""
    encoder = session.pool.encoder(config.model)
    layer = resolve_layer(encoder, config.pooling, config.layer)
    # Every inactive perturbation is the original model: one cache entry for all of them.
    weights = config.perturbation if config.perturbation.active else Perturbation()
    return replace(config, layer=layer, perturbation=weights)


def vector_key(dataset: Dataset, config: EmbedConfig) -> tuple[object, ...]:
    return (dataset.key, config.model, config.pooling, config.layer, config.perturbation.key())


def embed_dataset(
    session: LabSession,
    dataset: Dataset,
    config: EmbedConfig,
    progress: Progress = SILENT,
) -> Vectors:
    """The dataset's vectors for ``config`` (cached); each batch is a progress tick."""
    key = vector_key(dataset, config)
    cached = session.vectors.get(key)
    if cached is not None:
        return cached
    what = "perturbed " if config.perturbation.active else ""
    tick(progress, 0, len(dataset.texts), f"Loading {what}{config.model}…")
    encoder = session.pool.encoder(config.model, config.perturbation)
    start = time.perf_counter()

    batches = Relabelled(progress, lambda done, total, _: f"Embedding {done}/{total}")
    result = embed(
        encoder, dataset.texts, pooling=config.pooling, layer=config.layer, progress=batches
    )
    out = Vectors(result.vectors, result.truncated, result.max_length, time.perf_counter() - start)
    session.vectors.put(key, out)
    return out


def analyse(
    session: LabSession,
    dataset: Dataset,
    config: EmbedConfig,
    settings: ProjectionSettings,
    k: int,
    *,
    seed: int = 0,
    with_elbow: bool = True,
    progress: Progress = SILENT,
) -> Analysis:
    """Embed (cached), check, map, cluster and score one configuration."""
    seed = check_seed(seed)
    config = resolved(session, config)
    key = (dataset.key, config, settings, k, seed, with_elbow)
    cached = session.analyses.get(key)
    if cached is not None:
        return cached
    timings: dict[str, float] = {}
    vecs = embed_dataset(session, dataset, config, progress)
    timings["embed"] = vecs.seconds
    try:
        data = check_vectors(vecs.vectors, "the vectors")
    except UserError as exc:
        if config.pooling == "cls" and config.layer == 0 and "identical" in str(exc):
            raise UserError(
                "[CLS] at layer 0 is the same vector for every utterance: before any attention "
                "it is just the [CLS] token's own embedding. Choose layer 1 or higher."
            ) from None
        raise
    n = data.shape[0]
    tick(progress, 0, 0, "PCA…" if settings.method == "pca" else "UMAP (first use compiles)…")
    projection = project(data, settings)
    timings[settings.method] = projection.seconds
    tick(progress, 0, 0, f"K-Means, k = {k}…")
    start = time.perf_counter()
    clusters = kmeans(data, k, seed)
    timings["kmeans"] = time.perf_counter() - start
    start = time.perf_counter()
    scores = compute_scores(data, clusters.labels, dataset.labels, seed)
    timings["scores"] = time.perf_counter() - start
    curve = None
    if with_elbow:
        start = time.perf_counter()
        ks = default_ks(n, k)
        curve = session.elbows.get_or_make(
            (vector_key(dataset, config), ks, seed), lambda: elbow(data, ks, seed, progress)
        )
        timings["elbow"] = time.perf_counter() - start
    result = Analysis(dataset, config, settings, vecs, projection, clusters, scores, curve, timings)
    session.analyses.put(key, result)
    return result


def sweep(
    session: LabSession,
    dataset: Dataset,
    config: EmbedConfig,
    k: int,
    sigmas: Sequence[float] = DEFAULT_SIGMAS,
    *,
    seed: int = 0,
    progress: Progress = SILENT,
) -> SweepResult:
    """ARI (and NMI) of K-Means clusters vs intents as σ grows.

    The noise goes to ``config.perturbation``'s layers with its seed; its σ is replaced by each of
    ``sigmas`` in turn. A σ at which the model breaks down leaves a gap (None) and a note.
    """
    seed = check_seed(seed)
    if dataset.labels is None:
        raise UserError("the sweep compares clusters with intents, and this data has no intents")
    base = config.perturbation
    if not base.layers:
        raise UserError("choose at least one layer to perturb for the sweep")
    config = resolved(session, config)
    aris: list[float | None] = []
    nmis: list[float | None] = []
    notes: list[str] = []
    for i, sigma in enumerate(sigmas):
        tick(progress, i, len(sigmas), f"σ = {sigma:g} ({i + 1} of {len(sigmas)})")
        step = replace(config, perturbation=replace(base, sigma=float(sigma)))

        def label(_done: int, _total: int, message: str, sigma: float = sigma) -> str:
            return f"σ = {sigma:g}: {message}"

        try:
            vecs = embed_dataset(session, dataset, step, _AtStep(progress, i, len(sigmas), label))
            data = check_vectors(vecs.vectors)
            labels = kmeans(data, k, seed).labels
            scores = compute_scores(data, labels, dataset.labels, seed)
            aris.append(scores.ari)
            nmis.append(scores.nmi)
        except UserError as exc:  # the model broke down at this σ: a gap in the curve
            aris.append(None)
            nmis.append(None)
            notes.append(f"σ = {sigma:g}: {exc}")
    tick(progress, len(sigmas), len(sigmas), "Sweep done")
    return SweepResult(
        tuple(float(s) for s in sigmas), tuple(aris), tuple(nmis), tuple(notes), config, k
    )


class _AtStep(Relabelled):
    """Ticks of a sub-job shown as step ``i`` of ``n`` of the outer job."""

    def __init__(
        self, progress: Progress, i: int, n: int, label: Callable[[int, int, str], str]
    ) -> None:
        super().__init__(progress, label)
        self._i, self._n = i, n

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return self._progress(self._i, self._n, self._label(done, total, message))


def place(session: LabSession, analysis: Analysis, text: str) -> Placement:
    """Embed a new utterance as the analysis did, put it on its map, and guess its intent."""
    text = text.strip()
    if not text:
        raise UserError("type an utterance first")
    config = analysis.config
    encoder = session.pool.encoder(config.model, config.perturbation)
    vec = embed(encoder, [text], pooling=config.pooling, layer=config.layer).vectors[0]
    if not np.all(np.isfinite(vec)):
        raise UserError("the utterance's vector has NaN values; reset the weights and try again")
    xy = project_new(analysis.projection, vec[None, :])[0]
    guess = knn_intent(analysis.vectors.vectors, analysis.dataset.labels, vec)
    return Placement(text, vec, (float(xy[0]), float(xy[1])), guess)
