"""The scores GLUE reports, computed on a list of labels and predictions.

GLUE (Wang et al. 2018) is nine sentence tasks, each scored its own way:

- **accuracy**: the share of predictions that equal the label (most tasks);
- **F1** of the positive class: the harmonic mean of precision and recall (MRPC, QQP, where the
  positives are rare enough that accuracy flatters a model that never says "yes");
- **Matthews correlation** (MCC, CoLA): the correlation between prediction and label over the whole
  2×2 table, 0 for a guess or a constant answer and 1 only when every cell is right, whatever the
  classes' sizes; for more than two classes, Gorodkin's generalisation (what scikit-learn computes);
- **Pearson and Spearman correlation** (STS-B, a similarity score from 0 to 5): how well the
  predicted numbers line up with the gold ones, as numbers and as ranks.

Labels here are strings (``"paraphrase"``, ``"IsNext"``…) or numbers as text; :func:`read_csv`
reads a file with a label column and a prediction column. :data:`ACCURACY_VS_MCC` is the example
that makes the two disagree: 90 negatives and 10 positives, and a "model" that always says no.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lab_app.core.errors import UserError

MAX_ROWS = 100_000
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class ClassScores:
    """Accuracy, positive-class F1 (two classes only) and MCC of one set of predictions."""

    n: int
    labels: tuple[str, ...]  # the classes, in the order of the confusion matrix's rows
    positive: str | None  # F1's positive class (two classes only)
    confusion: tuple[tuple[int, ...], ...]  # rows: gold label, columns: prediction
    accuracy: float
    f1: float | None
    precision: float | None
    recall: float | None
    mcc: float

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "labels": list(self.labels),
            "positive": self.positive,
            "confusion": [list(r) for r in self.confusion],
            "accuracy": self.accuracy,
            "f1": self.f1,
            "precision": self.precision,
            "recall": self.recall,
            "mcc": self.mcc,
        }


@dataclass(frozen=True)
class Correlation:
    n: int
    pearson: float
    spearman: float

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "pearson": self.pearson, "spearman": self.spearman}


def _confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        m[index[g], index[p]] += 1
    return m


def mcc(confusion: np.ndarray) -> float:
    """Matthews correlation of a confusion matrix (rows gold, columns predicted); for two classes
    ``(tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn))``, in general Gorodkin's R_K. 0 when a
    row or column total makes it undefined (a constant prediction), as scikit-learn returns."""
    c = confusion.astype(np.float64)
    total = c.sum()
    correct = np.trace(c)
    pred_totals = c.sum(axis=0)
    gold_totals = c.sum(axis=1)
    cov_pg = correct * total - pred_totals @ gold_totals
    cov_pp = total**2 - pred_totals @ pred_totals
    cov_gg = total**2 - gold_totals @ gold_totals
    if cov_pp == 0 or cov_gg == 0:
        return 0.0
    return float(cov_pg / math.sqrt(cov_pp * cov_gg))


def class_scores(
    gold: Sequence[str], pred: Sequence[str], positive: str | None = None
) -> ClassScores:
    """Accuracy, MCC and — for two classes — precision, recall and F1 of ``positive`` (default:
    the class that is not the more common gold label, i.e. the rare one, as GLUE's MRPC and QQP
    count "paraphrase"/"duplicate")."""
    if len(gold) != len(pred):
        raise UserError(f"{len(gold)} labels but {len(pred)} predictions: give one of each a row")
    if not gold:
        raise UserError("there are no predictions to score")
    labels = tuple(sorted(set(gold) | set(pred)))
    m = _confusion(gold, pred, labels)
    accuracy = float(np.trace(m) / m.sum())
    f1 = precision = recall = None
    if len(labels) == 2:
        if positive is None:
            counts = {lab: sum(1 for g in gold if g == lab) for lab in labels}
            positive = min(labels, key=lambda lab: (counts[lab], lab))
        elif positive not in labels:
            raise UserError(f"the positive class '{positive}' is not among {', '.join(labels)}")
        i = labels.index(positive)
        tp = int(m[i, i])
        fp = int(m[:, i].sum()) - tp
        fn = int(m[i, :].sum()) - tp
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    else:
        positive = None
    return ClassScores(
        n=len(gold),
        labels=labels,
        positive=positive,
        confusion=tuple(tuple(int(x) for x in row) for row in m),
        accuracy=accuracy,
        f1=f1,
        precision=precision,
        recall=recall,
        mcc=mcc(m),
    )


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given their mean rank (Spearman's convention)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x), dtype=np.float64)
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    if den == 0:
        raise UserError("a correlation needs numbers that vary: one column is constant")
    return float(a @ b) / den


def correlation(gold: Sequence[float], pred: Sequence[float]) -> Correlation:
    """Pearson's r of the numbers and Spearman's ρ (Pearson's r of their ranks), as STS-B."""
    if len(gold) != len(pred):
        raise UserError(f"{len(gold)} labels but {len(pred)} predictions: give one of each a row")
    if len(gold) < 2:
        raise UserError("a correlation needs at least two rows")
    a = np.asarray(gold, dtype=np.float64)
    b = np.asarray(pred, dtype=np.float64)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise UserError("a correlation needs finite numbers")
    return Correlation(len(a), _pearson(a, b), _pearson(_ranks(a), _ranks(b)))


def _numbers(values: Sequence[str]) -> list[float] | None:
    try:
        return [float(v) for v in values]
    except ValueError:
        return None


@dataclass(frozen=True)
class Predictions:
    """A file's labels and predictions; ``numeric`` when both columns are numbers with more than
    a handful of distinct values (a regression like STS-B, scored by correlation)."""

    gold: tuple[str, ...]
    pred: tuple[str, ...]
    name: str

    @property
    def numeric(self) -> bool:
        g, p = _numbers(self.gold), _numbers(self.pred)
        return g is not None and p is not None and len(set(g) | set(p)) > 10

    def scores(self) -> dict[str, Any]:
        """Every GLUE score that fits these columns, JSON-able."""
        if self.numeric:
            g, p = _numbers(self.gold), _numbers(self.pred)
            assert g is not None and p is not None
            return {"kind": "regression", **correlation(g, p).to_json()}
        return {"kind": "classes", **class_scores(self.gold, self.pred).to_json()}


def parse_csv(text: str, name: str = "the file") -> Predictions:
    """Rows of ``label,prediction`` (comma or tab separated; a header row naming them — any of
    label/gold/target and prediction/pred/predicted — is skipped, and picks the columns)."""
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = [
        r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)
    ]
    if not rows:
        raise UserError(f"{name} has no rows")
    gi, pi = 0, 1
    head = [c.strip().lower() for c in rows[0]]
    gold_names = {"label", "gold", "target", "reference", "y_true"}
    pred_names = {"prediction", "pred", "predicted", "y_pred", "output"}
    if any(h in gold_names for h in head) or any(h in pred_names for h in head):
        gi = next((i for i, h in enumerate(head) if h in gold_names), 0)
        pi = next((i for i, h in enumerate(head) if h in pred_names), 1 if gi == 0 else 0)
        rows = rows[1:]
    if len(rows) > MAX_ROWS:
        raise UserError(f"{name} has {len(rows):,} rows; at most {MAX_ROWS:,} are scored")
    gold: list[str] = []
    pred: list[str] = []
    for n, row in enumerate(rows, start=1):
        if len(row) <= max(gi, pi):
            raise UserError(f"{name}, row {n}: expected a label and a prediction, found {row!r}")
        gold.append(row[gi].strip())
        pred.append(row[pi].strip())
    if not gold:
        raise UserError(f"{name} has a header but no rows")
    return Predictions(tuple(gold), tuple(pred), name)


def read_csv(path: Path) -> Predictions:
    """:func:`parse_csv` of a file, with the file's problems as one-line messages."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path.name} is not UTF-8 text (byte {exc.start})") from exc
    return parse_csv(text, path.name)


def _always_no() -> Predictions:
    gold = ("yes",) * 10 + ("no",) * 90
    return Predictions(gold, ("no",) * 100, "always 'no' on 10 yes / 90 no")


#: 90 negatives, 10 positives, a "model" that always answers no: accuracy 0.90, MCC 0, F1 0.
ACCURACY_VS_MCC = _always_no()
