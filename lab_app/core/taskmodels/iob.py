"""Entities from IOB2 tags, and the entity-level scores a tagger is judged by.

In IOB2 every word has a tag: ``O`` (outside any entity), ``B-TYPE`` (the first word of an entity
of that type) or ``I-TYPE`` (a later word of it). ``Maria/B-PER flew/O to/O New/B-LOC York/I-LOC``
holds two entities, ``PER`` over word 0 and ``LOC`` over words 3–4.

Scoring counts *entities*, not words (the CoNLL shared tasks' rule): a predicted entity is right
only when its type, first word and last word all equal a gold entity's. Precision is the share
of predicted entities that are right, recall the share of gold entities found, F1 their harmonic
mean, all micro-averaged over every entity of every sentence.

Entities are read *strictly*: an entity is a ``B-X`` and the ``I-X`` run right after it, nothing
else. A model's per-word argmax can emit an ``I-X`` after ``O`` or after another type; such a
word starts no entity and belongs to none (the lenient conlleval reading would start one there).
The numbers equal seqeval's ``mode="strict", scheme=IOB2`` (the tests check it), which
transformers' token-classification examples report.

The tag syntax checks and the IOB1 conversion are shared with the file readers in
:mod:`lab_app.core.io.tag_formats` and re-exported here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lab_app.core.io.tag_formats import (
    check_iob2,
    check_tag,
    first_orphan,
    iob1_to_iob2,
    split_tag,
)

__all__ = [
    "EntityScores",
    "LabelScores",
    "check_iob2",
    "check_tag",
    "entities",
    "entity_scores",
    "first_orphan",
    "iob1_to_iob2",
    "split_tag",
    "tag_names",
]


def tag_names(types: Iterable[str]) -> tuple[str, ...]:
    """The tagger's classes for these entity types: ``O``, then ``B-``/``I-`` of each type in
    sorted order — ``("O", "B-LOC", "I-LOC", "B-PER", "I-PER")``."""
    return ("O", *(f"{p}-{t}" for t in sorted(set(types)) for p in ("B", "I")))


def entities(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The entities of one sentence as ``(type, first word, last word + 1)``, strictly: each
    ``B-X`` with the ``I-X`` words right after it; an ``I-`` that continues nothing is skipped."""
    found: list[tuple[str, int, int]] = []
    start, kind = -1, ""
    for i, tag in enumerate(tags):
        prefix, this = split_tag(tag)
        if start >= 0 and (prefix != "I" or this != kind):
            found.append((kind, start, i))
            start = -1
        if prefix == "B":
            start, kind = i, this
    if start >= 0:
        found.append((kind, start, len(tags)))
    return found


@dataclass(frozen=True)
class LabelScores:
    """One entity type's precision, recall and F1, and its number of gold entities."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EntityScores:
    """Micro-averaged entity precision, recall and F1, the counts behind them, and the same
    per entity type (every type that is gold or predicted somewhere, sorted)."""

    precision: float
    recall: float
    f1: float
    per_label: dict[str, LabelScores]
    correct: int = 0
    predicted: int = 0
    gold: int = 0


def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1; 0 where a share has nothing to divide by (no prediction, no
    gold entity), as seqeval and scikit-learn report by default."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> EntityScores:
    """Entity-level scores of predicted tag sequences against gold ones, sentence by sentence
    (each pair the same length). Predictions need not be valid IOB2."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    gold_set: set[tuple[int, str, int, int]] = set()
    pred_set: set[tuple[int, str, int, int]] = set()
    for n, (gold_tags, pred_tags) in enumerate(zip(gold, pred, strict=True)):
        if len(gold_tags) != len(pred_tags):
            raise ValueError(
                f"sentence {n}: {len(gold_tags)} gold tags but {len(pred_tags)} predicted"
            )
        gold_set.update((n, *e) for e in entities(gold_tags))
        pred_set.update((n, *e) for e in entities(pred_tags))
    right = gold_set & pred_set
    n_gold = Counter(e[1] for e in gold_set)
    n_pred = Counter(e[1] for e in pred_set)
    n_right = Counter(e[1] for e in right)
    per_label = {}
    for kind in sorted(n_gold.keys() | n_pred.keys()):
        p, r, f = _prf(n_right[kind], n_pred[kind], n_gold[kind])
        per_label[kind] = LabelScores(p, r, f, n_gold[kind])
    p, r, f = _prf(len(right), len(pred_set), len(gold_set))
    return EntityScores(p, r, f, per_label, len(right), len(pred_set), len(gold_set))
