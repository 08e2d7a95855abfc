"""Recover BERT weights from an exporter's ONNX graph, so it can be rebuilt with the store contract.

paraphrase-MiniLM-L3-v2 ships only as an ONNX export whose outputs are exporter leftovers. Its
biases, norms and embeddings keep their BERT names; each weight matrix sits, unnamed, as the second
input of a MatMul whose result is added to a named bias. Following MatMul → Add gives every matrix
its name back; the attention scale constant (√head_dim) gives the number of heads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper

from lab_app.core.errors import UserError

_LAYER = re.compile(r"encoder\.layer\.(\d+)\.")


def _strip_prefix(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


def recover_bert_weights(
    model: onnx.ModelProto, prefix: str = "model.0.auto_model."
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Return a HF-style ``config.json`` dict and canonical BERT weights (PyTorch [out, in])."""
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    consts: dict[str, np.ndarray] = {}
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    consts[node.output[0]] = numpy_helper.to_array(attr.t)
    consumers: dict[str, list[onnx.NodeProto]] = defaultdict(list)
    for node in graph.node:
        for inp in node.input:
            consumers[inp].append(node)

    weights: dict[str, np.ndarray] = {
        _strip_prefix(name, prefix): arr.astype(np.float32)
        for name, arr in inits.items()
        if name.startswith(prefix)
    }
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        bias_names = [
            other
            for add in consumers[node.output[0]]
            if add.op_type == "Add"
            for other in add.input
            if other != node.output[0] and other.startswith(prefix) and other.endswith(".bias")
        ]
        if len(bias_names) != 1:
            raise UserError(f"cannot tell which layer the matrix {node.input[1]} belongs to")
        name = _strip_prefix(bias_names[0], prefix)[: -len(".bias")] + ".weight"
        weights[name] = np.ascontiguousarray(inits[node.input[1]].T.astype(np.float32))

    eps = 1e-12
    for node in graph.node:
        if node.op_type == "LayerNormalization":
            eps = next((a.f for a in node.attribute if a.name == "epsilon"), eps)
            break
    scales = [
        float(consts[i])
        for node in graph.node
        if node.op_type == "Div"
        for i in node.input[1:]
        if i in consts and consts[i].size == 1 and "attention" in node.name
    ]
    word = weights.get("embeddings.word_embeddings.weight")
    if word is None or not scales:
        raise UserError("this ONNX graph does not look like an exported BERT encoder")
    hidden = int(word.shape[1])
    head_dim = round(scales[0] ** 2)
    layers = {int(m.group(1)) for n in weights if (m := _LAYER.search(n))}
    config = {
        "model_type": "bert",
        "vocab_size": int(word.shape[0]),
        "hidden_size": hidden,
        "num_hidden_layers": len(layers),
        "num_attention_heads": hidden // head_dim,
        "intermediate_size": int(weights["encoder.layer.0.intermediate.dense.bias"].shape[0]),
        "max_position_embeddings": int(weights["embeddings.position_embeddings.weight"].shape[0]),
        "type_vocab_size": int(weights["embeddings.token_type_embeddings.weight"].shape[0]),
        "layer_norm_eps": float(np.float32(eps)),
        "hidden_act": "gelu",
        "pad_token_id": 0,
    }
    return config, weights
