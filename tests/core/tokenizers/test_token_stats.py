"""Token statistics, corpus mode and UTF-16 offsets, on the store's three real tokenizers.

Counts are checked against independent derivations: [UNK] by the vocab string, SentencePiece's
byte pieces by their ``<0xNN>`` spelling, GPT-2's byte tokens by tiktoken's own token bytes.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_app.core.errors import StoreError, UserError
from lab_app.core.models.build.tokenizer_build import GPT2_EOT, GPT2_EOT_ID, GPT2_PATTERN
from lab_app.core.models.store import ModelStore
from lab_app.core.tokenizers import stats as token_stats
from lab_app.core.tokenizers.corpus import corpus_stats, read_text_file
from lab_app.core.tokenizers.offsets import covering, index_to_utf16, utf16_to_index
from lab_app.core.tokenizers.stats import (
    HIST_BINS,
    Cancelled,
    LabTokenizer,
    compare,
    cut_with_stats,
    histogram,
    load_lab_tokenizers,
    stats_csv,
    tokens_per_word,
    word_spans,
)

PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FRAGMENTS = [
    "🙂", "👩\u200d👩\u200d👧", "e\u0301", "a\u0308\u0323", "\u200b", "\u200d", "東京は", " " * 5,
    "\n\t", "naïve", "175,000,000,000", "[UNK]", "<0xE2>", "Ġ", "▁", "don't", "𠀀",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(FRAGMENTS)), max_size=6).map(
    "".join
)


def _always(done: int, total: int) -> bool:
    return True


@cache
def _lab(root: Path) -> list[LabTokenizer]:
    return load_lab_tokenizers(ModelStore(root))


@pytest.fixture
def toks(built_store_dir: Path) -> dict[str, LabTokenizer]:
    return {t.name: t for t in _lab(built_store_dir)}


@cache
def _tiktoken(path: Path) -> Any:
    tiktoken = pytest.importorskip("tiktoken")
    from tiktoken.load import load_tiktoken_bpe

    return tiktoken.Encoding(
        name="gpt2", pat_str=GPT2_PATTERN, mergeable_ranks=load_tiktoken_bpe(str(path)),
        special_tokens={GPT2_EOT: GPT2_EOT_ID},
    )  # fmt: skip


def test_lab_tokenizers_in_lecture_order(toks: dict[str, LabTokenizer]) -> None:
    assert list(toks) == ["wordpiece", "bpe", "sentencepiece"]
    assert [t.vocab_size for t in toks.values()] == [30522, 50257, 32000]
    assert toks["wordpiece"].unk_id == 100
    assert toks["sentencepiece"].unk_id == 0
    assert toks["bpe"].unk_id is None
    assert [t.byte_level for t in toks.values()] == [False, True, False]
    assert toks["bpe"].label == "Byte-level BPE · gpt2"


def test_each_tokenizer_file_is_parsed_once_until_it_changes(
    built_store_dir: Path, tmp_path: Path
) -> None:
    import os
    import shutil

    root = tmp_path / "store"
    shutil.copytree(built_store_dir / "tokenizers", root / "tokenizers")
    first, again = load_lab_tokenizers(ModelStore(root)), load_lab_tokenizers(ModelStore(root))
    assert all(a.tokenizer is b.tokenizer for a, b in zip(first, again, strict=True))
    bpe = root / "tokenizers" / "bpe" / "tokenizer.json"
    later = bpe.stat().st_mtime_ns + 1_000_000_000
    os.utime(bpe, ns=(later, later))  # a rebuilt file: parsed again, the others reused
    changed = load_lab_tokenizers(ModelStore(root))
    same = [a.tokenizer is b.tokenizer for a, b in zip(first, changed, strict=True)]
    assert same == [True, False, True]
    ids = [t[1].tokenizer.encode("hello world").ids for t in (first, changed)]
    assert ids[0] == ids[1]


def test_empty_store_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="bert-lab models build"):
        load_lab_tokenizers(ModelStore(tmp_path))


def test_simple_counts(toks: dict[str, LabTokenizer]) -> None:
    s = cut_with_stats(toks["wordpiece"], "hello world").stats
    assert (s.tokens, s.characters, s.words, s.unknown, s.byte_tokens) == (2, 11, 2, 0, 0)
    assert s.chars_per_token == 5.5
    assert s.tokens_per_word == 1.0
    empty = cut_with_stats(toks["bpe"], "").stats
    assert empty.chars_per_token is None and empty.tokens_per_word is None


def test_unknown_and_byte_tokens(toks: dict[str, LabTokenizer]) -> None:
    text = "I ❤ 🙂 tokenization"
    wp = cut_with_stats(toks["wordpiece"], text)
    assert wp.stats.unknown == wp.result.tokens.count("[UNK]") >= 1
    assert wp.stats.byte_tokens == 0
    sp = cut_with_stats(toks["sentencepiece"], text)
    # ❤ is 3 UTF-8 bytes, 🙂 four: seven <0xNN> pieces
    assert sp.stats.byte_tokens == sum(t.startswith("<0x") for t in sp.result.tokens) == 7
    assert sp.stats.unknown == 0  # byte fallback: Llama never needs <unk>
    assert sp.per_word[1:3] == [3, 4]  # the lone "▁" before each is the space: no word


@PROPERTY
@given(text=TEXT)
def test_gpt2_byte_tokens_match_tiktoken(
    toks: dict[str, LabTokenizer], gpt2_tiktoken_path: Path, text: str
) -> None:
    enc = _tiktoken(gpt2_tiktoken_path)
    ids = enc.encode(text, allowed_special="all")

    def partial(i: int) -> bool:
        try:
            enc.decode_single_token_bytes(i).decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    cut = cut_with_stats(toks["bpe"], text)
    assert cut.result.ids == ids
    assert cut.byte_tokens == frozenset(i for i, t in enumerate(ids) if partial(t))


@PROPERTY
@given(text=TEXT)
def test_counts_are_consistent(toks: dict[str, LabTokenizer], text: str) -> None:
    words = word_spans(text)
    assert [text[s:e] for s, e in words] == text.split()
    for tok in toks.values():
        cut = cut_with_stats(tok, text)
        assert cut.stats.tokens == len(cut.result.ids)
        assert cut.stats.characters == len(text)
        assert len(cut.per_word) == len(words)

        # brute force: a token counts once if it overlaps a word (an empty span: lies inside one)
        def in_a_word(ts: int, te: int) -> bool:
            if ts == te:
                return any(s <= ts < e for s, e in words)
            return any(s < te and ts < e for s, e in words)

        assert sum(cut.per_word) == sum(in_a_word(*span) for span in cut.result.offsets)
        assert sum(histogram(cut.per_word)) == len(words)
        unk = [i for i, t in enumerate(cut.result.ids) if t == tok.unk_id]
        assert sorted(cut.unknown) == unk


def test_tokens_per_word_assignment() -> None:
    words = word_spans(" ab  cd")  # [(1, 3), (5, 7)]
    # GPT-2 style: "Ġab" (0,3), lone "Ġ" (3,4), "Ġcd" (4,7); SentencePiece dummy ▁ at (1,1)
    assert tokens_per_word([(0, 3), (3, 4), (4, 7)], words) == [1, 1]
    assert tokens_per_word([(1, 1), (1, 3), (5, 6), (6, 7)], words) == [2, 2]
    assert tokens_per_word([(0, 0)], words) == [0, 0]


def test_zero_width_joiner_and_combining_marks(toks: dict[str, LabTokenizer]) -> None:
    text = "👩\u200d👩\u200d👧 cafe\u0301"
    for tok in toks.values():
        cut = cut_with_stats(tok, text)
        assert all(0 <= s <= e <= len(text) for s, e in cut.result.offsets)
        assert cut.stats.words == 2
    sp = cut_with_stats(toks["sentencepiece"], text)
    assert sp.stats.byte_tokens > 0


def test_histogram_bins() -> None:
    assert histogram([0, 1, 1, 3, 50]) == [1, 2, 0, 1, 0, 0, 0, 0, 1]
    assert len(histogram([])) == HIST_BINS


def test_compare_caps_long_text(
    toks: dict[str, LabTokenizer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(token_stats, "MAX_LIVE_CHARS", 50)
    text = "word " * 40
    ticks: list[tuple[int, int]] = []

    def report(done: int, total: int) -> bool:
        ticks.append((done, total))
        return True

    res = compare(report, list(toks.values()), text)
    assert res.text == text[:50]
    assert "200" in res.notes[0] and "50" in res.notes[0]
    assert [c.stats.characters for c in res.cuts] == [50, 50, 50]
    assert ticks[-1] == (3, 3)


def test_compare_cancels(toks: dict[str, LabTokenizer]) -> None:
    with pytest.raises(Cancelled):
        compare(lambda d, t: d == 0, list(toks.values()), "hello")


def test_stats_csv(toks: dict[str, LabTokenizer]) -> None:
    rows = [(t, cut_with_stats(t, "Tokenization 🙂").stats) for t in toks.values()]
    table = list(csv.reader(io.StringIO(stats_csv(rows, {"text": "Tokenization 🙂"}))))
    assert table[0][:3] == ["tokenizer", "model", "tokens"]
    assert [r[0] for r in table[1:4]] == ["WordPiece", "Byte-level BPE", "SentencePiece BPE"]
    assert table[4] == ["# text", "Tokenization 🙂"]
    assert float(table[1][5]) == pytest.approx(rows[0][1].chars_per_token, abs=1e-3)


# --- corpus -------------------------------------------------------------------------------------


def test_corpus_totals_are_the_sum_of_lines(toks: dict[str, LabTokenizer]) -> None:
    lines = ["The library opens at 8am.", "", "Zoë's café 🙂", "  東京は日本の首都です。  "]
    res = corpus_stats(_always, list(toks.values()), "\n".join(lines), "t.txt")
    assert res.lines == 3
    for i, tok in enumerate(toks.values()):
        cuts = [cut_with_stats(tok, line) for line in lines if line.strip()]
        assert res.totals[i].tokens == sum(c.stats.tokens for c in cuts)
        assert res.totals[i].words == 9
        assert sum(res.histograms[i]) == 9
    table = list(csv.reader(io.StringIO(res.csv())))
    assert len(table) == 5 and table[-1] == ["# source", "t.txt"]


def test_corpus_cancels(toks: dict[str, LabTokenizer]) -> None:
    with pytest.raises(Cancelled):
        corpus_stats(lambda d, t: False, list(toks.values()), "a\nb", "t.txt")


def test_read_text_file_problems(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café".encode("latin-1"))
    with pytest.raises(UserError, match=r"not UTF-8.*save it as UTF-8"):
        read_text_file(bad)
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"abc\x00def")
    with pytest.raises(UserError, match="binary"):
        read_text_file(binary)
    empty = tmp_path / "e.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(UserError, match="empty"):
        read_text_file(empty)
    with pytest.raises(UserError, match="not a file"):
        read_text_file(tmp_path)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(UserError, match="MB"):
        read_text_file(big, max_bytes=1000)
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("\ufeffZoë 🙂".encode("utf-16-le"))
    assert read_text_file(utf16) == "Zoë 🙂"
    bom8 = tmp_path / "u8.txt"
    bom8.write_bytes(b"\xef\xbb\xbfhi")
    assert read_text_file(bom8) == "hi"


# --- offsets ------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_utf16_round_trip(text: str) -> None:
    units = len(text.encode("utf-16-le")) // 2
    assert index_to_utf16(text, len(text)) == units
    assert utf16_to_index(text, units) == len(text)
    for i in range(len(text) + 1):
        assert utf16_to_index(text, index_to_utf16(text, i)) == i


def test_utf16_inside_a_surrogate_pair() -> None:
    text = "a🙂b"
    assert [utf16_to_index(text, p) for p in range(5)] == [0, 1, 1, 2, 3]


def test_covering() -> None:
    offsets = [(0, 0), (0, 1), (1, 2), (1, 2), (2, 3)]
    assert covering(offsets, 1, 1) == [2, 3]
    assert covering(offsets, 0, 2) == [1, 2, 3]
    assert covering(offsets, 5, 6) == []


def test_token_bytes() -> None:
    from lab_app.core.tokenizers.stats import token_bytes

    assert token_bytes("bpe", "ĠcafÃ©") == " café".encode()
    assert token_bytes("bpe", "ðŁ") == b"\xf0\x9f"
    assert token_bytes("sentencepiece", "<0xE2>") == b"\xe2"
    assert token_bytes("sentencepiece", "▁hi") == b" hi"
    assert token_bytes("wordpiece", "##ing") == b"ing"
    assert token_bytes("wordpiece", "##") == b"##"


def test_a_very_long_line_is_counted_in_pieces_with_the_same_words(
    toks: dict[str, LabTokenizer], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab_app.core.tokenizers import corpus

    line = " ".join(f"word{i % 97} tokenization" for i in range(3000))  # one 60 kB line
    pieces = corpus._pieces(line)
    assert len(pieces) > 1 and "".join(pieces) == line
    assert all(len(p) <= corpus.PIECE_CHARS for p in pieces)
    assert all(p.endswith(" ") for p in pieces[:-1])  # cut at spaces, never inside a word
    lab = [toks["wordpiece"], toks["bpe"]]
    cut = corpus.corpus_stats(_always, lab, line, "long")
    monkeypatch.setattr(corpus, "PIECE_CHARS", 10**9)
    whole = corpus.corpus_stats(_always, lab, line, "long")
    assert cut.lines == whole.lines == 1
    assert [s.words for s in cut.totals] == [s.words for s in whole.totals] == [6000, 6000]
    assert cut.totals[0].tokens == whole.totals[0].tokens  # WordPiece cuts each word alone
    assert cut.histograms[0] == whole.histograms[0]
