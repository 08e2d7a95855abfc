"""The entity-level metric (strict IOB2 precision, recall and F1, per type) equals seqeval's."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from lab_app.core.taskmodels.iob import entities, entity_scores, tag_names

TAGS = tag_names(["PER", "LOC", "MISC"])  # O, B-LOC, I-LOC, B-MISC, I-MISC, B-PER, I-PER


# --- (b) entity scores against seqeval ----------------------------------------------------------


def _seqeval(
    gold: list[list[str]], pred: list[list[str]]
) -> tuple[dict[str, Any], float, float, float]:
    pytest.importorskip("seqeval")
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    kw: dict[str, Any] = {"mode": "strict", "scheme": IOB2}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = (
            classification_report(gold, pred, output_dict=True, **kw)
            if any(entities(s) for s in gold + pred)
            else {}
        )
        return (
            report,
            precision_score(gold, pred, **kw),
            recall_score(gold, pred, **kw),
            f1_score(gold, pred, **kw),
        )


def _assert_equals_seqeval(gold: list[list[str]], pred: list[list[str]]) -> None:
    report, precision, recall, f1 = _seqeval(gold, pred)
    mine = entity_scores(gold, pred)
    assert (mine.precision, mine.recall, mine.f1) == pytest.approx((precision, recall, f1))
    labels = {k: v for k, v in report.items() if not k.endswith(" avg")}
    assert sorted(labels) == sorted(mine.per_label)
    for name, row in labels.items():
        ours = mine.per_label[name]
        assert (ours.precision, ours.recall, ours.f1, ours.support) == pytest.approx(
            (row["precision"], row["recall"], row["f1-score"], row["support"])
        ), name
    if "micro avg" in report:
        micro = report["micro avg"]
        assert (mine.precision, mine.recall, mine.f1, mine.gold) == pytest.approx(
            (micro["precision"], micro["recall"], micro["f1-score"], micro["support"])
        )


HAND_CASES = [
    # all right
    ([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-LOC"]]),
    # a boundary wrong, a type wrong, a miss and an extra
    (
        [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"], ["O", "B-MISC"]],
        [["B-PER", "O", "O", "B-ORG", "O", "O"], ["B-LOC", "B-MISC"]],
    ),
    # predictions that are not IOB2: I- after O, I- after another type, I- first
    (
        [["B-LOC", "I-LOC", "O", "B-PER"], ["B-LOC", "I-LOC", "I-LOC"]],
        [["I-LOC", "I-LOC", "O", "I-PER"], ["B-PER", "I-LOC", "I-LOC"]],
    ),
    # touching entities of one type
    ([["B-PER", "B-PER", "I-PER"]], [["B-PER", "I-PER", "I-PER"]]),
    # nothing predicted; nothing gold
    ([["B-PER", "O"]], [["O", "O"]]),
    ([["O", "O"]], [["B-PER", "I-PER"]]),
]


@pytest.mark.parametrize(("gold", "pred"), HAND_CASES)
def test_entity_scores_equal_seqeval_strict_on_hand_cases(
    gold: list[list[str]], pred: list[list[str]]
) -> None:
    _assert_equals_seqeval(gold, pred)


def test_entity_scores_on_a_hand_case_by_hand() -> None:
    gold, pred = HAND_CASES[1]
    scores = entity_scores(gold, pred)
    # gold: PER(0,2) LOC(3,4) ORG(5,6) MISC(1,2); predicted: PER(0,1) ORG(3,4) LOC(0,1) MISC(1,2)
    assert (scores.correct, scores.predicted, scores.gold) == (1, 4, 4)
    assert scores.f1 == pytest.approx(0.25)
    assert scores.per_label["MISC"].f1 == 1.0 and scores.per_label["PER"].f1 == 0.0


def test_entity_scores_equal_seqeval_strict_on_random_tags() -> None:
    rng = np.random.default_rng(7)
    tags = ["O", "B-LOC", "I-LOC", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    for _ in range(60):
        n = int(rng.integers(1, 6))
        lengths = rng.integers(1, 9, n)
        gold = [[tags[i] for i in rng.integers(0, len(tags), k)] for k in lengths]
        # predictions: a noisy copy of gold (some right, many invalid I- starts)
        pred = [
            [t if rng.random() < 0.6 else tags[int(rng.integers(0, len(tags)))] for t in s]
            for s in gold
        ]
        _assert_equals_seqeval(gold, pred)
