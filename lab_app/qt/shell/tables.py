"""Read-only tables filled from rows of text: what several labs show their figures in, and
columns that share a table's width so that nothing is elided or needs a sideways scroll."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Header row first, then the cells (read-only)."""
    table.clear()
    table.setColumnCount(len(rows[0]) if rows else 0)
    table.setRowCount(max(len(rows) - 1, 0))
    if rows:
        table.setHorizontalHeaderLabels(list(rows[0]))
    for r, row in enumerate(rows[1:]):
        for c, cell in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(cell))


_PAD = 12  # a cell's margins and grid line
REFIT_MS = 30  # a window being dragged refits its tables once it pauses, not on every step


def _column_widths(view: QTableView) -> tuple[list[int], list[int]]:
    """Each column's natural width (its longest line unwrapped) and its narrowest (its longest
    word), header included."""
    model = view.model()
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    natural, narrow = [], []
    for c in range(model.columnCount()):
        texts = [str(model.headerData(c, Qt.Orientation.Horizontal) or "")]
        texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())]
        longest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        word = max((metrics.horizontalAdvance(w) for t in texts[1:] for w in t.split()), default=0)
        word = max(word, metrics.horizontalAdvance(texts[0]))  # a header never wraps
        hint = max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
        natural.append(max(longest + _PAD, hint))
        narrow.append(min(word + _PAD, natural[-1]))
    return natural, narrow


Widths = tuple[list[int], list[int]]


def fit_columns(
    view: QTableView, whole: bool = False, widths: Widths | None = None
) -> Widths | None:
    """Share the view's width among its columns so that no cell is elided and no sideways
    scroll is needed: every column gets at least its longest word, and the rest of the width
    goes to the columns whose text would otherwise wrap; rows then grow to their wrapped text.
    ``whole``: the view is as tall as all its rows (a short table of figures, never scrolled).
    ``widths``: the columns' natural and narrowest widths from an earlier call (they depend on
    the data and the font, not on the view's width); returns those used, or None if not fitted."""
    model = view.model()
    if model is None or model.columnCount() == 0 or model.rowCount() * model.columnCount() > 5000:
        return None
    if not view.isVisible() or view.viewport().width() < 50:
        return None  # fitted when shown: a hidden view's width says nothing
    natural, narrow = widths if widths is not None else _column_widths(view)
    avail = view.viewport().width()
    if sum(natural) <= avail:
        extra = avail - sum(natural)
        sizes = [n + extra * n // max(sum(natural), 1) for n in natural]
    else:
        spare = max(avail - sum(narrow), 0)
        want = [n - m for n, m in zip(natural, narrow, strict=True)]
        sizes = [m + spare * w // max(sum(want), 1) for m, w in zip(narrow, want, strict=True)]
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for c, w in enumerate(sizes):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(c, w)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.resizeRowsToContents()
    if whole:
        rows = sum(view.rowHeight(r) for r in range(model.rowCount()))
        frame = 2 * view.frameWidth() + view.horizontalHeader().height()
        view.setFixedHeight(rows + frame + (2 if view.showGrid() else 0))
    return natural, narrow


class _Refit(QObject):
    """Fits a view's columns again when it is resized, zoomed or given new data."""

    def __init__(self, view: QTableView, whole: bool) -> None:
        super().__init__(view)
        self._view, self._whole = view, whole
        self._widths: Widths | None = None  # measured once per data and font, not per resize
        self._timer = QTimer(self, singleShot=True, interval=REFIT_MS)
        self._timer.timeout.connect(self._fit)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)  # a vertical scrollbar narrows the viewport
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                           model.columnsInserted, model.dataChanged):  # fmt: skip
                signal.connect(self._remeasure)

    def _remeasure(self, *_: object) -> None:
        self._widths = None
        self._timer.start()

    def _fit(self) -> None:
        self._widths = fit_columns(self._view, self._whole, self._widths)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._remeasure()
        elif kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False


def auto_fit(view: QTableView, whole: bool = False) -> QTableView:
    """Keep ``view``'s columns fitted to its width from now on (see :func:`fit_columns`)."""
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    _Refit(view, whole)
    return view


class RowsToOpen(QTableWidget):
    """A read-only table of whole rows, each leading somewhere: a double-click or Enter on a row
    emits ``opened`` with its index (an overview page's rows open the pages that show them)."""

    opened = Signal(int)

    def __init__(
        self,
        rows: Sequence[Sequence[str]],
        columns: Sequence[str],
        name: str,
        tips: Sequence[str] = (),
    ) -> None:
        """``tips[r]``, when given and not empty, is row ``r``'s tooltip."""
        super().__init__()
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        fill_table(self, [list(columns), *rows])
        for r, tip in enumerate(tips):
            for c in range(self.columnCount() if tip else 0):
                if (item := self.item(r, c)) is not None:
                    item.setToolTip(tip)
        self.cellDoubleClicked.connect(lambda row, _col: self.opened.emit(row))
        auto_fit(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.opened.emit(self.currentRow())
            return
        super().keyPressEvent(event)
