"""The GLUE scores page: accuracy, F1, Matthews correlation (and Pearson/Spearman for numbers)
on a list of labels and predictions, with the example where accuracy and MCC disagree."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.jobs import CONSTANT_EXAMPLE as EXAMPLE
from lab_app.core.bench.jobs import glue_job, glue_model_job, pair_models
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.file_dialogs import open_path
from lab_app.qt.shell.tab import set_choices

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
        self.source = EXAMPLE  # EXAMPLE, a predictions CSV, or (with model) a pairs TSV / ""
        self.model = ""  # a store pair model: its predictions on ``source`` are scored
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
        self.models = QComboBox()
        self.models.setAccessibleName("Pair model")
        self.models.setToolTip("A pair model of the store: bert-lab-nsp, or one you fine-tuned")
        set_choices(self.models, pair_models(store), (BUILTIN_MODELS["pair"],))
        self.heldout_button = QPushButton("Its held-out pairs")
        self.heldout_button.setToolTip(
            "bert-lab-nsp's 200 hand-written test pairs, never trained on"
        )
        self.pairs_button = QPushButton("Pairs file…")
        self.pairs_button.setToolTip("A TSV of a<TAB>b<TAB>label lines for the model to judge")
        row = QHBoxLayout()
        row.addWidget(self.example_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel("Or score a pair model:"))
        model_row.addWidget(self.models)
        model_row.addWidget(self.heldout_button)
        model_row.addWidget(self.pairs_button)
        model_row.addStretch(1)
        self.table = result_table("GLUE scores", ["Score", "Value", "What it says"])
        self.confusion = result_table("Confusion matrix", [])
        self.confusion_title = QLabel("<b>Confusion matrix</b> (rows: label, columns: prediction)")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addLayout(model_row)
        layout.addWidget(self.source_label)
        layout.addLayout(self.job_bar)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.confusion_title)
        layout.addWidget(self.confusion, 1)
        self.example_button.clicked.connect(self.fill_example)
        self.example_button.clicked.connect(self.run)
        self.open_button.clicked.connect(self._open)
        self.heldout_button.clicked.connect(lambda: self._run_model(""))
        self.pairs_button.clicked.connect(self._open_pairs)
        self.runner.result_ready.connect(self.show_scores)

    def reload_models(self) -> None:
        """The store's pair models again (one was saved or imported)."""
        set_choices(self.models, pair_models(self._store), (BUILTIN_MODELS["pair"],))

    def _open(self) -> None:
        path = open_path(self, "Open predictions", "Tables (*.csv *.tsv *.txt);;All files (*)")
        if path is not None:
            self.source, self.model = str(path), ""
            self.run()

    def _open_pairs(self) -> None:
        path = open_path(self, "Open labelled pairs", "Pairs (*.tsv *.txt);;All files (*)")
        if path is not None:
            self._run_model(str(path))

    def _run_model(self, path: str) -> None:
        self.source, self.model = path, self.models.currentText() or BUILTIN_MODELS["pair"]
        self.run()

    def fill_example(self) -> None:
        self.source, self.model = EXAMPLE, ""

    def run(self) -> None:
        if self.model:
            self.start(glue_model_job, self._store, self.model, self.source)
        else:
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
        return {"source": self.source, "model": self.model}

    def restore(self, state: dict[str, str]) -> None:
        self.model = state.get("model", "")
        self.source = state.get("source", "") if self.model else state.get("source") or EXAMPLE
