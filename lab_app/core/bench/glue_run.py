"""Predictions to score on the GLUE page, made by a pair model of the store.

GLUE's MRPC (paraphrase) and the BERT paper's next-sentence task are pair tasks: ``[CLS] A [SEP]
B [SEP]`` and a label. A pair model (the built-in ``bert-lab-nsp``, or one the Fine-tuning lab
saved) reads a file of labelled pairs and its answers become the predictions the GLUE scores
judge. By default that is ``bert-lab-nsp`` on its 200 held-out next-sentence pairs, written by
hand and never trained on.
"""

from __future__ import annotations

from pathlib import Path

from lab_app.core.bench.glue import Predictions
from lab_app.core.errors import UserError
from lab_app.core.io.pair_formats import read_pairs
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.resources import models_dir
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS
from lab_app.core.taskmodels.infer import pair_probs
from lab_app.core.taskmodels.task_model import TaskModel

DEFAULT_PAIR_MODEL = BUILTIN_MODELS["pair"]


def heldout_pairs() -> Path:
    """``bert-lab-nsp``'s held-out test pairs (``a<TAB>b<TAB>IsNext|NotNext``)."""
    return models_dir() / "bert-lab-tasks" / "data" / "nsp_test.tsv"


def pair_predictions(
    model: TaskModel, path: Path | None = None, *, progress: Progress = SILENT
) -> Predictions:
    """``model``'s label for every pair of the TSV at ``path`` (default: :func:`heldout_pairs`),
    beside the file's own labels. Labels the model does not know are refused: its answers could
    never equal them."""
    source = path or heldout_pairs()
    tick(progress, 0, 1, f"Reading {source.name}…")
    data = read_pairs(source)
    unknown = sorted(set(data.labels) - set(model.labels))
    if unknown:
        raise UserError(
            f"{source.name} has labels {', '.join(unknown[:5])} that {model.name} does not give "
            f"(it answers {', '.join(model.labels)}): choose a file of its task"
        )
    tick(progress, 0, 1, f"{model.name} reads {len(data)} pairs…")
    probs = pair_probs(model, data.first, data.second)
    predicted = tuple(model.labels[int(i)] for i in probs.argmax(axis=1))
    tick(progress, 1, 1, "done")
    return Predictions(data.labels, predicted, f"{model.name} on {source.name}")
