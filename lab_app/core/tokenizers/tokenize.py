"""Tokenize text for the tokenizer lab and the CLI, with offsets into the user's own string.

Offsets are code-point indices into the original Python ``str``: ``text[s:e]`` is what a token
chip covers. Tokens that hold only part of a character (byte-level BPE pieces, SentencePiece
``<0xNN>`` byte fallback) all get that whole character's span, so their spans overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokenizers import Encoding, Tokenizer

from lab_app.core.models.tokenizer_specs import unicode_to_bytes

SP_MARKER = "▁"  # SentencePiece's word-boundary marker (U+2581)
SPACE_MARKER = "␣"
_VISIBLE_CONTROLS = {"\n": "↵", "\t": "⇥", " ": SPACE_MARKER}


@dataclass(frozen=True)
class TokenizeResult:
    """One text cut by one tokenizer; ``tokens`` are raw vocab strings (GPT-2's keep ``Ġ``)."""

    tokenizer: str
    model: str
    tokens: list[str]
    ids: list[int]
    offsets: list[tuple[int, int]]

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON contract."""
        return {
            "tokenizer": self.tokenizer,
            "model": self.model,
            "tokens": list(self.tokens),
            "ids": list(self.ids),
            "offsets": [[s, e] for s, e in self.offsets],
        }


def _prepends_marker(tok: Tokenizer) -> bool:
    """Whether the tokenizer adds a ``▁`` dummy prefix that has no character in the text."""
    if tok.normalizer is not None and tok.normalizer.normalize_str("a").startswith(SP_MARKER):
        return True
    if tok.pre_tokenizer is not None:
        pieces = tok.pre_tokenizer.pre_tokenize_str("a")
        return bool(pieces) and pieces[0][0].startswith(SP_MARKER)
    return False


def _fix_dummy_prefix(
    text: str, tokens: list[str], offsets: list[tuple[int, int]], inserted: list[int]
) -> list[tuple[int, int]]:
    """Give a lone dummy-prefix ``▁`` an empty span (``inserted``: the post-processor's tokens).

    ``tokenizers`` aligns the prepended ``▁`` with the first character of its segment, so a token
    that is only that marker would claim a character it does not hold (``🙂`` -> ``▁`` (0, 1)).
    A lone ``▁`` is the prefix when its span is not a space (or a ``▁`` typed in the text), or
    when the next token starts at the same place (``" hi"`` -> ``▁`` (0, 1), ``▁hi`` (0, 3)); a
    real space never overlaps.
    """
    fixed = list(offsets)
    for i, (token, (s, e)) in enumerate(zip(tokens, offsets, strict=True)):
        if token != SP_MARKER or inserted[i] or e <= s:
            continue
        overlaps_next = i + 1 < len(offsets) and not inserted[i + 1] and offsets[i + 1][0] == s
        if text[s:e] not in (" ", SP_MARKER) or overlaps_next:
            fixed[i] = (s, s)
    return fixed


def _without_surrogates(text: str) -> str:
    """Swap lone surrogates (a CLI's surrogateescape'd bad bytes) for U+FFFD, one for one, so
    ``tokenizers`` accepts the text and offsets still index the original string."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


def _encode(tok: Tokenizer, text: str, special: bool) -> Encoding:
    """``encode`` through ``encode_batch``: the same encoding, but the batch call lets go of the
    GIL, so a GUI thread keeps running while a long text (1 MB: about a second) is cut."""
    return tok.encode_batch([text], add_special_tokens=special)[0]


def tokenize(
    tok: Tokenizer, text: str, *, name: str, model: str, special: bool = False
) -> TokenizeResult:
    """Cut ``text``; ``special`` adds the post-processor's tokens (``[CLS]``/``[SEP]``, ``<s>``).

    Special tokens written in the text (``<|endoftext|>``, ``[SEP]``, ``<s>``) are matched as
    those tokens whatever ``special`` says, as the models' own tokenizers do.
    """
    enc = _encode(tok, _without_surrogates(text), special)
    tokens = list(enc.tokens)
    offsets = [(int(s), int(e)) for s, e in enc.offsets]
    if _prepends_marker(tok):
        offsets = _fix_dummy_prefix(text, tokens, offsets, list(enc.special_tokens_mask))
    return TokenizeResult(
        tokenizer=name, model=model, tokens=tokens, ids=list(enc.ids), offsets=offsets
    )


def _show_text_and_bytes(data: bytes) -> str:
    """Decode what is whole UTF-8, show the rest as ``<0xNN>``, and make blanks visible."""
    out: list[str] = []
    for ch in data.decode("utf-8", errors="surrogateescape"):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, escaped by surrogateescape
            out.append(f"<0x{code - 0xDC00:02X}>")
        elif ch in _VISIBLE_CONTROLS:
            out.append(_VISIBLE_CONTROLS[ch])
        elif not ch.isprintable():
            out.extend(f"<0x{b:02X}>" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def display_token(name: str, token: str) -> str:
    """What a student should see on a chip for a raw vocab string.

    GPT-2 (``"bpe"``): the byte-level alphabet (``Ġ``, ``Ċ``, ``Ã©``) is decoded back to text,
    spaces shown as ``␣`` and bytes of a split character as ``<0xNN>``. WordPiece keeps ``##`` and
    SentencePiece keeps ``▁`` and its ``<0xNN>`` byte-fallback pieces: those marks are the lesson.
    """
    if name == "bpe":
        table = unicode_to_bytes()
        if token and all(c in table for c in token):
            return _show_text_and_bytes(bytes(table[c] for c in token))
    return token


def load_store_tokenizer(path: Path) -> Tokenizer:
    """A store tokenizer, ready for :func:`tokenize`: no padding, no truncation.

    Read in short steps (``tokenizer_from_file``): the prewarm thread loads three of these while
    the window is up, and ``Tokenizer.from_file`` would hold the GIL for up to 100 ms each.
    """
    from lab_app.core.errors import StoreError
    from lab_app.core.models.store import REPAIR_HINT
    from lab_app.core.models.tokenizer_json import tokenizer_from_file

    try:
        tok = tokenizer_from_file(path)
    except Exception as exc:  # tokenizers raises a bare Exception for unreadable JSON
        raise StoreError(f"{path} is not a readable tokenizer ({exc}); {REPAIR_HINT}") from exc
    tok.no_padding()
    tok.no_truncation()
    return tok
