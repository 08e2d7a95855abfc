"""The three built-in tokenizers against independent references, on arbitrary Unicode text.

References: WordPiece and SentencePiece against ``Tokenizer.from_file`` of the same source (and
WordPiece also against transformers' pure-Python ``BertTokenizer`` built from the vocab); BPE
against tiktoken loaded from the same ranks. There is no Llama ``.model`` file on the registries;
the SentencePiece offsets are checked against an oracle that re-derives them from the token bytes,
and its pipeline against the ``sentencepiece`` library in ``test_sentencepiece_reference.py``.
``<|endoftext|>`` in user text is the special token 50256, as tiktoken's
``encode(text, allowed_special="all")`` does.
"""

from __future__ import annotations

import importlib
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from lab_app.core.models.build.tokenizer_build import BUILDERS, GPT2_EOT, GPT2_EOT_ID, GPT2_PATTERN
from lab_app.core.models.tokenizer_specs import BUILTIN_TOKENIZERS, unicode_to_bytes
from lab_app.core.tokenizers.tokenize import TokenizeResult, tokenize


def _source(request: pytest.FixtureRequest, fixture: str) -> Path:
    return Path(request.getfixturevalue(fixture))


class Built:
    """A built tokenizer and its source, with a short repr for readable Hypothesis reports."""

    def __init__(self, kind: str, tok: Tokenizer, source: Path) -> None:
        self.kind, self.tok, self.source = kind, tok, source

    def __repr__(self) -> str:
        return f"Built({self.kind!r})"

    def cut(self, text: str, special: bool = False) -> TokenizeResult:
        return tokenize(self.tok, text, name=self.kind, model="m", special=special)


_SOURCE_FIXTURE = {
    "wordpiece": "wordpiece_source_json",
    "bpe": "gpt2_tiktoken_path",
    "sentencepiece": "llama2_source_json",
}


@cache
def _built(kind: str, source: Path) -> Built:
    return Built(kind, BUILDERS[kind](source), source)


def _get(request: pytest.FixtureRequest, kind: str) -> Built:
    return _built(kind, _source(request, _SOURCE_FIXTURE[kind]))


@pytest.fixture
def wordpiece(request: pytest.FixtureRequest) -> Built:
    return _get(request, "wordpiece")


@pytest.fixture
def bpe(request: pytest.FixtureRequest) -> Built:
    return _get(request, "bpe")


@pytest.fixture
def sentencepiece(request: pytest.FixtureRequest) -> Built:
    return _get(request, "sentencepiece")


@cache
def _from_file(source: Path) -> Tokenizer:
    """The reference: the source file loaded as it is, padding and truncation off."""
    ref = Tokenizer.from_file(str(source))
    ref.no_padding()
    ref.no_truncation()
    return ref


@cache
def _tiktoken(path: Path) -> Any:
    tiktoken = pytest.importorskip("tiktoken")
    from tiktoken.load import load_tiktoken_bpe

    ranks = load_tiktoken_bpe(str(path))
    return tiktoken.Encoding(
        name="gpt2", pat_str=GPT2_PATTERN, mergeable_ranks=ranks,
        special_tokens={GPT2_EOT: GPT2_EOT_ID},
    )  # fmt: skip


@cache
def _slow_bert(source: Path, vocab_dir: Path) -> Any:
    """transformers' pure-Python BERT tokenizer on the same vocab: an independent WordPiece."""
    transformers = pytest.importorskip("transformers")
    # transformers 5 keeps the pure-Python one aside; there BertTokenizer wraps `tokenizers`.
    legacy = "transformers.models.bert.tokenization_bert_legacy"
    try:
        slow_class = importlib.import_module(legacy).BertTokenizerLegacy
    except (ImportError, AttributeError):
        slow_class = transformers.BertTokenizer
    vocab = _from_file(source).get_vocab()
    vocab_file = vocab_dir / "vocab.txt"
    vocab_file.write_text("".join(t + "\n" for t in sorted(vocab, key=vocab.__getitem__)), "utf-8")
    slow = slow_class(str(vocab_file), do_lower_case=True)
    assert not slow.is_fast
    return slow


def _same_unicode_data(ch: str) -> bool:
    """Characters whose category has not changed since Unicode 3.2.

    Python's ``unicodedata`` and the Rust crates inside ``tokenizers`` carry different Unicode
    versions, so BERT's cleaning and splitting differ on unassigned and recently changed code
    points; final-sigma lowercasing of ``Σ`` differs too. The pure-Python comparison skips them.
    """
    category = unicodedata.category(ch)
    return ch != "Σ" and category != "Cn" and unicodedata.ucd_3_2_0.category(ch) == category


FRAGMENTS = [
    "🙂", "👩‍👩‍👧", "🇫🇷", "東京", "שלום", "مرحبا", "e\u0301", "a\u0308\u0323", "\u200b", "\u200f",
    "\x00", "\x1b", "\x85", "\u00a0", "\u3000", "\ufeff", " " * 17, "\n\n\t  \r\n", "   x",
    GPT2_EOT, "[SEP]", "[CLS]", "<s>", "</s>", "<unk>", "don't", "'s", "175,000,000,000",
    "naïve café", "tokenization", "İstanbul", "ß", "ﬁ", "x" * 120, "▁", "Ġ", "𠀀",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.text(), st.sampled_from(FRAGMENTS)), max_size=8).map("".join)
ASCII_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(max_codepoint=127)),
        st.sampled_from([f for f in FRAGMENTS if f.isascii()]),
    ),
    max_size=8,
).map("".join)
STABLE_TEXT = st.lists(
    st.one_of(
        st.text(
            st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cn")).filter(
                _same_unicode_data
            )
        ),
        st.sampled_from([f for f in FRAGMENTS if all(map(_same_unicode_data, f))]),
    ),
    max_size=8,
).map("".join)
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check_offset_shape(text: str, offsets: list[tuple[int, int]]) -> None:
    assert all(0 <= s <= e <= len(text) for s, e in offsets)
    starts = [s for s, _ in offsets]
    assert starts == sorted(starts)


def _char_of_byte(text: str) -> list[int]:
    out: list[int] = []
    for i, ch in enumerate(text):
        out += [i] * len(ch.encode("utf-8"))
    return [*out, len(text)]


def _span(char_of_byte: list[int], start: int, end: int) -> tuple[int, int]:
    """The characters that bytes [start, end) touch; an empty range is an empty span."""
    if end == start:
        return (char_of_byte[start], char_of_byte[start])
    return (char_of_byte[start], char_of_byte[end - 1] + 1)


def _bpe_oracle_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Offsets from the token bytes alone: byte-level tokens spell the text's UTF-8 exactly."""
    table, cob = unicode_to_bytes(), _char_of_byte(text)
    spans, pos = [], 0
    for tok in tokens:
        raw = tok.encode() if tok == GPT2_EOT else bytes(table[c] for c in tok)
        spans.append(_span(cob, pos, pos + len(raw)))
        pos += len(raw)
    assert pos == len(text.encode("utf-8"))
    return spans


def _sp_oracle_offsets(text: str, tokens: list[str], specials: set[str]) -> list[tuple[int, int]]:
    """Llama offsets from the pieces alone. The normalizer turns spaces into ``▁`` one for one and
    starts every non-empty stretch between special tokens with a dummy ``▁`` that spans nothing;
    pieces spell that normalized text, ``<0xNN>`` pieces one byte each."""
    normalized = text.replace(" ", "▁")  # same characters, so the same char indices
    data, cob, marker = normalized.encode("utf-8"), _char_of_byte(normalized), "▁".encode()
    spans, pos, prefix_due = [], 0, True
    for tok in tokens:
        if tok in specials:
            raw, prefix_due = tok.encode(), True
        else:
            is_byte = tok.startswith("<0x") and len(tok) == 6
            raw = bytes([int(tok[3:5], 16)]) if is_byte else tok.encode()
            if prefix_due:
                assert raw.startswith(marker)
                raw, prefix_due = raw[len(marker) :], False
        assert data[pos : pos + len(raw)] == raw
        spans.append(_span(cob, pos, pos + len(raw)))
        pos += len(raw)
    assert pos == len(data)
    return spans


@PROPERTY
@given(text=TEXT)
def test_wordpiece_matches_source(wordpiece: Built, text: str) -> None:
    ref = _from_file(wordpiece.source)
    for special in (False, True):
        res = wordpiece.cut(text, special)
        expected = ref.encode(text, add_special_tokens=special)
        assert res.ids == expected.ids
        assert res.offsets == expected.offsets
    _check_offset_shape(text, wordpiece.cut(text).offsets)  # added [CLS]/[SEP] sit at (0, 0)


@PROPERTY
@given(text=STABLE_TEXT)
def test_wordpiece_matches_pure_python_bert(
    wordpiece: Built, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    slow = _slow_bert(wordpiece.source, tmp_path_factory.getbasetemp())
    for special in (False, True):
        assert wordpiece.cut(text, special).ids == slow.encode(text, add_special_tokens=special)


@PROPERTY
@given(text=TEXT)
def test_bpe_matches_tiktoken(bpe: Built, text: str) -> None:
    expected = _tiktoken(bpe.source).encode(text, allowed_special="all")
    res = bpe.cut(text)
    assert res.ids == expected
    assert bpe.cut(text, special=True).ids == expected  # no post-processor: the flag is a no-op
    assert res.tokens == [bpe.tok.id_to_token(i) for i in expected]
    assert bpe.tok.decode(res.ids, skip_special_tokens=False) == text
    _check_offset_shape(text, res.offsets)
    assert res.offsets == _bpe_oracle_offsets(text, res.tokens)


@PROPERTY
@given(text=TEXT)
def test_sentencepiece_matches_source(sentencepiece: Built, text: str) -> None:
    ref = _from_file(sentencepiece.source)
    plain, with_bos = sentencepiece.cut(text), sentencepiece.cut(text, special=True)
    assert plain.ids == ref.encode(text, add_special_tokens=False).ids
    assert with_bos.ids == ref.encode(text, add_special_tokens=True).ids
    assert with_bos.ids == [1, *plain.ids]  # <s> only when special tokens are asked for
    _check_offset_shape(text, plain.offsets)
    specials = {t.content for t in sentencepiece.tok.get_added_tokens_decoder().values()}
    assert plain.offsets == _sp_oracle_offsets(text, plain.tokens, specials)


@pytest.mark.parametrize("kind", ["wordpiece", "bpe", "sentencepiece"])
@PROPERTY
@given(text=ASCII_TEXT)
def test_ascii_spans_rebuild_the_text(kind: str, request: pytest.FixtureRequest, text: str) -> None:
    covered = "".join(text[s:e] for s, e in _get(request, kind).cut(text, special=True).offsets)
    if kind == "wordpiece":  # BERT drops whitespace and control characters

        def kept(s: str) -> list[str]:
            return [c for c in s if not c.isspace() and unicodedata.category(c) != "Cc"]

        assert kept(covered) == kept(text)
    else:  # byte-level and byte-fallback tokens cover every character once
        assert covered == text


def test_vocab_sizes(wordpiece: Built, bpe: Built, sentencepiece: Built) -> None:
    sizes = {"wordpiece": 30522, "bpe": 50257, "sentencepiece": 32000}
    for built in (wordpiece, bpe, sentencepiece):
        assert built.tok.get_vocab_size(with_added_tokens=True) == sizes[built.kind]
        assert BUILTIN_TOKENIZERS[built.kind].vocab_size == sizes[built.kind]
    assert bpe.tok.token_to_id(GPT2_EOT) == GPT2_EOT_ID
    assert bpe.tok.get_vocab_size(with_added_tokens=False) == 50256


def test_specs() -> None:
    labels = {(s.name, s.algorithm, s.model) for s in BUILTIN_TOKENIZERS.values()}
    assert labels == {
        ("wordpiece", "WordPiece", "bert-base-uncased"),
        ("bpe", "Byte-level BPE", "gpt2"),
        ("sentencepiece", "SentencePiece BPE", "llama-2"),
    }
    from lab_app.core.models.build.artifacts import ARTIFACTS
    from lab_app.core.models.build.builtin_build import TOKENIZER_SOURCES

    assert set(TOKENIZER_SOURCES) == set(BUILTIN_TOKENIZERS)
    for key, member in TOKENIZER_SOURCES.values():  # every source file is pinned by sha256
        assert len(ARTIFACTS[key].members[member]) == 64


def test_gpt2_merges_are_the_original_ones(bpe: Built) -> None:
    merges = json.loads(bpe.tok.to_str())["model"]["merges"]
    assert len(merges) == 50000
    first = [["Ġ", "t"], ["Ġ", "a"], ["h", "e"], ["i", "n"], ["r", "e"], ["o", "n"], ["Ġt", "he"]]
    assert [list(m) for m in merges[:7]] == first


KNOWN = {
    "wordpiece": {
        "how are you today?": (["how", "are", "you", "today", "?"], [2129, 2024, 2017, 2651, 1029]),
        "tokenization": (["token", "##ization"], [19204, 3989]),
        "175,000,000,000": (["175", ",", "000", ",", "000", ",", "000"], None),
        "naïve café": (["naive", "cafe"], [15743, 7668]),
        "🙂": (["[UNK]"], [100]),
        "東京": (["東", "京"], [1879, 1755]),
    },
    "bpe": {
        "how are you today?": (["how", "Ġare", "Ġyou", "Ġtoday", "?"], [4919, 389, 345, 1909, 30]),
        "tokenization": (["token", "ization"], [30001, 1634]),
        "175,000,000,000": (["175", ",", "000", ",", "000", ",", "000"], None),
        "naïve café": (["na", "Ã¯ve", "ĠcafÃ©"], None),
        "🙂": (["ðŁ", "ĻĤ"], [8582, 25081]),
        "東京": (["æĿ", "±", "äº", "¬"], [30266, 109, 12859, 105]),
    },
    "sentencepiece": {
        "how are you today?": (
            ["▁how", "▁are", "▁you", "▁today", "?"], [920, 526, 366, 9826, 29973]
        ),
        "tokenization": (["▁token", "ization"], [5993, 2133]),
        "175,000,000,000": (["▁", *"175,000,000,000"], None),
        "naïve café": (["▁na", "ï", "ve", "▁c", "afé"], None),
        "🙂": (["▁", "<0xF0>", "<0x9F>", "<0x99>", "<0x82>"], [29871, 243, 162, 156, 133]),
        "東京": (["▁", "東", "京"], [29871, 30591, 30675]),
    },
}  # fmt: skip


@pytest.mark.parametrize("kind", list(KNOWN))
def test_known_tokens(kind: str, request: pytest.FixtureRequest) -> None:
    built = _get(request, kind)
    for text, (tokens, ids) in KNOWN[kind].items():
        res = built.cut(text)
        assert res.tokens == tokens, text
        if ids is not None:
            assert res.ids == ids, text


def test_split_characters_share_their_span(bpe: Built, sentencepiece: Built) -> None:
    assert bpe.cut("🙂").offsets == [(0, 1), (0, 1)]
    sp = sentencepiece.cut("a🙂")
    assert sp.tokens == ["▁a", "<0xF0>", "<0x9F>", "<0x99>", "<0x82>"]
    assert sp.offsets == [(0, 1), *[(1, 2)] * 4]
    # the dummy-prefix ▁ covers no character, even before a space of the text
    assert sentencepiece.cut("🙂").offsets[0] == (0, 0)
    hi = sentencepiece.cut(" hi")
    assert (hi.tokens, hi.offsets) == (["▁", "▁hi"], [(0, 0), (0, 3)])


def test_lone_surrogates_become_replacement_characters(wordpiece: Built, bpe: Built) -> None:
    text = "a\udcff b"  # what surrogateescape makes of a bad byte on a command line
    assert bpe.cut(text).ids == bpe.cut("a\ufffd b").ids
    assert wordpiece.cut(text).offsets == wordpiece.cut("a\ufffd b").offsets


def test_endoftext_in_text_is_the_special_token(bpe: Built) -> None:
    res = bpe.cut(f"a{GPT2_EOT}b")
    assert res.ids == [64, GPT2_EOT_ID, 65]
    assert res.offsets[1] == (1, 14)


def test_to_json_contract(wordpiece: Built) -> None:
    res = tokenize(wordpiece.tok, "Hi!", name="wordpiece", model="bert-base-uncased", special=True)
    assert isinstance(res, TokenizeResult)
    assert res.to_json() == {
        "tokenizer": "wordpiece",
        "model": "bert-base-uncased",
        "tokens": ["[CLS]", "hi", "!", "[SEP]"],
        "ids": [101, 7632, 999, 102],
        "offsets": [[0, 0], [0, 2], [2, 3], [0, 0]],
    }
