"""What the encoder attends to: every layer's and head's attention probabilities for a sentence
(or a sentence pair), from the store graph's ``attentions`` output, in the same run as its
hidden states. ``bert-lab attention`` and the Inside tab call :func:`attention`.

Layers are numbered 1…L (0 is the embedding output, which attends to nothing) and heads 1…H, as
the app numbers layers everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.encoder import Encoder

MAX_TOKENS = 512
OVERVIEW_BINS = 64  # the model view averages a longer input into this many bins a side


@dataclass(frozen=True, eq=False)
class Attention:
    model: str
    tokens: tuple[str, ...]
    token_types: tuple[int, ...]  # 0: sentence A (and [CLS]), 1: sentence B
    attentions: np.ndarray  # layers × heads × tokens (query) × tokens (key), rows sum to 1
    truncated: bool

    @property
    def layers(self) -> int:
        return int(self.attentions.shape[0])

    @property
    def heads(self) -> int:
        return int(self.attentions.shape[1])

    def check(self, layer: int | None, head: int | None) -> None:
        if layer is not None and not 1 <= layer <= self.layers:
            raise UserError(
                f"layer {layer} does not exist in {self.model}: choose 1 to {self.layers}"
            )
        if head is not None and not 1 <= head <= self.heads:
            raise UserError(f"head {head} does not exist in {self.model}: choose 1 to {self.heads}")

    def cut(self, layer: int | None = None, head: int | None = None) -> np.ndarray:
        """The probabilities, keeping the layers × heads × tokens × tokens nesting."""
        self.check(layer, head)
        a = self.attentions
        if layer is not None:
            a = a[layer - 1 : layer]
        if head is not None:
            a = a[:, head - 1 : head]
        return a

    def from_token(self, index: int, head: int | None = None) -> np.ndarray:
        """Layers × tokens: where token ``index`` looks, per layer (averaged over heads, or one)."""
        if not 0 <= index < len(self.tokens):
            raise UserError(f"token {index} does not exist: the input has {len(self.tokens)}")
        self.check(None, head)
        rows = self.attentions[:, :, index, :]
        return rows.mean(axis=1) if head is None else rows[:, head - 1]

    def to_json(self, layer: int | None = None, head: int | None = None) -> dict[str, object]:
        return {
            "model": self.model,
            "tokens": list(self.tokens),
            "attentions": np.round(self.cut(layer, head).astype(np.float64), 6).tolist(),
        }


def attention(encoder: Encoder, text: str, text_b: str | None = None) -> Attention:
    """Run one sentence (or an A/B pair) and keep its attention probabilities."""
    if not text.strip():
        raise UserError("type a sentence to see what the encoder attends to")
    if text_b is not None and not text_b.strip():
        raise UserError("sentence B is empty: type a second sentence, or leave the pair out")
    limit = min(MAX_TOKENS, encoder.max_positions)
    encoder.tokenizer.enable_truncation(max_length=limit)
    try:
        enc = encoder.tokenizer.encode(text, text_b, add_special_tokens=True)
    finally:
        encoder.tokenizer.no_truncation()
    batch = encoder.tokenize_encodings([enc])
    out = encoder.run(batch, ["attentions"])["attentions"]
    return Attention(
        encoder.name,
        tuple(enc.tokens),
        tuple(enc.type_ids),
        np.ascontiguousarray(out[:, 0]),
        bool(enc.overflowing),
    )


def causal_mask(n: int) -> np.ndarray:
    """A decoder's attention mask: token i sees tokens 0…i (GPT's and Llama's "constrained")."""
    return np.tril(np.ones((n, n), dtype=np.float32))


def bidirectional_mask(n: int) -> np.ndarray:
    """BERT's: every token sees every token of the input."""
    return np.ones((n, n), dtype=np.float32)


def token_list(tokens: Sequence[str], hide_special: bool) -> list[int]:
    """Indices of the tokens a view shows (hiding [CLS]/[SEP]-like specials on request)."""
    specials = {"[CLS]", "[SEP]", "<s>", "</s>"}
    return [i for i, t in enumerate(tokens) if not (hide_special and t in specials)]


@dataclass(frozen=True, eq=False)
class Overview:
    """Every layer × head as one image: a tile per head, a one-pixel gap between tiles. A long
    input's attention is averaged into at most ``most`` bins a side, so a tile stays small."""

    mosaic: np.ndarray  # float32, NaN in the gaps
    layers: int
    heads: int
    tile: int  # pixels from one tile's start to the next


def token_bins(n: int, most: int) -> np.ndarray:
    """Start index of each bin: one per token up to ``most`` tokens, else ``most`` even bins."""
    return np.arange(n) if n <= most else np.linspace(0, n, most + 1).astype(int)[:-1]


def overview(attentions: np.ndarray, shown: Sequence[int], most: int, gap: int = 1) -> Overview:
    """The model view's mosaic of the ``shown`` tokens (vectorised: 72 heads × 512² tokens take
    tens of milliseconds, so the Inside job builds it off the GUI thread)."""
    layers, heads = attentions.shape[:2]
    idx = np.asarray(shown, dtype=np.int64)
    bins = token_bins(len(idx), most)
    n, tile = len(bins), len(bins) + gap
    if len(idx) and np.array_equal(idx, np.arange(idx[0], idx[0] + len(idx))):
        sub = attentions[:, :, idx[0] : idx[0] + len(idx), idx[0] : idx[0] + len(idx)]
    else:
        sub = attentions[:, :, idx[:, None], idx]
    if n != len(idx):
        sizes = np.diff(np.append(bins, len(idx)))
        summed = np.add.reduceat(np.add.reduceat(sub, bins, axis=2), bins, axis=3)
        sub = summed / np.outer(sizes, sizes)
    grid = np.full((layers, tile, heads, tile), np.nan, np.float32)
    grid[:, :n, :, :n] = sub.transpose(0, 2, 1, 3)
    mosaic = grid.reshape(layers * tile, heads * tile)[: layers * tile - gap, : heads * tile - gap]
    return Overview(np.ascontiguousarray(mosaic), layers, heads, tile)
