"""Perplexity and pseudo-perplexity against independent references, and every calm refusal.

The decoder's per-token log-probabilities are checked against transformers' LlamaForCausalLM
loaded from the same GGUF file (as tests/models/test_llama_parity.py does for the logits), the
masked LM's against transformers' BertForMaskedLM with bert-lab-mlm's weights (as
tests/core/models/test_bert_lab_mlm_build.py builds them).
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from progress_recorder import Recorder

from lab_app.core.bench import perplexity as ppl
from lab_app.core.bench.perplexity import (
    ENGLISH_SAMPLE,
    FINNISH_SAMPLE,
    builtin_masked_lm,
    comparison_texts,
    perplexity,
    pseudo_perplexity,
    random_characters,
    shuffled_words,
)
from lab_app.core.errors import Cancelled, UserError
from lab_app.core.models.store import ModelStore

# test_llama_parity's LOGIT_ATOL is 2e-3; a log-probability is a logit minus the log-sum-exp of
# all of them, each off by at most that.
LOGPROB_ATOL = 4e-3
# test_bert_lab_mlm_build's tolerance for bert-lab-mlm's logits is 3e-4; twice it, as above.
MLM_LOGPROB_ATOL = 6e-4
TEXTS = [ENGLISH_SAMPLE, FINNISH_SAMPLE, "Emoji 😀 and عربى mixed in, 2024 ¼½.\n\nNew paragraph."]


@pytest.fixture(scope="module")
def reference_logprobs(smollm2_torch: Any) -> Callable[[tuple[int, ...]], np.ndarray]:
    """``ids`` → ``log P(ids[i] | ids[:i])`` for ``i`` from 1, from the logits of transformers'
    Llama loaded from the GGUF file; each text's computed once for the module."""
    import torch

    model = smollm2_torch

    @functools.cache
    def logprobs(ids: tuple[int, ...]) -> np.ndarray:
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].double()
        logp = torch.log_softmax(logits, dim=-1).numpy()
        return logp[np.arange(len(ids) - 1), ids[1:]]

    return logprobs


@pytest.mark.parametrize("chunk", [16, ppl.CHUNK])
def test_token_logprobs_and_perplexity_equal_transformers(
    decoder: Any,
    reference_logprobs: Callable[[tuple[int, ...]], np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
) -> None:
    monkeypatch.setattr(ppl, "CHUNK", chunk)  # 16: every text runs in several cached passes
    for text in TEXTS:
        ids = decoder.encode(text)
        r = perplexity(decoder, text)
        want = reference_logprobs(tuple(ids))
        got = np.array([t.logprob for t in r.tokens])
        assert [t.id for t in r.tokens] == ids[1:]
        np.testing.assert_allclose(got, want, atol=LOGPROB_ATOL, rtol=0)
        assert r.perplexity == pytest.approx(math.exp(-want.mean()), rel=LOGPROB_ATOL)
        assert r.mean_nll == pytest.approx(-got.mean())
        assert not r.cut and r.dropped == 0


def test_bits_per_byte_count_the_bytes_the_scored_tokens_cover(decoder: Any) -> None:
    r = perplexity(decoder, "Hello world, again")  # "Hello" is the context
    assert r.context == "Hello"
    assert r.bytes == len(" world, again")
    assert r.bits_per_byte == pytest.approx(-r.total_logprob / math.log(2) / r.bytes)
    # three tokens of one emoji: the character counts with the token that completes it
    emoji = perplexity(decoder, "😀")
    assert emoji.count == 2 and emoji.bytes == 4
    # a two-byte letter after an ASCII context counts two bytes
    assert perplexity(decoder, "aä").bytes == 2


def test_a_bos_token_is_the_first_tokens_context(decoder: Any) -> None:
    assert not decoder.add_bos  # SmolLM2 puts nothing in front: its first token is not scored
    with_bos = copy.copy(decoder)
    with_bos.add_bos = True
    text = "Hello world"
    r = perplexity(with_bos, text)
    plain = decoder.encode(text)
    assert [t.id for t in r.tokens] == plain
    assert r.context == decoder.token_text(decoder.bos_id)
    assert r.bytes == len(text)
    logits, _ = decoder.forward([decoder.bos_id, *plain], all_logits=True)
    want = ppl.picked_logprobs(logits[:-1], plain)
    np.testing.assert_allclose([t.logprob for t in r.tokens], want, atol=1e-9)
    # with a BOS, a single token is enough
    assert perplexity(with_bos, "Hello").count == 1


@pytest.mark.parametrize("text", ["", "   ", "Hello"])
def test_fewer_than_two_tokens_is_a_calm_error(decoder: Any, text: str) -> None:
    with pytest.raises(UserError, match="perplexity needs at least two tokens"):
        perplexity(decoder, text)


@pytest.mark.parametrize("cap", [1, 8193])
def test_a_cap_outside_the_context_is_refused(decoder: Any, cap: int) -> None:
    with pytest.raises(UserError, match="max_tokens must be from 2 to 8192"):
        perplexity(decoder, ENGLISH_SAMPLE, max_tokens=cap)


def test_a_long_text_is_cut_calmly_at_the_cap(decoder: Any) -> None:
    ids = decoder.encode(ENGLISH_SAMPLE)
    full = perplexity(decoder, ENGLISH_SAMPLE)
    cut = perplexity(decoder, ENGLISH_SAMPLE, max_tokens=10)
    assert cut.cut and cut.dropped == len(ids) - 10 and cut.count == 9
    assert [t.id for t in cut.tokens] == ids[1:10]
    np.testing.assert_allclose(
        [t.logprob for t in cut.tokens], [t.logprob for t in full.tokens[:9]], atol=1e-4
    )
    assert cut.bytes == len(decoder.decode(ids[1:10]).encode("utf-8"))
    assert cut.to_json()["dropped"] == len(ids) - 10


def test_progress_ticks_per_pass_and_cancel_stops(
    decoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ppl, "CHUNK", 16)
    n = len(decoder.encode(ENGLISH_SAMPLE)) - 1
    seen = Recorder()
    perplexity(decoder, ENGLISH_SAMPLE, progress=seen)
    assert [d for d, _, _ in seen.ticks] == [*range(0, n, 16), n]
    assert seen.ticks[-1] == (n, n, "done")
    with pytest.raises(Cancelled):
        perplexity(decoder, ENGLISH_SAMPLE, progress=Recorder(stop_at=1))
    stopper = Recorder(stop_at=3)  # after two passes
    with pytest.raises(Cancelled):
        perplexity(decoder, ENGLISH_SAMPLE, progress=stopper)
    assert len(stopper.ticks) == 3


def test_the_variants_are_harder_than_the_english_sample(decoder: Any) -> None:
    english = perplexity(decoder, ENGLISH_SAMPLE)
    line_up = dict(comparison_texts(ENGLISH_SAMPLE, seed=0))
    assert line_up["original"] == ENGLISH_SAMPLE and line_up["Finnish"] == FINNISH_SAMPLE
    shuffled = perplexity(decoder, line_up["shuffled words"])
    assert shuffled.perplexity > 5 * english.perplexity
    # random characters split into many short tokens, so only bits per byte compares fairly
    for label in ("random characters", "Finnish"):
        assert perplexity(decoder, line_up[label]).bits_per_byte > 2 * english.bits_per_byte
    json.dumps(english.to_json())
    assert english.to_json()["tokens"][0] == {
        "id": english.tokens[0].id,
        "text": english.tokens[0].text,
        "logprob": english.tokens[0].logprob,
    }


def test_seeded_variants_are_reproducible_and_keep_what_they_promise() -> None:
    once, again = shuffled_words(ENGLISH_SAMPLE, 7), shuffled_words(ENGLISH_SAMPLE, 7)
    assert once == again != shuffled_words(ENGLISH_SAMPLE, 8)
    assert sorted(once.split()) == sorted(ENGLISH_SAMPLE.split())
    noise = random_characters(ENGLISH_SAMPLE, 7)
    assert noise == random_characters(ENGLISH_SAMPLE, 7) != random_characters(ENGLISH_SAMPLE, 8)
    assert len(noise) == len(ENGLISH_SAMPLE)
    assert set(noise) <= {c for c in ENGLISH_SAMPLE if c.isalpha()} | {" "}
    assert comparison_texts(seed=3) == comparison_texts(seed=3)


@pytest.mark.parametrize("seed", [-1, 2**32, True, 1.5])
def test_bad_seeds_follow_the_seed_rule(seed: Any) -> None:
    for variant in (shuffled_words, random_characters):
        with pytest.raises(UserError, match="a seed is a whole number"):
            variant(ENGLISH_SAMPLE, seed)


def test_variants_of_nothing_are_calm_errors() -> None:
    with pytest.raises(UserError, match="no words"):
        shuffled_words(" \n ")
    with pytest.raises(UserError, match="letters"):
        random_characters("123 456 !?")


# -- pseudo-perplexity ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mlm(built_store_dir: Path) -> Any:
    return builtin_masked_lm(ModelStore(built_store_dir))


def torch_bert_lab_mlm(minilm_hf_dir: Path) -> Any:
    """bert-lab-mlm in transformers: the pinned MiniLM base plus the project's delta."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from safetensors.numpy import load_file

    from lab_app.core.models.build import builtin_mlm

    delta_file = builtin_mlm.models_dir() / builtin_mlm.MLM_DELTA
    if not delta_file.is_file():
        pytest.skip("the project's MLM weights are not in this tree")
    config = transformers.BertConfig.from_json_file(str(minilm_hf_dir / "config.json"))
    model = transformers.BertForMaskedLM(config).eval()
    state = {
        f"bert.{k}": torch.from_numpy(v)
        for k, v in load_file(str(minilm_hf_dir / "model.safetensors")).items()
    }
    for name, value in load_file(str(delta_file)).items():
        key = name if name.startswith("cls.") else f"bert.{name}"
        state[key] = torch.from_numpy(value.astype(np.float32))
    model.load_state_dict(state, strict=False)
    model.tie_weights()
    return model


def test_pseudo_perplexity_equals_pytorch(mlm: Any, minilm_hf_dir: Path) -> None:
    import torch

    model = torch_bert_lab_mlm(minilm_hf_dir)
    text = "The children walked to school in the rain, unbelievably happy."
    r = pseudo_perplexity(mlm, text)
    enc = mlm.tokenizer.encode(text)  # [CLS] pieces [SEP]
    ids = torch.tensor(enc.ids)
    n = len(enc.ids) - 2
    copies = ids.repeat(n, 1)
    rows, where = torch.arange(n), torch.arange(1, n + 1)
    copies[rows, where] = mlm.tokenizer.token_to_id("[MASK]")
    with torch.no_grad():
        logits = model(input_ids=copies, attention_mask=torch.ones_like(copies)).logits
    logp = torch.log_softmax(logits[rows, where].double(), dim=-1)
    want = logp[rows, ids[where]].numpy()
    assert [t.text for t in r.tokens] == enc.tokens[1:-1]
    np.testing.assert_allclose([t.logprob for t in r.tokens], want, atol=MLM_LOGPROB_ATOL)
    assert r.perplexity == pytest.approx(math.exp(-want.mean()), rel=MLM_LOGPROB_ATOL)


def test_pseudo_perplexity_is_the_same_one_copy_a_pass(
    mlm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched = pseudo_perplexity(mlm, ENGLISH_SAMPLE)
    monkeypatch.setattr(ppl, "MASK_BATCH_POSITIONS", 1)
    seen = Recorder()
    alone = pseudo_perplexity(mlm, ENGLISH_SAMPLE, progress=seen)
    np.testing.assert_allclose(
        [t.logprob for t in alone.tokens], [t.logprob for t in batched.tokens], atol=1e-4
    )
    assert len(seen.ticks) == alone.count + 1


def test_pseudo_perplexity_cut_cancel_and_bad_input(mlm: Any) -> None:
    pieces = len(mlm.tokenizer.encode(ENGLISH_SAMPLE, add_special_tokens=False).ids)
    cut = pseudo_perplexity(mlm, ENGLISH_SAMPLE, max_tokens=5)
    assert cut.cut and cut.count == 5 and cut.dropped == pieces - 5
    long = " ".join([ENGLISH_SAMPLE] * 8)  # more pieces than bert-lab-mlm's 512 positions
    assert len(mlm.tokenizer.encode(long, add_special_tokens=False).ids) > 510
    with pytest.raises(Cancelled):
        pseudo_perplexity(mlm, long, progress=Recorder(stop_at=1))
    for empty in ("", "  \n"):
        with pytest.raises(UserError, match="at least one word piece"):
            pseudo_perplexity(mlm, empty)
    with pytest.raises(UserError, match="max_tokens"):
        pseudo_perplexity(mlm, ENGLISH_SAMPLE, max_tokens=0)


def test_pseudo_perplexity_caps_at_the_models_positions(
    mlm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = " ".join([ENGLISH_SAMPLE] * 8)
    pieces = len(mlm.tokenizer.encode(long, add_special_tokens=False).ids)
    monkeypatch.setattr(mlm, "max_positions", 40)  # as a 512 cap would, at a fraction of the cost
    r = pseudo_perplexity(mlm, long)
    assert r.count == 38 and r.cut and r.dropped == pieces - 38


def test_shuffled_words_surprise_the_masked_lm_too(mlm: Any) -> None:
    english = pseudo_perplexity(mlm, ENGLISH_SAMPLE)
    shuffled = pseudo_perplexity(mlm, shuffled_words(ENGLISH_SAMPLE, 0))
    assert shuffled.perplexity > 5 * english.perplexity
    json.dumps(english.to_json())
