"""Fill-mask core against transformers on the same weights, and its answers to bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_app.core.errors import UserError
from lab_app.core.fill_mask.predict import (
    fill_mask_encoder,
    has_nsp,
    mlm_models,
    predict,
    text_view,
)
from lab_app.core.fill_mask.text import MAX_MASKS, mask_word
from lab_app.core.mlm.head import MASK_LOGITS, MASK_POSITIONS, head_for
from lab_app.core.models.encoder import Encoder, TokenBatch
from lab_app.core.models.store import ModelStore

pytest_plugins = ["fill_mask_fixtures"]

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

ATOL = 1e-4
TEXTS = [
    "how are [MASK] today?",
    "she opened the [MASK].",
    "paris is the capital of [MASK].",
    "the [MASK] sat on the [MASK] mat.",
    "an unbelievably [MASK] story 🙂",
    "שלום [MASK] مرحبا",
]


@pytest.fixture(params=["store-graph", "masked-head-graph"])
def any_encoder(request: pytest.FixtureRequest) -> Encoder:
    """A plain store Encoder (head in numpy) and :func:`fill_mask_encoder` (head in the graph)."""
    name = "mlm_encoder" if request.param == "store-graph" else "mlm_fast_encoder"
    encoder: Encoder = request.getfixturevalue(name)
    return encoder


@pytest.fixture(scope="module")
def hf_model(mlm_hf_dir: Path) -> Any:
    return transformers.AutoModelForMaskedLM.from_pretrained(
        str(mlm_hf_dir), attn_implementation="eager"
    ).eval()


@pytest.fixture(scope="module")
def pipe(hf_model: Any, mlm_hf_dir: Path) -> Any:
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(mlm_hf_dir))
    return transformers.pipeline("fill-mask", model=hf_model, tokenizer=tokenizer, device="cpu")


@pytest.mark.parametrize("text", TEXTS)
def test_predictions_equal_the_transformers_pipeline(
    any_encoder: Encoder, pipe: Any, text: str
) -> None:
    result = predict(any_encoder, text, top_k=10)
    expected = pipe(text, top_k=10)
    if isinstance(expected[0], dict):  # one mask: the pipeline drops a level
        expected = [expected]
    assert len(result.masks) == len(expected)
    for mask, ref in zip(result.masks, expected, strict=True):
        assert [p.id for p in mask.predictions] == [r["token"] for r in ref]
        assert [p.token for p in mask.predictions] == [r["token_str"] for r in ref]
        probs = np.array([p.probability for p in mask.predictions])
        np.testing.assert_allclose(probs, [r["score"] for r in ref], atol=ATOL, rtol=0)
        assert result.tokens[mask.index] == "[MASK]"


def test_both_heads_equal_the_store_graph_logits(
    mlm_encoder: Encoder, mlm_fast_encoder: Encoder
) -> None:
    view = text_view(mlm_encoder, "the [MASK] sat on the [MASK] mat.")
    ids = view.input_ids()
    n = ids.shape[1]
    batch = TokenBatch(ids, np.ones((1, n), np.int64), np.zeros((1, n), np.int64), (False,))
    out = mlm_encoder.run(batch, ["logits", "last_hidden_state"])
    mine = head_for(mlm_encoder).logits(out["last_hidden_state"][0])
    np.testing.assert_allclose(mine, out["logits"][0], atol=ATOL, rtol=0)
    positions = np.asarray(view.mask_positions, dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": batch.attention_mask}
    feed["token_type_ids"] = batch.token_type_ids
    feed[MASK_POSITIONS] = positions
    masked = mlm_fast_encoder.session.run([MASK_LOGITS], feed)[0][0]
    np.testing.assert_allclose(masked, out["logits"][0][positions], atol=ATOL, rtol=0)
    assert "logits" not in mlm_fast_encoder.output_names


def test_logit_lens_last_layer_is_the_final_prediction(any_encoder: Encoder) -> None:
    result = predict(any_encoder, "the [MASK] sat on the [MASK] mat.", per_layer=True)
    assert result.per_layer is not None and len(result.per_layer) == 2
    for mask, lens in zip(result.masks, result.per_layer, strict=True):
        assert lens.index == mask.index and lens.id == mask.top.id
        assert [g.layer for g in lens.layers] == list(range(any_encoder.num_layers + 1))
        last = lens.layers[-1]
        assert last.rank == 1 and last.top_token == mask.top.token
        assert last.probability == pytest.approx(mask.top.probability, abs=1e-6)


def test_logit_lens_equals_the_head_on_transformers_hidden_states(
    mlm_encoder: Encoder, hf_model: Any, mlm_hf_dir: Path
) -> None:
    text = "how are [MASK] today?"
    result = predict(mlm_encoder, text, per_layer=True)
    assert result.per_layer is not None
    lens = result.per_layer[0]
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(mlm_hf_dir))
    enc = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        hidden = hf_model(**enc, output_hidden_states=True).hidden_states
        for layer, guess in enumerate(lens.layers):
            logits = hf_model.cls(hidden[layer])[0, lens.index]
            probs = torch.softmax(logits, dim=-1)
            rank = int((logits > logits[lens.id]).sum()) + 1
            assert guess.rank == rank
            assert guess.probability == pytest.approx(float(probs[lens.id]), abs=ATOL)
            assert guess.top_token == tokenizer.convert_ids_to_tokens(int(logits.argmax()))


def _same_guesses(a: Any, b: Any) -> None:
    """The same guesses in the same order; probabilities equal to float32 rounding (ONNX Runtime
    1.32 may pick other kernels for another call on the same input)."""
    assert [(p.token, p.id) for p in a] == [(p.token, p.id) for p in b]
    assert [p.probability for p in a] == pytest.approx([p.probability for p in b], rel=1e-4)


def test_left_to_right_feeds_each_filled_mask_into_the_next(any_encoder: Encoder) -> None:
    text = "the [MASK] sat on the [MASK] mat."
    independent = predict(any_encoder, text)
    sequential = predict(any_encoder, text, sequential=True)
    # the first mask sees the same input
    _same_guesses(sequential.masks[0].predictions, independent.masks[0].predictions)
    first = sequential.masks[0].top.token
    assert not first.startswith("##")
    refilled = predict(any_encoder, text.replace("[MASK]", first, 1))
    _same_guesses(sequential.masks[1].predictions, refilled.masks[0].predictions)
    assert sequential.masks[1].predictions != independent.masks[1].predictions
    assert sequential.filled_tokens[2] == first


def test_json_contract(mlm_encoder: Encoder) -> None:
    data = predict(mlm_encoder, "how are [MASK] today?", top_k=3, per_layer=True).to_json()
    assert data["model"] == "tiny-mlm"
    assert [m["index"] for m in data["masks"]] == [3]
    assert set(data["masks"][0]["predictions"][0]) == {"token", "id", "probability"}
    assert len(data["masks"][0]["predictions"]) == 3
    assert len(data["per_layer"][0]["layers"]) == 3
    assert "per_layer" not in predict(mlm_encoder, "how are [MASK] today?").to_json()


def test_mask_word_masks_every_piece_of_a_word(mlm_encoder: Encoder) -> None:
    view = text_view(mlm_encoder, "an unbelievably good [MASK]!")
    pieces = [t for t in view.tokens if t.word == 1]
    assert len(pieces) > 1 and all(t.continuation for t in pieces[1:])
    assert mask_word(view, 1) == "an [MASK] good [MASK]!"
    assert mask_word(view, 4) == "an unbelievably good [MASK][MASK]"  # the "!" is a word too
    with pytest.raises(UserError):
        mask_word(view, 3)  # the existing [MASK]: nothing to mask


def test_typed_lowercase_mask_counts(mlm_encoder: Encoder) -> None:
    assert len(predict(mlm_encoder, "how are [mask] today?").masks) == 1


@pytest.mark.parametrize(
    "text",
    [
        "🙂🙂 [MASK] 🙂",
        "שלום [MASK] עולם",
        "مرحبا [MASK] بالعالم",
        "tab\there\x00 and bell\x07 [MASK]\u202e\u200b ok",
        "[MASK] " + "word " * 600,
    ],
)
def test_odd_text_works(any_encoder: Encoder, text: str) -> None:
    result = predict(any_encoder, text, top_k=5)
    assert len(result.masks) == 1 and len(result.masks[0].predictions) == 5
    assert len(result.tokens) <= 512
    assert result.truncated == ("word " * 600 in text)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "Type a sentence"),
        ("   \n\t", "Type a sentence"),
        ("\x00\x01\x02", "Type a sentence"),
        ("no blank in this one", "Add [MASK]"),
        ("[MASK]", "Add some words around"),
        ("[MASK] [MASK]\x07", "Add some words around"),
        ("a " + "[MASK] " * (MAX_MASKS + 2), f"at most {MAX_MASKS}"),
        ("word " * 600 + "[MASK]", "limit of 512 tokens"),
    ],
)
def test_bad_input_is_a_user_error(mlm_fast_encoder: Encoder, text: str, needle: str) -> None:
    with pytest.raises(UserError) as info:
        predict(mlm_fast_encoder, text)
    assert needle in str(info.value)


@pytest.mark.parametrize("k", [0, -1, 101])
def test_bad_top_k_is_a_user_error(mlm_encoder: Encoder, k: int) -> None:
    with pytest.raises(UserError, match="top-k"):
        predict(mlm_encoder, "how are [MASK] today?", top_k=k)


def test_a_model_without_head_is_refused(mlm_store_dir: Path) -> None:
    store = ModelStore(mlm_store_dir)
    assert [e.name for e in mlm_models(store.models())] == ["tiny-mlm"]
    plain = Encoder(store.model("aaa-plain-encoder"))
    with pytest.raises(UserError, match="no masked-LM head"):
        predict(plain, "how are [MASK] today?")
    with pytest.raises(UserError, match="no masked-LM head"):
        fill_mask_encoder(store.model("aaa-plain-encoder"))


def test_no_store_model_has_nsp(mlm_encoder: Encoder) -> None:
    assert has_nsp(mlm_encoder) is False


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    masks=st.integers(min_value=0, max_value=3),
)
def test_any_text_answers_or_says_what_to_do(
    mlm_fast_encoder: Encoder, before: str, after: str, masks: int
) -> None:
    text = before + " [MASK]" * masks + after
    try:
        result = predict(mlm_fast_encoder, text, top_k=3, sequential=masks > 1, per_layer=True)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert len(result.masks) >= 1
        view = text_view(mlm_fast_encoder, text)
        for word in view.words:  # every word chip can be masked
            assert "[MASK]" in mask_word(view, word)
