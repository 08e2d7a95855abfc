"""The labelled examples a fine-tuning run learns from: checks, the seeded split, token batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch
from lab_app.core.errors import UserError

MAX_TOKENS = 64  # positions per utterance in training: chatbot utterances are far shorter


@dataclass(frozen=True)
class Split:
    """Label ids per example, class names, and which examples train and which are held out."""

    classes: tuple[str, ...]
    y: np.ndarray
    train: np.ndarray
    test: np.ndarray

    def per_class(self, shots: int | None, seed: int) -> np.ndarray:
        """At most ``shots`` training examples of each class (all of them for None), seeded."""
        if shots is None:
            return self.train
        rng = np.random.default_rng(seed)
        chosen = [
            rng.permutation(self.train[self.y[self.train] == c])[:shots]
            for c in range(len(self.classes))
        ]
        return np.sort(np.concatenate(chosen))


def make_split(
    labels: Sequence[str] | None, test_size: float, seed: int, noun: str = "intent"
) -> Split:
    """A stratified split: every class (``noun`` in the messages) is in both parts, in
    proportion."""
    from sklearn.model_selection import train_test_split

    if labels is None:
        raise UserError(
            "fine-tuning needs labelled examples: this dataset has no intent column "
            "(a CSV needs a text and a label column; intents.json and nlu.yml carry them)"
        )
    check_test_size(test_size)
    counts = Counter(labels)
    if len(counts) < 2:
        raise UserError(
            f"there is only one {noun} ({next(iter(counts), 'none')}): a classifier needs two "
            "or more"
        )
    lonely = sorted(name for name, n in counts.items() if n < 2)
    if lonely:
        raise UserError(
            f"{noun} '{lonely[0]}' has a single example"
            + (f" (and {len(lonely) - 1} more)" if len(lonely) > 1 else "")
            + f": each {noun} needs at least two, one to train on "
            "and one to test on"
        )
    classes = tuple(sorted(counts))
    y = np.array([classes.index(label) for label in labels], dtype=np.int64)
    n_test = max(len(classes), round(test_size * len(y)))
    if len(y) - n_test < len(classes):
        raise UserError(
            f"{len(y)} examples are too few to train and test {len(classes)} {noun}s; "
            "add examples or hold out less"
        )
    train, test = train_test_split(
        np.arange(len(y)), test_size=n_test, stratify=y, random_state=seed
    )
    return Split(classes, y, np.sort(train), np.sort(test))


def check_test_size(test_size: float) -> None:
    if not 0.05 <= test_size <= 0.5:
        raise UserError(f"hold out between 5% and 50% of the examples, not {test_size:.0%}")


def random_split(
    groups: Sequence[int] | np.ndarray, test_size: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a seeded split that keeps every group (a sentence, a passage) whole on one
    side: the held-out part never shares a passage with the training part."""
    check_test_size(test_size)
    keys = np.unique(np.asarray(groups))
    if len(keys) < 2:
        raise UserError("there are too few examples to hold any out; add more")
    order = np.random.default_rng(seed).permutation(keys)
    n_test = min(len(keys) - 1, max(1, round(test_size * len(keys))))
    test_keys = set(order[:n_test].tolist())
    held = np.array([g in test_keys for g in np.asarray(groups).tolist()])
    rows = np.arange(len(held))
    return rows[~held], rows[held]


@dataclass(frozen=True)
class Tokens:
    """Each example's token ids and types (unpadded), cut to :data:`MAX_TOKENS` positions."""

    ids: tuple[np.ndarray, ...]
    types: tuple[np.ndarray, ...]
    truncated: int

    @property
    def lengths(self) -> list[int]:
        return [len(t) for t in self.ids]

    def batch(self, rows: Sequence[int] | np.ndarray) -> Batch:
        width = max(len(self.ids[r]) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for i, r in enumerate(rows):
            n = len(self.ids[r])
            ids[i, :n], mask[i, :n], types[i, :n] = self.ids[r], 1, self.types[r]
        return Batch(ids, mask, types)


def tokenize(
    tokenizer: object, texts: Sequence[str] | Sequence[tuple[str, str]], limit: int
) -> Tokens:
    """Encode with the model's special tokens (``tokenizer`` is a ``tokenizers.Tokenizer``);
    a pair ``(a, b)`` becomes ``[CLS] a [SEP] b [SEP]`` with token types 0 and 1, the longer
    side cut first when the pair is over ``limit``."""
    from tokenizers import Tokenizer

    assert isinstance(tokenizer, Tokenizer)
    tokenizer.enable_truncation(max_length=limit)
    try:
        encodings = tokenizer.encode_batch(list(texts), add_special_tokens=True)
    finally:
        tokenizer.no_truncation()
    return from_encodings(encodings)


def from_encodings(encodings: Sequence[Any]) -> Tokens:
    """:class:`Tokens` from ``tokenizers`` encodings (those with overflow count as cut)."""
    return Tokens(
        tuple(np.array(e.ids, dtype=np.int64) for e in encodings),
        tuple(np.array(e.type_ids, dtype=np.int64) for e in encodings),
        sum(bool(e.overflowing) for e in encodings),
    )


GROUP = 8  # batches per length group


def batches(
    rows: np.ndarray,
    size: int,
    rng: np.random.Generator | None,
    lengths: Sequence[int] | np.ndarray | None = None,
) -> list[np.ndarray]:
    """``rows`` in batches of ``size``: in order without ``rng``; with it, shuffled, and with
    ``lengths`` grouped by length (each run of 8 batches sorted, the batches then shuffled), so
    that a batch pads little: a third less work per epoch on the sample, the same examples."""
    if rng is None:
        return [rows[i : i + size] for i in range(0, len(rows), size)]
    order = rng.permutation(rows)
    if lengths is not None:
        chunk = size * GROUP
        parts = [order[i : i + chunk] for i in range(0, len(order), chunk)]
        order = np.concatenate(
            [p[np.argsort([lengths[r] for r in p], kind="stable")] for p in parts]
        )
    out = [order[i : i + size] for i in range(0, len(order), size)]
    return [out[i] for i in rng.permutation(len(out))] if lengths is not None else out
