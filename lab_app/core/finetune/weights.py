"""A store model's weights as numpy params to train, and trained params back as canonical weights.

The store's graphs keep every weight as an initializer named by its canonical BERT name, Linear
weights ``[in, out]`` (see :mod:`lab_app.core.models.bert_layout`), so they are read straight
from ``model.onnx``; an int8 model's ``*_quantized`` matrices are dequantised
(``(q - zero) · scale``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np

from lab_app.core.engine.bert_numpy import Params
from lab_app.core.errors import UserError
from lab_app.core.models.bert_config import METADATA_CONFIG, EncoderConfig
from lab_app.core.models.bert_layout import expected_shapes, is_linear_weight
from lab_app.core.models.encoder import loading
from lab_app.core.models.store import Entry

LORA_TARGETS = ("attention.self.query", "attention.self.value")


def load_params(entry: Entry) -> tuple[EncoderConfig, Params]:
    """The model's config and every canonical weight, float32, Linear weights ``[in, out]``."""
    import onnx
    from onnx import numpy_helper

    if entry.manifest.is_decoder or entry.manifest.is_task_model:
        kind = "a decoder" if entry.manifest.is_decoder else f"a {entry.manifest.task} model"
        raise UserError(
            f"'{entry.name}' is {kind}; the fine-tuning lab trains BERT-family encoders"
        )
    with loading(entry):
        model = onnx.load(str(entry.file("model.onnx")))
        meta = {p.key: p.value for p in model.metadata_props}
        raw = meta.get(METADATA_CONFIG) or json.dumps(entry.manifest.extra.get("config") or {})
        config = EncoderConfig.from_dict(json.loads(raw))
        inits = {t.name: t for t in model.graph.initializer}
    known = expected_shapes(config, pooler=True, mlm_head=True, untied_decoder=True)
    params: Params = {}
    for name in known:
        if name in inits:
            params[name] = np.array(numpy_helper.to_array(inits[name]), dtype=np.float32)
        elif f"{name}_quantized" in inits:
            q = numpy_helper.to_array(inits[f"{name}_quantized"]).astype(np.float32)
            scale = numpy_helper.to_array(inits[f"{name}_scale"]).astype(np.float32)
            zero = numpy_helper.to_array(inits[f"{name}_zero_point"]).astype(np.float32)
            params[name] = ((q - zero) * scale).astype(np.float32)
    required = expected_shapes(config, pooler=False, mlm_head=False)
    missing = [n for n in required if n not in params]
    if missing:
        raise UserError(
            f"'{entry.name}' does not keep its weights under BERT names ({missing[0]} is "
            "missing), so it cannot be fine-tuned; import the checkpoint again"
        )
    return config, params


def canonical(params: Mapping[str, np.ndarray], lora_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Params as the ONNX builder takes them: PyTorch layout (Linear ``[out, in]``), LoRA merged
    into its Linear (``W + scale · A @ B``), the classifier left out."""
    out: dict[str, np.ndarray] = {}
    for name, value in params.items():
        if name.startswith("classifier.") or ".lora_" in name:
            continue
        if name.endswith(".weight") and f"{name[: -len('.weight')]}.lora_A" in params:
            base = name[: -len(".weight")]
            value = value + np.float32(lora_scale) * (
                params[f"{base}.lora_A"] @ params[f"{base}.lora_B"]
            )
        out[name] = np.ascontiguousarray(value.T if is_linear_weight(name) else value)
    return out


def add_lora(
    params: Params, config: EncoderConfig, rank: int, rng: np.random.Generator
) -> list[str]:
    """LoRA adapters on every layer's query and value projections (the LoRA paper's and peft's
    default targets): ``A`` as peft initialises it (Kaiming-uniform), ``B`` zero, so the adapted
    model starts exactly as the base. Returns the new tensors' names."""
    h = config.hidden_size
    bound = math.sqrt(6.0 / ((1 + 5.0) * h))  # kaiming_uniform_(a=√5), fan_in = h
    names: list[str] = []
    for i in range(config.num_layers):
        for target in LORA_TARGETS:
            base = f"encoder.layer.{i}.{target}"
            params[f"{base}.lora_A"] = rng.uniform(-bound, bound, (h, rank)).astype(np.float32)
            params[f"{base}.lora_B"] = np.zeros((rank, h), dtype=np.float32)
            names += [f"{base}.lora_A", f"{base}.lora_B"]
    return names


def layer_names(params: Mapping[str, object], layer: int) -> list[str]:
    """Every param of transformer layer ``layer`` (LoRA tensors excluded)."""
    prefix = f"encoder.layer.{layer}."
    return [n for n in params if n.startswith(prefix) and ".lora_" not in n]


def embedding_names(params: Mapping[str, object]) -> list[str]:
    return [n for n in params if n.startswith("embeddings.")]
