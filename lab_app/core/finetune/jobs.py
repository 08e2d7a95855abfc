"""The Fine-tuning tab's background work: Qt-free functions its runner calls on a pool thread.

Each is ``fn(report, ...)``; the dataset is read inside the job (a large file never stalls the
window) and only ever opened for reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.finetune.curve import Curve, learning_curve
from lab_app.core.finetune.methods import FineTuneConfig, FineTuneResult, finetune
from lab_app.core.finetune.train import EpochStats
from lab_app.core.progress import Progress

MAX_ROWS = 10_000  # a bigger file keeps its first rows, with a note


@dataclass(frozen=True)
class Data:
    texts: list[str]
    labels: list[str] | None
    name: str
    notes: tuple[str, ...]


def read_dataset(path: Path | None) -> Data:
    """The built-in help-desk sample (None) or the user's file."""
    from lab_app.core.io.text_input import read_utterances, sample_dataset_path

    source = path or sample_dataset_path()
    data = read_utterances(source, max_rows=MAX_ROWS)
    name = "help-desk chatbot sample" if path is None else source.name
    return Data(data.texts, data.labels, name, tuple(data.notes))


@dataclass(frozen=True, eq=False)
class Trained:
    result: FineTuneResult
    dataset: str
    notes: tuple[str, ...] = ()  # what reading the file and training had to say


def train_job(
    report: Progress,
    store: str | None,
    path: Path | None,
    config: FineTuneConfig,
    on_epoch: Callable[[EpochStats], None],
) -> Trained:
    from lab_app.core.models.sessions import trim_heap
    from lab_app.core.models.store import open_store

    data = read_dataset(path)
    try:
        result = finetune(
            open_store(store), data.texts, data.labels, config, on_epoch=on_epoch, progress=report
        )
    finally:
        # Training freed its gradients, AdamW's moments and the weights it read (300 MB for a
        # full fine-tune of a MiniLM) as many medium blocks the C heap would otherwise keep.
        trim_heap()
    return Trained(result, data.name, data.notes + result.notes)


def curve_job(
    report: Progress, store: str | None, path: Path | None, config: FineTuneConfig
) -> Curve:
    from lab_app.core.models.store import open_store

    data = read_dataset(path)
    return learning_curve(open_store(store), data.texts, data.labels, config, progress=report)


def save_job(report: Progress, store: str | None, name: str, trained: Trained) -> str:
    from lab_app.core.finetune.save import save_finetuned
    from lab_app.core.models.store import open_store

    report(0, 1, f"Saving {name}…")
    return save_finetuned(open_store(store), name, trained.result, trained.dataset).name
