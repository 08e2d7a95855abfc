"""The spec tables as a Qt model and view: sortable as numbers, copyable, corrections marked.

The model only presents :class:`~lab_app.core.specs.tables.SpecTable` cells; how they sort and how
a cell is described come from :mod:`lab_app.core.specs.lab`, so the tooltip and the label under the
table say the same thing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QBrush, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from lab_app.core.specs.lab import cell_sort_key, describe_cell, rows_to_tsv
from lab_app.core.specs.tables import SpecCell, SpecTable
from lab_app.qt.shell.style import OKABE_ITO, chip_background
from lab_app.qt.shell.tables import auto_fit

CELL_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""The :class:`SpecCell` behind an index."""
CORRECTION_MARK = " *"
CORRECTION_COLOUR = OKABE_ITO[0]  # orange: "the slide said something else" in every table

Index = QModelIndex | QPersistentModelIndex


class SpecTableModel(QAbstractTableModel):
    """One :class:`SpecTable`; corrected cells get a tint, a ``*`` and the slide's value."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table: SpecTable | None = None

    @property
    def table(self) -> SpecTable | None:
        return self._table

    def set_table(self, table: SpecTable) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def cell(self, row: int, column: int) -> SpecCell:
        assert self._table is not None
        return self._table.rows[row][column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._table is None else len(self._table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._table is None else len(self._table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._table is None:
            return None
        cell = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.display + (CORRECTION_MARK if cell.corrected else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return describe_cell(cell)
        if role == Qt.ItemDataRole.BackgroundRole and cell.corrected:
            return QBrush(chip_background(CORRECTION_COLOUR))
        if role == Qt.ItemDataRole.TextAlignmentRole and cell_sort_key(cell)[0] == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CELL_ROLE:
            return cell
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._table.columns[section] or "—"
        return str(section + 1)


class SpecSortProxy(QSortFilterProxyModel):
    """Sorts by :func:`cell_sort_key`; blank cells stay at the bottom in either direction."""

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, SpecTableModel)
        a = cell_sort_key(model.cell(left.row(), left.column()))
        b = cell_sort_key(model.cell(right.row(), right.column()))
        if (a[0] == 2) != (b[0] == 2):  # exactly one blank: it sorts last in both orders
            blank_is_left = a[0] == 2
            return (
                not blank_is_left
                if self.sortOrder() == Qt.SortOrder.AscendingOrder
                else (blank_is_left)
            )
        return a < b


class SpecTableView(QTableView):
    """A sortable table that copies its selected cells as TSV (Ctrl+C or the context menu)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = SpecTableModel(self)
        self.proxy = SpecSortProxy(self)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the notes' order until asked
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.setAccessibleName("Spec table")
        auto_fit(self)
        copy_action = QAction("Copy selected cells (Ctrl+C)", self)
        copy_action.triggered.connect(self.copy_selection)
        self.addAction(copy_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def set_table(self, table: SpecTable) -> None:
        self.source.set_table(table)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        # auto_fit refits on the model's reset

    def cell_at(self, index: QModelIndex) -> SpecCell:
        """The cell shown at a view (proxy) index."""
        source = self.proxy.mapToSource(index)
        return self.source.cell(source.row(), source.column())

    def selected_text(self) -> str:
        """The selected cells, in the order shown, as TSV (gaps in the selection stay empty)."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        grid = [["" for _ in columns] for _ in rows]
        for index in indexes:
            grid[rows.index(index.row())][columns.index(index.column())] = self.cell_at(
                index
            ).display
        return rows_to_tsv(grid)

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)
