"""Three ways to tell a transformer where a token is (the lecture's positional embeddings):

- **sinusoidal** (Vaswani et al., 2017): PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(…),
  fixed, for any length and dimension;
- **learned** (BERT): a trained table of one vector per position, read from the model's weights;
  BERT trained 90% of its steps at length 128 and the rest at 512, so the rows past 128 saw far
  less training (the lecture's pre-training slide);
- **rotary** (RoPE, LLaMA): each pair of dimensions of a query and key is rotated by the angle
  p·θ_i, θ_i = base^(-2i/d); the table shows cos and sin of those angles for the decoder's head
  size and base, and the dot product of two positions' rotations depends only on their distance.

Each table is positions × dimensions, with a position-to-position cosine similarity.
``bert-lab positions`` and the Inside tab call :func:`positions`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.store import ModelStore

KINDS = ("sinusoidal", "learned", "rope")
MAX_LENGTH = 4096
NOTES = {
    "sinusoidal": "Fixed, not trained: each dimension pair is a sine and cosine of a different "
    "wavelength, so any length works and nearby positions look alike.",
    "learned": "One trained vector per position. BERT was trained at length 128 for 90% of its "
    "steps and 512 for the rest, so the later rows saw less training.",
    "rope": "Rotary: queries and keys are rotated by position-dependent angles; the similarity "
    "of two positions depends only on their distance (a Toeplitz pattern).",
}


@dataclass(frozen=True, eq=False)
class Positions:
    kind: str
    model: str | None
    table: np.ndarray  # positions × dimensions
    note: str

    @property
    def similarity(self) -> np.ndarray:
        """Cosine similarity of every pair of positions."""
        norms = np.linalg.norm(self.table, axis=1, keepdims=True)
        unit = self.table / np.clip(norms, 1e-12, None)
        return np.asarray(unit @ unit.T, dtype=np.float32)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "model": self.model,
            "table": np.round(self.table.astype(np.float64), 6).tolist(),
        }


def sinusoidal(length: int, dim: int, base: float = 10000.0) -> np.ndarray:
    pos = np.arange(length, dtype=np.float64)[:, None]
    i = np.arange(0, dim, 2, dtype=np.float64)[None, :]
    angle = pos / base ** (i / dim)
    table = np.zeros((length, dim), dtype=np.float64)
    table[:, 0::2] = np.sin(angle)
    table[:, 1::2] = np.cos(angle)[:, : dim // 2]
    return table.astype(np.float32)


def rope(length: int, head_dim: int, base: float) -> np.ndarray:
    """cos(p·θ_i) in the even columns and sin(p·θ_i) in the odd ones, θ_i = base^(-2i/d)."""
    theta = base ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    angle = np.arange(length, dtype=np.float64)[:, None] * theta[None, :]
    table = np.empty((length, head_dim), dtype=np.float64)
    table[:, 0::2] = np.cos(angle)
    table[:, 1::2] = np.sin(angle)
    return table.astype(np.float32)


def learned(store: ModelStore, model: str) -> np.ndarray:
    """The model's position-embedding table (rows past RoBERTa's offset)."""
    import onnx
    from onnx import numpy_helper

    from lab_app.core.models.encoder import loading

    entry = store.model(model)
    if entry.manifest.is_decoder:
        raise UserError(f"{model} is a decoder with rotary positions: choose --kind rope")
    with loading(entry):
        graph = onnx.load(str(entry.file("model.onnx"))).graph
    for t in graph.initializer:
        if t.name == "embeddings.position_embeddings.weight":
            offset = int((entry.manifest.extra.get("config") or {}).get("position_offset", 0))
            return np.asarray(numpy_helper.to_array(t), dtype=np.float32)[offset:]
    raise UserError(f"{model} keeps no position-embedding table under BERT's name")


def positions(
    store: ModelStore, kind: str, model: str | None = None, length: int | None = None
) -> Positions:
    if kind not in KINDS:
        raise UserError(f"unknown kind '{kind}'; choose {', '.join(KINDS)}")
    if length is not None and not 1 <= length <= MAX_LENGTH:
        raise UserError(f"choose a length from 1 to {MAX_LENGTH}, not {length}")
    if kind == "sinusoidal":
        dim = 384
        if model:
            dim = int(store.model(model).manifest.hidden_size or dim)
        return Positions(kind, model, sinusoidal(length or 128, dim), NOTES[kind])
    if kind == "learned":
        name = model or default_model(store, decoder=False)
        table = learned(store, name)
        if length is not None and length > len(table):
            raise UserError(f"{name} has {len(table)} learned positions, not {length}")
        return Positions(kind, name, table[: length or len(table)], NOTES[kind])
    name = model or default_model(store, decoder=True)
    extra = store.model(name).manifest.extra
    if "rope_base" not in extra:
        raise UserError(f"{name} has no rotary positions (no RoPE base in its manifest)")
    table = rope(length or 256, int(extra["head_dim"]), float(extra["rope_base"]))
    return Positions(kind, name, table, NOTES[kind])


def default_model(store: ModelStore, decoder: bool) -> str:
    """bert-lab-mlm (or the first encoder), or the first decoder."""
    entries = store.decoders() if decoder else store.encoders()
    if not entries:
        noun = "decoder" if decoder else "BERT-family model"
        raise UserError(f"the store has no {noun} yet: run `bert-lab models build`")
    names = [e.name for e in entries]
    return "bert-lab-mlm" if "bert-lab-mlm" in names else names[0]
