"""What every page of the Benchmarks lab shares: a runner, a calm error line, its signals, and
the small protocol the tab drives (run, example, state, CSV rows, an optional plot)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.job_controls import job_controls
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import error_label
from lab_app.qt.shell.tables import auto_fit

Rows = tuple[tuple[str, ...], list[list[object]]]


def result_table(name: str, columns: list[str]) -> QTableWidget:
    """A read-only table of results, whole rows selected, columns fitted to their text."""
    table = QTableWidget(0, len(columns))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    auto_fit(table)
    return table


def set_row(
    table: QTableWidget, row: int, cells: Any, *, colour: QColor | None = None, tip: str = ""
) -> None:
    """Row ``row`` of ``table`` holds ``cells`` (texts), with a background and a tooltip."""
    for c, text in enumerate(cells):
        item = QTableWidgetItem(str(text))
        if colour is not None:
            item.setBackground(colour)
        if tip:
            item.setToolTip(tip)
        table.setItem(row, c, item)


class BenchPage(QWidget):
    """A page: ``run()`` computes what its inputs say, ``fill_example()`` puts back its example,
    ``state()``/``restore()`` are plain string dicts, ``csv_rows()`` its table."""

    answered = Signal()
    status = Signal(str)
    TITLE = "Benchmarks"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.runner = Runner(self)
        self.error = error_label(f"{self.TITLE} problem")
        self.runner.failed.connect(self.show_error)
        self.runner.message_changed.connect(self.status)
        cancel, progress = job_controls(
            self.runner, f"Cancel {self.TITLE}", f"{self.TITLE} progress", hide_cancel=True
        )
        cancel.clicked.connect(self.cancel)
        #: The progress bar and Cancel, shown while a job runs: each page places it.
        self.job_bar = QHBoxLayout()
        self.job_bar.addWidget(progress, 1)
        self.job_bar.addWidget(cancel)
        self.cancel_button, self.progress = cancel, progress

    def cancel(self) -> None:
        """Stop the running job; what the page showed before stays."""
        if self.runner.busy:
            self.runner.cancel()
            self.status.emit(f"{self.TITLE}: cancelled")

    def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.error.hide()
        self.runner.start(fn, *args, **kwargs)

    def show_error(self, exc: object) -> None:
        self.error.setText(describe(exc, self.TITLE))
        self.error.show()
        self.status.emit(self.error.text())

    def done(self, message: str) -> None:
        self.status.emit(message)
        self.answered.emit()

    # -- the protocol ---------------------------------------------------------------------------
    def run(self) -> None:
        raise NotImplementedError

    def fill_example(self) -> None:
        raise NotImplementedError

    def choose(self, choice: str) -> None:
        """Show ``choice`` (an item set or a metric), when the page has several."""

    def csv_rows(self) -> Rows:
        return (), []

    def plot(self) -> Any | None:
        """The page's exportable plot (``export(path)``), if it has one."""
        return None

    def state(self) -> dict[str, str]:
        return {}

    def restore(self, state: dict[str, str]) -> None:
        pass
