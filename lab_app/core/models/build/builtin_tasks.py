"""The built-in task models: a tagger, a QA model and an NSP model on top of ``bert-lab-mlm``.

Each was fine-tuned by the lab's own trainer (partial fine-tuning of the top layers, recipe in
``models/bert-lab-tasks/``). The repository ships only what training changed: those layers and
the head, fp16 (``models/bert-lab-tasks/weights/<name>.safetensors``), with a card
(``<name>.json``: task, labels, where the graph starts, held-out figures, the recipe). The store
entry is the graph of those layers and the head; at run time it reads the hidden states that
``bert-lab-mlm`` computes below them, so each entry adds a few megabytes, not a whole encoder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lab_app.core.hashing import sha256_file
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.store import Manifest
from lab_app.core.resources import models_dir

TASK_WEIGHTS = "bert-lab-tasks/weights"
BUILTIN_TASKS = ("bert-lab-ner", "bert-lab-qa", "bert-lab-nsp")
BASE = "bert-lab-mlm"


def task_weights(name: str) -> Path:
    return models_dir() / TASK_WEIGHTS / f"{name}.safetensors"


def available_tasks() -> list[str]:
    """The built-in task models whose trained weights are in this tree."""
    return [n for n in BUILTIN_TASKS if task_weights(n).is_file()]


def make_task_model(name: str, cache: Path, out: Path) -> Manifest:
    """Build ``name``'s store entry from its shipped weights and card."""
    from safetensors.numpy import load_file

    from lab_app.core.models.build.artifacts import ARTIFACTS, read_member
    from lab_app.core.models.build.builtin_parts import MINILM
    from lab_app.core.models.build.task_onnx import TaskSpec, write_task_folder

    delta = task_weights(name)
    card_file = delta.with_suffix(".json")
    card: dict[str, Any] = json.loads(card_file.read_text(encoding="utf-8"))
    config = EncoderConfig.from_dict(card["config"])
    weights = {k: v.astype("float32") for k, v in load_file(str(delta)).items()}
    spec = TaskSpec(
        card["task"],
        tuple(card["labels"]),
        int(card["from_layer"]),
        str(card.get("pooling", "cls")),
        BASE,
        {"base_delta_sha256": card["base_delta_sha256"]},
        half=True,  # the shipped weights are float16: the entry keeps them so, at half the size
    )
    art = ARTIFACTS["all-minilm-l6-v2"]
    return write_task_folder(
        out,
        name,
        config,
        weights,
        read_member(art, cache, MINILM + "tokenizer.json"),
        spec,
        description=f"{card['description']} {card.get('quality', '')}".strip(),
        source={
            "base_model": BASE,
            "weights": f"models/{TASK_WEIGHTS}/{name}.safetensors",
            "weights_sha256": sha256_file(delta),
            "card_sha256": sha256_file(card_file),
        },
        license=card.get("license", "CC0-1.0 (data); Apache-2.0 (base model)"),
        extra={"card": {k: v for k, v in card.items() if k != "config"}},
    )


def is_stale(manifest: Manifest) -> bool:
    """True when the tree ships other weights or another card than the entry was built from."""
    name = manifest.name
    delta = task_weights(name)
    if not delta.is_file():
        return False  # a bundle may carry the model and not the weights
    recorded = manifest.source
    return recorded.get("weights_sha256") != sha256_file(delta) or recorded.get(
        "card_sha256"
    ) != sha256_file(delta.with_suffix(".json"))
