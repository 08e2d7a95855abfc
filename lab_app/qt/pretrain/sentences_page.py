"""The "Sentence similarity" page: three generations of sentence vectors on the same sentences.

Averaged static word vectors (word order lost), a raw BERT's [CLS] or mean of tokens (never
trained to compare sentences: everything looks alike), and SBERT (trained on sentence pairs).
The three matrices stand side by side, each with its one-line note; one job computes them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.pretrain import jobs
from lab_app.qt.pretrain.views import MatrixTable, calm_label, short
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.text_edit import GuardedTextEdit

if TYPE_CHECKING:
    from lab_app.core.pretrain.similarity import SimilarityResult

EXAMPLE = (
    "The dog bit the man.",
    "The man bit the dog.",
    "The man was bitten by the dog.",
    "Interest rates rose again this quarter.",
)
TITLES = {
    "static": "Average of static word vectors",
    "cls": "Raw BERT: the [CLS] vector",
    "mean": "Raw BERT: mean of its token vectors",
    "sbert": "SBERT (all-MiniLM-L6-v2)",
}
BERT_POOLING = (("[CLS] vector", "cls"), ("mean of tokens", "mean"))


class MethodPanel(QWidget):
    """One method's matrix, its title and its one-line note (or its calm error)."""

    def __init__(self, method: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = method
        self.title = QLabel(f"<b>{TITLES[method]}</b>")
        self.title.setWordWrap(True)  # three panels side by side must fit a 1280-pixel projector
        self.matrix = MatrixTable(TITLES[method], numbers_only=True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = calm_label(f"{TITLES[method]} problem")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.matrix, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.note)

    def set_method(self, method: str) -> None:
        self.method = method
        self.title.setText(f"<b>{TITLES[method]}</b>")
        self.matrix.setAccessibleName(TITLES[method])

    def show_result(self, result: SimilarityResult | None, error: object | None) -> None:
        if result is not None:
            self.title.setText(f"<b>{TITLES[self.method]}</b> · {result.model}")
            self.matrix.show_matrix(result.similarity, result.sentences)
            self.note.setText(result.note)
        self.note.setVisible(result is not None)
        self.error.setText(describe(error, TITLES[self.method]) if error is not None else "")
        self.error.setVisible(error is not None)


class SentencesPage(QWidget):
    answered = Signal()
    status = Signal(str)

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.compared: jobs.Compared | None = None
        self.runner = Runner(self)
        self.sentences = GuardedTextEdit(limit=50_000)
        self.sentences.setAccessibleName("Sentences, one a line")
        self.sentences.setPlaceholderText("one sentence a line")
        self.sentences.preferred_lines = 4
        self.sentences.setPlainText("\n".join(EXAMPLE))
        self.pooling = QComboBox()
        self.pooling.setAccessibleName("Raw BERT's sentence vector")
        for label, method in BERT_POOLING:
            self.pooling.addItem(label, method)
        self.run_button = QPushButton("Compare")
        self.run_button.setToolTip("The three similarity matrices (Ctrl+Enter)")
        row = QHBoxLayout()
        row.addWidget(QLabel("Raw BERT's sentence vector"))
        row.addWidget(self.pooling)
        row.addStretch(1)
        row.addWidget(self.run_button)
        self.error = calm_label("Sentence similarity problem")
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.panels = [MethodPanel(m) for m in ("static", "cls", "sbert")]
        grid = QGridLayout()
        for i, panel in enumerate(self.panels):
            grid.addWidget(panel, 0, i)
            grid.setColumnStretch(i, 1)
        self.result_area = QWidget()
        self.result_area.setLayout(grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sentences)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.legend)
        layout.addWidget(self.result_area, 1)
        self.run_button.clicked.connect(self.run)
        self.pooling.currentIndexChanged.connect(self._pooling_chosen)
        self.runner.result_ready.connect(self.show_compared)
        self.runner.failed.connect(self._failed)
        self.runner.message_changed.connect(self.status)

    def methods(self) -> list[str]:
        return [p.method for p in self.panels]

    def _pooling_chosen(self) -> None:
        self.panels[1].set_method(str(self.pooling.currentData()))
        if self.compared is not None:
            self.run()

    def fill_example(self) -> None:
        self.sentences.setPlainText("\n".join(EXAMPLE))

    def run(self) -> None:
        self.error.hide()
        lines = self.sentences.toPlainText().splitlines()
        self.runner.start(jobs.similarity_job, self._store, lines, self.methods())

    def _failed(self, exc: object) -> None:
        self.error.setText(describe(exc, "Sentence similarity"))
        self.error.show()
        self.status.emit(self.error.text())

    def show_compared(self, compared: jobs.Compared) -> None:
        self.compared = compared
        self.legend.setText(
            "   ".join(f"<b>{i + 1}</b> {short(s, 60)}" for i, s in enumerate(compared.sentences))
        )
        for panel in self.panels:
            panel.show_result(compared.results.get(panel.method), compared.errors.get(panel.method))
        self.status.emit(f"{len(compared.sentences)} sentences compared three ways")
        self.answered.emit()

    # -- export, state ------------------------------------------------------------------------
    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        n = len(self.compared.sentences) if self.compared is not None else 0
        header = ("method", "model", "sentence", *(str(i + 1) for i in range(n)))
        rows: list[list[object]] = []
        if self.compared is not None:
            for method, result in self.compared.results.items():
                for label, row in zip(result.sentences, result.similarity, strict=True):
                    rows.append([method, result.model, label, *(round(float(v), 6) for v in row)])
        return header, rows

    def state(self) -> dict[str, str]:
        return {"sentences": self.sentences.toPlainText(), "pooling": self.methods()[1]}

    def restore(self, state: dict[str, str]) -> None:
        if state.get("sentences"):
            self.sentences.set_text_guarded(state["sentences"])
        index = self.pooling.findData(state.get("pooling", "cls"))
        if index >= 0:
            self.pooling.setCurrentIndex(index)
