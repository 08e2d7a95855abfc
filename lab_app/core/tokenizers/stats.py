"""Counts that make the three tokenizers comparable: tokens, characters per token, fertility.

The Tokenizers lab shows the same numbers under each column and, in corpus mode, over a whole text
file; the CLI could print them too. A *word* is a run of non-blank characters (``str.split``), the
usual unit of "fertility" (tokens per word, Rust et al. 2021); scripts written without spaces,
such as Chinese and Japanese, therefore count a whole clause as one word, which the lab says.
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tokenizers import Tokenizer

from lab_app.core.errors import Cancelled, StoreError
from lab_app.core.models.store import ModelStore
from lab_app.core.models.tokenizer_cache import shared_tokenizer
from lab_app.core.models.tokenizer_specs import BUILTIN_TOKENIZERS, unicode_to_bytes
from lab_app.core.progress import Progress
from lab_app.core.tokenizers.tokenize import TokenizeResult, load_store_tokenizer, tokenize

#: The three columns of the lab, in the lecture table's order (BERT, GPT, Llama).
LAB_TOKENIZERS = ("wordpiece", "bpe", "sentencepiece")
#: Beyond this the live view analyses the first characters only (1 MB of text stays responsive).
MAX_LIVE_CHARS = 1_000_000
#: Tokens-per-word histogram bins: 0, 1, …, HIST_BINS - 2 and "HIST_BINS - 1 or more".
HIST_BINS = 9
_WORD = re.compile(r"\S+")
_BYTE_PIECE = re.compile(r"<0x[0-9A-Fa-f]{2}>")


@dataclass(frozen=True, eq=False)
class LabTokenizer:
    """A tokenizer as the lab uses it: the HF object plus what the counts need to know about it.

    ``name`` is the colour key (``wordpiece``/``bpe``/``sentencepiece``); a trained byte-level BPE
    is also ``bpe`` so that chips decode its ``Ġ`` the same way.
    """

    name: str
    algorithm: str
    model: str
    tokenizer: Tokenizer = field(repr=False)
    unk_id: int | None
    byte_level: bool

    @property
    def vocab_size(self) -> int:
        return int(self.tokenizer.get_vocab_size(with_added_tokens=True))

    @property
    def label(self) -> str:
        return f"{self.algorithm} · {self.model}"

    def cut(self, text: str) -> TokenizeResult:
        return tokenize(self.tokenizer, text, name=self.name, model=self.model)


def _unk_id(tok: Tokenizer) -> int | None:
    unk = getattr(tok.model, "unk_token", None)
    if isinstance(unk, str) and unk:
        found = tok.token_to_id(unk)
        return None if found is None else int(found)
    if type(tok.model).__name__ == "Unigram":  # Unigram keeps an id, not a token, for <unk>
        unk_id = json.loads(tok.to_str()).get("model", {}).get("unk_id")
        return int(unk_id) if isinstance(unk_id, int) else None
    return None


def _is_byte_level(tok: Tokenizer) -> bool:
    pre = tok.pre_tokenizer
    return pre is not None and "ByteLevel" in pre.__getstate__().decode("utf-8", "replace")


def lab_tokenizer(tok: Tokenizer, *, name: str, algorithm: str, model: str) -> LabTokenizer:
    return LabTokenizer(name, algorithm, model, tok, _unk_id(tok), _is_byte_level(tok))


def warm_lab(store: ModelStore) -> None:
    """The prewarm thread's part for the Tokenizers tab: the three vocabularies, and GPT-2's
    merges for the merge replay (each holds the GIL for tens of milliseconds once)."""
    from lab_app.core.tokenizers.bpe_replay import merge_table

    for tok in load_lab_tokenizers(store):
        if tok.byte_level:
            merge_table(tok.tokenizer)


def load_lab_tokenizers(store: ModelStore) -> list[LabTokenizer]:
    """The store's three tokenizers in lecture order; a StoreError says how to build them."""
    missing = [n for n in LAB_TOKENIZERS if n not in {e.name for e in store.tokenizers()}]
    if missing:
        raise StoreError(
            f"The model store has no {', '.join(missing)} tokenizer yet. "
            "Run `bert-lab models build` once (it works offline from the cached files)."
        )
    out = []
    for name in LAB_TOKENIZERS:
        entry = store.tokenizer(name)
        tok = shared_tokenizer(entry.file("tokenizer.json"), load_store_tokenizer)
        spec = BUILTIN_TOKENIZERS[name]
        model = str(entry.manifest.extra.get("model", spec.model))
        out.append(lab_tokenizer(tok, name=name, algorithm=spec.algorithm, model=model))
    return out


# --- one text -----------------------------------------------------------------------------------


def word_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the whitespace-separated words."""
    return [m.span() for m in _WORD.finditer(text)]


def is_byte_token(tok: LabTokenizer, token: str) -> bool:
    """A token that holds bytes of a character rather than whole characters.

    SentencePiece's byte fallback spells them ``<0xE2>``; a byte-level BPE has them as vocab
    strings whose bytes are not valid UTF-8 on their own (the pieces of a split emoji).
    """
    if _BYTE_PIECE.fullmatch(token):
        return True
    if not tok.byte_level:
        return False
    table = unicode_to_bytes()
    if not token or not all(c in table for c in token):
        return False
    try:
        bytes(table[c] for c in token).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def token_bytes(name: str, token: str) -> bytes:
    """The bytes of the text a token stands for (``##`` and ``▁`` read as what they mark)."""
    if _BYTE_PIECE.fullmatch(token):
        return bytes([int(token[3:5], 16)])
    if name == "bpe":
        table = unicode_to_bytes()
        if token and all(c in table for c in token):
            return bytes(table[c] for c in token)
    if name == "wordpiece" and token.startswith("##") and len(token) > 2:
        token = token[2:]
    if name == "sentencepiece":
        token = token.replace("▁", " ")
    return token.encode("utf-8", errors="replace")


def tokens_per_word(
    offsets: Sequence[tuple[int, int]], words: Sequence[tuple[int, int]]
) -> list[int]:
    """How many tokens touch each word.

    A token belongs to the first word its span overlaps; an empty span (SentencePiece's dummy
    ``▁``) to the word that starts there. Tokens that only cover blanks (GPT-2's lone ``Ġ``)
    belong to no word.
    """
    counts = [0] * len(words)
    ends = [e for _, e in words]
    for s, e in offsets:
        i = bisect_right(ends, s)
        if i < len(words) and (words[i][0] < e or (s == e and words[i][0] <= s)):
            counts[i] += 1
    return counts


@dataclass(frozen=True)
class TokenStats:
    """The numbers under one column (or one row of the corpus table)."""

    tokenizer: str
    tokens: int
    characters: int
    words: int
    unknown: int
    byte_tokens: int

    @property
    def chars_per_token(self) -> float | None:
        return self.characters / self.tokens if self.tokens else None

    @property
    def tokens_per_word(self) -> float | None:
        return self.tokens / self.words if self.words else None

    def __add__(self, other: TokenStats) -> TokenStats:
        return TokenStats(
            self.tokenizer,
            self.tokens + other.tokens,
            self.characters + other.characters,
            self.words + other.words,
            self.unknown + other.unknown,
            self.byte_tokens + other.byte_tokens,
        )


@dataclass(frozen=True)
class Cut:
    """One tokenizer's cut of the text, its counts, and which tokens are [UNK] or bytes."""

    tokenizer: LabTokenizer
    result: TokenizeResult
    stats: TokenStats
    unknown: frozenset[int]
    byte_tokens: frozenset[int]
    per_word: list[int] = field(repr=False)


def cut_with_stats(
    tok: LabTokenizer, text: str, words: Sequence[tuple[int, int]] | None = None
) -> Cut:
    words = word_spans(text) if words is None else words
    result = tok.cut(text)
    unknown = frozenset(i for i, t in enumerate(result.ids) if t == tok.unk_id)
    byte_tokens = frozenset(i for i, t in enumerate(result.tokens) if is_byte_token(tok, t))
    stats = TokenStats(
        tok.name, len(result.ids), len(text), len(words), len(unknown), len(byte_tokens)
    )
    return Cut(tok, result, stats, unknown, byte_tokens, tokens_per_word(result.offsets, words))


@dataclass(frozen=True)
class Comparison:
    """The live view's result: the (possibly capped) text and one cut per tokenizer."""

    text: str
    cuts: list[Cut]
    notes: list[str]


def compare(report: Progress, tokenizers: Sequence[LabTokenizer], text: str) -> Comparison:
    """Cut ``text`` with each tokenizer; over :data:`MAX_LIVE_CHARS` only the start is cut."""
    notes = []
    if len(text) > MAX_LIVE_CHARS:
        notes.append(
            f"The text has {len(text):,} characters; the counts cover the first "
            f"{MAX_LIVE_CHARS:,}. Use corpus mode for whole files."
        )
        text = text[:MAX_LIVE_CHARS]
    words = word_spans(text)
    cuts = []
    for i, tok in enumerate(tokenizers):
        if not report(i, len(tokenizers)):
            raise Cancelled()
        cuts.append(cut_with_stats(tok, text, words))
    report(len(tokenizers), len(tokenizers))
    return Comparison(text, cuts, notes)


def histogram(per_word: Sequence[int], bins: int = HIST_BINS) -> list[int]:
    """Words with 0, 1, … tokens; the last bin holds ``bins - 1`` tokens or more."""
    counts = [0] * bins
    for n in per_word:
        counts[min(n, bins - 1)] += 1
    return counts


# --- CSV ----------------------------------------------------------------------------------------

CSV_HEADER = (
    "tokenizer", "model", "tokens", "characters", "words", "chars_per_token",
    "tokens_per_word", "unknown_tokens", "byte_tokens",
)  # fmt: skip


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def stats_csv(
    rows: Sequence[tuple[LabTokenizer, TokenStats]], extra: dict[str, Any] | None = None
) -> str:
    """The counts table as CSV (one row per tokenizer); ``extra`` adds a leading comment row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for tok, s in rows:
        w.writerow(
            [tok.algorithm, tok.model, s.tokens, s.characters, s.words,
             _fmt(s.chars_per_token), _fmt(s.tokens_per_word), s.unknown, s.byte_tokens]
        )  # fmt: skip
    if extra:
        for key, value in extra.items():
            w.writerow([f"# {key}", value])
    return buf.getvalue()
