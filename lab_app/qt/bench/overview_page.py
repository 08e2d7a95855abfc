"""The Overview page: the lecture's benchmark table, each row opening the page that runs it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.overview import COLUMNS, PAGE_TITLES, Row, rows
from lab_app.qt.shell.tables import RowsToOpen


class OverviewPage(QWidget):
    """``open_row`` emits the page and the choice on it (an item set or a metric)."""

    open_page = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[Row, ...] = rows()
        intro = QLabel(
            "The lecture's table, made runnable. A <b>benchmark</b> is a data set with a task; a "
            "<b>metric</b> scores outputs against references. Double-click a row (or Enter) to "
            "run it on the lab's own models."
        )
        intro.setWordWrap(True)
        self.table = RowsToOpen(
            [(*row.cells(), PAGE_TITLES[row.page]) for row in self.rows],
            (*COLUMNS, "Page"),
            "Benchmarks and metrics",
            tips=[row.how for row in self.rows],
        )
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        self.table.opened.connect(self.open_row)

    def open_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.open_page.emit(row.page, row.choice)

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        return (*COLUMNS, "page"), [[*r.cells(), r.page] for r in self.rows]
