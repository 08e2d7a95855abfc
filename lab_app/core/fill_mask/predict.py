"""Fill-mask: BERT's guesses for each [MASK], and where in the layers the answer forms.

Masks are predicted *independently* (one forward pass; every mask sees the others as [MASK]), as
the transformers fill-mask pipeline does, or *left to right* (each mask is filled with its top
guess before the next is predicted) so students see why independence matters: two independent
guesses need not make sense together.

The logit lens applies the masked-LM head to every layer's hidden state (layer 0 = embedding
output) and follows the final top answer: its rank and probability at each depth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.fill_mask.text import TokenView, analyse, check, model_max_length
from lab_app.core.mlm.head import (
    MASK_LOGITS,
    MASK_POSITIONS,
    MlmHead,
    head_for,
)
from lab_app.core.models.activations import softmax
from lab_app.core.models.encoder import Encoder, TokenBatch
from lab_app.core.models.store import Entry
from lab_app.core.progress import SILENT, Progress, tick

DEFAULT_TOP_K = 10
MAX_TOP_K = 100


@dataclass(frozen=True)
class Prediction:
    token: str  # the vocabulary entry, "##" kept, so a word piece is visible as one
    id: int
    probability: float


@dataclass(frozen=True)
class MaskPredictions:
    """The top-k for the [MASK] at ``index`` (a position in :attr:`FillMaskResult.tokens`)."""

    index: int
    predictions: tuple[Prediction, ...]

    @property
    def top(self) -> Prediction:
        return self.predictions[0]


@dataclass(frozen=True)
class LayerGuess:
    """The final answer seen through one layer: its rank (1 = top) and probability there."""

    layer: int
    rank: int
    probability: float
    top_token: str  # what this layer alone would answer
    top_probability: float


@dataclass(frozen=True)
class MaskLens:
    index: int
    token: str  # the final top answer being followed
    id: int
    layers: tuple[LayerGuess, ...]


@dataclass(frozen=True)
class FillMaskResult:
    model: str
    text: str
    tokens: tuple[str, ...]  # what the model read, [CLS] … [SEP], masks still as [MASK]
    masks: tuple[MaskPredictions, ...]
    top_k: int
    sequential: bool
    truncated: bool  # the text was cut to the model's limit (all masks were before the cut)
    per_layer: tuple[MaskLens, ...] | None = None

    @property
    def filled_tokens(self) -> tuple[str, ...]:
        """The tokens with every mask replaced by its top guess."""
        tokens = list(self.tokens)
        for m in self.masks:
            tokens[m.index] = m.top.token
        return tuple(tokens)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` contract (extra keys: tokens, top_k, sequential, truncated)."""
        out: dict[str, Any] = {
            "model": self.model,
            "masks": [
                {
                    "index": m.index,
                    "predictions": [
                        {"token": p.token, "id": p.id, "probability": p.probability}
                        for p in m.predictions
                    ],
                }
                for m in self.masks
            ],
            "tokens": list(self.tokens),
            "top_k": self.top_k,
            "sequential": self.sequential,
            "truncated": self.truncated,
        }
        if self.per_layer is not None:
            out["per_layer"] = [
                {
                    "index": lens.index,
                    "token": lens.token,
                    "id": lens.id,
                    "layers": [
                        {
                            "layer": g.layer,
                            "rank": g.rank,
                            "probability": g.probability,
                            "top_token": g.top_token,
                            "top_probability": g.top_probability,
                        }
                        for g in lens.layers
                    ],
                }
                for lens in self.per_layer
            ]
        return out


def text_view(encoder: Encoder, text: str) -> TokenView:
    """The sentence as this model's tokens, before any check (for the token chips)."""
    limit = model_max_length(encoder.max_positions, encoder.manifest.extra.get("config"))
    return analyse(encoder.tokenizer, text, limit)


def top_predictions(encoder: Encoder, probs: np.ndarray, k: int) -> tuple[Prediction, ...]:
    """The ``k`` most probable ids, ties broken by id so results are stable."""
    part = np.argpartition(-probs, k - 1)[:k] if k < probs.shape[0] else np.arange(probs.shape[0])
    order = sorted(part.tolist(), key=lambda i: (-probs[i], i))
    return tuple(
        Prediction(encoder.tokenizer.id_to_token(i) or f"[{i}]", int(i), float(probs[i]))
        for i in order
    )


def fill_mask_encoder(entry: Entry, *, threads: int | None = None) -> Encoder:
    """An encoder for fill-mask: its graph computes the head only at the [MASK] positions.

    Use it rather than a plain :class:`Encoder` for speed (see
    :func:`~lab_app.core.mlm.head.masked_logits_graph`); :func:`predict` accepts both. It is the
    graph every lab runs for this model (:func:`~lab_app.core.mlm.graph_cache.lab_encoder`), so
    Fill-mask shares its session with them.
    """
    if "logits" not in entry.manifest.outputs:
        raise UserError(
            f"{entry.name} has no masked-LM head, so it cannot fill a [MASK]; choose a model "
            "whose outputs include logits (`bert-lab models list`)"
        )
    from lab_app.core.mlm.graph_cache import masked_encoder

    return masked_encoder(entry, threads=threads)


def _run(
    encoder: Encoder, ids: np.ndarray, positions: list[int], layers: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Logits at ``positions`` (masks × vocab), and every layer's hidden states there."""
    n = ids.shape[1]
    if MASK_POSITIONS in encoder.input_names:
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones((1, n), dtype=np.int64),
            "token_type_ids": np.zeros((1, n), dtype=np.int64),
            MASK_POSITIONS: np.asarray(positions, dtype=np.int64),
        }
        feed = {k: v for k, v in feed.items() if k in encoder.input_names}
        names = [MASK_LOGITS, "hidden_states"] if layers else [MASK_LOGITS]
        out = encoder.session.run(names, feed)
        stack = out[1][:, 0, positions, :] if layers else None
        return out[0][0], stack
    # A plain store encoder: fetch hidden states and apply the head here.
    batch = TokenBatch(
        ids, np.ones((1, n), dtype=np.int64), np.zeros((1, n), dtype=np.int64), (False,)
    )
    head = head_for(encoder)
    if layers:
        stack = encoder.run(batch, ["hidden_states"])["hidden_states"][:, 0, positions, :]
        return head.logits(stack[-1]), stack
    last = encoder.run(batch, ["last_hidden_state"])["last_hidden_state"][0, positions]
    return head.logits(last), None


def _lenses(
    encoder: Encoder, head: MlmHead, stack: np.ndarray, group: list[MaskPredictions]
) -> list[MaskLens]:
    """Follow each mask's top answer through every layer (``stack``: layers × masks × hidden).

    All layers and masks go through the head as one matrix product: the decoder (hidden ×
    30,522) is read from memory once, which is what the product's time is made of.
    """
    layers, n, hidden = stack.shape
    logits = head.logits(stack.reshape(layers * n, hidden)).reshape(layers, n, -1)
    lenses = []
    for j, mask in enumerate(group):
        target = mask.top.id
        rows = logits[:, j, :]
        probs = softmax(rows)
        best = rows.argmax(axis=-1)
        ranks = np.count_nonzero(rows > rows[:, target : target + 1], axis=-1) + 1
        guesses = tuple(
            LayerGuess(
                layer=layer,
                rank=int(ranks[layer]),
                probability=float(probs[layer, target]),
                top_token=encoder.tokenizer.id_to_token(int(best[layer])) or "",
                top_probability=float(probs[layer, best[layer]]),
            )
            for layer in range(layers)
        )
        lenses.append(MaskLens(mask.index, mask.top.token, target, guesses))
    return lenses


def check_top_k(top_k: int) -> None:
    if not 1 <= top_k <= MAX_TOP_K:
        raise UserError(f"top-k must be between 1 and {MAX_TOP_K}, not {top_k}")


def predict(
    encoder: Encoder,
    text: str,
    top_k: int = DEFAULT_TOP_K,
    sequential: bool = False,
    *,
    per_layer: bool = False,
    progress: Progress = SILENT,
) -> FillMaskResult:
    """Predict every [MASK] in ``text``; each pass is a tick of ``progress`` (a cancel point).

    Raises :class:`UserError` with what to change for text that cannot be predicted.
    """
    check_top_k(top_k)
    view = text_view(encoder, text)
    check(view, encoder.name)
    head = head_for(encoder)
    ids = view.input_ids()
    positions = list(view.mask_positions)
    k = min(top_k, head.vocab_size)
    masks: list[MaskPredictions] = []
    lenses: list[MaskLens] = []
    # Independent: one pass for all masks. Left to right: one pass per mask, each seeing the
    # earlier masks filled with their top guess.
    groups = [positions[i : i + 1] for i in range(len(positions))] if sequential else [positions]
    for step, group in enumerate(groups):
        tick(progress, step, len(groups))
        logits, stack = _run(encoder, ids, group, per_layer)
        probs = softmax(logits)
        found = [
            MaskPredictions(pos, top_predictions(encoder, probs[j], k))
            for j, pos in enumerate(group)
        ]
        masks.extend(found)
        if stack is not None:
            lenses.extend(_lenses(encoder, head, stack, found))
        if sequential:
            ids[0, group[0]] = found[0].top.id
    return FillMaskResult(
        model=encoder.name,
        text=text,
        tokens=(*(t.text for t in view.tokens[: ids.shape[1] - 1]), view.tokens[-1].text),
        masks=tuple(masks),
        top_k=k,
        sequential=sequential,
        truncated=view.truncated,
        per_layer=tuple(lenses) if per_layer else None,
    )


def has_nsp(encoder: Encoder) -> bool:
    """Whether the model can tell IsNext from NotNext.

    The store's output contract has no NSP output yet (the importer drops
    ``cls.seq_relationship``), so this is False for every store model and the tab hides NSP.
    """
    return "nsp_logits" in encoder.output_names


def mlm_models(entries: Sequence[Entry]) -> list[Entry]:
    """Store entries whose graph has a masked-LM head (``logits`` among their outputs)."""
    return [e for e in entries if "logits" in e.manifest.outputs and not e.manifest.is_decoder]
