"""Write a Llama decoder as an ONNX graph for ONNX Runtime, straight from a GGUF file.

The graph, per block: RMSNorm → Q, K, V projections (one fused matrix) → grouped-query attention
with rotary positions and a causal mask (ONNX Runtime's fused ``GroupQueryAttention``, which also
appends the new keys and values to the cache) → output projection → residual → RMSNorm → SwiGLU
MLP (``down(silu(gate(x)) · up(x))``, gate and up fused) → residual; after the last block, the
final RMSNorm and the output head at the positions asked for.

Contract (the manifest's ``extra`` records the shape)::

    inputs   inputs_embeds [batch, sequence, hidden] float32
             attention_mask [batch, total_sequence] int64  (past + new positions: ones, then
                            zeros for the right padding of a row shorter than the batch's longest)
             logit_positions [positions] int64  which new positions to return (-1: the last)
             past_key_values.{i}.key / .value [batch, kv_heads, past_sequence, head_dim] float32
    outputs  logits [batch, positions, vocab]  the head's output there
             present.{i}.key / .value [batch, kv_heads, total_sequence, head_dim]

The token embedding lives beside the graph in the GGUF's Q8_0 blocks (``embedding.npy``); the
:class:`~lab_app.core.models.decoder.Decoder` looks tokens up there in numpy. The output head
(the same matrix when the file ties them, as SmolLM2's does) is in the graph, its 8-bit blocks
split into two 4-bit halves over a doubled input (:func:`~gguf_file.split_8bit`), which is exact.
Measured alternatives, on two AVX2 cores, a token after a 189-token prompt:

- the head as 8-bit ``MatMulNBits``: ONNX Runtime 1.32 has a float32 kernel for 4-bit blocks
  but not for 8-bit ones, so 211 ms a token at accuracy level 0; at level 4 (int8 activations)
  2.5 ms, but logits off by up to 0.4 and probabilities by up to 0.02;
- the head dequantised inside the graph and folded by ONNX Runtime at session start: exact, but
  the folding's temporaries peak at 860 MB while the session loads;
- the head dequantised once to float32 in numpy (what was done before): exact, 113 MB more
  memory, 0.1-0.25 s to make at every start and 4.1 ms a token on two BLAS threads;
- the head split into 4-bit halves in the graph (what is done): 2.9 ms a token alone, about
  1 ms a token less over a whole step, and ONNX Runtime's worker threads may spin between nodes
  (a command's choice, see ``session_options``) without a numpy head fighting them for the
  cores: 15 ms a token against 18.

ONNX Runtime runs every node of a graph whatever outputs are asked for, so the positions that need
logits are an input: a generation step asks for the last one and never multiplies the whole prompt
by the 49,152-row head; scoring a continuation asks for the positions it covers.

The matrices stay in the GGUF's Q4_1 blocks (``MatMulNBits``, see :mod:`gguf_file`) at accuracy
level 0: the 4-bit blocks dequantised and multiplied in float32, the file's weights exactly
(logits within 3e-4 of transformers). Level 4 (int8 activations) is 1.5x faster per token but
puts logits off by up to 3 and probabilities by up to 0.16: not for a lab that shows them.

Rows of different lengths run as one batch, after a shared cache too: each row's count of new
tokens (the mask's ones less the cache's length) goes to the attention as ``query_seqlens``, so
its padding is neither attended to nor appended to the cache, and each row's logits are those of
the row run alone (within 3e-5). Without that input ONNX Runtime's ``GroupQueryAttention`` (1.32)
takes several new tokens after a cache only in a batch of one, and the prompting lab's shots
experiment ran one pass per item: 405 for ``bert-lab shots antonyms``, now about 5x faster batched
(``benchmarks/shots_bench.py``). Measured alternative, on two cores with a draw's items in one
pass: the rows packed into one sequence of a batch of one, ``position_ids`` restarting at the
cache's length for each row and a block-diagonal ``attention_bias``. It pads nothing and copies
no cache, so it took about 12% less CPU time (antonyms 7.5 s against 8.9 s, sentiment 21 s
against 23.5 s), but it needs two more graph inputs that generation must feed too, works only
after a cache (a first prompt reads only the first position id) and puts logits 1.3e-4 off.

GGUF stores Q and K rows permuted so that each rotary pair is two adjacent dimensions (llama.cpp's
"normal" RoPE); the graph therefore uses interleaved rotary on the file's weights as they are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from lab_app.core.models.build.gguf_file import (
    GGUFError,
    GGUFModel,
    LlamaConfig,
    QuantMatrix,
    concat_rows,
    split_8bit,
)
from lab_app.core.models.build.onnx_graph import MS_DOMAIN, GraphBuilder

OPSET = 17
OUTPUTS = ["logits"]
ACCURACY_LEVEL = 0


def cache_names(layer: int) -> tuple[str, str, str, str]:
    """(past key, past value, present key, present value) names of one layer's cache."""
    return (
        f"past_key_values.{layer}.key",
        f"past_key_values.{layer}.value",
        f"present.{layer}.key",
        f"present.{layer}.value",
    )


def rope_tables(config: LlamaConfig) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of ``position · base^(-2i/d)``: [context, head_dim / 2] each."""
    half = config.head_dim // 2
    inv_freq = config.rope_base ** (-np.arange(half, dtype=np.float64) * 2.0 / config.head_dim)
    angles = np.outer(np.arange(config.context_length, dtype=np.float64), inv_freq)
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)


class _Builder:
    def __init__(self, model: GGUFModel, accuracy_level: int) -> None:
        self.g = GraphBuilder()
        self.model = model
        self.c = model.config
        self.accuracy_level = accuracy_level
        self._block_sums: dict[str, str] = {}

    def linear(self, x: str, names: list[str], fused: str = "", out: str = "") -> str:
        """``x @ W.T`` for GGUF matrices that share an input, as one node (their outputs side by
        side, in ``names`` order), with Q4_1's per-block offsets added back; 8-bit matrices run
        as 4-bit ones over ``[x, x]`` (:func:`split_8bit`). ``out`` names the result."""
        m = concat_rows([self.model.matrix(n) for n in names])
        if m.bits == 8:
            m = split_8bit(m)
            x = self.g.op("Concat", [x, x], axis=-1)
        name = fused or names[0]
        g = self.g
        inputs = [x, g.weight(name, m.blocks), g.weight(name + ".scales", m.scales)]
        if m.zero_points is not None:
            inputs.append(g.weight(name + ".zero_points", m.zero_points))
        if m.mins is None:
            return self.nbits(inputs, m, out)
        y = self.nbits(inputs, m)
        offsets = g.weight(name + ".mins", np.ascontiguousarray(m.mins.T))  # [k/32, n]
        return g.op("Add", [y, g.op("MatMul", [self.block_sums(x, m.k), offsets])], out)

    def block_sums(self, x: str, k: int) -> str:
        """Σx over each block of 32 inputs: [.., k] → [.., k/32] (shared by Q, K and V)."""
        if x not in self._block_sums:
            g = self.g
            split = g.op("Reshape", [x, g.const([0, 0, k // 32, 32], np.int64)])
            self._block_sums[x] = g.op("ReduceSum", [split, g.const([-1], np.int64)], keepdims=0)
        return self._block_sums[x]

    def nbits(self, inputs: list[str], m: QuantMatrix, out: str = "") -> str:
        return self.g.op_multi(
            "MatMulNBits",
            inputs,
            [out],
            MS_DOMAIN,
            K=m.k,
            N=m.n,
            bits=m.bits,
            block_size=32,
            accuracy_level=self.accuracy_level,
        )[0]

    def rms_norm(self, x: str, name: str) -> str:
        w = self.g.weight(name, self.model.float_tensor(name))
        return self.g.op("SimplifiedLayerNormalization", [x, w], axis=-1, epsilon=self.c.rms_eps)

    def skip_rms_norm(self, x: str, skip: str, name: str) -> tuple[str, str]:
        """(RMSNorm(x + skip), x + skip) in one fused node."""
        w = self.g.weight(name, self.model.float_tensor(name))
        out = self.g.op_multi(
            "SkipSimplifiedLayerNormalization",
            [x, skip, w],
            ["", "", "", ""],
            MS_DOMAIN,
            epsilon=self.c.rms_eps,
        )
        return out[0], out[3]

    def attention_inputs(self) -> tuple[str, str, str, str, str]:
        """(seqlens_k, total_sequence_length, cos, sin, query_seqlens), shared by every layer."""
        g = self.g
        summed = g.op("ReduceSum", ["attention_mask", g.const([1], np.int64)], keepdims=0)
        last = g.op("Sub", [summed, g.const(1, np.int64)])
        seqlens_k = g.op("Cast", [last], to=TensorProto.INT32)
        total = g.op("Gather", [g.op("Shape", ["attention_mask"]), g.const(1, np.int64)])
        total_len = g.op("Cast", [total], to=TensorProto.INT32)
        past = g.op("Shape", [cache_names(0)[0]], start=2, end=3)  # the cache's length, [1]
        new_tokens = g.op("Cast", [g.op("Sub", [summed, past])], to=TensorProto.INT32)
        cos, sin = rope_tables(self.c)
        cos_name, sin_name = g.weight("rope.cos", cos), g.weight("rope.sin", sin)
        return seqlens_k, total_len, cos_name, sin_name, new_tokens


def _block(
    b: _Builder, i: int, normed: str, residual: str, attn: tuple[str, ...]
) -> tuple[str, str]:
    g, c = b.g, b.c
    p = f"blk.{i}."
    qkv_names = [p + "attn_q.weight", p + "attn_k.weight", p + "attn_v.weight"]
    qkv = b.linear(normed, qkv_names, p + "attn_qkv.weight")  # packed, as the fused op takes it
    past_k, past_v, present_k, present_v = cache_names(i)
    seqlens_k, total_len, cos, sin, query_seqlens = attn
    unused = [""] * 7  # position_ids … k_norm_weight: the optional inputs before query_seqlens
    out, _, _ = g.op_multi(
        "GroupQueryAttention",
        [qkv, "", "", past_k, past_v, seqlens_k, total_len, cos, sin, *unused, query_seqlens],
        ["", present_k, present_v],
        MS_DOMAIN,
        num_heads=c.num_heads,
        kv_num_heads=c.num_kv_heads,
        do_rotary=1,
        rotary_interleaved=1,
    )
    projected = b.linear(out, [p + "attn_output.weight"])
    normed2, residual2 = b.skip_rms_norm(projected, residual, p + "ffn_norm.weight")
    both = b.linear(normed2, [p + "ffn_gate.weight", p + "ffn_up.weight"], p + "ffn_gate_up.weight")
    halves = g.const([c.intermediate_size] * 2, np.int64)
    gate, up = g.op_multi("Split", [both, halves], ["", ""], "", axis=-1)
    silu = g.op("Mul", [gate, g.op("Sigmoid", [gate])])
    return b.linear(g.op("Mul", [silu, up]), [p + "ffn_down.weight"]), residual2


def build_llama_onnx(model: GGUFModel, *, accuracy_level: int = ACCURACY_LEVEL) -> onnx.ModelProto:
    """The decoder graph for a Llama GGUF file (see the module docstring for its contract)."""
    b = _Builder(model, accuracy_level)
    g, c = b.g, b.c
    hidden = "inputs_embeds"
    attn = b.attention_inputs()
    normed = b.rms_norm(hidden, "blk.0.attn_norm.weight")
    residual = hidden
    for i in range(c.num_layers):
        mlp_out, residual = _block(b, i, normed, residual, attn)
        last = i + 1 == c.num_layers
        norm_name = "output_norm.weight" if last else f"blk.{i + 1}.attn_norm.weight"
        normed, residual = b.skip_rms_norm(mlp_out, residual, norm_name)
    hidden = g.op("Gather", [normed, "logit_positions"], axis=1)
    head = "token_embd.weight" if c.tied_embeddings else "output.weight"
    b.linear(hidden, [head], out="logits")
    return _finish(g, c)


GRAPH_FILES = ("model.onnx", "model.onnx.data")


def save_decoder_graph(model: onnx.ModelProto, folder: Path) -> list[str]:
    """Write the graph as ``model.onnx`` with its weights in ``model.onnx.data`` beside it; the
    names of the two files. ONNX Runtime maps a data file instead of copying the weights out of
    the parsed graph: SmolLM2's session starts in 0.17 s against 0.30 s from one 120 MB file
    (two cores), with the same time per token."""
    graph, data = GRAPH_FILES
    onnx.save_model(
        model,
        str(folder / graph),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=data,
        size_threshold=1024,
    )
    (folder / data).chmod((folder / graph).stat().st_mode & 0o777)  # onnx writes it 0600
    return list(GRAPH_FILES)


def embedding_table(model: GGUFModel) -> QuantMatrix:
    """The 8-bit embedding table that sits beside the graph (looked up in numpy)."""
    table = model.matrix("token_embd.weight")
    if table.bits != 8 or table.mins is not None:
        raise GGUFError("the embedding table must be 8-bit (Q8_0) or float")
    return table


def _finish(g: GraphBuilder, c: LlamaConfig) -> onnx.ModelProto:
    cache_dims: list[str | int] = ["batch", c.num_kv_heads, "past_sequence", c.head_dim]
    present_dims: list[str | int] = ["batch", c.num_kv_heads, "total_sequence", c.head_dim]
    inputs = [
        helper.make_tensor_value_info(
            "inputs_embeds", TensorProto.FLOAT, ["batch", "sequence", c.hidden_size]
        ),
        helper.make_tensor_value_info(
            "attention_mask", TensorProto.INT64, ["batch", "total_sequence"]
        ),
        helper.make_tensor_value_info("logit_positions", TensorProto.INT64, ["positions"]),
    ]
    outputs = [
        helper.make_tensor_value_info(
            "logits", TensorProto.FLOAT, ["batch", "positions", c.vocab_size]
        ),
    ]
    for i in range(c.num_layers):
        past_k, past_v, present_k, present_v = cache_names(i)
        for name in (past_k, past_v):
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, cache_dims))
        for name in (present_k, present_v):
            outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, present_dims))
    graph = helper.make_graph(g.nodes, "llama", inputs, outputs, g.initializers)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        producer_name="bert-lab",
    )
    model.ir_version = 8
    return model
