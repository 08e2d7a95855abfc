"""The project's own MLM is built from the pinned base plus a small committed delta."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from lab_app.core.models.build import builtin_mlm
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import Entry


def _fake_delta(folder: Path) -> None:
    rng = np.random.default_rng(0)
    head = {
        "cls.predictions.transform.dense.weight": rng.normal(0, 0.02, (384, 384)),
        "cls.predictions.transform.dense.bias": np.zeros(384),
        "cls.predictions.transform.LayerNorm.weight": np.ones(384),
        "cls.predictions.transform.LayerNorm.bias": np.zeros(384),
        "cls.predictions.bias": np.zeros(30522),
    }
    weights = folder / "bert-lab-mlm" / "weights"
    weights.mkdir(parents=True)
    save_file(
        {k: v.astype(np.float16) for k, v in head.items()}, str(weights / "delta.safetensors")
    )
    (weights / "recipe.json").write_text(json.dumps({"seed": 0}), encoding="utf-8")


def test_base_plus_delta_gives_a_model_with_logits(
    artifact_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_delta(tmp_path / "models")
    monkeypatch.setattr(builtin_mlm, "models_dir", lambda: tmp_path / "models")
    out = tmp_path / "out"
    out.mkdir()
    manifest = builtin_mlm.make_bert_lab_mlm(artifact_cache, out)
    assert manifest.name == "bert-lab-mlm"
    assert manifest.outputs == ["last_hidden_state", "hidden_states", "attentions", "logits"]
    assert manifest.pooling is None
    assert "not Google's bert-base-uncased" in manifest.description
    assert manifest.extra["recipe"] == {"seed": 0}
    enc = Encoder(Entry(out, manifest, read_only=True))
    batch = enc.tokenize(["how are [MASK] today?"])
    logits = enc.run(batch, ["logits"])["logits"]
    assert logits.shape == (1, batch.input_ids.shape[1], 30522)
    assert np.isfinite(logits).all()
    # new weights or a new recipe (its figures are on the model card) in the tree: build again
    built = Entry(out, manifest, read_only=True)
    recipe = tmp_path / "models" / "bert-lab-mlm" / "weights" / "recipe.json"
    assert not builtin_mlm.delta_is_stale(built)
    recipe.write_text(json.dumps({"seed": 1}), encoding="utf-8")
    assert builtin_mlm.delta_is_stale(built)
    recipe.unlink()  # a bundle carries the model but not the recipe: nothing to compare
    assert not builtin_mlm.delta_is_stale(built)


@pytest.mark.skipif(
    not (builtin_mlm.models_dir() / builtin_mlm.MLM_DELTA).is_file(),
    reason="the project's MLM weights are not in this tree",
)
def test_shipped_mlm_logits_equal_pytorch(built_store_dir: Path, minilm_hf_dir: Path) -> None:
    import torch
    from safetensors.numpy import load_file
    from transformers import BertConfig, BertForMaskedLM

    from lab_app.core.models.store import ModelStore

    config = BertConfig.from_json_file(str(minilm_hf_dir / "config.json"))
    model = BertForMaskedLM(config).eval()
    state = {
        f"bert.{k}": torch.from_numpy(v)
        for k, v in load_file(str(minilm_hf_dir / "model.safetensors")).items()
    }
    delta = load_file(str(builtin_mlm.models_dir() / builtin_mlm.MLM_DELTA))
    for name, value in delta.items():
        key = name if name.startswith("cls.") else f"bert.{name}"
        state[key] = torch.from_numpy(value.astype(np.float32))
    model.load_state_dict(state, strict=False)
    model.tie_weights()

    enc = Encoder(ModelStore(built_store_dir).model("bert-lab-mlm"))
    batch = enc.tokenize(["how are [MASK] today?", "she opened the [MASK] and walked in."])
    ours = enc.run(batch, ["logits"])["logits"]
    with torch.no_grad():
        ref = model(
            input_ids=torch.from_numpy(batch.input_ids),
            attention_mask=torch.from_numpy(batch.attention_mask),
            token_type_ids=torch.from_numpy(batch.token_type_ids),
        ).logits.numpy()
    # Logits span about ±15; float32 sums over 384 and 1,536 terms in another order (ONNX
    # Runtime's kernels differ with the CPU's instruction set) differ by up to 1.5e-4 here.
    np.testing.assert_allclose(ours, ref, atol=3e-4)


@pytest.mark.skipif(
    not (builtin_mlm.models_dir() / builtin_mlm.MLM_DELTA).is_file(),
    reason="the project's MLM weights are not in this tree",
)
@pytest.mark.parametrize(("key", "words"), [("cloze", "cloze top-5 "), ("cloze_b", "later: ")])
def test_the_model_card_figure_is_what_the_app_predicts(
    built_store_dir: Path, key: str, words: str
) -> None:
    """Each cloze set's top-5 rate the model card and README quote, recomputed through the
    app's own fill-mask path on the built store (not the recipe's PyTorch code)."""
    from lab_app.core.fill_mask.predict import fill_mask_encoder, predict
    from lab_app.core.models.store import ModelStore

    entry = ModelStore(built_store_dir).model("bert-lab-mlm")
    claimed = entry.manifest.extra["recipe"]["evaluation"][key]["cloze_top5"]
    assert f"{words}{100 * claimed:.0f}%" in entry.manifest.description
    encoder = fill_mask_encoder(entry)
    items = []
    name = {"cloze": "cloze.tsv", "cloze_b": "cloze-b.tsv"}[key]
    for line in (builtin_mlm.models_dir() / "bert-lab-mlm" / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, answers = line.split("\t")
            items.append((sentence, set(answers.split("|"))))
    hits = 0
    for sentence, answers in items:
        (mask,) = predict(encoder, sentence, top_k=5).masks
        hits += any(p.token in answers for p in mask.predictions)
    assert len(items) >= 60
    assert hits / len(items) == pytest.approx(claimed, abs=1.5 / len(items))
