"""BPE merge replay ends where the real tokenizers end (GPT-2 against tiktoken, trained BPE)."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from lab_app.core.errors import UserError
from lab_app.core.models.build.tokenizer_build import GPT2_EOT
from lab_app.core.models.tokenizer_specs import unicode_to_bytes
from lab_app.core.tokenizers.bpe_replay import MAX_REPLAY_CHARS, MergeTable, merge_table, replay
from lab_app.core.tokenizers.tokenize import load_store_tokenizer, tokenize
from lab_app.core.tokenizers.train import sample_training_text, train_tokenizers

PROPERTY = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WORD = st.one_of(
    st.text(min_size=1, max_size=MAX_REPLAY_CHARS).filter(lambda w: w.strip()),
    st.sampled_from(
        ["tokenization", " lower", "don't", "Zoë🙂", "antidisestablishmentarianism",
         "175,000,000,000", "東京", "e\u0301", "👩\u200d👧", "    return"]
    ),
)  # fmt: skip


class Bpe(tuple[Tokenizer, MergeTable]):
    """A tokenizer and its merge table, with a short repr for Hypothesis reports."""

    def __repr__(self) -> str:
        return f"Bpe({self[1].n_merges} merges)"


@cache
def _gpt2(root: Path) -> Bpe:
    tok = load_store_tokenizer(root / "tokenizers" / "bpe" / "tokenizer.json")
    return Bpe((tok, merge_table(tok)))


@cache
def _trained() -> Bpe:
    bpe = train_tokenizers(lambda d, t: True, sample_training_text(), 800).tokenizers[1]
    return Bpe((bpe.tokenizer, merge_table(bpe.tokenizer)))


@pytest.fixture
def gpt2(built_store_dir: Path) -> Bpe:
    return _gpt2(built_store_dir)


def _check(tok: Tokenizer, table: MergeTable, word: str) -> None:
    steps = replay(word, table).steps
    expected = tokenize(tok, word, name="bpe", model="m").tokens
    assert steps[-1].tokens == expected
    # the start is one symbol per UTF-8 byte, and each merge removes exactly one boundary
    assert len(steps[0].tokens) == len(word.encode("utf-8"))
    assert all(len(c) == 1 for c in steps[0].tokens)
    for before, after in itertools.pairwise(steps):
        if after.merged is not None:
            assert len(after.tokens) == len(before.tokens) - 1
            assert "".join(after.merged) in after.tokens
    ranks = [s.rank for s in steps if s.rank is not None]
    assert ranks == sorted(ranks)  # merges apply in the order they were learned
    table_bytes = unicode_to_bytes()
    joined = b"".join(bytes(table_bytes[c] for c in t) for t in steps[-1].tokens)
    assert joined == word.encode("utf-8")


def test_known_replays(gpt2: Bpe) -> None:
    _, table = gpt2
    assert table.n_merges == 50000 and table.ignore_merges
    rep = replay("tokenization", table)
    assert rep.final_tokens == ["token", "ization"]
    assert rep.steps[0].tokens == list("tokenization")
    assert rep.steps[-1].merged == ("t", "oken")
    first = replay(" lower", table).steps[1]
    assert (first.merged, first.rank) == (("e", "r"), 7)  # GPT-2's eighth merge
    assert replay("don't", table).steps[-1].pieces == (("don",), ("'t",))


@PROPERTY
@given(word=WORD)
def test_gpt2_replay_ends_at_the_real_tokens(gpt2: Bpe, word: str) -> None:
    _check(*gpt2, word)


@settings(max_examples=40, deadline=None)
@given(word=WORD)
def test_trained_replay_ends_at_the_trained_tokens(word: str) -> None:
    _check(*_trained(), word)


def test_replay_refuses(gpt2: Bpe) -> None:
    _, table = gpt2
    with pytest.raises(UserError, match="Type a word"):
        replay("  ", table)
    with pytest.raises(UserError, match=str(MAX_REPLAY_CHARS)):
        replay("x" * (MAX_REPLAY_CHARS + 1), table)
    with pytest.raises(UserError, match="special token"):
        replay(f"a{GPT2_EOT}", table)


def test_merge_table_needs_bpe(built_store_dir: Path) -> None:
    wp = load_store_tokenizer(built_store_dir / "tokenizers" / "wordpiece" / "tokenizer.json")
    with pytest.raises(UserError, match="byte-level BPE"):
        merge_table(wp)
