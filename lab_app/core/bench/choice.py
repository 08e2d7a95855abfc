"""Multiple choice scored the way evaluation harnesses score HellaSwag, ARC and PIQA.

Nothing is generated. For a context and N options, each option is read as a continuation of the
context, and its score is the sum of its tokens' log-probabilities (``logprob``): how likely the
model finds that ending. The option with the highest score is the model's choice (``acc``).

Longer options have more tokens, each adding a negative log-probability, so the sum favours short
options. lm-evaluation-harness's ``acc_norm`` divides each sum by the option's length in
characters (``logprob_norm``) before choosing; where the two choices differ, normalisation *flips*
the answer. Accuracy is measured against chance, the mean of 1/N over the items.

How the text is put together follows the harness (``lm_eval``'s loglikelihood requests):

- context and option are joined with :data:`TARGET_DELIMITER`, one space, so the option's first
  token is the word with its leading space, as the model would write it. A context that already
  ends in whitespace is joined without it (the harness would add a second space), and, as in the
  harness, that whitespace is moved from the context to the start of the option;
- context and continuation are tokenized *together*, and the continuation's tokens are those
  after the context's own tokens: tokenized apart, the boundary could split differently from how
  the model ever saw the text;
- the model reads the context's tokens followed by those continuation tokens.

All options share the context, so its keys and values are computed once, and the options run
after them as one batch (:meth:`~lab_app.core.models.decoder.Decoder.forward_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.bench.perplexity import picked_logprobs
from lab_app.core.errors import UserError
from lab_app.core.models.decoder import Cache, Decoder
from lab_app.core.progress import SILENT, Progress, tick

TARGET_DELIMITER = " "
# Rows × (context + row) positions per batched pass: each row gets its own copy of the context's
# keys and values (about 0.1 MB a position for SmolLM2), as in the prompting lab's shots.
BATCH_POSITIONS = 1024


@dataclass(frozen=True)
class OptionScore:
    """One option: its text, summed log-probability (nats) and number of scored tokens."""

    text: str
    logprob: float
    tokens: int

    @property
    def logprob_norm(self) -> float:
        """The harness's ``acc_norm`` score: ``logprob`` per character of the option's text."""
        return self.logprob / len(self.text)


@dataclass(frozen=True)
class ChoiceResult:
    """Every option's score for one context; choices are indices from 0."""

    context: str
    options: tuple[OptionScore, ...]

    @property
    def acc_choice(self) -> int:
        """The option with the highest summed log-probability (the first on a tie)."""
        return int(np.argmax([o.logprob for o in self.options]))

    @property
    def acc_norm_choice(self) -> int:
        """The option with the highest log-probability per character."""
        return int(np.argmax([o.logprob_norm for o in self.options]))

    @property
    def flips(self) -> bool:
        """Normalising by length changes the choice."""
        return self.acc_choice != self.acc_norm_choice

    def to_json(self) -> dict[str, Any]:
        return {
            "options": [
                {"text": o.text, "logprob": o.logprob, "logprob_norm": o.logprob_norm}
                for o in self.options
            ],
            "acc_choice": self.acc_choice,
            "acc_norm_choice": self.acc_norm_choice,
        }


@dataclass(frozen=True)
class ChoiceItem:
    """A question: the context, its options and the index (from 0) of the right one."""

    context: str
    options: tuple[str, ...]
    gold: int


@dataclass(frozen=True)
class ItemResult:
    item: ChoiceItem
    result: ChoiceResult

    @property
    def correct(self) -> bool:
        return self.result.acc_choice == self.item.gold

    @property
    def correct_norm(self) -> bool:
        return self.result.acc_norm_choice == self.item.gold


@dataclass(frozen=True)
class ChoiceRun:
    """A model's answers to a list of items: accuracy with and without length normalisation."""

    model: str
    items: tuple[ItemResult, ...]

    @property
    def acc(self) -> float:
        return float(np.mean([r.correct for r in self.items]))

    @property
    def acc_norm(self) -> float:
        return float(np.mean([r.correct_norm for r in self.items]))

    @property
    def chance(self) -> float:
        """The accuracy of guessing: the mean of 1/N over the items."""
        return float(np.mean([1.0 / len(r.item.options) for r in self.items]))

    @property
    def flipped(self) -> tuple[int, ...]:
        """The items (indices) where normalisation changes the model's choice."""
        return tuple(n for n, r in enumerate(self.items) if r.result.flips)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "acc": self.acc,
            "acc_norm": self.acc_norm,
            "chance": self.chance,
            "flipped": list(self.flipped),
            "items": [
                {**r.result.to_json(), "context": r.item.context, "gold": r.item.gold}
                for r in self.items
            ],
        }


def check_choice(context: str, options: Sequence[str]) -> None:
    """A calm :class:`UserError` for a question that cannot be scored."""
    if not context.strip():
        raise UserError("the context is empty: the options need something to continue")
    if len(options) < 2:
        raise UserError(f"a choice needs at least two options, not {len(options)}")
    for n, option in enumerate(options, 1):
        if not option.strip():
            raise UserError(f"option {n} is empty: give every option some text")


def continuation_tokens(decoder: Decoder, context: str, option: str) -> tuple[list[int], list[int]]:
    """The context's tokens and the option's, tokenized together as the module docstring says."""
    stripped = context.rstrip()
    joint = context[len(stripped) :] or TARGET_DELIMITER
    ctx = decoder.encode(stripped)
    whole = decoder.encode(stripped + joint + option)
    return ctx, whole[len(ctx) :]


def score_choice(decoder: Decoder, context: str, options: Sequence[str]) -> ChoiceResult:
    """Each option's log-probability as a continuation of ``context`` (see the module
    docstring): the context runs once, the options after it in batches."""
    check_choice(context, options)
    pairs = [continuation_tokens(decoder, context, o) for o in options]
    ctx = pairs[0][0]
    for n, (_, cont) in enumerate(pairs, 1):
        if not cont:
            raise UserError(f"option {n} adds no token after the context: write it out in full")
    longest = max(len(c) for _, c in pairs)
    if len(ctx) + longest > decoder.context_length:
        raise UserError(
            f"the context and its longest option are {len(ctx) + longest} tokens, more than "
            f"{decoder.name}'s context of {decoder.context_length}"
        )
    # The cache holds all but the context's last token: each row starts with that token, whose
    # logits predict the option's first one, and ends before the option's last token.
    cache: Cache | None = decoder.forward(ctx[:-1])[1] if len(ctx) > 1 else None
    rows = [[ctx[-1], *cont[:-1]] for _, cont in pairs]
    per_pass = max(1, BATCH_POSITIONS // (len(ctx) + longest))
    totals: list[float] = []
    for first in range(0, len(rows), per_pass):
        part = rows[first : first + per_pass]
        for n, logits in enumerate(decoder.forward_rows(part, [0] * len(part), cache)):
            cont = pairs[first + n][1]
            totals.append(float(picked_logprobs(logits, cont).sum()))
    scores = tuple(
        OptionScore(o, t, len(c)) for o, t, (_, c) in zip(options, totals, pairs, strict=True)
    )
    return ChoiceResult(context, scores)


def evaluate(
    decoder: Decoder, items: Sequence[ChoiceItem], *, progress: Progress = SILENT
) -> ChoiceRun:
    """Score every item (one tick, and a chance to cancel, per item); every item is checked
    before the first runs, so a bad one stops the run at once."""
    if not items:
        raise UserError("there are no items to evaluate")
    for n, item in enumerate(items, 1):
        try:
            check_choice(item.context, item.options)
        except UserError as exc:
            raise UserError(f"item {n}: {exc}") from None
        if not 0 <= item.gold < len(item.options):
            raise UserError(
                f"item {n}: the right answer must be an option number from 0 to "
                f"{len(item.options) - 1}, not {item.gold}"
            )
    results = []
    for n, item in enumerate(items):
        tick(progress, n, len(items), f"item {n + 1} of {len(items)}")
        results.append(ItemResult(item, score_choice(decoder, item.context, item.options)))
    tick(progress, len(items), len(items), "done")
    return ChoiceRun(decoder.name, tuple(results))
