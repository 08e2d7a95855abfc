"""Read BERT-family checkpoints without PyTorch and rename their tensors to one BERT naming.

The ONNX builder, the weight-perturbation lab and the size tables all address tensors by these
canonical names, so the three families' spellings are folded together here and nowhere else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from lab_app.core.errors import UserError
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.bert_layout import expected_shapes, has_mlm_head, has_pooler

_PREFIXES = ("bert.", "roberta.", "distilbert.")

# Buffers, pre-training and task heads that carry no encoder weights; the encoder is intact
# without them, so a fine-tuned classifier still imports.
_IGNORED = re.compile(
    r"^(embeddings\.(position_ids|token_type_ids)"
    r"|cls\.seq_relationship\..*"
    r"|(pre_)?classifier\..*|qa_outputs\..*"
    r"|(cls\.predictions|lm_head)\.decoder\.bias)$"
)

_DISTIL_LAYER = {
    "attention.q_lin": "attention.self.query",
    "attention.k_lin": "attention.self.key",
    "attention.v_lin": "attention.self.value",
    "attention.out_lin": "attention.output.dense",
    "sa_layer_norm": "attention.output.LayerNorm",
    "ffn.lin1": "intermediate.dense",
    "ffn.lin2": "output.dense",
    "output_layer_norm": "output.LayerNorm",
}
_HEAD_RENAMES = {
    "vocab_transform.": "cls.predictions.transform.dense.",
    "vocab_layer_norm.": "cls.predictions.transform.LayerNorm.",
    "vocab_projector.bias": "cls.predictions.bias",
    "vocab_projector.weight": "cls.predictions.decoder.weight",
    "lm_head.dense.": "cls.predictions.transform.dense.",
    "lm_head.layer_norm.": "cls.predictions.transform.LayerNorm.",
    "lm_head.bias": "cls.predictions.bias",
    "lm_head.decoder.weight": "cls.predictions.decoder.weight",
}
_DISTIL_RE = re.compile(r"^transformer\.layer\.(\d+)\.(.+)\.(weight|bias)$")

_CONVERT_HINT = (
    "BERT Lab reads model.safetensors: convert it once where PyTorch and transformers are "
    "installed, with AutoModelForMaskedLM.from_pretrained(folder).save_pretrained(out, "
    "safe_serialization=True), then import the new folder."
)


def load_hf_folder(path: Path) -> tuple[EncoderConfig, dict[str, np.ndarray]]:
    """Load config.json and model.safetensors (single or sharded) as canonical float32 tensors."""
    path = Path(path)
    if not path.is_dir():
        raise UserError(f"{path} is not a folder; point BERT Lab at a model folder")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise UserError(
            f"{path} has no config.json; copy it from the model's download next to "
            "model.safetensors"
        )
    try:
        hf_config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{config_file} is not readable JSON: {exc}") from exc
    config = EncoderConfig.from_hf_config(hf_config)
    raw = _read_safetensors(path)
    return config, canonical_weights(config, raw)


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    single = path / "model.safetensors"
    index = path / "model.safetensors.index.json"
    if single.is_file():
        files = [single]
    elif index.is_file():
        weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
        files = [path / name for name in sorted(set(weight_map.values()))]
    elif (path / "pytorch_model.bin").is_file():
        raise UserError(f"{path} holds only pytorch_model.bin. {_CONVERT_HINT}")
    else:
        raise UserError(f"{path} has no model.safetensors. {_CONVERT_HINT}")
    raw: dict[str, np.ndarray] = {}
    for file in files:
        try:
            raw.update(load_file(str(file)))
        except Exception as exc:  # safetensors raises several types for damaged/unusual files
            raise UserError(
                f"could not read {file.name}: {exc}. Save the model in float32 or float16 "
                "safetensors."
            ) from exc
    return raw


def canonical_weights(
    config: EncoderConfig, raw: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Rename checkpoint tensors to canonical BERT names (no prefix), float32, [out, in] Linears.

    The MLM decoder is tied to the word embeddings and dropped; a decoder that differs from them
    is kept as ``cls.predictions.decoder.weight``.
    """
    out: dict[str, np.ndarray] = {}
    for name, tensor in raw.items():
        new = _rename(name)
        if _IGNORED.match(new):
            continue
        if new in out:
            raise UserError(f"checkpoint has two tensors that both mean {new!r}")
        out[new] = np.asarray(tensor, dtype=np.float32)
    decoder = out.pop("cls.predictions.decoder.weight", None)
    embeddings = out.get("embeddings.word_embeddings.weight")
    if decoder is not None and (embeddings is None or not np.array_equal(decoder, embeddings)):
        out["cls.predictions.decoder.weight"] = decoder
    if "cls.predictions.bias" not in out:
        # Very old checkpoints keep the output bias only on the decoder.
        for legacy in ("cls.predictions.decoder.bias", "lm_head.decoder.bias"):
            if legacy in raw and "cls.predictions.transform.dense.weight" in out:
                out["cls.predictions.bias"] = np.asarray(raw[legacy], dtype=np.float32)
    check_canonical(config, out)
    return out


def _rename(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    # TF-converted checkpoints spell LayerNorm parameters gamma/beta.
    name = re.sub(r"\.gamma$", ".weight", re.sub(r"\.beta$", ".bias", name))
    match = _DISTIL_RE.match(name)
    if match:
        layer, part, kind = match.groups()
        if part in _DISTIL_LAYER:
            return f"encoder.layer.{layer}.{_DISTIL_LAYER[part]}.{kind}"
    for old, new in _HEAD_RENAMES.items():
        if name.startswith(old):
            return new + name[len(old) :]
    return name


def check_canonical(config: EncoderConfig, weights: Mapping[str, np.ndarray]) -> None:
    """Raise UserError naming missing, unexpected or wrongly shaped tensors."""
    expected = expected_shapes(
        config,
        pooler=has_pooler(weights),
        mlm_head=has_mlm_head(weights),
        untied_decoder="cls.predictions.decoder.weight" in weights,
    )
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    if missing:
        raise UserError(f"checkpoint lacks {len(missing)} tensor(s): {_few(missing)}")
    if unexpected:
        raise UserError(
            f"checkpoint has {len(unexpected)} tensor(s) BERT Lab does not know: {_few(unexpected)}"
        )
    wrong = [
        f"{name} {tuple(weights[name].shape)} (config says {shape})"
        for name, shape in expected.items()
        if tuple(weights[name].shape) != shape
    ]
    if wrong:
        raise UserError(f"tensor shapes do not match config.json: {_few(wrong)}")


def _few(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
