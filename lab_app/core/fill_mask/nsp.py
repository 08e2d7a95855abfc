"""Next sentence prediction: does sentence B follow sentence A? BERT's second pre-training task.

No packaged checkpoint ships BERT's NSP head, so BERT Lab fine-tunes its own, openly: the store's
``bert-lab-nsp`` is bert-lab-mlm's top layers and a classifier on ``[CLS]`` of
``[CLS] A [SEP] B [SEP]``, trained by the lab's own trainer on pairs built as the paper builds
them (``models/bert-lab-tasks/``). It is not Google's head; its held-out accuracy travels in its
manifest and is shown with every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lab_app.core.errors import UserError
from lab_app.core.models.lru import LruCache
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS

if TYPE_CHECKING:  # ONNX Runtime and numpy: not on the window's start path
    from lab_app.core.taskmodels.task_model import TaskModel

NSP_MODEL = BUILTIN_MODELS["pair"]
LABELS = ("IsNext", "NotNext")
MAX_CHARS = 5_000


@dataclass(frozen=True)
class NspResult:
    model: str
    is_next: float
    not_next: float
    truncated: bool
    heldout_accuracy: float  # on the model card's hand-written pairs (0: not known)
    heldout_pairs: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "is_next": round(self.is_next, 6),
            "not_next": round(self.not_next, 6),
        }


def heldout(model: TaskModel) -> tuple[float, int]:
    """The accuracy and pair count the model's card reports on its hand-written test pairs."""
    card = model.entry.manifest.extra.get("card") or {}
    for figures in (card.get("test") or {}).values():
        return float(figures.get("accuracy", 0.0)), int(figures.get("pairs", 0))
    return 0.0, 0


def nsp(model: TaskModel, text_a: str, text_b: str) -> NspResult:
    """P(IsNext) and P(NotNext) for the pair, from an IsNext / NotNext pair model."""
    import numpy as np

    if not text_a.strip() or not text_b.strip():
        raise UserError("type both sentences: A, and the B that may or may not follow it")
    if len(text_a) + len(text_b) > MAX_CHARS:
        raise UserError(f"the two sentences have over {MAX_CHARS:,} characters; shorten them")
    if model.task != "pair" or set(model.labels) != set(LABELS):
        raise UserError(f"'{model.name}' is not a next-sentence model (IsNext / NotNext)")
    enc = model.encode([text_a], [text_b])[0]
    cut = bool(enc.overflowing)
    scores = model.scores([enc])[0].astype(np.float64)
    p = np.exp(scores - scores.max())
    p /= p.sum()
    probs = dict(zip(model.labels, p.tolist(), strict=True))
    accuracy, pairs = heldout(model)
    return NspResult(model.name, probs["IsNext"], probs["NotNext"], cut, accuracy, pairs)


def open_nsp(store: str | None) -> TaskModel:
    from lab_app.core.taskmodels.task_model import open_task_model

    return open_task_model(store, NSP_MODEL)


_HELD: LruCache[str | None, TaskModel] = LruCache(1)


def nsp_job(report: object, store: str | None, text_a: str, text_b: str) -> NspResult:
    """The Fill-mask tab's NSP panel runs this on a pool thread (the model is opened once, and
    kept until :func:`release`)."""
    return nsp(_HELD.get_or_make(store, lambda: open_nsp(store)), text_a, text_b)


def release() -> None:
    """Let go of the NSP model (the Fill-mask tab is hidden)."""
    _HELD.release()
