"""Write a BERT-family encoder as an ONNX graph straight from numpy weights, without PyTorch.

The graph has one output contract for every model (README, "The model store"):
``last_hidden_state``, ``hidden_states`` (embedding output = index 0), ``pooler_output`` when the
checkpoint has a pooler and ``logits`` when it has a masked-LM head. Every weight is an initializer
named by its canonical name, so a lab can perturb one in memory and rebuild a session. The node
pattern follows what PyTorch's exporter emits for BERT so that ONNX Runtime's online optimiser
fuses LayerNorm, SkipLayerNorm, GELU (BiasGelu) and MatMul+Add. Its online attention fusion matches
only opset-11 graphs with a -10000 mask, so attention stays as MatMul/Softmax; the offline
``onnxruntime.transformers`` optimiser can fuse it if a store ever wants that.

RoBERTa positions are computed as transformers does, from ``input_ids != pad_token_id`` with a
cumulative sum, so left padding and pad ids in the middle behave exactly as in transformers (the
attention mask plays no part in positions, there as here).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from lab_app.core.models.bert_config import (
    ATTENTIONS_FLAG,
    LINEAR_LAYOUT,
    METADATA_CONFIG,
    METADATA_LAYOUT,
    EncoderConfig,
)
from lab_app.core.models.bert_layout import has_mlm_head, has_pooler, is_linear_weight
from lab_app.core.models.build.bert_weights import check_canonical
from lab_app.core.models.build.onnx_graph import GraphBuilder as _Graph

OPSET = 17
METADATA_OUTPUTS = "bert_lab.outputs"
# transformers fills masked attention scores with the float32 minimum; doing the same keeps
# parity even for rows whose scores are large.
MASK_FILL = float(np.finfo(np.float32).min)


def output_names(weights: Mapping[str, object]) -> list[str]:
    """Graph outputs a model with these canonical weights provides, in graph order."""
    names = ["last_hidden_state", "hidden_states", "attentions"]
    if has_pooler(weights):
        names.append("pooler_output")
    if has_mlm_head(weights):
        names.append("logits")
    return names


def input_names(config: EncoderConfig) -> list[str]:
    """Graph inputs; DistilBERT (no token types) takes no ``token_type_ids``."""
    names = ["input_ids", "attention_mask"]
    if config.type_vocab_size > 0:
        names.append("token_type_ids")
    return names


def build_encoder_onnx(config: EncoderConfig, weights: Mapping[str, np.ndarray]) -> onnx.ModelProto:
    """Build the encoder graph; Linear weights are transposed to [in, out] at build time."""
    check_canonical(config, weights)
    g = _Graph()
    w: dict[str, str] = {}
    for name, array in weights.items():
        stored = np.asarray(array, dtype=np.float32)
        w[name] = g.weight(name, stored.T if is_linear_weight(name) else stored)

    mask = _extended_mask(g)
    hidden = _embeddings(g, config, w)
    layers, probs = [hidden], []
    for i in range(config.num_layers):
        hidden, p = _layer(g, config, w, f"encoder.layer.{i}.", hidden, mask)
        layers.append(hidden)
        probs.append(p)

    h = config.hidden_size
    batch_seq = ["batch", "sequence"]
    outputs = [_output("last_hidden_state", [*batch_seq, h])]
    g.op("Identity", [hidden], name="last_hidden_state")
    g.op(
        "Concat",
        [g.op("Unsqueeze", [t, g.const([0], np.int64)]) for t in layers],
        name="hidden_states",
        axis=0,
    )
    outputs.append(_output("hidden_states", [config.num_layers + 1, *batch_seq, h]))
    _attentions(g, probs)
    outputs.append(
        # Symbolic dims: the else branch's empty tensor must match them too.
        _output("attentions", ["layers", "batch", "heads", "query", "key"])
    )
    if has_pooler(weights):
        first = g.op("Gather", [hidden, g.const(0, np.int64)], axis=1)
        g.op("Tanh", [_linear(g, w, "pooler.dense", first)], name="pooler_output")
        outputs.append(_output("pooler_output", ["batch", h]))
    if has_mlm_head(weights):
        _mlm_head(g, config, w)
        outputs.append(_output("logits", [*batch_seq, config.vocab_size]))

    graph = helper.make_graph(
        g.nodes,
        f"{config.family}_encoder",
        [
            helper.make_tensor_value_info(name, TensorProto.INT64, batch_seq)
            for name in input_names(config)
        ]
        + [helper.make_tensor_value_info(ATTENTIONS_FLAG, TensorProto.BOOL, [])],
        outputs,
        # An initializer that is also an input is the input's default: False unless fed.
        initializer=[
            *g.initializers,
            helper.make_tensor(ATTENTIONS_FLAG, TensorProto.BOOL, [], [False]),
        ],
        doc_string=f"Linear weights are stored {LINEAR_LAYOUT} (transposed from PyTorch).",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="bert-lab",
        doc_string=f"{config.family} encoder built by BERT Lab from safetensors weights",
    )
    # IR 8 is the lowest that carries opset 17, so older ONNX Runtime builds can still load it.
    model.ir_version = 8
    helper.set_model_props(
        model,
        {
            METADATA_CONFIG: config.to_json(),
            METADATA_LAYOUT: LINEAR_LAYOUT,
            METADATA_OUTPUTS: json.dumps(output_names(weights)),
        },
    )
    return model


def save_onnx(model: onnx.ModelProto, path: Path) -> None:
    """Write the model as one file; BERT Lab's models stay far below protobuf's 2 GB limit."""
    onnx.save(model, str(path))


def _output(name: str, dims: list[str | int]) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def _attentions(g: _Graph, probs: list[str]) -> None:
    """``attentions`` (layers × batch × heads × query × key), the softmax of every layer, stacked
    only when the ``output_attentions`` input is True: an ``If`` keeps the stacking (a copy of
    every probability) out of the runs that do not ask for it, and the else branch is an empty
    tensor. The probabilities themselves are computed in every run anyway."""
    stack = _Graph(prefix="attn_then_")
    stacked = stack.op(
        "Concat",
        [stack.op("Unsqueeze", [p, stack.const([0], np.int64)]) for p in probs],
        axis=0,
    )
    empty = _Graph(prefix="attn_else_")
    none = empty.const(np.zeros((0, 0, 0, 0, 0), dtype=np.float32))
    branch = {}
    for key, sub, out in (("then_branch", stack, stacked), ("else_branch", empty, none)):
        branch[key] = helper.make_graph(
            sub.nodes, key, [], [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)]
        )
    g.op("If", [ATTENTIONS_FLAG], name="attentions", **branch)


def _extended_mask(g: _Graph) -> str:
    """(1 - mask) * float32 min, shaped [batch, 1, 1, sequence], computed once for all layers."""
    unsqueezed = g.op("Unsqueeze", ["attention_mask", g.const([1, 2], np.int64)])
    as_float = g.op("Cast", [unsqueezed], to=TensorProto.FLOAT)
    inverted = g.op("Sub", [g.const(1.0), as_float])
    return g.op("Mul", [inverted, g.const(MASK_FILL)], name="extended_attention_mask")


def _embeddings(g: _Graph, config: EncoderConfig, w: Mapping[str, str]) -> str:
    words = g.op("Gather", [w["embeddings.word_embeddings.weight"], "input_ids"])
    if config.family == "roberta":
        # transformers: cumsum(ids != pad) * (ids != pad) + pad, so pads sit at position pad.
        is_pad = g.op("Equal", ["input_ids", g.const(config.pad_token_id, np.int64)])
        not_pad = g.op("Cast", [g.op("Not", [is_pad])], to=TensorProto.INT64)
        counted = g.op("CumSum", [not_pad, g.const(1, np.int64)])
        positions = g.op(
            "Add", [g.op("Mul", [counted, not_pad]), g.const(config.pad_token_id, np.int64)]
        )
    else:
        # arange(sequence) + offset, built from input_ids so the [batch, sequence] dims stay
        # symbolic: ORT fuses Add+LayerNorm into SkipLayerNormalization only when shapes match.
        ones = g.op("Add", [g.op("Mul", ["input_ids", g.const(0, np.int64)]), g.const(1, np.int64)])
        counted = g.op("CumSum", [ones, g.const(1, np.int64)])
        positions = g.op("Add", [counted, g.const(config.position_offset - 1, np.int64)])
    summed = g.op(
        "Add", [words, g.op("Gather", [w["embeddings.position_embeddings.weight"], positions])]
    )
    if config.type_vocab_size > 0:
        types = g.op("Gather", [w["embeddings.token_type_embeddings.weight"], "token_type_ids"])
        summed = g.op("Add", [summed, types])
    return _layer_norm(g, config, w, "embeddings.LayerNorm", summed)


def _layer(
    g: _Graph, config: EncoderConfig, w: Mapping[str, str], p: str, x: str, mask: str
) -> tuple[str, str]:
    """One post-LayerNorm transformer block, as BERT, RoBERTa and DistilBERT all compute it;
    returns its output and its attention probabilities."""
    heads = g.const([0, 0, config.num_heads, config.head_size], np.int64)

    def split(name: str, perm: list[int]) -> str:
        projected = _linear(g, w, f"{p}attention.self.{name}", x)
        return g.op("Transpose", [g.op("Reshape", [projected, heads])], perm=perm)

    query = split("query", [0, 2, 1, 3])
    key = split("key", [0, 2, 3, 1])
    value = split("value", [0, 2, 1, 3])
    scores = g.op("Div", [g.op("MatMul", [query, key]), g.const(math.sqrt(config.head_size))])
    probs = g.op("Softmax", [g.op("Add", [scores, mask])], axis=-1)
    context = g.op("Transpose", [g.op("MatMul", [probs, value])], perm=[0, 2, 1, 3])
    merged = g.op("Reshape", [context, g.const([0, 0, config.hidden_size], np.int64)])
    attended = _linear(g, w, f"{p}attention.output.dense", merged)
    x = _layer_norm(g, config, w, f"{p}attention.output.LayerNorm", g.op("Add", [attended, x]))
    inner = _activation(g, config.hidden_act, _linear(g, w, f"{p}intermediate.dense", x))
    out = _linear(g, w, f"{p}output.dense", inner)
    return _layer_norm(g, config, w, f"{p}output.LayerNorm", g.op("Add", [out, x])), probs


def _mlm_head(g: _Graph, config: EncoderConfig, w: Mapping[str, str]) -> None:
    # RoBERTa's lm_head applies erf GELU whatever hidden_act says.
    act = "gelu" if config.family == "roberta" else config.hidden_act
    x = _linear(g, w, "cls.predictions.transform.dense", "last_hidden_state")
    x = _layer_norm(g, config, w, "cls.predictions.transform.LayerNorm", _activation(g, act, x))
    if "cls.predictions.decoder.weight" in w:
        decoder = w["cls.predictions.decoder.weight"]
    else:
        # Tied decoder: transposing the embedding inside the graph keeps one initializer, so a
        # perturbed embedding changes the predictions too. ORT folds the Transpose once at load.
        decoder = g.op("Transpose", [w["embeddings.word_embeddings.weight"]], perm=[1, 0])
    scores = g.op("MatMul", [x, decoder])
    g.op("Add", [scores, w["cls.predictions.bias"]], name="logits")


def _linear(g: _Graph, w: Mapping[str, str], prefix: str, x: str) -> str:
    return g.op("Add", [g.op("MatMul", [x, w[f"{prefix}.weight"]]), w[f"{prefix}.bias"]])


def _layer_norm(g: _Graph, config: EncoderConfig, w: Mapping[str, str], prefix: str, x: str) -> str:
    return g.op(
        "LayerNormalization",
        [x, w[f"{prefix}.weight"], w[f"{prefix}.bias"]],
        axis=-1,
        epsilon=config.layer_norm_eps,
    )


def _activation(g: _Graph, kind: str, x: str) -> str:
    """GELU written in the exact node order ORT's Gelu/FastGelu fusions match."""
    if kind == "relu":
        return g.op("Relu", [x])
    if kind == "gelu":
        erf = g.op("Erf", [g.op("Div", [x, g.const(math.sqrt(2.0))])])
        return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, g.const(1.0)])]), g.const(0.5)])
    # tanh form: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
    cubed = g.op("Pow", [x, g.const(3.0)])
    inner = g.op("Add", [x, g.op("Mul", [cubed, g.const(0.044715)])])
    tanh = g.op("Tanh", [g.op("Mul", [inner, g.const(math.sqrt(2.0 / math.pi))])])
    half = g.op("Mul", [x, g.const(0.5)])
    return g.op("Mul", [half, g.op("Add", [tanh, g.const(1.0)])])
