"""Perplexity: how surprised a language model is by a text, one token at a time.

A causal model (the decoder) gives, at every position, a probability for each possible next token.
Reading a text left to right, the log-probability it gave to the token that really came next is
that token's score; the mean of their negatives is the *negative log-likelihood* (NLL, in nats),
and ``perplexity = exp(mean NLL)``: the number of equally likely tokens the model was, on average,
choosing between. 1 is certainty; a model guessing uniformly over SmolLM2's 49,152 tokens would
score 49,152.

Perplexity depends on the tokenizer (more, shorter tokens give each one an easier guess), so two
models with different vocabularies cannot be compared with it. *Bits per byte* can: the total NLL
in bits divided by the UTF-8 bytes of the text those tokens cover, the cost of compressing the
text with the model.

A masked LM (BERT) reads in both directions, so it has no left-to-right probability of a text.
Its *pseudo-perplexity* (Salazar et al., 2020, "Masked Language Model Scoring") hides one WordPiece
at a time and asks how likely the right piece is given every other one; it is not comparable with
a decoder's perplexity (each piece sees both sides, an easier game), only between masked LMs and
texts.

The lab compares a text with variants of it: its own words shuffled (the same words, no grammar),
random characters (the same letters, no words) and a language the model barely saw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.activations import log_softmax
from lab_app.core.models.decoder import Cache, Decoder
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.seeds import check_seed

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore

MAX_TOKENS = 2048  # longer texts are cut here: a quarter of SmolLM2's 8,192-token context
CHUNK = 256  # positions per decoder pass; the KV cache carries the text from one to the next
_SOFTMAX_ROWS = 32  # rows per float64 log-softmax: 32 × 49,152 × 8 B = 12.6 MB at a time
# Masked copies × positions per masked-LM pass: at 512 positions, 8 copies (~100 MB attention).
MASK_BATCH_POSITIONS = 4096
MLM_MODEL = "bert-lab-mlm"

ENGLISH_SAMPLE = (
    "The library in our town opens at nine in the morning and closes at six in the evening. "
    "Most people come to read the newspapers or to borrow a book for the week. "
    "On rainy days the reading room is full, and it is hard to find a free chair. "
    "The staff are friendly and will help you find what you are looking for."
)
# Article 1 of the Universal Declaration of Human Rights in its Finnish translation: SmolLM2 was
# trained almost only on English, so Finnish's long inflected words are rare pieces to it.
FINNISH_SAMPLE = (
    "Kaikki ihmiset syntyvät vapaina ja tasavertaisina arvoltaan ja oikeuksiltaan. "
    "Heille on annettu järki ja omatunto, ja heidän on toimittava toisiaan kohtaan "
    "veljeyden hengessä."
)


@dataclass(frozen=True)
class TokenScore:
    """One scored token: its id, its text and ``log P(token | what it was given)`` in nats."""

    id: int
    text: str
    logprob: float


@dataclass(frozen=True)
class _Scores:
    """What both perplexities share: the scored tokens and whether the text was cut."""

    model: str
    tokens: tuple[TokenScore, ...]
    cut: bool  # the text was longer than the cap; ``dropped`` tokens at its end were not scored
    dropped: int

    @property
    def count(self) -> int:
        return len(self.tokens)

    @property
    def total_logprob(self) -> float:
        return float(sum(t.logprob for t in self.tokens))

    @property
    def mean_nll(self) -> float:
        """The mean negative log-probability per token, in nats."""
        return -self.total_logprob / len(self.tokens)

    @property
    def perplexity(self) -> float:
        return math.exp(self.mean_nll)

    def _json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "tokens": [{"id": t.id, "text": t.text, "logprob": t.logprob} for t in self.tokens],
            "count": self.count,
            "total_logprob": self.total_logprob,
            "mean_nll": self.mean_nll,
            "perplexity": self.perplexity,
            "cut": self.cut,
            "dropped": self.dropped,
        }


@dataclass(frozen=True)
class PerplexityResult(_Scores):
    """A decoder's reading of a text. ``context`` is the token the first score was given (the
    text's first token, which nothing predicts, or the BOS token of a model that adds one);
    ``bytes`` counts the UTF-8 bytes of the text the scored tokens cover."""

    context: str
    bytes: int

    @property
    def bits_per_byte(self) -> float:
        """Total NLL in bits over the bytes it covers: independent of the tokenizer, so models
        with different vocabularies compare (a text scored in 10 short tokens or 5 long ones
        has the same bytes)."""
        return -self.total_logprob / math.log(2) / max(self.bytes, 1)

    def to_json(self) -> dict[str, Any]:
        return {
            **self._json(),
            "context": self.context,
            "bytes": self.bytes,
            "bits_per_byte": self.bits_per_byte,
        }


@dataclass(frozen=True)
class PseudoPerplexityResult(_Scores):
    """A masked LM's reading: each WordPiece's log-probability with it alone masked."""

    def to_json(self) -> dict[str, Any]:
        return self._json()


# -- a decoder's perplexity ------------------------------------------------------------------------
def perplexity(
    decoder: Decoder, text: str, *, progress: Progress = SILENT, max_tokens: int = MAX_TOKENS
) -> PerplexityResult:
    """Score every token of ``text`` given the tokens before it.

    The first token has no context, so it is not scored, unless the model puts a BOS token in
    front (``decoder.add_bos``; SmolLM2 does not), which then is its context. The text runs in
    passes of :data:`CHUNK` tokens, each continuing the previous one's KV cache, so a long text
    costs what one pass over it would (a tick, and a chance to cancel, per pass). A text longer
    than ``max_tokens`` tokens is cut there: ``cut`` and ``dropped`` say so.

    ``bytes`` covers the text from where the context ends to where the last scored token ends;
    a character split over several tokens (an emoji is three of SmolLM2's) counts with the token
    that completes it.
    """
    if not 2 <= max_tokens <= decoder.context_length:
        raise UserError(f"max_tokens must be from 2 to {decoder.context_length}, not {max_tokens}")
    ids = decoder.encode(text)
    if len(ids) < 2:
        raise UserError(
            f"perplexity needs at least two tokens: {len(ids)} here, and the model scores each "
            "token given those before it; write a longer text"
        )
    offsets = decoder.tokenizer.encode(text, add_special_tokens=False).offsets
    bos = len(ids) - len(offsets)  # 1 where encode put a BOS token in front
    kept = ids[:max_tokens]
    logprobs = _causal_logprobs(decoder, kept, progress)
    last = offsets[len(kept) - 1 - bos][1]
    first = 0 if bos else min(offsets[0][1], offsets[1][0])
    tokens = tuple(
        TokenScore(int(i), decoder.token_text(i), float(lp))
        for i, lp in zip(kept[1:], logprobs, strict=True)
    )
    return PerplexityResult(
        model=decoder.name,
        tokens=tokens,
        cut=len(kept) < len(ids),
        dropped=len(ids) - len(kept),
        context=decoder.token_text(kept[0]),
        bytes=len(text[first:last].encode("utf-8")),
    )


def _causal_logprobs(decoder: Decoder, ids: Sequence[int], progress: Progress) -> np.ndarray:
    """``log P(ids[i] | ids[:i])`` for ``i`` from 1: the logits at position ``i`` predict token
    ``i + 1``, so the last token is never run."""
    total = len(ids) - 1
    out = np.empty(total, dtype=np.float64)
    cache: Cache | None = None
    for start in range(0, total, CHUNK):
        tick(progress, start, total, f"token {start} of {total}")
        stop = min(start + CHUNK, total)
        logits, cache = decoder.forward(ids[start:stop], cache, all_logits=True)
        out[start:stop] = picked_logprobs(logits, ids[start + 1 : stop + 1])
    tick(progress, total, total, "done")
    return out


def picked_logprobs(logits: np.ndarray, targets: Sequence[int]) -> np.ndarray:
    """``log_softmax(logits[i])[targets[i]]`` for each row, a few rows of float64 at a time."""
    out = np.empty(len(targets), dtype=np.float64)
    wanted = np.asarray(targets, dtype=np.int64)
    for a in range(0, len(targets), _SOFTMAX_ROWS):
        b = min(a + _SOFTMAX_ROWS, len(targets))
        out[a:b] = log_softmax(logits[a:b])[np.arange(b - a), wanted[a:b]]
    return out


# -- a masked LM's pseudo-perplexity ---------------------------------------------------------------
def builtin_masked_lm(store: ModelStore | str | None = None, name: str = MLM_MODEL) -> Encoder:
    """The store's masked LM (``bert-lab-mlm`` unless named), run through the graph every lab
    shares, with its numpy head, which :func:`pseudo_perplexity` applies to the masked places."""
    from lab_app.core.mlm.graph_cache import masked_encoder
    from lab_app.core.models.store import ModelStore, open_store

    opened = store if isinstance(store, ModelStore) else open_store(store)
    return masked_encoder(opened.model(name))


def pseudo_perplexity(
    encoder: Encoder, text: str, *, progress: Progress = SILENT, max_tokens: int = MAX_TOKENS
) -> PseudoPerplexityResult:
    """PPPL = exp(−mean log P(piece | every other piece)), each WordPiece masked in turn.

    A text of ``n`` pieces costs ``n`` forward passes (one per masked copy), run several copies
    to a pass. The cap is ``max_tokens`` pieces or what the model's positions hold (510 of
    ``bert-lab-mlm``'s 512 beside [CLS] and [SEP]), whichever is smaller.
    """
    from lab_app.core.mlm.head import head_for
    from lab_app.core.models.encoder import TokenBatch

    if max_tokens < 1:
        raise UserError(f"max_tokens must be at least 1, not {max_tokens}")
    mask_id = next(
        (i for t in ("[MASK]", "<mask>") if (i := encoder.tokenizer.token_to_id(t)) is not None),
        None,
    )
    if mask_id is None:
        raise UserError(f"{encoder.name} has no mask token, so it cannot score masked pieces")
    pieces = len(encoder.tokenizer.encode(text, add_special_tokens=False).ids)
    added = len(encoder.encode([""])[0].ids)  # [CLS] and [SEP]
    enc = encoder.encode([text], max_length=min(max_tokens + added, encoder.max_positions))[0]
    ids = np.asarray(enc.ids, dtype=np.int64)
    positions = np.flatnonzero(np.asarray(enc.special_tokens_mask) == 0)
    if not len(positions):
        raise UserError("pseudo-perplexity needs at least one word piece: the text is empty")
    head = head_for(encoder)
    rows = max(1, MASK_BATCH_POSITIONS // len(ids))
    logprobs = np.empty(len(positions), dtype=np.float64)
    types = np.asarray(enc.type_ids, dtype=np.int64)
    for a in range(0, len(positions), rows):
        tick(progress, a, len(positions), f"piece {a} of {len(positions)}")
        where = positions[a : a + rows]
        copies = np.repeat(ids[None], len(where), axis=0)
        copies[np.arange(len(where)), where] = mask_id
        batch = TokenBatch(
            copies,
            np.ones_like(copies),
            np.repeat(types[None], len(where), axis=0),
            (False,) * len(where),
        )
        hidden = encoder.run(batch, ["last_hidden_state"])["last_hidden_state"]
        logits = head.logits(hidden[np.arange(len(where)), where])
        logprobs[a : a + len(where)] = picked_logprobs(logits, ids[where].tolist())
    tick(progress, len(positions), len(positions), "done")
    tokens = tuple(
        TokenScore(int(ids[p]), str(encoder.tokenizer.id_to_token(int(ids[p]))), float(lp))
        for p, lp in zip(positions, logprobs, strict=True)
    )
    return PseudoPerplexityResult(encoder.name, tokens, len(tokens) < pieces, pieces - len(tokens))


# -- the texts the lab compares --------------------------------------------------------------------
def shuffled_words(text: str, seed: int = 0) -> str:
    """The same words (split at whitespace, punctuation kept on its word) in a seeded random
    order, joined by single spaces: every word is still there, the grammar is gone."""
    seed = check_seed(seed)
    words = text.split()
    if not words:
        raise UserError("there are no words to shuffle: write a text first")
    order = np.random.default_rng(seed).permutation(len(words))
    return " ".join(words[i] for i in order)


def random_characters(text: str, seed: int = 0) -> str:
    """As many characters as ``text`` has, drawn at random (seeded) from its own letters and
    spaces at their frequencies in it (each whitespace counts as a space; digits and punctuation
    are left out). Keeping the text's letter frequencies, rather than a uniform alphabet, keeps
    what a model could learn from single letters: what goes is words and their order."""
    seed = check_seed(seed)
    pool = [" " if c.isspace() else c for c in text if c.isalpha() or c.isspace()]
    if not any(c.isalpha() for c in pool):
        raise UserError("random characters need a text with letters in it")
    picks = np.random.default_rng(seed).integers(0, len(pool), size=len(text))
    return "".join(pool[i] for i in picks)


def comparison_texts(text: str = ENGLISH_SAMPLE, seed: int = 0) -> tuple[tuple[str, str], ...]:
    """The lab's line-up, as (label, text): the text, its words shuffled, random characters
    from its letters, and the Finnish passage (a language the model barely knows)."""
    return (
        ("original", text),
        ("shuffled words", shuffled_words(text, seed)),
        ("random characters", random_characters(text, seed)),
        ("Finnish", FINNISH_SAMPLE),
    )
