"""Sentence vectors from a store model: [CLS], pooler_output, mean of tokens, or SBERT pooling.

Texts are sorted by length and batched so that each batch pads only to its own longest text; each
batch is a progress tick and a cancel point for the GUI.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.bert_config import POOLINGS, Pooling
from lab_app.core.models.encoder import Encoder
from lab_app.core.progress import SILENT, Progress, tick


@dataclass(frozen=True)
class EmbedResult:
    vectors: np.ndarray  # float32, N × D, in the order of the input texts
    model: str
    pooling: Pooling
    layer: int
    truncated: tuple[int, ...]  # indices of texts cut to the model's maximum length
    max_length: int

    def to_json(self) -> dict[str, object]:
        return {
            "n": int(self.vectors.shape[0]),
            "dim": int(self.vectors.shape[1]),
            "model": self.model,
            "pooling": self.pooling,
            "layer": self.layer,
            "truncated": len(self.truncated),
        }


def resolve_layer(encoder: Encoder, pooling: Pooling, layer: int | None) -> int:
    """Check that the model offers this representation at this layer, and return the layer."""
    last = encoder.num_layers
    chosen = last if layer is None else layer
    if not 0 <= chosen <= last:
        raise UserError(
            f"layer {chosen} does not exist in {encoder.name}: choose 0 (the embedding output) "
            f"to {last}"
        )
    if pooling not in POOLINGS:
        raise UserError(f"unknown pooling '{pooling}'; choose one of {', '.join(POOLINGS)}")
    if pooling == "pooler":
        if "pooler_output" not in encoder.output_names:
            raise UserError(f"{encoder.name} has no pooler weights, so no pooler_output")
        if chosen != last:
            raise UserError("pooler_output exists only for the last layer; drop --layer")
    if pooling == "sbert":
        if not encoder.manifest.pooling:
            raise UserError(
                f"{encoder.name} is not a sentence-transformers model; no sbert pooling"
            )
        if chosen != last:
            raise UserError("sbert pooling is defined on the last layer only; drop --layer")
    return chosen


def max_length(encoder: Encoder, pooling: Pooling) -> int:
    """Positions a text may use: SBERT pooling keeps the model's own training limit."""
    spec = encoder.manifest.pooling or {}
    if pooling == "sbert" and "max_seq_length" in spec:
        return min(int(spec["max_seq_length"]), encoder.max_positions)
    return encoder.max_positions


def _mean(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return np.asarray(summed / counts, dtype=np.float32)


WINDOW_BATCHES = 32  # batches tokenized together and sorted by token count


def _by_length(
    encoder: Encoder, texts: Sequence[str], limit: int, batch_size: int
) -> Iterator[tuple[np.ndarray, list[Any]]]:
    """Batches of ``(indices, encodings)``, texts of similar token counts together so a batch
    pads little. Texts are ordered by characters first (a cheap proxy), then each window of
    :data:`WINDOW_BATCHES` batches is tokenized and ordered by tokens: on the sample's 1,000
    sentences a sixth fewer positions than by characters alone, and a third less attention.
    The window keeps the encodings of a large file from being held all at once."""
    order = np.argsort([len(t) for t in texts], kind="stable")
    window = batch_size * WINDOW_BATCHES
    for first in range(0, len(order), window):
        part = order[first : first + window]
        encodings = encoder.encode([texts[i] for i in part], limit)
        by_tokens = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(by_tokens), batch_size):
            rows = by_tokens[start : start + batch_size]
            yield part[rows], [encodings[r] for r in rows]


def iter_embed(
    encoder: Encoder,
    texts: Sequence[str],
    *,
    pooling: Pooling,
    layer: int | None = None,
    batch_size: int = 32,
) -> Iterator[tuple[np.ndarray, np.ndarray, tuple[bool, ...]]]:
    """Yield ``(indices, vectors, truncated)`` per batch, shortest texts first."""
    chosen = resolve_layer(encoder, pooling, layer)
    spec = encoder.manifest.pooling or {}
    limit = max_length(encoder, pooling)
    last = chosen == encoder.num_layers
    for idx, encodings in _by_length(encoder, texts, limit, batch_size):
        batch = encoder.tokenize_encodings(encodings)
        if pooling == "pooler":
            vecs = encoder.run(batch, ["pooler_output"])["pooler_output"]
        else:
            name = "last_hidden_state" if last else "hidden_states"
            out = encoder.run(batch, [name])[name]
            hidden = out if last else out[chosen]
            if pooling == "cls":
                vecs = hidden[:, 0, :]
            else:
                vecs = _mean(hidden, batch.attention_mask)
                if pooling == "sbert" and spec.get("normalize"):
                    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
                    vecs = vecs / np.clip(norms, 1e-12, None)
        yield idx, np.asarray(vecs, dtype=np.float32), batch.truncated


def embed(
    encoder: Encoder,
    texts: Sequence[str],
    *,
    pooling: Pooling,
    layer: int | None = None,
    batch_size: int = 32,
    progress: Progress = SILENT,
) -> EmbedResult:
    """Embed all texts; each batch is a tick of ``progress`` (a cancel raises ``Cancelled``)."""
    if not texts:
        raise UserError("there is nothing to embed: the input has no text")
    chosen = resolve_layer(encoder, pooling, layer)
    out: np.ndarray | None = None
    truncated: list[int] = []
    done = 0
    for idx, vecs, cut in iter_embed(
        encoder, texts, pooling=pooling, layer=chosen, batch_size=batch_size
    ):
        if out is None:
            out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
        out[idx] = vecs
        truncated.extend(int(i) for i, c in zip(idx, cut, strict=True) if c)
        done += len(idx)
        tick(progress, done, len(texts))
    assert out is not None
    limit = max_length(encoder, pooling)
    return EmbedResult(out, encoder.name, pooling, chosen, tuple(sorted(truncated)), limit)
