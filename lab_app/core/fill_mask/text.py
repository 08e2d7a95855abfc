"""A fill-mask sentence as the model sees it: WordPiece tokens, [MASK] positions, and its problems.

The token view is computed before any prediction, so a sentence that cannot be predicted yet (no
[MASK]) still shows its chips and a student can click a word to mask it. Every problem with the
text is a :class:`UserError` whose message says what to do; nothing here can crash on odd text
(emoji, right-to-left scripts and control characters all tokenize — the last are dropped by
BERT's own normaliser).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer

from lab_app.core.errors import UserError

MASK = "[MASK]"
#: More blanks than this stop being a cloze test: BERT was trained with ~15% of tokens masked,
#: and the tab has to draw one answer list per mask.
MAX_MASKS = 10
# Students type "[mask]" too; the model's own mask token is substituted (same length, so the
# character offsets of the chips still point into what was typed).
_TYPED_MASK = re.compile(r"\[mask\]", re.IGNORECASE)
_MASK_TOKENS = ("[MASK]", "<mask>")


@dataclass(frozen=True)
class Token:
    """One WordPiece chip; ``start:end`` is its span in the typed text (empty for [CLS]/[SEP])."""

    text: str
    id: int
    start: int
    end: int
    word: int | None
    special: bool
    mask: bool

    @property
    def continuation(self) -> bool:
        """A ``##`` piece: the rest of a word that did not fit one vocabulary entry."""
        return self.text.startswith("##")


@dataclass(frozen=True)
class TokenView:
    """The typed text cut into the model's tokens (special tokens included)."""

    text: str
    tokens: tuple[Token, ...]
    mask_token: str
    max_length: int

    @property
    def mask_positions(self) -> tuple[int, ...]:
        return tuple(i for i, t in enumerate(self.tokens) if t.mask)

    @property
    def words(self) -> tuple[int, ...]:
        return tuple(sorted({t.word for t in self.tokens if t.word is not None and not t.mask}))

    @property
    def truncated(self) -> bool:
        return len(self.tokens) > self.max_length

    def input_ids(self) -> np.ndarray:
        """The ids the model reads: cut to its limit, keeping the closing special token."""
        ids = [t.id for t in self.tokens]
        if len(ids) > self.max_length:
            ids = ids[: self.max_length - 1] + ids[-1:]
        return np.asarray([ids], dtype=np.int64)


def training_tokens(view: TokenView, fills: Sequence[str] = ()) -> tuple[str, ...]:
    """What pre-training masking may choose: the tokens the model reads, less [CLS]/[SEP].

    The sentence stays whole: each [MASK] the user typed becomes the model's top guess for it
    (``fills``, in order), or stays a [MASK] when there is no guess (yet).
    """
    guesses = iter(fills)
    return tuple(
        next(guesses, t.text) if t.mask else t.text
        for t in view.tokens[: view.max_length]
        if not t.special
    )


def mask_token_of(tokenizer: Tokenizer) -> str:
    """The tokenizer's mask token (``[MASK]`` for BERT, ``<mask>`` for RoBERTa)."""
    for candidate in _MASK_TOKENS:
        if tokenizer.token_to_id(candidate) is not None:
            return candidate
    raise UserError("this model's tokenizer has no mask token, so it cannot fill a [MASK]")


def analyse(tokenizer: Tokenizer, text: str, max_length: int) -> TokenView:
    """Tokenize ``text`` (never truncated here, so positions past the limit are visible)."""
    mask_token = mask_token_of(tokenizer)
    mask_id = tokenizer.token_to_id(mask_token)
    model_text = _TYPED_MASK.sub(mask_token, text)
    enc = tokenizer.encode(model_text, add_special_tokens=True)
    tokens = tuple(
        Token(
            text=tok,
            id=int(i),
            start=int(span[0]),
            end=int(span[1]),
            word=None if special else word,
            special=bool(special),
            mask=int(i) == mask_id,
        )
        for tok, i, span, word, special in zip(
            enc.tokens, enc.ids, enc.offsets, enc.word_ids, enc.special_tokens_mask, strict=True
        )
    )
    return TokenView(text, tokens, mask_token, max_length)


def check(view: TokenView, model: str = "the model") -> None:
    """Raise a :class:`UserError` saying what to change if the view cannot be predicted."""
    content = [t for t in view.tokens if not t.special]
    masks = view.mask_positions
    if not content:
        raise UserError(f"Type a sentence, with {MASK} where BERT should guess a word.")
    if not masks:
        raise UserError(
            f'Add {MASK} where you want BERT to guess a word, e.g. "how are {MASK} today?".'
        )
    if len(masks) == len(content):
        raise UserError(
            f"Add some words around {MASK}: BERT guesses from the context, and there is none yet."
        )
    if len(masks) > MAX_MASKS:
        raise UserError(
            f"{len(masks)} {MASK}s are too many: use at most {MAX_MASKS} (BERT was trained "
            "with about 15% of a sentence masked)."
        )
    last = view.max_length - 2  # the closing [SEP] takes the final slot
    late = [p for p in masks if p > last]
    if late:
        raise UserError(
            f"The {MASK} at token {late[0]} lies past {model}'s limit of {view.max_length} "
            f"tokens; shorten the text before it."
        )


def mask_word(view: TokenView, word: int) -> str:
    """The typed text with every WordPiece piece of ``word`` replaced by a single [MASK].

    ``word`` is a word index from :attr:`Token.word` (the tokenizer's pre-tokenizer word: a run
    of letters or one punctuation mark).
    """
    spans = [(t.start, t.end) for t in view.tokens if t.word == word and not t.mask]
    if not spans:
        raise UserError(f"there is no word {word} to mask in this sentence")
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return view.text[:start] + MASK + view.text[end:]


def model_max_length(manifest_max: int, config: dict[str, object] | None) -> int:
    """Positions a text may use: RoBERTa spends ``pad_token_id + 1`` table rows on padding."""
    if config and "max_positions" in config and "position_offset" in config:
        positions = int(str(config["max_positions"])) - int(str(config["position_offset"]))
        return min(manifest_max, positions)
    return manifest_max
