"""Layouts that give way in a small window: a row that wraps, and a section that folds.

A row of controls laid out with ``QHBoxLayout`` is as wide as all of them together, so at a
classroom zoom one long row pushed the whole window past the projector. :class:`FlowRow` puts
its widgets on as many lines as the width needs (Qt's flow-layout example, in Python), and
:class:`Fold` is a titled section whose body (an explanation, a chart of choices) folds away
behind its title so the result keeps the space.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

#: A window shorter than this many lines of its font folds the labs' explanations and secondary
#: settings: 1280×800 at zoom 1.5 and 1024×640 do; 1920×1080 at zoom 1.0 does not.
ROOM_LINES = 60


class FlowRow(QLayout):
    """Widgets left to right, wrapping onto the next line when the row is full."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add(self, *widgets: QWidget) -> FlowRow:
        for w in widgets:
            self.addItem(QWidgetItem(w))
            self.addChildWidget(w)
        self.invalidate()
        return self

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + gap, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class Fold(QWidget):
    """A title button (▾ open, ▸ folded) over a body that folds away when clicked.

    With ``room_lines`` (or ``room_columns``) the fold opens and closes itself with the window:
    open while the window is at least that many text lines tall (characters wide) at the
    current zoom, folded below, until the user clicks it; from then on it stays as they chose.
    A side panel (``room_columns``) folded keeps only its title's width, so a splitter gives the
    rest to the result.
    """

    toggled = Signal(bool)  # True: open

    def __init__(
        self,
        title: str,
        body: QWidget,
        parent: QWidget | None = None,
        room_lines: int = 0,
        room_columns: int = 0,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.room_lines, self.room_columns = room_lines, room_columns
        self.chosen = False  # the user clicked: no more automatic folding
        self.button = QToolButton()
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setText(title)
        self.button.setAccessibleName(title)
        self.button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.button.setAutoRaise(True)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(body, 1)
        layout.addStretch(0)  # folded, the title stays at the top
        self.button.toggled.connect(self._show_body)
        self.button.clicked.connect(self._clicked)
        self._watched: QWidget | None = None

    def is_open(self) -> bool:
        return self.button.isChecked()

    def set_open(self, open_: bool) -> None:
        self.button.setChecked(open_)

    def _clicked(self) -> None:
        self.chosen = True

    def _show_body(self, open_: bool) -> None:
        self.body.setVisible(open_)
        self.button.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        if self.room_columns:  # a side panel: folded, it is only as wide as its title
            self.setMaximumWidth(16_777_215 if open_ else self.button.sizeHint().width())
            self._resplit(open_)
        self.toggled.emit(open_)

    def _resplit(self, open_: bool) -> None:
        """In a splitter, hand the width folded away to the widest neighbour (the result), and
        take it back on opening: a splitter keeps its sizes when a child's maximum changes."""
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter):
            return
        sizes = splitter.sizes()
        if sum(sizes) <= 0 or not splitter.isVisible():
            return  # not laid out yet: the splitter shares its width when it is
        me = splitter.indexOf(self)
        widest = max((i for i in range(len(sizes)) if i != me), key=sizes.__getitem__, default=-1)
        if widest < 0:
            return
        want = self.sizeHint().width() if open_ else self.maximumWidth()
        want = min(want, sizes[me] + sizes[widest] - 50) if open_ else want
        sizes[widest] = max(sizes[widest] + sizes[me] - want, 1)
        sizes[me] = want
        splitter.setCollapsible(widest, False)  # the result never collapses to nothing
        splitter.setSizes(sizes)

    def fit_to(self, window: QWidget) -> None:
        """Open or fold for the size of ``window`` (unless the user chose)."""
        if self.chosen or not (self.room_lines or self.room_columns):
            return
        metrics = self.fontMetrics()
        self.set_open(
            window.height() >= self.room_lines * metrics.height()
            and window.width() >= self.room_columns * metrics.averageCharWidth()
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            if self.room_columns and not self.is_open():  # a wider title: keep it whole
                self.setMaximumWidth(self.button.sizeHint().width())
            if self._watched is not None:
                self.fit_to(self._watched)  # a classroom zoom: lines got taller

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if (self.room_lines or self.room_columns) and window is not self._watched:
            window.installEventFilter(self)
            self._watched = window
            self.fit_to(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.fit_to(watched)
        return False
