"""The Fine-tuning tab's background work: Qt-free functions its runner calls on a pool thread.

Each is ``fn(report, ...)``; the dataset is read inside the job (a large file never stalls the
window) and only ever opened for reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lab_app.core.finetune.curve import Curve, learning_curve
from lab_app.core.finetune.methods import FineTuneConfig, FineTuneResult, finetune
from lab_app.core.finetune.train import EpochStats
from lab_app.core.models.lru import LruCache
from lab_app.core.progress import Progress

if TYPE_CHECKING:
    from lab_app.core.finetune.current import CurrentModel
    from lab_app.core.finetune.task_run import TaskResult
    from lab_app.core.finetune.tasks import TaskName

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


# --- tagging, QA and pairs ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TaskTrained:
    """A tagging, QA or pair run, and the model it made, ready to try before it is saved."""

    result: TaskResult
    dataset: str
    notes: tuple[str, ...]
    model: CurrentModel


def task_train_job(
    report: Progress,
    store: str | None,
    task: TaskName,
    path: Path | None,
    config: FineTuneConfig,
    on_epoch: Callable[[EpochStats], None],
    scheme: str = "iob2",
) -> TaskTrained:
    """Read the task's data (the built-in sample for None; a tag file in ``scheme``) and train
    on it."""
    from lab_app.core.finetune.current import CurrentModel
    from lab_app.core.finetune.head import Pooling, SequenceClassification
    from lab_app.core.finetune.task_run import finetune_task
    from lab_app.core.finetune.tasks import read_task_data
    from lab_app.core.models.encoder import plain_tokenizer
    from lab_app.core.models.sessions import trim_heap
    from lab_app.core.models.store import open_store

    data, name = read_task_data(task, path, scheme)
    opened = open_store(store)
    try:
        result = finetune_task(opened, task, data, config, on_epoch=on_epoch, progress=report)
    finally:
        trim_heap()
    tokenizer = plain_tokenizer(opened.model(config.model).file("tokenizer.json"))
    if task == "tag":
        from lab_app.core.finetune.tagging import TokenTagging

        head: Any = TokenTagging(result.labels)
    elif task == "qa":
        from lab_app.core.finetune.span import SpanExtraction

        head = SpanExtraction([], [])
    else:
        pooling = Pooling(result.config.pooling or "cls")
        head = SequenceClassification(pooling, len(result.labels))
    notes = tuple(getattr(data, "notes", ())) + result.notes
    return TaskTrained(result, name, notes, CurrentModel(result, tokenizer, head))


def task_save_job(report: Progress, store: str | None, name: str, trained: TaskTrained) -> str:
    from lab_app.core.finetune.save import save_task_model
    from lab_app.core.models.store import open_store

    report(0, 1, f"Saving {name}…")
    return save_task_model(open_store(store), name, trained.result, trained.dataset).name


def try_job(
    report: Progress, store: str | None, model: object, task: str, inputs: tuple[str, ...]
) -> object:
    """Run "Try it": ``model`` is a store model's name or the run's :class:`CurrentModel`;
    ``inputs`` is (text,) to tag, (question, passage) to answer, (a, b) to judge."""
    from lab_app.core.taskmodels import infer

    if isinstance(model, str):
        from lab_app.core.models.store import open_store
        from lab_app.core.taskmodels.task_model import TaskModel

        opened, name = open_store(store), model
        entry = opened.model(name)
        report(0, 1, f"Loading {name}…")
        key = (store, name, entry.manifest.files.get("model.onnx", ""))
        model = _TRY.get_or_make(key, lambda: TaskModel(opened, entry))
    if task == "tag":
        return infer.tag(model, inputs[0])  # type: ignore[arg-type]
    if task == "qa":
        return infer.answer(model, inputs[0], inputs[1])  # type: ignore[arg-type]
    return infer.pair(model, inputs[0], inputs[1])  # type: ignore[arg-type]


_TRY: LruCache[tuple[str | None, str, str], Any] = LruCache(1)


def release_try() -> None:
    """Let go of the store model "Try it" last ran (the tab is hidden)."""
    _TRY.release()
