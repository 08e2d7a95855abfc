"""One word, many contexts: contextual vectors equal transformers' hidden states averaged over
the word's pieces (found independently, from the tokenizer's word_ids), and every bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.models.store import ModelStore
from lab_app.core.pretrain.context import EXAMPLES, context_similarity, find_word, pca_2d

MINILM = "all-MiniLM-L6-v2"
# "unbelievably" is five WordPieces; the apostrophe, comma, case and scripts must not disturb it.
WORD = "unbelievably"
TEXTS = (
    "Unbelievably, the bus was on time.",
    "The soup was unbelievably salty.",
    "She's unbelievably's fan 🙂 and unbelievably kind",
    "بعد الظهر كان الجو unbelievably حارا",
)


@pytest.fixture
def store(built_store_dir: Path) -> ModelStore:
    return ModelStore(built_store_dir)


def hf_word_vectors(folder: Path, word: str, texts: tuple[str, ...], layer: int) -> np.ndarray:
    """The reference: BertModel's hidden states at ``layer``, averaged over the tokens whose
    word_id is that of the word's first whole-word occurrence."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tok = transformers.BertTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
    model = transformers.BertModel.from_pretrained(str(folder), attn_implementation="eager")
    out = []
    for text in texts:
        start = re.search(rf"\b{word}\b", text, flags=re.IGNORECASE).start()  # type: ignore[union-attr]
        enc = tok(text, return_tensors="pt")
        target = enc.char_to_word(start)
        positions = [i for i, w in enumerate(enc.word_ids()) if w == target]
        with torch.no_grad():
            hidden = model(**enc, output_hidden_states=True).hidden_states[layer][0].numpy()
        out.append(hidden[positions].mean(axis=0))
    return np.asarray(out)


@pytest.mark.parametrize("layer", [0, 3, 6])
def test_contextual_vectors_equal_transformers(
    store: ModelStore, minilm_hf_dir: Path, layer: int
) -> None:
    r = context_similarity(store, WORD, TEXTS, model=MINILM, layer=layer)
    ref = hf_word_vectors(minilm_hf_dir, WORD, TEXTS, layer)
    unit = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    np.testing.assert_allclose(r.similarity, unit @ unit.T, atol=1e-5)
    assert r.pieces == (("un", "##bel", "##ie", "##va", "##bly"),) * len(TEXTS)
    centroid = ref.mean(axis=0)
    expected = unit @ (centroid / np.linalg.norm(centroid))
    np.testing.assert_allclose(r.static_similarity, expected, atol=1e-5)


def test_result_shape_map_and_json(store: ModelStore) -> None:
    texts = EXAMPLES["bank"]["river"] + EXAMPLES["bank"]["money"]
    r = context_similarity(store, "Bank", texts)
    assert (r.model, r.layer, r.word, r.sentences) == ("bert-lab-mlm", 6, "Bank", texts)
    n = len(texts)
    assert r.similarity.shape == (n, n) and r.points.shape == (n + 1, 2)
    np.testing.assert_array_equal(r.similarity, r.similarity.T)
    np.testing.assert_array_equal(np.diag(r.similarity), np.ones(n, dtype=np.float32))
    np.testing.assert_array_equal(r.points[-1], [0.0, 0.0])  # the static point: the centroid
    np.testing.assert_allclose(r.points[:-1].mean(axis=0), [0.0, 0.0], atol=1e-5)
    assert r.static_similarity.shape == (n,)
    data = r.to_json()
    assert {"model", "layer", "word", "sentences", "similarity"} <= set(data)
    assert len(data["points"]) == n + 1 and "layer 6" in str(data["note"])  # type: ignore[arg-type]


def test_senses_separate_up_the_layers(store: ModelStore) -> None:
    river, money = EXAMPLES["bank"]["river"], EXAMPLES["bank"]["money"]
    same = np.zeros((6, 6), dtype=bool)
    same[:3, :3] = same[3:, 3:] = True
    off = ~np.eye(6, dtype=bool)

    def gap(layer: int) -> float:
        sim = context_similarity(store, "bank", river + money, layer=layer).similarity
        return float(sim[same & off].mean() - sim[~same].mean())

    first, last = gap(0), gap(6)
    assert abs(first) < 0.02  # the embedding output: one word, differing only by position
    assert last > 0.1 and last > first


def test_pca_2d_is_centred_and_sign_fixed() -> None:
    rng = np.random.default_rng(0)
    v = rng.normal(size=(6, 10))
    p = pca_2d(v)
    assert p.shape == (6, 2)
    np.testing.assert_allclose(p.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(pca_2d(v + 5.0), p, atol=1e-5)  # only spread matters
    two = pca_2d(v[:2])
    np.testing.assert_allclose(two[:, 1], 0.0)  # two points spread along one axis only


def test_find_word_matches_whole_words_case_insensitively() -> None:
    assert find_word("bank", "The embankment and the banks, then the Bank.") == (39, 43)
    assert find_word("bank", "the bank's vault") == (4, 8)
    assert find_word("bank", "no such word: banking") is None


def test_bad_input_is_a_calm_user_error(store: ModelStore) -> None:
    with pytest.raises(UserError, match="sentence 2 does not contain the word 'bank'"):
        context_similarity(store, "bank", ["The bank is shut.", "The banks are shut."])
    with pytest.raises(UserError, match="not a single word"):
        context_similarity(store, "river bank", ["a river bank", "a river bank"])
    with pytest.raises(UserError, match="give the word"):
        context_similarity(store, "  ", ["a", "b"])
    with pytest.raises(UserError, match="sentence 1 is empty"):
        context_similarity(store, "bank", ["", "bank"])
    with pytest.raises(UserError, match="at most 200"):
        context_similarity(store, "bank", ["bank"] * 10_000)
    with pytest.raises(UserError, match="layer 7 does not exist"):
        context_similarity(store, "bank", ["bank", "a bank"], layer=7)
    long = " ".join(["word"] * 600) + " bank"
    with pytest.raises(UserError, match="beyond the 512 tokens"):
        context_similarity(store, "bank", ["the bank", long])
