"""The Embeddings lab's light value types: a dataset and one embedding configuration.

Kept apart from ``embeddings_lab`` (which pulls in ONNX Runtime) so the GUI tab can import them
at start-up without slowing the window's first paint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lab_app.core.embeddings.perturb import Perturbation

if TYPE_CHECKING:
    from lab_app.core.models.embed import Pooling

POOLING_NAMES = {
    "cls": "[CLS]",
    "pooler": "pooler_output",
    "mean": "mean pooling",
    "sbert": "SBERT pooling",
}
DEFAULT_SIGMAS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0)  # the sweep's σ values: none → destroyed


@dataclass(frozen=True)
class Dataset:
    """Utterances and their intents (None when the file has none), with a content key."""

    texts: tuple[str, ...]
    labels: tuple[str, ...] | None
    source: str
    key: str = ""

    @classmethod
    def of(cls, texts: Sequence[str], labels: Sequence[str] | None, source: str) -> Dataset:
        digest = hashlib.sha256()
        for text in texts:
            digest.update(text.encode("utf-8") + b"\x1f")
        digest.update(b"\x1e")
        for label in labels or ():
            digest.update(label.encode("utf-8") + b"\x1f")
        labs = tuple(labels) if labels is not None else None
        return cls(tuple(texts), labs, source, digest.hexdigest())


@dataclass(frozen=True)
class EmbedConfig:
    """One way of turning utterances into vectors: model, representation, layer, weights."""

    model: str
    pooling: Pooling
    layer: int | None = None  # None: the last layer
    perturbation: Perturbation = field(default_factory=Perturbation)

    def label(self) -> str:
        layer = "last layer" if self.layer is None else f"layer {self.layer}"
        text = f"{self.model} · {POOLING_NAMES.get(self.pooling, self.pooling)} · {layer}"
        if self.perturbation.active:
            text += f" · noise σ={self.perturbation.sigma:g}"
        return text
