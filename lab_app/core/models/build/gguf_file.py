"""Read a Llama-architecture GGUF file with the ``gguf`` library (llama.cpp's own reader).

What comes out is what the ONNX builder needs, in ONNX Runtime's layouts, without dequantising
to float where the graph can use the quantised blocks directly:

- ``Q4_1`` matrices (every attention and MLP weight) become ``MatMulNBits`` 4-bit blocks: GGUF's
  block of 32 is ``w = d·q + m`` with ``q`` in 0..15. ``MatMulNBits`` takes ``(q - z)·d`` with
  ``z = 0`` and the graph adds ``m`` times each block's sum of the input (a small float matrix):
  ``x·w = d·(x·q) + m·Σx``. Only the nibble order changes (GGUF keeps element ``j`` and ``j + 16``
  in one byte; ONNX Runtime keeps ``2i`` and ``2i + 1``), so the graph computes with the file's
  weights. (A float zero point ``-m/d`` says the same in one node, but ONNX Runtime 1.32 has no
  fast kernel for float zero points: 2-10 ms per matrix instead of 0.1.)
- ``Q8_0`` (the token embedding, also the output head) becomes 8-bit blocks,
  ``w = (u - 128)·d`` with ``u = q + 128``: again exact. The embedding is looked up from them in
  numpy; a matrix in the graph (the head) runs as two 4-bit halves (:func:`split_8bit`), since
  ONNX Runtime has no float32 kernel for 8-bit ``MatMulNBits``.
- ``F32`` tensors (the RMSNorm weights) stay as they are; other types are dequantised to float32
  with the library's own ``dequantize``.

Build time only (the run path reads ONNX, not GGUF).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lab_app.core.errors import UserError

BLOCK = 32


class GGUFError(UserError):
    """A GGUF file that cannot be read, or describes a model this lab cannot build."""


@dataclass(frozen=True)
class LlamaConfig:
    """A Llama decoder's shape, as the GGUF metadata states it."""

    num_layers: int
    hidden_size: int
    intermediate_size: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    rope_base: float
    rope_dim: int
    context_length: int
    vocab_size: int
    rms_eps: float
    tied_embeddings: bool
    family: str = "llama"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class QuantMatrix:
    """A ``[n, k]`` weight (``y = x @ W.T``) in ``MatMulNBits`` blocks of 32 along ``k``.

    ``w = (q - zero)·scale + min`` per block, where ``zero`` is the block's zero point when
    ``zero_points`` is given (4-bit, two a byte, as ONNX Runtime wants them) and the 8-bit
    default 128 when it is not.
    """

    bits: int
    n: int
    k: int
    blocks: np.ndarray  # uint8 [n, k / 32, 32 * bits / 8]
    scales: np.ndarray  # float32 [n * k / 32]
    zero_points: np.ndarray | None = None  # uint8 [n, ceil(k / 64)]: two 4-bit points a byte
    mins: np.ndarray | None = None  # float32 [n, k / 32]: Q4_1's per-block offset

    def dequantize(self) -> np.ndarray:
        """The float32 ``[n, k]`` matrix the blocks stand for (for tests and references)."""
        if self.bits == 4:
            q = np.stack(_nibbles(self.blocks), axis=-1).reshape(self.n, -1, BLOCK)
        else:
            q = self.blocks.reshape(self.n, -1, BLOCK)
        zero: float | np.ndarray = 128.0
        if self.zero_points is not None:
            blocks = q.shape[1]
            zero = np.stack(_nibbles(self.zero_points), axis=-1).reshape(self.n, -1)[:, :blocks]
            zero = zero.astype(np.float32)[:, :, None]
        w = (q.astype(np.float32) - zero) * self.scales.reshape(self.n, -1, 1)
        if self.mins is not None:
            w = w + self.mins[:, :, None]
        return w.reshape(self.n, self.k).astype(np.float32)


def concat_rows(matrices: list[QuantMatrix]) -> QuantMatrix:
    """Matrices with the same input stacked along their outputs (one node instead of several)."""
    first = matrices[0]
    if len(matrices) == 1:
        return first
    if any(m.bits != first.bits or m.k != first.k for m in matrices):
        raise GGUFError("only matrices of one type and input size can be fused")

    def cat(arrays: list[np.ndarray | None]) -> np.ndarray | None:
        present = [a for a in arrays if a is not None]
        if not present:
            return None
        if len(present) != len(arrays):
            raise GGUFError("only matrices of one type can be fused")
        return np.concatenate(present, axis=0)

    zero = cat([m.zero_points for m in matrices])
    mins = cat([m.mins for m in matrices])
    blocks = np.concatenate([m.blocks for m in matrices], axis=0)
    scales = np.concatenate([m.scales for m in matrices], axis=0)
    return QuantMatrix(first.bits, sum(m.n for m in matrices), first.k, blocks, scales, zero, mins)


def _nibbles(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) 4-bit halves of each byte: elements 2i and 2i + 1."""
    return packed & 0x0F, packed >> 4


def _pack_nibbles(q: np.ndarray) -> np.ndarray:
    """Pairs of 4-bit values along the last axis (even length) into bytes, low nibble first."""
    return (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)


def split_8bit(m: QuantMatrix) -> QuantMatrix:
    """An 8-bit matrix as a 4-bit one over a doubled input: ``x @ W.T == [x, x] @ S.T``.

    Each byte ``u = 16·hi + lo``, so ``(u - 128)·s = (hi - 8)·16s + (lo - 0)·s``: the first
    ``k`` inputs meet the high nibbles (scale ``16s``, zero point 8), the second ``k`` the low
    ones (scale ``s``, zero point 0). Exact in real arithmetic (``16s`` is ``s`` with
    its exponent raised); only the order of the float32 sums differs. ONNX Runtime (1.32) has a
    float32 kernel for 4-bit ``MatMulNBits`` and none for 8-bit: SmolLM2's 49,152-row head took
    211 ms a token as 8 bits, 2.9 ms split so, and 4.1 ms in numpy from a float32 copy.
    """
    if m.bits != 8 or m.mins is not None or m.zero_points is not None:
        raise GGUFError("only 8-bit blocks centred on 128 split into two 4-bit halves")
    u = m.blocks.reshape(m.n, -1, BLOCK)
    count = u.shape[1]
    low, high = _nibbles(u)
    blocks = np.concatenate([_pack_nibbles(high), _pack_nibbles(low)], axis=1)
    s = m.scales.reshape(m.n, count)
    scales = np.concatenate([s * 16.0, s], axis=1).astype(np.float32).reshape(-1)
    points = np.zeros((m.n, 2 * count), dtype=np.uint8)
    points[:, :count] = 8
    return QuantMatrix(4, m.n, 2 * m.k, blocks, scales, _pack_nibbles(points))


def _fp16(raw: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(raw).view(np.float16).astype(np.float32)


def q4_1_to_nbits(data: np.ndarray, n: int, k: int) -> QuantMatrix:
    """GGUF ``Q4_1`` rows (20 bytes per block: d, m as float16, 16 bytes of nibbles)."""
    blocks = np.ascontiguousarray(data, dtype=np.uint8).reshape(n, k // BLOCK, 20)
    d = _fp16(blocks[:, :, 0:2]).reshape(n, -1)
    m = _fp16(blocks[:, :, 2:4]).reshape(n, -1)
    qs = blocks[:, :, 4:]
    q = np.concatenate(_nibbles(qs), axis=-1)  # element order 0..31
    packed = _pack_nibbles(q)
    zero = np.zeros((n, (k // BLOCK + 1) // 2), dtype=np.uint8)  # two 4-bit zero points a byte
    return QuantMatrix(4, n, k, packed, d.reshape(-1), zero, m.astype(np.float32))


def q8_0_to_nbits(data: np.ndarray, n: int, k: int) -> QuantMatrix:
    """GGUF ``Q8_0`` rows (34 bytes per block: d as float16, then 32 signed bytes)."""
    blocks = np.ascontiguousarray(data, dtype=np.uint8).reshape(n, k // BLOCK, 34)
    d = _fp16(blocks[:, :, 0:2]).reshape(-1)
    q = blocks[:, :, 2:].view(np.int8).astype(np.int16)
    return QuantMatrix(8, n, k, (q + 128).astype(np.uint8), d)


@dataclass
class GGUFModel:
    """What a Llama GGUF file holds: config, tokenizer metadata, and its tensors by name."""

    config: LlamaConfig
    metadata: dict[str, Any]
    tensors: dict[str, Any]  # gguf ReaderTensor, by name

    def has(self, name: str) -> bool:
        return name in self.tensors

    def parameter_count(self) -> int:
        """Weights in the file, counted element by element."""
        return int(sum(int(t.n_elements) for t in self.tensors.values()))

    def float_tensor(self, name: str) -> np.ndarray:
        from gguf import GGMLQuantizationType, dequantize

        t = self._tensor(name)
        if t.tensor_type == GGMLQuantizationType.F32:
            return np.asarray(t.data, dtype=np.float32).copy()
        return np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32)

    def matrix(self, name: str) -> QuantMatrix:
        """A linear weight in ``MatMulNBits`` blocks (4-bit for Q4_1, 8-bit for Q8_0)."""
        from gguf import GGMLQuantizationType, dequantize

        t = self._tensor(name)
        k, n = (int(x) for x in t.shape)  # GGUF lists the fastest-varying dimension first
        if t.tensor_type == GGMLQuantizationType.Q4_1:
            return q4_1_to_nbits(t.data, n, k)
        if t.tensor_type == GGMLQuantizationType.Q8_0:
            return q8_0_to_nbits(t.data, n, k)
        # Anything else: dequantise and requantise to 8 bits per block of 32, symmetric.
        w = np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(n, k)
        return quantize_8bit(w)

    def _tensor(self, name: str) -> Any:
        if name not in self.tensors:
            raise GGUFError(f"the GGUF file has no tensor {name}")
        return self.tensors[name]


def quantize_8bit(w: np.ndarray) -> QuantMatrix:
    """Symmetric 8-bit blocks of 32 (as Q8_0 does) for a float ``[n, k]`` matrix."""
    n, k = w.shape
    blocks = w.reshape(n, k // BLOCK, BLOCK)
    d = np.abs(blocks).max(axis=-1) / 127.0
    safe = np.where(d == 0, 1.0, d)
    q = np.clip(np.rint(blocks / safe[:, :, None]), -127, 127).astype(np.int16)
    return QuantMatrix(8, n, k, (q + 128).astype(np.uint8), d.astype(np.float32).reshape(-1))


def _field(reader: Any, key: str, default: Any = None) -> Any:
    field = reader.fields.get(key)
    if field is None:
        return default
    return field.contents()


def read_gguf(path: Path) -> GGUFModel:
    """Open a GGUF file; a damaged file or another architecture is a :class:`GGUFError`."""
    try:
        from gguf import GGUFReader
    except ImportError as exc:  # pragma: no cover - gguf is a dependency
        raise GGUFError("the `gguf` package is needed to read GGUF files") from exc
    try:
        reader = GGUFReader(str(path))
    except Exception as exc:  # the reader raises ValueError, struct errors, IndexError, ...
        raise GGUFError(f"{path.name} is not a readable GGUF file ({exc})") from exc
    arch = _field(reader, "general.architecture")
    if arch != "llama":
        raise GGUFError(f"{path.name} is a {arch!r} model; only the llama architecture is built")
    metadata = {k: _field(reader, k) for k in reader.fields if not k.startswith("GGUF.")}
    tensors = {t.name: t for t in reader.tensors}
    config = _config(metadata, tensors, path)
    return GGUFModel(config, metadata, tensors)


def _config(meta: dict[str, Any], tensors: dict[str, Any], path: Path) -> LlamaConfig:
    def need(key: str) -> Any:
        if meta.get(key) is None:
            raise GGUFError(f"{path.name} lacks the metadata {key}")
        return meta[key]

    hidden = int(need("llama.embedding_length"))
    heads = int(need("llama.attention.head_count"))
    vocab = meta.get("llama.vocab_size") or len(need("tokenizer.ggml.tokens"))
    config = LlamaConfig(
        num_layers=int(need("llama.block_count")),
        hidden_size=hidden,
        intermediate_size=int(need("llama.feed_forward_length")),
        num_heads=heads,
        num_kv_heads=int(meta.get("llama.attention.head_count_kv") or heads),
        head_dim=hidden // heads,
        rope_base=float(meta.get("llama.rope.freq_base") or 10000.0),
        rope_dim=int(meta.get("llama.rope.dimension_count") or hidden // heads),
        context_length=int(need("llama.context_length")),
        vocab_size=int(vocab),
        rms_eps=float(need("llama.attention.layer_norm_rms_epsilon")),
        tied_embeddings="output.weight" not in tensors,
    )
    if config.rope_dim != config.head_dim:
        raise GGUFError(f"{path.name}: partial rotary embeddings are not supported")
    if hidden % BLOCK or config.intermediate_size % BLOCK:
        raise GGUFError(f"{path.name}: sizes must be multiples of {BLOCK}")
    expected = 2 + 9 * config.num_layers + (0 if config.tied_embeddings else 1)
    if len(tensors) < expected:
        raise GGUFError(
            f"{path.name} holds {len(tensors)} tensors, fewer than a {config.num_layers}-layer "
            "Llama needs: the file is truncated or damaged"
        )
    return config
