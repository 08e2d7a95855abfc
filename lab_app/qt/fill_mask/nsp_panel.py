"""Fill-mask's "Next sentence?" page: BERT's other pre-training task, IsNext vs NotNext for a pair,
from BERT Lab's own NSP model (see :mod:`lab_app.core.fill_mask.nsp`)."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from lab_app.core.fill_mask import nsp
from lab_app.core.fill_mask.nsp import NspResult, nsp_job
from lab_app.qt.shell.bars import ProbabilityBars
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import error_label

EXAMPLE = ("The man went to the store.", "He bought a gallon of milk.")
NOTE = (
    "BERT was pre-trained on two tasks: masked words and <b>next sentence prediction</b> — half "
    "its pairs had the real next sentence, half a random one. This model is BERT Lab's own "
    "(bert-lab-mlm fine-tuned by the lab's trainer, not Google's head): {acc:.0%} right on "
    "hand-written held-out pairs; BERT's own head was about 97% right on its pre-training pairs."
)


class NspPanel(QWidget):
    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = Runner(self)
        self.result: NspResult | None = None
        self.text_a = QLineEdit(EXAMPLE[0])
        self.text_a.setAccessibleName("Sentence A")
        self.text_b = QLineEdit(EXAMPLE[1])
        self.text_b.setAccessibleName("Sentence B")
        self.button = QPushButton("Does B follow A?")
        self.error = error_label("NSP problem")
        self.bars = ProbabilityBars()
        self.note = QLabel(NOTE.format(acc=0.0))
        self.note.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("A"), 0, 0)
        grid.addWidget(self.text_a, 0, 1)
        grid.addWidget(QLabel("B"), 1, 0)
        grid.addWidget(self.text_b, 1, 1)
        grid.addWidget(self.button, 1, 2)
        grid.addWidget(self.error, 2, 0, 1, 3)
        grid.addWidget(self.bars, 3, 0, 1, 3)
        grid.addWidget(self.note, 4, 0, 1, 3)
        grid.setRowStretch(3, 1)
        self.button.clicked.connect(self.run)
        self.text_b.returnPressed.connect(self.run)
        self.runner.result_ready.connect(self.show_result)
        self.runner.failed.connect(self.fail)

    def release(self) -> None:
        """Let go of the NSP encoder: the tab is hidden (the next pair loads it again)."""
        nsp.release()

    def run(self) -> None:
        self.error.hide()
        self.runner.start(nsp_job, self.store, self.text_a.text(), self.text_b.text())

    def show_result(self, result: NspResult) -> None:
        self.result = result
        self.bars.set_rows(
            f"Does B follow A? ({result.model})",
            [("IsNext", result.is_next), ("NotNext", result.not_next)],
        )
        self.note.setText(NOTE.format(acc=result.heldout_accuracy))

    def fail(self, exc: object) -> None:
        self.error.setText(describe(exc, "Next sentence prediction"))
        self.error.show()
