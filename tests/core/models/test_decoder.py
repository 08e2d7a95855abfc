"""The built-in decoder in ONNX Runtime: answers, the KV cache, sampling, scoring, the template."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lab_app.core.errors import StoreError, UserError
from lab_app.core.models.generate import (
    MAX_NEW_TOKENS,
    Sampling,
    generate,
    log_softmax,
    prepare_prompt,
    score,
    score_ids,
)

CAPITALS = "France: Paris\nJapan: Tokyo\nItaly:"


def _greedy(decoder: Any, text: str, n: int = 4, **kw: Any) -> list[Any]:
    ids = prepare_prompt(decoder, text, n).ids
    return list(generate(decoder, ids, Sampling(max_new_tokens=n, **kw)))


def test_the_lecture_prompt_is_answered_rome(decoder: Any) -> None:
    steps = _greedy(decoder, CAPITALS, 2)
    assert steps[0].text == " Rome"
    assert 0.5 < steps[0].prob <= 1.0
    alt = steps[0].alternatives
    assert alt[0].id == steps[0].id and alt[0].prob == pytest.approx(steps[0].prob)
    assert [a.prob for a in alt] == sorted((a.prob for a in alt), reverse=True)
    assert steps[-1].stop == "length"


def test_token_by_token_logits_equal_the_whole_prompt_at_once(decoder: Any) -> None:
    ids = decoder.encode("The quick brown fox jumps over the lazy dog, then rests.")
    whole, _ = decoder.forward(ids, all_logits=True)
    cache = None
    rows = []
    for token in ids:
        logits, cache = decoder.forward([token], cache)
        rows.append(logits[0])
    np.testing.assert_allclose(np.stack(rows), whole, atol=2e-3, rtol=0)
    assert (np.stack(rows).argmax(-1) == whole.argmax(-1)).all()
    assert cache is not None and cache.length == len(ids)


def test_a_shared_prefix_cache_gives_the_same_scores(decoder: Any) -> None:
    prefix = decoder.encode("hot => cold\nbig => small\n")
    query = decoder.encode("tall =>")
    answer = decoder.tokenizer.encode(" short", add_special_tokens=False).ids
    _, cache = decoder.forward(prefix)
    with_cache = score_ids(decoder, query, answer, cache)
    without = score_ids(decoder, prefix + query, answer)
    assert with_cache.prompt_tokens == without.prompt_tokens
    assert with_cache.total == pytest.approx(without.total, abs=1e-3)


def test_a_score_is_the_log_softmax_of_the_logits(decoder: Any) -> None:
    result = score(decoder, CAPITALS, " Rome")
    ids = decoder.encode(CAPITALS)
    logits, _ = decoder.forward(ids)
    rome = decoder.tokenizer.encode(" Rome", add_special_tokens=False).ids
    assert [t.id for t in result.tokens] == rome
    assert result.total == pytest.approx(float(log_softmax(logits[0])[rome[0]]), abs=1e-5)
    assert result.tokens[0].rank == 1
    first = _greedy(decoder, CAPITALS, 1)[0]
    assert np.exp(result.total) == pytest.approx(first.prob, rel=1e-4)
    worse = score(decoder, CAPITALS, " Madrid")
    assert worse.total < result.total and worse.tokens[0].rank > 1


def test_a_seed_repeats_a_sample_and_top_k_1_is_greedy(decoder: Any) -> None:
    text = "Once upon a time"
    one = [s.id for s in _greedy(decoder, text, 6, temperature=1.2, seed=7)]
    again = [s.id for s in _greedy(decoder, text, 6, temperature=1.2, seed=7)]
    assert one == again
    greedy = [s.id for s in _greedy(decoder, text, 6)]
    assert [s.id for s in _greedy(decoder, text, 6, temperature=0.7, top_k=1, seed=3)] == greedy
    assert [s.id for s in _greedy(decoder, text, 6, temperature=1.0, top_p=1e-6, seed=3)] == greedy
    others = {
        tuple(s.id for s in _greedy(decoder, text, 6, temperature=1.5, seed=seed))
        for seed in range(4)
    }
    assert len(others) > 1  # sampling does sample


def test_a_chat_turn_ends_at_the_end_of_turn_token(decoder: Any) -> None:
    prompt = decoder.render_chat([{"role": "user", "content": "What is the capital of France?"}])
    assert prompt.startswith("<|im_start|>system\n") and prompt.endswith("<|im_start|>assistant\n")
    steps = _greedy(decoder, prompt, 40)
    text = "".join(s.text for s in steps)
    assert "Paris" in text
    assert steps[-1].stop == "eos" and steps[-1].text == ""
    assert "<|im_end|>" not in text


def test_a_stop_string_ends_generation(decoder: Any) -> None:
    steps = _greedy(decoder, CAPITALS, 20, stop_strings=("\n",))
    assert steps[-1].stop == "stop string"
    assert "\n" in "".join(s.text for s in steps)


def test_a_long_prompt_keeps_its_end_and_says_what_was_cut(decoder: Any) -> None:
    text = "word " * 9000
    prompt = prepare_prompt(decoder, text, 16)
    assert len(prompt.ids) == decoder.context_length - 16
    assert prompt.cut > 0 and "cut" in prompt.note


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"max_new_tokens": 0}, "max new tokens"),
        ({"max_new_tokens": MAX_NEW_TOKENS + 1}, "max new tokens"),
        ({"temperature": 0.0}, "temperature"),
        ({"temperature": -1.0}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"top_p": 0.0}, "top-p"),
        ({"top_p": 1.5}, "top-p"),
        ({"top_k": 0}, "top-k"),
        ({"stop_strings": ("",)}, "stop string"),
    ],
)
def test_bad_sampling_settings_are_one_clear_message(kw: dict[str, Any], needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        Sampling(**kw).check(49_152)


def test_empty_prompts_and_continuations_are_refused(decoder: Any) -> None:
    with pytest.raises(UserError, match="empty"):
        prepare_prompt(decoder, "  \n", 4)
    with pytest.raises(UserError, match="empty"):
        score(decoder, CAPITALS, "")
    with pytest.raises(UserError, match="empty"):
        score(decoder, "", " Rome")
    with pytest.raises(UserError, match="context"):
        decoder.forward([1] * (decoder.context_length + 1))


def test_unknown_roles_are_refused_by_the_template(decoder: Any) -> None:
    with pytest.raises(UserError, match="role"):
        decoder.render_chat([{"role": "wizard", "content": "hi"}])


def test_the_manifest_counts_what_the_specs_calculator_counts(decoder: Any) -> None:
    from lab_app.core.specs.params import PRESETS, llama_params, llama_sizes

    extra = decoder.manifest.extra
    sizes = llama_sizes(extra["config"])
    assert sizes == PRESETS["smollm2-135m"][1]
    # The GGUF's tensors, counted element by element, against the calculator's formula.
    assert extra["parameters"] == llama_params(**sizes).total == 134_515_008


def test_encoders_and_decoders_keep_to_their_own_labs(built_store_dir: Any) -> None:
    from lab_app.core.fill_mask.predict import mlm_models
    from lab_app.core.models.build.builtin_llama import SMOLLM2
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore

    store = ModelStore(built_store_dir)
    assert [e.name for e in store.decoders()] == [SMOLLM2]
    assert SMOLLM2 not in {e.name for e in store.encoders()}
    assert SMOLLM2 not in {e.name for e in mlm_models(store.models())}
    with pytest.raises(StoreError, match="decoder"):
        Encoder(store.model(SMOLLM2))


def test_rows_of_different_lengths_score_as_they_do_alone(decoder: Any) -> None:
    from lab_app.core.models.generate import score_many

    prefix = decoder.encode("hot => cold\n")
    pairs = [
        (decoder.encode("tall =>"), decoder.tokenizer.encode(" short").ids),
        (decoder.encode("a very long query about =>"), decoder.tokenizer.encode(" x y").ids),
        (decoder.encode("up =>"), decoder.tokenizer.encode(" down").ids),
    ]
    _, cache = decoder.forward(prefix)
    for c in (None, cache):  # one padded batch, without a cache and after one
        many = score_many(decoder, pairs, c, batch=8)
        alone = [score_ids(decoder, p, a, c) for p, a in pairs]
        assert [s.prompt_tokens for s in many] == [s.prompt_tokens for s in alone]
        for m, a in zip(many, alone, strict=True):
            assert [t.id for t in m.tokens] == [t.id for t in a.tokens]
            assert [t.rank for t in m.tokens] == [t.rank for t in a.tokens]
            assert m.total == pytest.approx(a.total, abs=2e-3)


def test_rows_after_a_cache_run_as_one_batch_with_each_rows_own_logits(decoder: Any) -> None:
    """The graph reads each row's padding from the mask (``query_seqlens``), so a batch after a
    shared cache gives each row the logits it has alone, and the one-pass-per-row way of graphs
    built before it gives the same."""
    assert decoder.padded_rows  # the built-in is built with it (a recipe bump rebuilds it)
    _, cache = decoder.forward(decoder.encode("Give the opposite of each word:\nhot => cold\n"))
    texts = ["tall => short", "a rather long query about nothing => x y", "up =>", "wet => dry"]
    rows = [decoder.encode(t) for t in texts]
    starts = [0, 3, len(rows[2]) - 1, 1]
    alone = [decoder.forward(r, cache, logits_from=s)[0] for r, s in zip(rows, starts, strict=True)]
    batched = decoder.forward_rows(rows, starts, cache)
    try:
        decoder.padded_rows = False
        one_by_one = decoder.forward_rows(rows, starts, cache)
    finally:
        decoder.padded_rows = True
    for a, b, o in zip(alone, batched, one_by_one, strict=True):
        assert a.shape == b.shape == o.shape
        np.testing.assert_allclose(b, a, atol=1e-4, rtol=0)
        np.testing.assert_array_equal(o, a)
    assert cache.length == len(decoder.encode("Give the opposite of each word:\nhot => cold\n"))


def test_a_decoder_built_before_the_head_moved_into_its_graph_asks_for_a_rebuild(
    decoder: Any,
) -> None:
    import dataclasses

    from lab_app.core.models.decoder import Decoder

    entry = decoder.entry
    extra = {k: v for k, v in entry.manifest.extra.items() if k != "head_in_graph"}
    old = dataclasses.replace(entry, manifest=dataclasses.replace(entry.manifest, extra=extra))
    with pytest.raises(StoreError, match=r"older version.*bert-lab models build"):
        Decoder(old)
