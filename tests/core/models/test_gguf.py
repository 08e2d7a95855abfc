"""Reading GGUF: the block layouts handed to ONNX Runtime against the gguf library's dequantiser."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")

from lab_app.core.models.build.gguf_file import (  # noqa: E402
    GGUFError,
    concat_rows,
    q4_1_to_nbits,
    q8_0_to_nbits,
    read_gguf,
    split_8bit,
)


def _random_blocks(rng: np.random.Generator, n: int, k: int, kind: str) -> np.ndarray:
    """Random rows of GGUF blocks: float16 scales that are sane, random payload bytes."""
    per = {"q4_1": 20, "q8_0": 34}[kind]
    raw = rng.integers(0, 256, (n, k // 32, per), dtype=np.uint8)
    d = rng.uniform(-0.05, 0.05, (n, k // 32)).astype(np.float16)
    raw[:, :, 0:2] = d.view(np.uint8).reshape(n, k // 32, 2)
    if kind == "q4_1":
        m = rng.uniform(-0.5, 0.5, (n, k // 32)).astype(np.float16)
        m[0, 0] = 0.0
        d[0, 1] = 0.0  # a block whose weights all equal its offset
        raw[:, :, 0:2] = d.view(np.uint8).reshape(n, k // 32, 2)
        raw[:, :, 2:4] = m.view(np.uint8).reshape(n, k // 32, 2)
    return raw.reshape(n, -1)


@pytest.mark.parametrize(
    ("kind", "convert", "qtype"),
    [
        ("q4_1", q4_1_to_nbits, gguf.GGMLQuantizationType.Q4_1),
        ("q8_0", q8_0_to_nbits, gguf.GGMLQuantizationType.Q8_0),
    ],
)
def test_blocks_mean_what_the_gguf_library_says(kind: str, convert, qtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    n, k = 6, 96
    raw = _random_blocks(rng, n, k, kind)
    want = gguf.dequantize(raw, qtype).reshape(n, k)
    got = convert(raw, n, k).dequantize()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_fused_rows_dequantize_to_the_stacked_matrices() -> None:
    rng = np.random.default_rng(1)
    a = q4_1_to_nbits(_random_blocks(rng, 4, 64, "q4_1"), 4, 64)
    b = q4_1_to_nbits(_random_blocks(rng, 2, 64, "q4_1"), 2, 64)
    both = concat_rows([a, b])
    assert (both.n, both.k) == (6, 64)
    np.testing.assert_array_equal(both.dequantize(), np.vstack([a.dequantize(), b.dequantize()]))
    with pytest.raises(GGUFError):
        concat_rows([a, q8_0_to_nbits(_random_blocks(rng, 2, 64, "q8_0"), 2, 64)])


def test_an_8bit_matrix_splits_exactly_into_two_4bit_halves_over_a_doubled_input() -> None:
    rng = np.random.default_rng(2)
    n, k = 5, 96  # three blocks a half: one byte of zero points holds a high and a low block
    m = q8_0_to_nbits(_random_blocks(rng, n, k, "q8_0"), n, k)
    halves = split_8bit(m)
    assert (halves.bits, halves.n, halves.k) == (4, n, 2 * k)
    w = halves.dequantize()
    np.testing.assert_array_equal(w[:, :k] + w[:, k:], m.dequantize())  # exact, not close
    with pytest.raises(GGUFError):
        split_8bit(halves)


def test_onnx_runtime_reads_the_halves_zero_points_as_written() -> None:
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    n, k = 7, 96
    m = q8_0_to_nbits(_random_blocks(rng, n, k, "q8_0"), n, k)
    h = split_8bit(m)
    weights = {"w": h.blocks, "s": h.scales, "z": h.zero_points}
    node = helper.make_node(
        "MatMulNBits", ["xx", "w", "s", "z"], ["y"], domain="com.microsoft",
        K=h.k, N=n, bits=4, block_size=32, accuracy_level=0,
    )  # fmt: skip
    graph = helper.make_graph(
        [helper.make_node("Concat", ["x", "x"], ["xx"], axis=-1), node],
        "split",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, n])],
        [numpy_helper.from_array(v, name) for name, v in weights.items()],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = rng.standard_normal((3, k)).astype(np.float32)
    (got,) = session.run(None, {"x": x})
    np.testing.assert_allclose(got, x @ m.dequantize().T, rtol=0, atol=1e-5)


def test_a_file_that_is_not_gguf_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"not a gguf file at all" * 10)
    with pytest.raises(GGUFError, match="not a readable GGUF file"):
        read_gguf(bad)


def test_a_truncated_gguf_is_a_clear_error(smollm2_gguf: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.gguf"
    with smollm2_gguf.open("rb") as src:
        cut.write_bytes(src.read(5_000_000))
    with pytest.raises(GGUFError):
        read_gguf(cut)


def test_the_builtin_gguf_reads_as_the_assets_page_describes(smollm2_gguf: Path) -> None:
    model = read_gguf(smollm2_gguf)
    c = model.config
    assert (c.num_layers, c.hidden_size, c.intermediate_size) == (30, 576, 1536)
    assert (c.num_heads, c.num_kv_heads, c.head_dim) == (9, 3, 64)
    assert (c.rope_base, c.context_length, c.vocab_size) == (100_000.0, 8192, 49_152)
    assert c.tied_embeddings
    assert len(model.tensors) == 272
