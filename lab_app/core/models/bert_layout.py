"""The canonical tensors of a BERT-family encoder: which a model has, their shapes, their layout.

Run-time code (the fine-tuning lab reads and writes weights by these names) needs this as much as
the builders in :mod:`lab_app.core.models.build` do, so it lives here, with no ``onnx`` or
``safetensors`` import: reading a checkpoint and writing a graph are build-time work.
"""

from __future__ import annotations

from collections.abc import Mapping

from lab_app.core.models.bert_config import EncoderConfig


def is_linear_weight(name: str) -> bool:
    """Linear weights are stored transposed ([in, out]) in the graph; embeddings are not."""
    return name.endswith(".weight") and (
        ".dense." in name or ".self." in name or name == "cls.predictions.decoder.weight"
    )


def expected_shapes(
    config: EncoderConfig, *, pooler: bool, mlm_head: bool, untied_decoder: bool = False
) -> dict[str, tuple[int, ...]]:
    """Every canonical tensor a model of this config must have, with its PyTorch shape."""
    h, v, f = config.hidden_size, config.vocab_size, config.intermediate_size
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (v, h),
        "embeddings.position_embeddings.weight": (config.max_positions, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    if config.type_vocab_size > 0:
        shapes["embeddings.token_type_embeddings.weight"] = (config.type_vocab_size, h)
    linears = {
        "attention.self.query": (h, h),
        "attention.self.key": (h, h),
        "attention.self.value": (h, h),
        "attention.output.dense": (h, h),
        "intermediate.dense": (f, h),
        "output.dense": (h, f),
    }
    for i in range(config.num_layers):
        p = f"encoder.layer.{i}."
        for part, shape in linears.items():
            shapes[f"{p}{part}.weight"] = shape
            shapes[f"{p}{part}.bias"] = (shape[0],)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[f"{p}{norm}.weight"] = (h,)
            shapes[f"{p}{norm}.bias"] = (h,)
    if pooler:
        shapes["pooler.dense.weight"] = (h, h)
        shapes["pooler.dense.bias"] = (h,)
    if mlm_head:
        shapes["cls.predictions.transform.dense.weight"] = (h, h)
        shapes["cls.predictions.transform.dense.bias"] = (h,)
        shapes["cls.predictions.transform.LayerNorm.weight"] = (h,)
        shapes["cls.predictions.transform.LayerNorm.bias"] = (h,)
        shapes["cls.predictions.bias"] = (v,)
        if untied_decoder:
            shapes["cls.predictions.decoder.weight"] = (v, h)
    return shapes


def has_pooler(weights: Mapping[str, object]) -> bool:
    """Whether the checkpoint carries pooler weights (so the graph gets ``pooler_output``)."""
    return any(name.startswith("pooler.") for name in weights)


def has_mlm_head(weights: Mapping[str, object]) -> bool:
    """Whether the checkpoint carries a masked-LM head (so the graph gets ``logits``)."""
    return any(name.startswith("cls.predictions.") for name in weights)
