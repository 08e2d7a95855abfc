"""Every choice the fine-tuning lab offers, defined once.

``bert-lab finetune``'s arguments and the window's settings widget are both made from these
tables, and :func:`~lab_app.core.finetune.methods.check_config` checks against the same ranges, so
a method, a pooling or a limit added here appears in both places with the same default and help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab_app.core.models.bert_config import POOLINGS as POOLINGS  # the lab offers every one

Kind = Literal["features", "partial", "full", "lora"]
METHODS: tuple[Kind, ...] = ("features", "partial", "full", "lora")
METHOD_LABELS: dict[str, str] = {
    "features": "Feature-based (frozen encoder + logistic regression)",  # standardised features
    "partial": "Fine-tuning II (top layers + head)",
    "full": "Fine-tuning I (every weight)",
    "lora": "PEFT: LoRA adapters + head",
}
# Learning rates that train the built-in sample well in 5 epochs (a sweep over seeds 0-2 on
# bert-lab-mlm: partial 1e-3 and LoRA 5e-3 fell 12 points behind these); --lr overrides them.
DEFAULT_LR: dict[str, float] = {"partial": 3e-4, "full": 1e-4, "lora": 2e-3}
POOLING_HELP = "the vectors or the head's input (default: sbert for SBERT models, else cls)"
DEFAULT_MODEL = "bert-lab-mlm"


@dataclass(frozen=True)
class IntOption:
    """A whole-number setting: its field of ``FineTuneConfig``, range, default and help."""

    name: str
    low: int
    high: int
    default: int
    help: str
    label: str  # the window's short label

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def allows(self, value: int) -> bool:
        return self.low <= value <= self.high


LAYERS = IntOption("layers", 1, 48, 2, "partial: top layers trained", "Layers")
RANK = IntOption("rank", 1, 256, 8, "lora: adapter rank", "Rank")
EPOCHS = IntOption("epochs", 1, 100, 5, "epochs", "Epochs")
BATCH_SIZE = IntOption("batch_size", 1, 256, 16, "examples per step", "Batch")
INT_OPTIONS: tuple[IntOption, ...] = (LAYERS, RANK, EPOCHS, BATCH_SIZE)
