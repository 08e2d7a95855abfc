"""BERT's pre-training masking, drawn with a seed so a class can replay the same draw.

Devlin et al. (2019), §3.1: 15% of the WordPiece tokens are chosen for prediction; a chosen
token becomes [MASK] 80% of the time, a random token 10% of the time, and stays unchanged 10% of
the time. As in Google's ``create_pretraining_data.py``, exactly ``max(1, round(15% × n))``
tokens are chosen (not 15% on average), and the 80/10/10 split is rolled per chosen token — so
the split shows only over many draws, which is why the lab counts 1,000 of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from tokenizers import Tokenizer

from lab_app.core.errors import UserError
from lab_app.core.seeds import check_seed

RATE = 0.15
DRAWS = 1000
Action = Literal["mask", "random", "keep"]
ACTIONS: tuple[Action, ...] = ("mask", "random", "keep")
# Special and placeholder entries ([PAD], [unused17], <s>) are never drawn as the "random word":
# the paper draws from the whole vocabulary, but a student should see a real word swapped in.
_MARKER = re.compile(r"^(\[.*\]|<.*>)$")


@dataclass(frozen=True, eq=False)
class ReplacementVocab:
    """The mask token, and the vocabulary entries a random replacement is drawn from."""

    mask_token: str
    tokens: tuple[str, ...]


def replacement_vocab(tokenizer: Tokenizer, mask_token: str) -> ReplacementVocab:
    """Built once per model (30k entries): ordered by id, so draws are reproducible."""
    vocab = tokenizer.get_vocab(with_added_tokens=False)
    words = tuple(t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if not _MARKER.match(t))
    if not words:
        raise UserError("this tokenizer's vocabulary has no ordinary tokens to draw from")
    return ReplacementVocab(mask_token, words)


@dataclass(frozen=True)
class MaskingDraw:
    """One draw: which tokens were chosen and what became of each."""

    seed: int
    original: tuple[str, ...]
    masked: tuple[str, ...]
    chosen: tuple[int, ...]  # indices into ``original``, ascending
    actions: tuple[Action, ...]  # one per chosen index

    def action_at(self, i: int) -> Action | None:
        """What happened to token ``i`` (None: not chosen)."""
        if i in self.chosen:
            return self.actions[self.chosen.index(i)]
        return None


@dataclass(frozen=True)
class MaskingTally:
    """Counts of the three outcomes after ``draws`` draws."""

    draws: int
    mask: int
    random: int
    keep: int

    @property
    def chosen(self) -> int:
        return self.mask + self.random + self.keep

    def fractions(self) -> dict[Action, float]:
        total = max(self.chosen, 1)
        return {"mask": self.mask / total, "random": self.random / total, "keep": self.keep / total}


def chosen_count(n: int, rate: float = RATE) -> int:
    """How many of ``n`` tokens one draw chooses (at least one, as in Google's script)."""
    return max(1, round(n * rate)) if n else 0


def _roll(
    rng: np.random.Generator, n: int, vocab_size: int, rate: float
) -> tuple[list[int], list[Action], list[int]]:
    """The random part of one draw: chosen positions, their actions, replacement vocab indices."""
    chosen = sorted(int(i) for i in rng.choice(n, size=chosen_count(n, rate), replace=False))
    actions: list[Action] = []
    picks: list[int] = []
    for _ in chosen:
        # The original script's order of rolls: [MASK] with 80%; else a coin for keep/random.
        if rng.random() < 0.8:
            actions.append("mask")
        elif rng.random() < 0.5:
            actions.append("keep")
        else:
            actions.append("random")
            picks.append(int(rng.integers(vocab_size)))
    return chosen, actions, picks


def draw_masking(
    tokens: Sequence[str], seed: int, vocab: ReplacementVocab, rate: float = RATE
) -> MaskingDraw:
    """Apply pre-training masking to ``tokens`` (content tokens, no [CLS]/[SEP])."""
    if not tokens:
        raise UserError("There are no tokens to mask: type a sentence first.")
    rng = np.random.default_rng(check_seed(seed))
    chosen, actions, picks = _roll(rng, len(tokens), len(vocab.tokens), rate)
    masked = list(tokens)
    random_words = iter(picks)
    for i, action in zip(chosen, actions, strict=True):
        if action == "mask":
            masked[i] = vocab.mask_token
        elif action == "random":
            masked[i] = vocab.tokens[next(random_words)]
    return MaskingDraw(seed, tuple(tokens), tuple(masked), tuple(chosen), tuple(actions))


def masking_counts(
    n: int,
    vocab_size: int,
    draws: int = DRAWS,
    first_seed: int = 0,
    checkpoints: Sequence[int] = (10, 100, 1000),
    rate: float = RATE,
) -> tuple[MaskingTally, ...]:
    """Tallies after each checkpoint of the draws with seeds ``first_seed, first_seed + 1, …``.

    These are exactly the draws "draw again" steps through, so the counts are of what a student
    would see by pressing it that many times.
    """
    if n <= 0:
        raise UserError("There are no tokens to mask: type a sentence first.")
    check_seed(first_seed)
    wanted = sorted({c for c in checkpoints if 0 < c <= draws} | {draws})
    counts = {"mask": 0, "random": 0, "keep": 0}
    out: list[MaskingTally] = []
    for d in range(1, draws + 1):
        _, actions, _ = _roll(np.random.default_rng(first_seed + d - 1), n, vocab_size, rate)
        for a in actions:
            counts[a] += 1
        if d in wanted:
            out.append(MaskingTally(d, counts["mask"], counts["random"], counts["keep"]))
    return tuple(out)
