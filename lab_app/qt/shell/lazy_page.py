"""A tab's place in the main window; the lab tab itself is made the first time it is needed.

Only the visible tab is built at start, so the first paint waits for one lab, not all of them;
the others are built on first show (or by :meth:`ensure` when the window needs one, such as
File → Open dataset). The page and its tab share the spec's object name.

The tab sits in a frameless scroll area, so a lab whose minimum size exceeds a small screen (or a
big classroom zoom) scrolls instead of pushing the window past the screen; the classroom tests
check that no lab needs that scroll at the sizes a classroom uses.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from lab_app.qt.shell.tab import LabTab


class _Holder(QWidget):
    """Holds the tab without a layout, so the scroll area sees only the tab's minimum size.

    Through a layout it would also see the height the tab's wrapped texts would like at its
    width, and scroll whenever that exceeds the window, though everything fits.
    """

    def __init__(self, tab: QWidget) -> None:
        super().__init__()
        self._tab = tab
        tab.setParent(self)
        tab.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        hint, explicit = self._tab.minimumSizeHint(), self._tab.minimumSize()
        return QSize(explicit.width() or hint.width(), explicit.height() or hint.height())

    def sizeHint(self) -> QSize:
        return self._tab.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._tab.setGeometry(self.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False


class LazyPage(QWidget):
    def __init__(
        self,
        object_name: str,
        title: str,
        factory: Callable[[], LabTab],
        on_made: Callable[[LabTab], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self._factory, self._on_made = factory, on_made
        self.scroller = QScrollArea()
        self.scroller.setObjectName("page_scroll")
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)
        self.tab: LabTab | None = None

    def ensure(self) -> LabTab:
        """The lab tab, made now if it was not yet."""
        if self.tab is None:
            tab = self._factory()
            tab.setObjectName(self.objectName())
            tab.setAccessibleName(self.accessibleName())
            self.scroller.setWidget(_Holder(tab))
            tab.show()
            self.tab = tab
            self._on_made(tab)
        return self.tab
