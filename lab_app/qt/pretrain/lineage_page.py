"""The Lineage page: the lecture's first slide as the lab's overview, one row a method.

A double-click (or Enter) on a row opens the page that demonstrates what that method produces:
word vectors, words in context, or sentence similarity."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.pretrain.lineage import COLUMNS, SLIDE_NOTE, Step, lineage
from lab_app.qt.shell.tables import RowsToOpen

PAGE_TITLES = {
    "words": "Word vectors",
    "context": "One word, many contexts",
    "sentences": "Sentence similarity",
    "live": "Pre-train live",
}


class LineagePage(QWidget):
    """The table of methods and the slide's correction; ``open_page`` names the page to show."""

    open_page = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: tuple[Step, ...] = lineage()
        intro = QLabel(
            "From word2vec to BERT: each method pre-trains on unlabelled text (InferSent on "
            "labelled NLI pairs) and produces vectors that later tasks reuse. Double-click a row "
            "to open the page that shows that kind of vector."
        )
        intro.setWordWrap(True)
        self.table = RowsToOpen(
            [(*step.row(), PAGE_TITLES[step.page]) for step in self.steps],
            (*COLUMNS, "See it on the page"),
            "Pre-training lineage",
            tips=[step.note for step in self.steps],
        )
        self.note = QLabel(f"<i>{SLIDE_NOTE}</i>")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.table.opened.connect(self.open_row)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.open_page.emit(self.steps[row].page)

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = (*COLUMNS, "page", "note")
        return header, [[*s.row(), PAGE_TITLES[s.page], s.note] for s in self.steps]
