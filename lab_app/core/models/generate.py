"""Generating and scoring text with a :class:`~lab_app.core.models.decoder.Decoder`.

:func:`generate` yields one :class:`Step` per new token (its id, text, probability and the top-k
alternatives at that step), so a window can stream it and stop at any token; the prompt runs
once and every new token costs one position (the KV cache). :func:`score` gives the
log-probability of a given continuation, token by token, without generating.

Sampling follows the usual order: logits / temperature → keep the top-k → keep the smallest set
whose probability reaches top-p → draw with the seeded generator. Without a temperature the
choice is greedy (the most probable token). The probability reported for a token is the model's
own (softmax of the raw logits), whatever the sampling settings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lab_app.core.errors import Cancelled, UserError
from lab_app.core.models.activations import log_softmax, softmax
from lab_app.core.models.decoder import Cache, Decoder
from lab_app.core.progress import SILENT, Progress
from lab_app.core.seeds import check_seed

MAX_NEW_TOKENS = 2048
ALTERNATIVES = 5


@dataclass(frozen=True)
class Sampling:
    """How to choose each next token; ``temperature=None`` is greedy."""

    max_new_tokens: int = 64
    temperature: float | None = None
    top_k: int | None = None
    top_p: float | None = None
    seed: int | None = None
    stop_strings: tuple[str, ...] = ()
    stop_at_eos: bool = True

    def check(self, vocab_size: int | None = None) -> None:
        if not 1 <= self.max_new_tokens <= MAX_NEW_TOKENS:
            raise UserError(
                f"max new tokens must be from 1 to {MAX_NEW_TOKENS}, not {self.max_new_tokens}"
            )
        t = self.temperature
        if t is not None and not (t > 0 and np.isfinite(t)):
            raise UserError(
                f"temperature must be above 0, not {self.temperature} "
                "(leave it out for greedy decoding: always the most probable token)"
            )
        if self.top_k is not None and not 1 <= self.top_k <= (vocab_size or self.top_k):
            raise UserError(f"top-k must be from 1 to {vocab_size}, not {self.top_k}")
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise UserError(f"top-p must be in (0, 1], not {self.top_p}")
        if any(not s for s in self.stop_strings):
            raise UserError("a stop string cannot be empty")
        if self.seed is not None:
            check_seed(self.seed)

    @property
    def greedy(self) -> bool:
        return self.temperature is None


@dataclass(frozen=True)
class Alternative:
    id: int
    text: str
    prob: float


@dataclass(frozen=True)
class Step:
    """One generated token: what was chosen, how sure the model was, and what else it weighed."""

    id: int
    text: str  # the new text this token completes (empty while a character is half done)
    prob: float
    alternatives: tuple[Alternative, ...]
    stop: str | None = None  # "eos", "stop string" or "length" on the last step

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "prob": self.prob}


@dataclass(frozen=True)
class Prompt:
    """A prompt's ids, cut from the left to fit the context with room for the answer."""

    ids: tuple[int, ...]
    cut: int  # how many tokens were dropped from the start

    @property
    def note(self) -> str:
        if not self.cut:
            return ""
        total = len(self.ids) + self.cut
        return f"the prompt was {total} tokens; its first {self.cut} were cut to fit the context"


def prepare_prompt(decoder: Decoder, text: str, room: int) -> Prompt:
    """Tokenize ``text``; if it and ``room`` new tokens exceed the context, keep its end."""
    if not text.strip():
        raise UserError("the prompt is empty: type some text for the model to continue")
    ids = decoder.encode(text)
    limit = decoder.context_length - room
    if limit < 1:
        raise UserError(f"{room} new tokens leave no room for a prompt in {decoder.context_length}")
    if len(ids) <= limit:
        return Prompt(tuple(ids), 0)
    return Prompt(tuple(ids[-limit:]), len(ids) - limit)


def choose(logits: np.ndarray, sampling: Sampling, rng: np.random.Generator) -> int:
    """The next token id under ``sampling`` (greedy, or temperature / top-k / top-p)."""
    if sampling.greedy:
        return int(np.argmax(logits))
    probs = softmax(logits / float(sampling.temperature or 1.0))
    order = np.argsort(-probs, kind="stable")
    if sampling.top_k is not None:
        order = order[: sampling.top_k]
    kept = probs[order]
    if sampling.top_p is not None:
        cumulative = np.cumsum(kept)
        n = int(np.searchsorted(cumulative, sampling.top_p * cumulative[-1]) + 1)
        order, kept = order[:n], kept[:n]
    return int(order[rng.choice(len(order), p=kept / kept.sum())])


def alternatives(
    decoder: Decoder, probs: np.ndarray, k: int = ALTERNATIVES
) -> tuple[Alternative, ...]:
    top = np.argpartition(-probs, k)[:k]
    top = top[np.argsort(-probs[top], kind="stable")]
    return tuple(Alternative(int(i), decoder.token_text(int(i)), float(probs[i])) for i in top)


@dataclass
class _Text:
    """Turns ids into text as they come, holding back a character split over tokens."""

    decoder: Decoder
    ids: list[int] = field(default_factory=list)
    shown: str = ""

    def add(self, token: int) -> str:
        self.ids.append(token)
        text = self.decoder.decode(self.ids)
        if text.endswith("\ufffd"):
            return ""  # a multi-byte character is not complete yet
        new, self.shown = text[len(self.shown) :], text
        return new


def generate(
    decoder: Decoder,
    prompt: Sequence[int],
    sampling: Sampling,
    *,
    cache: Cache | None = None,
    progress: Progress = SILENT,
) -> Iterator[Step]:
    """Yield each new token; stops at an end token, a stop string or ``max_new_tokens``.

    ``progress.cancelled()`` is checked before every step, so closing a window or a new request
    ends it after the token being computed (a :class:`Cancelled` is raised).
    """
    sampling.check(decoder.vocab_size)
    if not prompt:
        raise UserError("the prompt has no tokens")
    rng = np.random.default_rng(sampling.seed)
    logits, cache = decoder.forward(list(prompt), cache)
    text = _Text(decoder)
    produced = ""
    for n in range(sampling.max_new_tokens):
        if progress.cancelled():
            raise Cancelled()
        row = logits[-1]
        probs = softmax(row)
        token = choose(row, sampling, rng)
        ends = sampling.stop_at_eos and token in decoder.stop_ids
        piece = "" if ends else text.add(token)  # an end token's text (<|im_end|>) is not shown
        produced += piece
        stop = _stop_reason(decoder, token, produced, sampling, n)
        yield Step(token, piece, float(probs[token]), alternatives(decoder, probs), stop)
        if stop or cache.length + 1 > decoder.context_length:
            return
        logits, cache = decoder.forward([token], cache)


def _stop_reason(
    decoder: Decoder, token: int, produced: str, sampling: Sampling, n: int
) -> str | None:
    if sampling.stop_at_eos and token in decoder.stop_ids:
        return "eos"
    if any(s in produced for s in sampling.stop_strings):
        return "stop string"
    if n + 1 >= sampling.max_new_tokens:
        return "length"
    return None


@dataclass(frozen=True)
class ScoredToken:
    id: int
    text: str
    logprob: float
    rank: int  # 1 = the model's first choice at that position


@dataclass(frozen=True)
class Score:
    prompt_tokens: int
    tokens: tuple[ScoredToken, ...]

    @property
    def total(self) -> float:
        return float(sum(t.logprob for t in self.tokens))

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "total_logprob": self.total,
            "tokens": [
                {"id": t.id, "text": t.text, "logprob": t.logprob, "rank": t.rank}
                for t in self.tokens
            ],
        }


def score_ids(
    decoder: Decoder, prompt: Sequence[int], continuation: Sequence[int], cache: Cache | None = None
) -> Score:
    """Log-probability of each ``continuation`` token after ``prompt`` (one forward pass).

    ``cache`` holds positions already run before ``prompt`` (a shared prefix, such as a few-shot
    prompt's examples); ``prompt`` is what follows it, at least one token.
    """
    if not continuation:
        raise UserError("the continuation is empty: give the text whose probability you want")
    if not prompt:
        raise UserError("the prompt is empty: a continuation needs something to follow")
    past = cache.length if cache is not None else 0
    if past + len(prompt) + len(continuation) > decoder.context_length:
        raise UserError(
            f"prompt and continuation are longer than the {decoder.context_length}-token context"
        )
    start = len(prompt) - 1  # the logits at position i predict token i + 1
    logits, _ = decoder.forward([*prompt, *continuation], cache, logits_from=start)
    return _scored(decoder, len(prompt) + past, continuation, logits[: len(continuation)])


def score_many(
    decoder: Decoder,
    pairs: Sequence[tuple[Sequence[int], Sequence[int]]],
    cache: Cache | None = None,
    *,
    batch: int = 8,
) -> list[Score]:
    """:func:`score_ids` for many (prompt, continuation) pairs after one shared ``cache``, a few
    at a time in one batched pass each (the weights are read once per pass, not once per pair)."""
    out: list[Score] = []
    past = cache.length if cache is not None else 0
    for first in range(0, len(pairs), batch):
        chunk = pairs[first : first + batch]
        if any(not p or not c for p, c in chunk):
            raise UserError("every pair needs a prompt and a continuation")
        rows = [[*p, *c] for p, c in chunk]
        all_logits = decoder.forward_rows(rows, [len(p) - 1 for p, _ in chunk], cache)
        for (p, c), logits in zip(chunk, all_logits, strict=True):
            out.append(_scored(decoder, len(p) + past, c, logits[: len(c)]))
    return out


def _scored(
    decoder: Decoder, prompt_tokens: int, continuation: Sequence[int], rows: np.ndarray
) -> Score:
    logp = log_softmax(rows)
    tokens = []
    for row, tok, lp in zip(rows, continuation, logp, strict=True):
        rank = int((row > row[tok]).sum()) + 1
        tokens.append(ScoredToken(int(tok), decoder.token_text(int(tok)), float(lp[tok]), rank))
    return Score(prompt_tokens, tuple(tokens))


def score(decoder: Decoder, prompt: str, continuation: str) -> Score:
    """:func:`score_ids` on text; the continuation is tokenized on its own (so " Rome" keeps its
    space, as the model would write it)."""
    if not prompt.strip():
        raise UserError("the prompt is empty: a continuation needs something to follow")
    answer = decoder.tokenizer.encode(continuation, add_special_tokens=False).ids
    return score_ids(decoder, decoder.encode(prompt), answer)
