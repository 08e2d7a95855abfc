"""What the Fine-tuning tab draws: the live loss curves, the learning curve, the confusion matrix
and the table that compares the runs side by side."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from lab_app.core.finetune.curve import Curve
from lab_app.core.finetune.methods import FineTuneResult
from lab_app.core.finetune.options import METHOD_LABELS
from lab_app.core.finetune.task_run import TaskResult
from lab_app.core.finetune.train import EpochStats
from lab_app.qt.shell.plot_style import themed

TRAIN, TEST = "#1f77b4", "#d62728"
FILTERS = {  # the open dialog's, per task
    "classify": "Datasets (*.csv *.tsv *.json *.yml *.yaml);;All files (*)",
    "tag": "Tagged text (*.conll *.iob *.bio *.tsv *.txt *.md *.yml *.yaml);;All files (*)",
    "qa": "SQuAD v1.1 JSON (*.json);;All files (*)",
    "pair": "Sentence pairs (*.tsv *.txt);;All files (*)",
}


def _plot(widget: pg.PlotWidget, name: str, bottom: str, left: str) -> pg.PlotItem:
    widget.setAccessibleName(name)
    item = themed(widget, legend={"offset": (10, 10)})
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    item.showGrid(x=False, y=True, alpha=0.25)
    return item


class LossPlot(pg.PlotWidget):
    """Train and held-out loss per epoch, drawn as the epochs finish."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = _plot(self, "Loss per epoch", "epoch", "cross-entropy loss")
        self.train = item.plot([], [], pen=pg.mkPen(TRAIN, width=3), symbol="o", name="train")
        self.test = item.plot([], [], pen=pg.mkPen(TEST, width=3), symbol="s", name="held-out")
        self.epochs: list[EpochStats] = []

    def start(self, title: str) -> None:
        self.epochs = []
        self._redraw()
        self.getPlotItem().setTitle(title)

    def add(self, stats: EpochStats) -> None:
        self.epochs.append(stats)
        self._redraw()

    def _redraw(self) -> None:
        x = [float(e.epoch) for e in self.epochs]
        self.train.setData(x, [e.train_loss for e in self.epochs])
        self.test.setData(x, [e.test_loss for e in self.epochs])
        last = max(x, default=1.0)
        self.getPlotItem().setXRange(0.8, last + 0.2, padding=0)
        self.getPlotItem().getAxis("bottom").setTicks([[(v, str(int(v))) for v in x]])


class CurvePlot(pg.PlotWidget):
    """Held-out accuracy against labelled examples per intent, features vs fine-tuned."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = _plot(
            self, "Accuracy against labelled examples", "examples per intent", "held-out accuracy"
        )
        self.item.setYRange(0, 1.02)
        self.curve: Curve | None = None

    def set_curve(self, curve: Curve) -> None:
        self.curve = curve
        self.item.clear()
        x = list(range(len(curve.points)))
        self.item.plot(
            x,
            [p.features for p in curve.points],
            pen=pg.mkPen(TRAIN, width=3),
            symbol="o",
            name="feature-based",
        )
        self.item.plot(
            x,
            [p.fine_tuned for p in curve.points],
            pen=pg.mkPen(TEST, width=3),
            symbol="s",
            name=curve.method,
        )
        ticks = [(i, str(p.shots or "all")) for i, p in enumerate(curve.points)]
        self.item.getAxis("bottom").setTicks([ticks])
        self.item.setXRange(-0.2, len(x) - 0.8, padding=0)
        total = curve.points[-1].examples if curve.points else 0
        self.item.setTitle(f"{curve.model}: feature-based vs {curve.method} ({total} examples)")


def result_row(result: FineTuneResult) -> list[str]:
    return [
        "classify",
        METHOD_LABELS[result.config.method],
        result.config.model,
        f"{result.trainable_params:,}",
        f"{result.share:.2%}",
        f"accuracy {result.accuracy:.1%}",
        f"macro-F1 {result.macro_f1:.3f}",
        f"{result.seconds_per_epoch:.2f}",
        str(len(result.epochs)),
    ]


def task_row(result: TaskResult) -> list[str]:
    """A tagging, QA or pair run in the same columns: its headline and second figure."""
    m = result.metrics
    if result.task == "tag":
        first, second = f"entity F1 {m['entity_f1']:.3f}", f"precision {m['precision']:.3f}"
    elif result.task == "qa":
        first, second = f"F1 {m['f1']:.1%}", f"exact match {m['exact_match']:.1%}"
    else:
        first, second = f"accuracy {m['accuracy']:.1%}", f"macro-F1 {m.get('macro_f1', 0):.3f}"
    seconds = sum(e.seconds for e in result.epochs) / max(len(result.epochs), 1)
    return [
        result.task,
        METHOD_LABELS[result.config.method],
        result.config.model,
        f"{result.trainable_params:,}",
        f"{result.share:.2%}",
        first,
        second,
        f"{seconds:.2f}",
        str(len(result.epochs)),
    ]


RESULT_HEADER = [
    "task",
    "method",
    "model",
    "trainable",
    "share",
    "score",
    "also",
    "s / epoch",
    "epochs",
]


def fill_per_label(table: QTableWidget, result: TaskResult) -> None:
    """Held-out precision, recall and F1 per entity type (tagging) or class (pairs)."""
    header = ["label", "precision", "recall", "F1", "support"]
    table.clear()
    table.setRowCount(len(result.table))
    table.setColumnCount(len(header))
    table.setHorizontalHeaderLabels(header)
    table.verticalHeader().hide()
    for r, row in enumerate(result.table):
        cells = [row.label, f"{row.precision:.3f}", f"{row.recall:.3f}", f"{row.f1:.3f}",
                 str(row.support)]  # fmt: skip
        for c, value in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def fill_confusion(table: QTableWidget, result: FineTuneResult) -> None:
    """Rows: the true intent; columns: the predicted one; darker = more examples."""
    matrix, names = result.confusion, result.classes
    table.clear()
    table.verticalHeader().show()
    table.setRowCount(len(names))
    table.setColumnCount(len(names))
    table.setVerticalHeaderLabels(list(names))
    table.setHorizontalHeaderLabels([str(i + 1) for i in range(len(names))])
    top = max(int(matrix.max()), 1)
    for r in range(len(names)):
        for c in range(len(names)):
            n = int(matrix[r, c])
            cell = QTableWidgetItem(str(n) if n else "")
            shade = int(255 - 180 * n / top)
            cell.setBackground(QColor(shade, 255 if r == c else shade, shade))
            cell.setToolTip(f"true {names[r]}, predicted {names[c]}: {n}")
            table.setItem(r, c, cell)
    table.resizeColumnsToContents()


def task_summary(r: TaskResult, dataset: str, notes: Sequence[str]) -> str:
    """The line under the buttons after a tagging, QA or pair run (rich text)."""
    figures = ", ".join(f"{k} <b>{v:.3f}</b>" for k, v in r.metrics.items() if k != "loss")
    return (
        f"<b>{METHOD_LABELS[r.config.method]}</b>, {r.task}, on {html.escape(dataset)}: held-out "
        f"{figures}; trained {r.trainable_params:,} of {r.total_params:,} parameters "
        f"({r.share:.2%}), {r.train_examples} train / {r.test_examples} test."
        + "".join(f" {html.escape(note)}." for note in notes)
        + " Try it on the last page."
    )
