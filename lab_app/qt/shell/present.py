"""Presentation mode and pop-out plots: the answer alone, as big as the screen allows.

F11 (View → Present) hides everything around the current lab's result widget (its controls,
the menus, the lab tabs) and shows the window full screen, with the lab's caption (its status
line) kept under the result; Esc or F11 brings it all back as it was. Nothing is re-parented or
rebuilt: only widgets that were visible are hidden, and exactly those are shown again.

A pop-out shows a plot's own live scene in a window of its own (the same items, redrawn when the
plot changes), scaled to fit however the window is resized.
"""

from __future__ import annotations

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QMainWindow, QVBoxLayout, QWidget

from lab_app.core.errors import UserError


class Presenter:
    """Hides the widgets around ``result`` in ``window`` and restores them."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self._hidden: list[QWidget] = []
        self._was_maximized = False
        self.active = False

    def enter(self, result: QWidget | None, keep: list[QWidget]) -> None:
        """Present ``result``; ``keep`` stay visible (the caption)."""
        if self.active:
            return
        if result is None or not result.isVisibleTo(self.window):
            raise UserError("this lab has no result on screen to present yet: run it first")
        hidden: list[QWidget] = []
        node: QWidget = result
        while node is not self.window and node.parentWidget() is not None:
            parent = node.parentWidget()
            assert parent is not None
            direct = Qt.FindChildOption.FindDirectChildrenOnly
            for sibling in parent.findChildren(QWidget, options=direct):
                if sibling is node or sibling in keep or sibling.isWindow():
                    continue
                if sibling.isVisible() and not _holds(sibling, keep):
                    sibling.hide()
                    hidden.append(sibling)
            node = parent
        menu = self.window.menuBar()
        if menu.isVisible():
            menu.hide()
            hidden.append(menu)
        self._hidden = hidden
        self._was_maximized = self.window.isMaximized()
        self.active = True
        self.window.showFullScreen()

    def leave(self) -> None:
        if not self.active:
            return
        for widget in reversed(self._hidden):
            if shiboken6.isValid(widget):  # a widget deleted meanwhile has nothing to show
                widget.show()
        self._hidden = []
        self.active = False
        if self._was_maximized:
            self.window.showMaximized()
        else:
            self.window.showNormal()


def _holds(widget: QWidget, keep: list[QWidget]) -> bool:
    return any(widget.isAncestorOf(k) for k in keep)


class PopOut(QWidget):
    """A plot's live scene in a window of its own, scaled to fit."""

    def __init__(self, plot: pg.PlotWidget, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.plot = plot
        self.view = QGraphicsView(plot.scene())
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setBackgroundBrush(plot.backgroundBrush())
        # pyqtgraph's hover and tooltips assume the scene's first view: this one only looks.
        self.view.setInteractive(False)
        plot.scene().sceneRectChanged.connect(self._refit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(max(plot.width(), 640) * 3 // 2, max(plot.height(), 400) * 3 // 2)

    def source(self) -> QRectF:
        return self.plot.getPlotItem().sceneBoundingRect()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self, *_: object) -> None:
        if shiboken6.isValid(self.view) and self.plot.getPlotItem() is not None:
            self.view.fitInView(self.source(), Qt.AspectRatioMode.KeepAspectRatio)


def first_plot(widget: QWidget | None) -> pg.PlotWidget | None:
    """The first plot on screen in ``widget`` (itself, or inside it)."""
    if widget is None:
        return None
    candidates = [widget] if isinstance(widget, pg.PlotWidget) else []
    candidates += widget.findChildren(pg.PlotWidget)
    return next((p for p in candidates if p.isVisible()), None)
