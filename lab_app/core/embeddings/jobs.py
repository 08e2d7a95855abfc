"""The Embeddings tab's background work: Qt-free functions the tab's runners call on pool threads.

Each job is ``fn(report, ...)`` and returns a small outcome object the tab dispatches on. The heavy
core (ONNX Runtime, sklearn, umap) is imported inside the jobs, never when the tab is imported, so
the window's first paint does not pay for it. The UMAP warm-up runs once per process on a daemon
thread of its own: it cannot be interrupted while numba compiles, and it touches no widget, so it
must not hold a slot of the tabs' thread pool (or keep a closing window waiting).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lab_app.core.embeddings.config import Dataset, EmbedConfig
from lab_app.core.embeddings.projection import ProjectionSettings
from lab_app.core.errors import UserError
from lab_app.core.progress import Progress, Relabelled

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis, LabSession, Placement, SweepResult

log = logging.getLogger(__name__)

MAX_ROWS = 50_000  # a bigger file keeps its first rows, with a note
SAMPLE = "help-desk chatbot sample"


@dataclass(frozen=True)
class Loaded:
    dataset: Dataset
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Analysed:
    analysis: Analysis


@dataclass(frozen=True, eq=False)
class Compared:
    first: Analysis
    second: Analysis


@dataclass(frozen=True, eq=False)
class Swept:
    sweep: SweepResult


@dataclass(frozen=True, eq=False)
class Placed:
    placement: Placement
    analysis: Analysis


def new_session(store: str | None) -> LabSession:
    from lab_app.core.embeddings.cache import ModelPool
    from lab_app.core.embeddings.lab import LabSession
    from lab_app.core.models.store import open_store

    return LabSession(ModelPool(open_store(store)))


def sample_dataset() -> Loaded:
    """The built-in help-desk chatbot sample (279 utterances, 14 intents): cheap, read at start."""
    from lab_app.core.io.text_input import read_utterances, sample_dataset_path

    data = read_utterances(sample_dataset_path())
    return Loaded(Dataset.of(data.texts, data.labels, SAMPLE), ())


def load_job(
    report: Progress, path: Path, text_column: str | None, label_column: str | None
) -> Loaded:
    """Read the user's file (only ever opened for reading)."""
    from lab_app.core.io.text_input import read_utterances

    report(0, 0, f"Reading {path.name}…")
    data = read_utterances(
        path, text_column=text_column, label_column=label_column, max_rows=MAX_ROWS
    )
    return Loaded(Dataset.of(data.texts, data.labels, str(path)), tuple(data.notes))


def analyse_job(
    report: Progress,
    session: LabSession,
    dataset: Dataset,
    config: EmbedConfig,
    settings: ProjectionSettings,
    k: int,
    seed: int,
) -> Analysed:
    from lab_app.core.embeddings.lab import analyse

    return Analysed(analyse(session, dataset, config, settings, k, seed=seed, progress=report))


def compare_job(
    report: Progress,
    session: LabSession,
    dataset: Dataset,
    configs: tuple[EmbedConfig, EmbedConfig],
    settings: ProjectionSettings,
    k: int,
    seed: int,
) -> Compared:
    """Both configurations with the same map settings, k and seed (each cached on its own)."""
    from lab_app.core.embeddings.lab import analyse

    out = []
    for i, config in enumerate(configs):
        label = "A" if i == 0 else "B"

        def named(_done: int, _total: int, message: str, label: str = label) -> str:
            return f"{label}: {message}"

        step = Relabelled(report, named)
        out.append(analyse(session, dataset, config, settings, k, seed=seed, progress=step))
    return Compared(out[0], out[1])


def sweep_job(
    report: Progress,
    session: LabSession,
    dataset: Dataset,
    config: EmbedConfig,
    k: int,
    sigmas: tuple[float, ...],
    seed: int,
) -> Swept:
    from lab_app.core.embeddings.lab import sweep

    return Swept(sweep(session, dataset, config, k, sigmas, seed=seed, progress=report))


def place_job(report: Progress, session: LabSession, analysis: Analysis, text: str) -> Placed:
    from lab_app.core.embeddings.lab import place

    report(0, 0, "Embedding your utterance…")
    return Placed(place(session, analysis, text), analysis)


def describe_error(exc: object) -> str:
    """What the user reads: a UserError's own message, else a calm pointer to the log."""
    if isinstance(exc, UserError):
        return str(exc)
    log.error("embeddings job failed", exc_info=exc if isinstance(exc, BaseException) else None)
    return "Something went wrong there; the details are in the log file (Help → Log file)."


# --- UMAP warm-up, once per process ------------------------------------------------------------


APPROXIMATE_ROWS = 4096  # from here umap finds neighbours with NN-descent, not exactly


class Warmup:
    """State of the background UMAP warm-up: idle → warming → ready → done (or failed).

    "ready": maps of up to 4,095 utterances are fast; "done": every map the data asks for. The
    approximate stage (NN-descent's kernels, for bigger inputs) compiles for a minute and keeps
    170–450 MB of compiled code for the rest of the session, so unless ``approximate`` it runs
    only once a dataset that big is loaded (:meth:`for_rows`); the exact stage alone keeps about
    250 MB (umap's imports and kernels).
    """

    def __init__(self, approximate: bool = False) -> None:
        self.state = "idle"
        self.approximate = approximate
        self.seconds = 0.0
        self._running = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Warm up in the background, once per process (and again for a stage asked later)."""
        with self._lock:
            if self._running or self.state in ("done", "failed"):
                return
            self._running = True
            if self.state == "idle":
                self.state = "warming"
            self._thread = threading.Thread(target=self._run, name="umap-warmup", daemon=True)
            self._thread.start()

    def for_rows(self, rows: int) -> None:
        """A dataset of ``rows`` is loaded: past :data:`APPROXIMATE_ROWS`, warm the approximate
        stage too (when the warm-up runs at all)."""
        if rows < APPROXIMATE_ROWS:
            return
        with self._lock:
            if self.approximate:
                return
            self.approximate = True
            if self.state == "done":
                self.state = "ready"
            started = self.state != "idle"
        if started:
            self.start()

    def _stage(self, stage: str) -> None:
        self.state = "ready" if stage == "exact" and self.approximate else "done"

    def _run(self) -> None:
        from lab_app.core.embeddings.projection import warm_umap

        start = time.perf_counter()
        try:
            while True:  # again if the approximate stage was asked for meanwhile
                approximate = self.approximate
                warm_umap(approximate, self._stage)
                with self._lock:
                    if approximate == self.approximate:
                        self._running = False
                        break
        except Exception:  # the first real UMAP will be slow, and will report its own error
            log.warning("UMAP warm-up failed", exc_info=True)
            with self._lock:
                self.state = "failed"
                self._running = False
        self.seconds += time.perf_counter() - start

    def wait(self, timeout: float | None = None) -> bool:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.state in ("done", "failed")


WARMUP = Warmup()


def default_k(dataset: Dataset) -> int:
    """The number of intents when that is a usable k, else 5 (or fewer, for a tiny dataset)."""
    intents = len(set(dataset.labels)) if dataset.labels is not None else 0
    n = len(dataset.texts)
    return intents if 2 <= intents <= min(100, n) else min(5, max(2, n))


def dataset_summary(dataset: Dataset, notes: Any = ()) -> str:
    n = len(dataset.texts)
    if dataset.labels is None:
        intents = "no intent labels (scores that need them are left out)"
    else:
        m = len(set(dataset.labels))
        intents = f"{m} intent{'s' * (m != 1)}"
    extra = "; ".join(notes)
    return f"{Path(dataset.source).name}: {n} utterances, {intents}" + (
        f" — {extra}" if extra else ""
    )
