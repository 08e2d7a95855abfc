"""Next sentence prediction: does sentence B follow sentence A? BERT's second pre-training task.

No packaged checkpoint ships BERT's NSP head, so BERT Lab trains its own, openly
(``models/bert-lab-nsp/``): one linear layer and a softmax over IsNext / NotNext on the frozen
all-MiniLM-L6-v2's ``pooler_output`` of ``[CLS] A [SEP] B [SEP]``, from pairs built as the paper
builds them. It is not Google's head, and a frozen encoder does far worse than BERT's 97–98%;
its held-out accuracy travels with it (``resources/nsp/nsp_head.json``) and is shown with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lab_app.core.errors import UserError
from lab_app.core.models.lru import LruCache
from lab_app.core.resources import resources_dir

if TYPE_CHECKING:  # ONNX Runtime and numpy: not on the window's start path
    import numpy as np

    from lab_app.core.models.encoder import Encoder

HEAD_FILE = "nsp/nsp_head.json"


@dataclass(frozen=True, eq=False)
class NspHead:
    base_model: str
    weight: np.ndarray  # 2 × hidden: rows IsNext, NotNext
    bias: np.ndarray
    max_tokens: int
    heldout_accuracy: float
    heldout_pairs: int


@dataclass(frozen=True)
class NspResult:
    model: str
    is_next: float
    not_next: float
    truncated: bool
    heldout_accuracy: float

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "is_next": round(self.is_next, 6),
            "not_next": round(self.not_next, 6),
        }


@lru_cache(maxsize=1)
def load_head() -> NspHead:
    import numpy as np  # here: the Fill-mask tab, built for the first paint, imports this module

    path = resources_dir() / HEAD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return NspHead(
            str(data["base_model"]),
            np.asarray(data["weight"], dtype=np.float32),
            np.asarray(data["bias"], dtype=np.float32),
            int(data["max_tokens"]),
            float(data["heldout_accuracy"]),
            int(data["heldout_pairs"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"the NSP head ({path}) is missing or damaged: {exc}") from exc


def nsp(encoder: Encoder, text_a: str, text_b: str, head: NspHead | None = None) -> NspResult:
    """P(IsNext) and P(NotNext) for the pair, from the head trained for ``encoder``'s model."""
    import numpy as np

    head = head or load_head()
    if not text_a.strip() or not text_b.strip():
        raise UserError("type both sentences: A, and the B that may or may not follow it")
    if encoder.name != head.base_model:
        raise UserError(
            f"the NSP head was trained on {head.base_model}'s pooled output, not {encoder.name}'s; "
            f"choose {head.base_model}"
        )
    tok = encoder.tokenizer
    tok.enable_truncation(max_length=min(head.max_tokens, encoder.max_positions))
    try:
        enc = tok.encode(text_a, text_b, add_special_tokens=True)
    finally:
        tok.no_truncation()
    pooled = encoder.run(encoder.tokenize_encodings([enc]), ["pooler_output"])["pooler_output"][0]
    logits = head.weight @ pooled + head.bias
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return NspResult(
        encoder.name, float(p[0]), float(p[1]), bool(enc.overflowing), head.heldout_accuracy
    )


_HELD: LruCache[str | None, Encoder] = LruCache(1)


def nsp_job(report: object, store: str | None, text_a: str, text_b: str) -> NspResult:
    """The Fill-mask tab's NSP panel runs this on a pool thread (the encoder is opened once, and
    kept until :func:`release`)."""
    from lab_app.core.mlm.graph_cache import lab_encoder
    from lab_app.core.models.store import open_store

    base = load_head().base_model
    encoder = _HELD.get_or_make(store, lambda: lab_encoder(open_store(store).model(base)))
    return nsp(encoder, text_a, text_b)


def release() -> None:
    """Let go of the NSP encoder (the Fill-mask tab is hidden)."""
    _HELD.release()
