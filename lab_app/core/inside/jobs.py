"""The Inside tab's background work: Qt-free functions its runner calls on a pool thread. The
encoders of the last two models are kept (creating an ONNX Runtime session takes a while) until
:func:`release` gives them back, when the tab is hidden."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lab_app.core.inside.attention import (
    OVERVIEW_BINS,
    Attention,
    Overview,
    attention,
    bidirectional_mask,
    causal_mask,
    overview,
    token_list,
)
from lab_app.core.inside.positions import Positions, positions
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.lru import LruCache
from lab_app.core.models.tokenizer_cache import shared_plain_tokenizer
from lab_app.core.progress import Progress, tick


@dataclass(frozen=True, eq=False)
class Masks:
    """The same sentence as BERT and as the decoder see it: who may attend to whom."""

    encoder_tokens: tuple[str, ...]
    encoder_mask: np.ndarray
    decoder: str | None
    decoder_tokens: tuple[str, ...]
    decoder_mask: np.ndarray | None


@dataclass(frozen=True, eq=False)
class Looked:
    attention: Attention
    masks: Masks
    overviews: dict[bool, Overview]  # the model view's mosaic, by "hide [CLS]/[SEP]"


_HELD: LruCache[tuple[str | None, str], Encoder] = LruCache(2)


def _encoder(store: str | None, model: str) -> Encoder:
    from lab_app.core.mlm.graph_cache import lab_encoder
    from lab_app.core.models.store import open_store

    return _HELD.get_or_make((store, model), lambda: lab_encoder(open_store(store).model(model)))


def release() -> None:
    """Let go of the encoders (the tab is hidden); the next run opens its model again."""
    _HELD.release()


def attention_job(
    report: Progress, store: str | None, model: str, text: str, text_b: str | None
) -> Looked:
    tick(report, 0, 2, f"Loading {model}…")
    encoder = _encoder(store, model)
    tick(report, 1, 2, "Running the encoder…")
    result = attention(encoder, text, text_b)
    overviews = {
        hide: overview(result.attentions, token_list(result.tokens, hide), OVERVIEW_BINS)
        for hide in (False, True)
    }
    return Looked(result, _masks(store, result, text), overviews)


def _masks(store: str | None, result: Attention, text: str) -> Masks:
    from lab_app.core.models.store import open_store

    decoders = open_store(store).decoders()
    if not decoders:
        return Masks(result.tokens, bidirectional_mask(len(result.tokens)), None, (), None)
    entry = decoders[0]
    tokenizer = shared_plain_tokenizer(entry.file("tokenizer.json"))
    ids = tokenizer.encode(text).ids[:256]
    # Each token as text (byte-level BPE spells a space "Ġ"): the decoded piece, space shown as ·
    tokens = tuple(tokenizer.decode([i]).replace(" ", "·") or "?" for i in ids)
    return Masks(
        result.tokens,
        bidirectional_mask(len(result.tokens)),
        entry.name,
        tokens,
        causal_mask(len(tokens)),
    )


def positions_job(
    report: Progress, store: str | None, kind: str, model: str | None, length: int | None
) -> Positions:
    from lab_app.core.models.store import open_store

    tick(report, 0, 1, f"Reading {kind} positions…")
    return positions(open_store(store), kind, model, length)
