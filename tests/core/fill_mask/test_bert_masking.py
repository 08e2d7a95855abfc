"""BERT's pre-training masking: seeded, 15% chosen, and 80/10/10 over many draws."""

from __future__ import annotations

from pathlib import Path

import pytest
from tokenizers import Tokenizer

from lab_app.core.errors import UserError
from lab_app.core.mlm.masking import (
    ReplacementVocab,
    chosen_count,
    draw_masking,
    masking_counts,
    replacement_vocab,
)

SENTENCE = "my dog is hairy and he likes to play in the park every single day"
TOKENS = SENTENCE.split()


@pytest.fixture(scope="module")
def vocab(built_store_dir: Path) -> ReplacementVocab:
    tok = Tokenizer.from_file(str(built_store_dir / "tokenizers/wordpiece/tokenizer.json"))
    return replacement_vocab(tok, "[MASK]")


def test_random_words_are_real_words(vocab: ReplacementVocab) -> None:
    assert "[MASK]" not in vocab.tokens and "[unused0]" not in vocab.tokens
    assert "[PAD]" not in vocab.tokens and "dog" in vocab.tokens
    assert len(vocab.tokens) > 29_000


def test_same_seed_same_draw(vocab: ReplacementVocab) -> None:
    assert draw_masking(TOKENS, 7, vocab) == draw_masking(TOKENS, 7, vocab)
    draws = {draw_masking(TOKENS, s, vocab).masked for s in range(20)}
    assert len(draws) > 10


def test_a_draw_chooses_15_percent_and_applies_its_actions(vocab: ReplacementVocab) -> None:
    for seed in range(200):
        draw = draw_masking(TOKENS, seed, vocab)
        assert len(draw.chosen) == chosen_count(len(TOKENS)) == 2
        for i, (before, after) in enumerate(zip(draw.original, draw.masked, strict=True)):
            action = draw.action_at(i)
            if action is None or action == "keep":
                assert after == before
            elif action == "mask":
                assert after == "[MASK]"
            else:
                assert after in vocab.tokens


def test_at_least_one_token_is_chosen() -> None:
    assert chosen_count(1) == 1 and chosen_count(3) == 1 and chosen_count(20) == 3
    assert chosen_count(0) == 0


def test_counts_over_1000_draws_converge_to_80_10_10(vocab: ReplacementVocab) -> None:
    tallies = masking_counts(len(TOKENS), len(vocab.tokens))
    assert [t.draws for t in tallies] == [10, 100, 1000]
    last = tallies[-1]
    assert last.chosen == 1000 * chosen_count(len(TOKENS))
    fr = last.fractions()
    assert fr["mask"] == pytest.approx(0.8, abs=0.03)
    assert fr["random"] == pytest.approx(0.1, abs=0.025)
    assert fr["keep"] == pytest.approx(0.1, abs=0.025)
    assert masking_counts(len(TOKENS), len(vocab.tokens)) == tallies  # seeded


def test_counts_are_the_draws_that_draw_again_steps_through(vocab: ReplacementVocab) -> None:
    tally = masking_counts(len(TOKENS), len(vocab.tokens), draws=50, checkpoints=())[-1]
    actions = [a for s in range(50) for a in draw_masking(TOKENS, s, vocab).actions]
    assert (tally.mask, tally.random, tally.keep) == (
        actions.count("mask"),
        actions.count("random"),
        actions.count("keep"),
    )


def test_nothing_to_mask_is_a_user_error(vocab: ReplacementVocab) -> None:
    with pytest.raises(UserError, match="type a sentence"):
        draw_masking([], 0, vocab)
    with pytest.raises(UserError):
        masking_counts(0, 100)
