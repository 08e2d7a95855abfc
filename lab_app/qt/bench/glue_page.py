"""The GLUE scores page: accuracy, F1, Matthews correlation (and Pearson/Spearman for numbers)
on a list of labels and predictions, with the example where accuracy and MCC disagree."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.jobs import CONSTANT_EXAMPLE as EXAMPLE
from lab_app.core.bench.jobs import glue_job
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.file_dialogs import open_path

MEANING = {
    "accuracy": "share of predictions equal to the label",
    "f1": "harmonic mean of precision and recall of the positive class (MRPC, QQP)",
    "precision": "of the predicted positives, how many are right",
    "recall": "of the real positives, how many were found",
    "mcc": "correlation of prediction and label over the whole table: 0 = guessing (CoLA)",
    "pearson": "linear correlation of the numbers (STS-B)",
    "spearman": "correlation of their ranks (STS-B)",
}


class GluePage(BenchPage):
    TITLE = "GLUE scores"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.source = EXAMPLE
        self.scores: dict[str, Any] | None = None
        intro = QLabel(
            "GLUE scores each task its own way. Accuracy counts right answers; F1 looks only at "
            "the positive class; Matthews correlation (MCC) is 0 for a model that guesses or "
            "always gives one answer, however lopsided the classes."
        )
        intro.setWordWrap(True)
        self.example_button = QPushButton("Example: always 'no'")
        self.example_button.setToolTip("90 no, 10 yes, a model that always says no")
        self.open_button = QPushButton("Open predictions…")
        self.open_button.setToolTip("A CSV or TSV file with a label and a prediction column")
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.example_button)
        row.addWidget(self.open_button)
        row.addWidget(self.source_label, 1)
        self.table = result_table("GLUE scores", ["Score", "Value", "What it says"])
        self.confusion = result_table("Confusion matrix", [])
        self.confusion_title = QLabel("<b>Confusion matrix</b> (rows: label, columns: prediction)")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.confusion_title)
        layout.addWidget(self.confusion, 1)
        self.example_button.clicked.connect(self.fill_example)
        self.example_button.clicked.connect(self.run)
        self.open_button.clicked.connect(self._open)
        self.runner.result_ready.connect(self.show_scores)

    def _open(self) -> None:
        path = open_path(self, "Open predictions", "Tables (*.csv *.tsv *.txt);;All files (*)")
        if path is not None:
            self.source = str(path)
            self.run()

    def fill_example(self) -> None:
        self.source = EXAMPLE

    def run(self) -> None:
        self.start(glue_job, self.source)

    def show_scores(self, result: tuple[str, dict[str, Any]]) -> None:
        name, scores = result
        self.scores = scores
        self.source_label.setText(f"{name}: {scores['n']} rows")
        keys = (
            ["pearson", "spearman"]
            if scores["kind"] == "regression"
            else ["accuracy", "f1", "precision", "recall", "mcc"]
        )
        shown = [k for k in keys if scores.get(k) is not None]
        self.table.setRowCount(len(shown))
        for r, key in enumerate(shown):
            label = key.upper() if key in ("f1", "mcc") else key.capitalize()
            if key == "f1" and scores.get("positive"):
                label += f" ('{scores['positive']}')"
            set_row(self.table, r, (label, f"{scores[key]:.3f}", MEANING[key]))
        labels = scores.get("labels", [])
        self.confusion.setColumnCount(len(labels))
        self.confusion.setRowCount(len(labels))
        self.confusion.setHorizontalHeaderLabels(labels)
        self.confusion.setVerticalHeaderLabels(labels)
        self.confusion.verticalHeader().setVisible(bool(labels))
        for r, counts in enumerate(scores.get("confusion", [])):
            set_row(self.confusion, r, counts)
        self.confusion.setVisible(bool(labels))
        self.confusion_title.setVisible(bool(labels))
        self.done(f"{name}: accuracy and the other GLUE scores shown")

    def csv_rows(self) -> Rows:
        if self.scores is None:
            return ("score", "value"), []
        keys = ("accuracy", "f1", "precision", "recall", "mcc", "pearson", "spearman")
        return ("score", "value"), [
            [k, self.scores[k]] for k in keys if self.scores.get(k) is not None
        ]

    def state(self) -> dict[str, str]:
        return {"source": self.source}

    def restore(self, state: dict[str, str]) -> None:
        self.source = state.get("source") or EXAMPLE
