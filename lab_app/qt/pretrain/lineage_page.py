"""The Lineage page: the lecture's first slide as the lab's overview, one row a method.

A double-click (or Enter) on a row opens the page that demonstrates what that method produces:
word vectors, words in context, or sentence similarity."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.pretrain.lineage import COLUMNS, SLIDE_NOTE, Step, lineage
from lab_app.qt.shell.tables import auto_fit

PAGE_TITLES = {
    "words": "Word vectors",
    "context": "One word, many contexts",
    "sentences": "Sentence similarity",
    "live": "Pre-train live",
}


class LineageTable(QTableWidget):
    """The eight steps; Enter opens the current row's page as a double-click does."""

    opened = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.opened.emit(self.currentRow())
            return
        super().keyPressEvent(event)


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
        columns = (*COLUMNS, "See it on the page")
        self.table = LineageTable(len(self.steps), len(columns))
        self.table.setAccessibleName("Pre-training lineage")
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for r, step in enumerate(self.steps):
            for c, text in enumerate((*step.row(), PAGE_TITLES[step.page])):
                item = QTableWidgetItem(text)
                if step.note:
                    item.setToolTip(step.note)
                self.table.setItem(r, c, item)
        auto_fit(self.table)
        self.note = QLabel(f"<i>{SLIDE_NOTE}</i>")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.table.opened.connect(self.open_row)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.open_page.emit(self.steps[row].page)

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = (*COLUMNS, "page", "note")
        return header, [[*s.row(), PAGE_TITLES[s.page], s.note] for s in self.steps]
