"""GLUE's scores against scikit-learn's and SciPy's own (installed with the app's scikit-learn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics

from lab_app.core.bench.glue import (
    ACCURACY_VS_MCC,
    class_scores,
    correlation,
    parse_csv,
    read_csv,
)
from lab_app.core.errors import UserError

LABELS = st.sampled_from(["a", "b", "c"])


@pytest.mark.filterwarnings("ignore:A single label")
@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(LABELS, LABELS), min_size=1, max_size=60))
def test_class_scores_match_sklearn(pairs: list[tuple[str, str]]) -> None:
    gold = [g for g, _ in pairs]
    pred = [p for _, p in pairs]
    got = class_scores(gold, pred)
    assert got.accuracy == pytest.approx(metrics.accuracy_score(gold, pred))
    assert got.mcc == pytest.approx(metrics.matthews_corrcoef(gold, pred), abs=1e-12)
    if len(got.labels) == 2:
        assert got.positive is not None
        kw = {"pos_label": got.positive, "zero_division": 0.0}
        assert got.f1 == pytest.approx(metrics.f1_score(gold, pred, **kw))
        assert got.precision == pytest.approx(metrics.precision_score(gold, pred, **kw))
        assert got.recall == pytest.approx(metrics.recall_score(gold, pred, **kw))
    else:
        assert got.f1 is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.floats(0, 5, allow_nan=False)), min_size=3, max_size=40
    )
)
def test_correlations_match_scipy(rows: list[tuple[int, float]]) -> None:
    gold = [float(g) for g, _ in rows]
    pred = [p for _, p in rows]
    if len(set(gold)) < 2 or len(set(pred)) < 2:
        with pytest.raises(UserError):
            correlation(gold, pred)
        return
    got = correlation(gold, pred)
    assert got.pearson == pytest.approx(stats.pearsonr(gold, pred)[0], abs=1e-9)
    assert got.spearman == pytest.approx(stats.spearmanr(gold, pred)[0], abs=1e-9)


def test_accuracy_and_mcc_disagree_on_the_constant_model() -> None:
    s = class_scores(ACCURACY_VS_MCC.gold, ACCURACY_VS_MCC.pred)
    assert s.accuracy == pytest.approx(0.9)
    assert s.mcc == 0.0
    assert s.positive == "yes" and s.f1 == 0.0


def test_csv_with_header_picks_its_columns_and_numeric_files_are_correlated() -> None:
    p = parse_csv("id,prediction,label\n1,yes,yes\n2,no,yes\n3,no,no\n")
    assert p.gold == ("yes", "yes", "no") and p.pred == ("yes", "no", "no")
    assert p.scores()["kind"] == "classes"
    rng = np.random.default_rng(0)
    gold = rng.uniform(0, 5, 30)
    text = "\n".join(f"{g:.3f}\t{g + rng.normal(0, 0.5):.3f}" for g in gold)
    scored = parse_csv(text).scores()
    assert scored["kind"] == "regression" and scored["pearson"] > 0.8


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "no rows"), ("label,prediction\n", "no rows"), ("a\n", "a label and a prediction")],
)
def test_bad_csv_is_one_calm_message(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_csv(text)


def test_non_utf8_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"label,prediction\n\xff\xfe,x\n")
    with pytest.raises(UserError, match="not UTF-8"):
        read_csv(bad)
    with pytest.raises(UserError, match="cannot read"):
        read_csv(tmp_path / "missing.csv")
    assert bad.read_bytes() == b"label,prediction\n\xff\xfe,x\n"


def test_mismatched_lengths_and_unknown_positive() -> None:
    with pytest.raises(UserError, match="2 labels but 1"):
        class_scores(["a", "b"], ["a"])
    with pytest.raises(UserError, match="positive class"):
        class_scores(["a", "b"], ["a", "b"], positive="z")
