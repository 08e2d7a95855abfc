"""Write a task model (a tagger, a span scorer, a pair classifier) as an ONNX graph.

A task model is the top of an encoder plus its head. When fine-tuning changed only the top
layers (partial fine-tuning, or a head on frozen features), the graph starts at the hidden state
entering the first changed layer (input ``hidden_in``, ``[batch, sequence, hidden]``, and
``attention_mask``) and the store entry names the base model whose ``hidden_states`` feed it:
the entry then holds a few megabytes, not a whole encoder. When every layer changed (full
fine-tuning, LoRA merged into its weights) the graph starts from token ids like any encoder.

Either way the single output is ``scores``, exactly what the head's numpy ``forward`` returns:
``[batch, sequence, labels]`` for a tagger, ``[batch, sequence, 2]`` (start, end) for spans,
``[batch, labels]`` for a pair or text classifier.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper

from lab_app.core.hashing import sha256_file
from lab_app.core.models.bert_config import LINEAR_LAYOUT, METADATA_CONFIG, EncoderConfig
from lab_app.core.models.build.bert_onnx import (
    OPSET,
    _embeddings,
    _extended_mask,
    _layer,
    _output,
)
from lab_app.core.models.build.onnx_graph import GraphBuilder
from lab_app.core.models.store import Manifest, write_entry_manifest

METADATA_TASK = "bert_lab.task"
HEADS = {
    "tag": ("tagger.weight", "tagger.bias"),
    "qa": ("qa_outputs.weight", "qa_outputs.bias"),
    "pair": ("classifier.weight", "classifier.bias"),
    "classify": ("classifier.weight", "classifier.bias"),
}
POOLER = ("pooler.dense.weight", "pooler.dense.bias")


def build_task_onnx(
    config: EncoderConfig,
    weights: Mapping[str, np.ndarray],
    *,
    task: str,
    from_layer: int,
    pooling: str = "cls",
    half: bool = False,
) -> onnx.ModelProto:
    """The graph of layers ``from_layer`` … top and the head.

    ``weights`` are numpy params as the trainer holds them (Linear ``[in, out]``, LoRA already
    merged): the layers' canonical weights, the head's (:data:`HEADS`) and, for ``pooler``
    pooling, BERT's pooler; embeddings only when ``from_layer`` is 0. ``half`` stores them as
    float16, cast to float32 in the graph (ONNX Runtime folds the casts once, at load): half the
    file, and nothing lost for weights that were shipped in float16 anyway."""
    g = GraphBuilder()
    w: dict[str, str] = {}
    wanted = graph_weight_names(config, task, from_layer, pooling)
    for name in wanted:
        if half:
            g.weight(name, np.asarray(weights[name], dtype=np.float16))
            w[name] = g.op("Cast", [name], to=TensorProto.FLOAT)
        else:
            w[name] = g.weight(name, np.asarray(weights[name], dtype=np.float32))
    batch_seq = ["batch", "sequence"]
    inputs = [helper.make_tensor_value_info("attention_mask", TensorProto.INT64, batch_seq)]
    mask = _extended_mask(g)
    if from_layer == 0:
        hidden = _embeddings(g, config, w)
        inputs.insert(0, helper.make_tensor_value_info("input_ids", TensorProto.INT64, batch_seq))
        if config.type_vocab_size > 0:
            inputs.append(
                helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, batch_seq)
            )
    else:
        hidden = "hidden_in"
        inputs.insert(
            0,
            helper.make_tensor_value_info(
                "hidden_in", TensorProto.FLOAT, [*batch_seq, config.hidden_size]
            ),
        )
    for i in range(from_layer, config.num_layers):
        hidden, _ = _layer(g, config, w, f"encoder.layer.{i}.", hidden, mask)
    weight, bias = HEADS[task]
    if task in ("tag", "qa"):
        dims: list[str | int] = [*batch_seq, int(weights[weight].shape[1])]
        scores_in = hidden
    else:
        dims = ["batch", int(weights[weight].shape[1])]
        scores_in = _pool(g, w, hidden, pooling)
    g.op("Add", [g.op("MatMul", [scores_in, w[weight]]), w[bias]], name="scores")
    graph = helper.make_graph(
        g.nodes,
        f"{config.family}_{task}",
        inputs,
        [_output("scores", dims)],
        initializer=g.initializers,
        doc_string=f"Linear weights are stored {LINEAR_LAYOUT} (as the trainer holds them).",
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="bert-lab"
    )
    model.ir_version = 8
    helper.set_model_props(
        model,
        {
            METADATA_CONFIG: config.to_json(),
            METADATA_TASK: json.dumps({"task": task, "from_layer": from_layer, "pooling": pooling}),
        },
    )
    return model


def graph_weight_names(
    config: EncoderConfig, task: str, from_layer: int, pooling: str
) -> list[str]:
    from lab_app.core.models.bert_layout import expected_shapes

    every = expected_shapes(config, pooler=False, mlm_head=False)
    names = [
        n
        for n in every
        if (n.startswith("embeddings.") and from_layer == 0)
        or any(n.startswith(f"encoder.layer.{i}.") for i in range(from_layer, config.num_layers))
    ]
    if task in ("pair", "classify") and pooling == "pooler":
        names += list(POOLER)
    return names + list(HEADS[task])


def _pool(g: GraphBuilder, w: Mapping[str, str], hidden: str, pooling: str) -> str:
    if pooling in ("cls", "pooler"):
        first = g.op("Gather", [hidden, g.const(0, np.int64)], axis=1)
        if pooling == "cls":
            return first
        dense = g.op("Add", [g.op("MatMul", [first, w[POOLER[0]]]), w[POOLER[1]]])
        return g.op("Tanh", [dense])
    if pooling == "mean":
        weights = g.op(
            "Cast",
            [g.op("Unsqueeze", ["attention_mask", g.const([2], np.int64)])],
            to=TensorProto.FLOAT,
        )
        axis = g.const([1], np.int64)
        summed = g.op("ReduceSum", [g.op("Mul", [hidden, weights]), axis], keepdims=0)
        count = g.op("ReduceSum", [weights, axis], keepdims=0)
        return g.op("Div", [summed, g.op("Max", [count, g.const(1e-9)])])
    raise ValueError(f"a task model pools with cls, pooler or mean, not {pooling}")


def weights_for_graph(params: Mapping[str, np.ndarray], lora_scale: float) -> dict[str, np.ndarray]:
    """The trainer's params with LoRA merged (``W + scale · A @ B``), kept ``[in, out]``."""
    out: dict[str, np.ndarray] = {}
    for name, value in params.items():
        if ".lora_" in name:
            continue
        base = name[: -len(".weight")] if name.endswith(".weight") else ""
        if base and f"{base}.lora_A" in params:
            value = value + np.float32(lora_scale) * (
                params[f"{base}.lora_A"] @ params[f"{base}.lora_B"]
            )
        out[name] = np.ascontiguousarray(value, dtype=np.float32)
    return out


@dataclass(frozen=True)
class TaskSpec:
    """What a task model's manifest says besides its files: the head and where it starts.

    A graph above layer 0 runs on ``base``'s hidden states; ``base_check`` pins the base's
    weights: ``{"base_sha256": <its model.onnx sha256>}`` for a model saved from the lab, or
    ``{"base_delta_sha256": ...}`` for a built-in trained on bert-lab-mlm's shipped delta."""

    task: str
    labels: tuple[str, ...]
    from_layer: int
    pooling: str = "cls"
    base: str | None = None
    base_check: dict[str, str] = field(default_factory=dict)
    half: bool = False  # weights stored as float16 (see build_task_onnx)


def write_task_folder(
    folder: Path,
    name: str,
    config: EncoderConfig,
    weights: Mapping[str, np.ndarray],
    tokenizer: bytes,
    spec: TaskSpec,
    *,
    description: str,
    source: dict[str, str],
    license: str,
    extra: dict[str, Any] | None = None,
) -> Manifest:
    """Build the graph and write ``model.onnx``, ``tokenizer.json`` and the manifest into
    ``folder`` (an empty temporary folder the caller renames into place)."""
    from lab_app.core.models.build.bert_onnx import save_onnx

    if spec.from_layer > 0 and spec.base is None:
        raise ValueError("a graph above layer 0 needs the base model that feeds it")
    model = build_task_onnx(
        config,
        weights,
        task=spec.task,
        from_layer=spec.from_layer,
        pooling=spec.pooling,
        half=spec.half,
    )
    save_onnx(model, folder / "model.onnx")
    (folder / "tokenizer.json").write_bytes(tokenizer)
    graph: dict[str, Any] = {"from_layer": spec.from_layer, "pooling": spec.pooling}
    if spec.base is not None and spec.from_layer > 0:
        graph.update(base=spec.base, **spec.base_check)
    manifest = Manifest(
        name=name,
        family=config.family,
        description=description,
        source=source,
        license=license,
        files={f: sha256_file(folder / f) for f in ("model.onnx", "tokenizer.json")},
        layers=config.num_layers,
        hidden_size=config.hidden_size,
        outputs=["scores"],
        tokenizer=None,
        max_positions=config.max_positions,
        pooling=None,
        extra={"config": config.to_dict(), "task_graph": graph, **(extra or {})},
        task=spec.task,
        labels=list(spec.labels),
    )
    write_entry_manifest(folder, manifest)
    return manifest
