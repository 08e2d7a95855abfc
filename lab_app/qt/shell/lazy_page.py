"""A tab's place in the main window; the lab tab itself is made the first time it is needed.

Only the visible tab is built at start, so the first paint waits for one lab, not all of them;
the others are built on first show (or by :meth:`ensure` when the window needs one, such as
File → Open dataset). The page and its tab share the spec's object name.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from lab_app.qt.shell.tab import LabTab


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
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.tab: LabTab | None = None

    def ensure(self) -> LabTab:
        """The lab tab, made now if it was not yet."""
        if self.tab is None:
            tab = self._factory()
            tab.setObjectName(self.objectName())
            tab.setAccessibleName(self.accessibleName())
            self._layout.addWidget(tab)
            self.tab = tab
            self._on_made(tab)
        return self.tab
