"""Sentence similarity three ways: matrices checked against transformers, and every bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.models.store import ModelStore
from lab_app.core.pretrain.similarity import (
    EXAMPLE_SENTENCES,
    MAX_SENTENCES,
    check_sentences,
    cosine_matrix,
    sentence_similarity,
)

MINILM = "all-MiniLM-L6-v2"
TEXTS = ("The dog bit the man.", "The man bit the dog.", "Rates rose. 🙂", "مرحبا بالعالم")


@pytest.fixture
def store(built_store_dir: Path) -> ModelStore:
    return ModelStore(built_store_dir)


@pytest.fixture
def fake_vectors(monkeypatch: pytest.MonkeyPatch) -> object:
    """Small static vectors in place of the built-in ones (random but fixed unit rows)."""
    vectors_mod = pytest.importorskip("lab_app.core.pretrain.vectors")
    words = ("the", "dog", "bit", "man", "cat", "sat", "on", "mat", "rates", "rose")
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(len(words), 8)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    fake = vectors_mod.WordVectors("fake", words, rows, "ppmi-svd")
    monkeypatch.setattr(vectors_mod, "builtin_vectors", lambda: fake)
    return fake


def assert_cosine_matrix(sim: np.ndarray, n: int) -> None:
    assert sim.shape == (n, n) and sim.dtype == np.float32
    np.testing.assert_array_equal(sim, sim.T)
    np.testing.assert_array_equal(np.diag(sim), np.ones(n, dtype=np.float32))
    assert np.all(sim <= 1.0) and np.all(sim >= -1.0)


def test_cosine_matrix_is_symmetric_with_unit_diagonal() -> None:
    rng = np.random.default_rng(1)
    v = rng.normal(size=(7, 5))
    sim = cosine_matrix(v)
    assert_cosine_matrix(sim, 7)
    ref = (v @ v.T) / np.outer(np.linalg.norm(v, axis=1), np.linalg.norm(v, axis=1))
    np.testing.assert_allclose(sim, ref, atol=1e-6)


def test_static_ignores_word_order(store: ModelStore, fake_vectors: object) -> None:
    r = sentence_similarity(store, [*TEXTS[:3], "The cat sat on the mat."], "static")
    assert r.model == "bert-lab-words" and r.method == "static"
    assert_cosine_matrix(r.similarity, 4)
    assert r.similarity[0, 1] == pytest.approx(1.0, abs=1e-6)  # the same words, reordered
    assert r.similarity[0, 3] < 0.99
    assert "word order" in r.note and "sentences 1 and 2 score 1.00" in r.note
    # The mean of the known words' vectors, unknown words (the emoji) skipped.
    v = fake_vectors.vectors  # type: ignore[attr-defined]
    a = v[[0, 1, 2, 0, 3]].mean(axis=0)
    b = v[[8, 9]].mean(axis=0)
    expected = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert r.similarity[0, 2] == pytest.approx(expected, abs=1e-6)


def test_static_refuses_a_sentence_without_known_words(
    store: ModelStore, fake_vectors: object
) -> None:
    with pytest.raises(UserError, match=r"sentence 2 .*no word the static vectors know"):
        sentence_similarity(store, ["the dog", "مرحبا بالعالم"], "static")
    with pytest.raises(UserError, match="a model does not apply"):
        sentence_similarity(store, ["the dog", "the man"], "static", model=MINILM)


def test_static_with_the_builtin_vectors(store: ModelStore) -> None:
    vectors_mod = pytest.importorskip("lab_app.core.pretrain.vectors")
    if not vectors_mod.builtin_vectors_path().is_file():
        pytest.skip("the built-in word vectors are not built yet")
    r = sentence_similarity(store, EXAMPLE_SENTENCES, "static")
    assert_cosine_matrix(r.similarity, len(EXAMPLE_SENTENCES))
    assert r.similarity[0, 1] == pytest.approx(1.0, abs=1e-6)


def hf_sentence_vectors(folder: Path, texts: tuple[str, ...], pooling: str) -> np.ndarray:
    """The reference: transformers' BertModel on the same checkpoint, pooled by hand."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tok = transformers.BertTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
    model = transformers.BertModel.from_pretrained(str(folder), attn_implementation="eager")
    batch = tok(list(texts), padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state.numpy()
    mask = batch["attention_mask"].numpy()[..., None]
    if pooling == "cls":
        return np.asarray(hidden[:, 0])
    mean = (hidden * mask).sum(axis=1) / mask.sum(axis=1)
    return np.asarray(mean)


@pytest.mark.parametrize("method", ["cls", "mean", "sbert"])
def test_bert_methods_equal_transformers(
    store: ModelStore, minilm_hf_dir: Path, method: str
) -> None:
    r = sentence_similarity(store, TEXTS, method, model=MINILM)
    assert (r.method, r.model, r.sentences) == (method, MINILM, TEXTS)
    assert_cosine_matrix(r.similarity, len(TEXTS))
    ref = hf_sentence_vectors(minilm_hf_dir, TEXTS, "cls" if method == "cls" else "mean")
    np.testing.assert_allclose(r.similarity, cosine_matrix(ref), atol=1e-5)
    assert r.note and "\n" not in r.note


def test_defaults_and_what_each_method_shows(store: ModelStore) -> None:
    results = {
        m: sentence_similarity(store, EXAMPLE_SENTENCES, m) for m in ("cls", "mean", "sbert")
    }
    assert results["cls"].model == results["mean"].model == "bert-lab-mlm"
    assert results["sbert"].model == MINILM
    off = ~np.eye(len(EXAMPLE_SENTENCES), dtype=bool)
    lowest = {m: float(r.similarity[off].min()) for m, r in results.items()}
    # Raw [CLS]: everything similar; SBERT: unrelated sentences near 0.
    assert lowest["cls"] > 0.5 > lowest["mean"] > lowest["sbert"]
    assert lowest["sbert"] < 0.1
    assert f"{lowest['cls']:.2f}" in results["cls"].note
    assert "word order still counts for little" in results["sbert"].note
    data = results["sbert"].to_json()
    assert set(data) == {"method", "model", "sentences", "similarity", "note"}
    assert data["similarity"][0][0] == 1.0  # type: ignore[index]


def test_bad_input_is_a_calm_user_error(store: ModelStore) -> None:
    with pytest.raises(UserError, match=f"at most {MAX_SENTENCES}"):
        sentence_similarity(store, ["a sentence"] * 10_000, "mean")
    with pytest.raises(UserError, match="sentence 2 is empty"):
        sentence_similarity(store, ["fine", "  \n"], "mean")
    with pytest.raises(UserError, match="at least 2"):
        sentence_similarity(store, ["alone"], "sbert")
    with pytest.raises(UserError, match="unknown method 'max'"):
        sentence_similarity(store, ["a", "b"], "max")
    with pytest.raises(UserError, match="not a sentence-transformers model"):
        sentence_similarity(store, ["a", "b"], "sbert", model="bert-lab-mlm")
    with pytest.raises(UserError, match="unknown model 'nope'"):
        sentence_similarity(store, ["a", "b"], "cls", model="nope")
    assert check_sentences(["🙂", "שלום"]) == ("🙂", "שלום")
