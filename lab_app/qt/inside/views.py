"""The Inside tab's pictures: the head view (lines from each token to what it attends to), heatmaps
with token labels, and the model view (every layer × head as a small heatmap)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lab_app.core.errors import UserError
from lab_app.core.inside.attention import Overview
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.plot_export import save_png
from lab_app.qt.shell.plot_style import themed

MASKS_NOTE = (
    "<b>Bidirectional</b> (BERT): every token attends to every other, left and right. "
    "<b>Causal</b> (GPT, Llama): a token sees only itself and what came before, so the model can "
    "generate left to right."
)


def labelled_row(*fields: tuple[str, QWidget]) -> QHBoxLayout:
    """Labelled fields side by side, then a stretch."""
    row = QHBoxLayout()
    for label, w in fields:
        row.addWidget(QLabel(label))
        row.addWidget(w)
    row.addStretch(1)
    return row


ROW = 1.2  # a token row of the head view, in lines of its font (classroom zoom scales it)
DENSE = 64  # above this many tokens each query draws only its strongest links
PAGE = 64  # the head view shows a long input this many tokens at a time
MIN_WEIGHT = 0.01
CMAP = "viridis"


#: Sentence A and sentence B of a pair (token types 0 and 1), colour-blind-safe (Okabe–Ito).
TYPE_COLOURS = ("#0072B2", "#D55E00")


class HeadView(QWidget):
    """Tokens on the left attend to tokens on the right; a line's opacity is the weight. Hover a
    token to see only its lines (a left token: where it looks; a right one: who looks at it).
    In a pair, sentence A's tokens are blue and sentence B's orange (their token types)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Head view")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.tokens: list[str] = []
        self.types: list[int] = []
        self.weights = np.zeros((0, 0), dtype=np.float32)
        self.hover: tuple[str, int] | None = None
        self.caption = ""

    def set_data(
        self,
        tokens: Sequence[str],
        weights: np.ndarray,
        caption: str,
        types: Sequence[int] | None = None,
    ) -> None:
        self.tokens, self.weights, self.caption = list(tokens), weights, caption
        self.types = list(types) if types is not None else [0] * len(self.tokens)
        self.hover = None
        self._fit_height()
        self.update()

    def row(self) -> int:
        return max(12, round(self.fontMetrics().height() * ROW))

    def _fit_height(self) -> None:
        self.setMinimumHeight(self.row() * (len(self.tokens) + 2))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    def _columns(self, width: int) -> tuple[float, float]:
        """x of the left column's line ends and of the right column's."""
        metrics = self.fontMetrics()
        text = max((metrics.horizontalAdvance(t) for t in self.tokens), default=40) + 12
        gap = min(width - 2 * text, 480)  # bertviz-narrow: long lines are hard to follow
        return text, text + gap

    def lines(self) -> list[tuple[int, int, float]]:
        """The (query, key, weight) links drawn now."""
        n = len(self.tokens)
        out: list[tuple[int, int, float]] = []
        side, index = self.hover if self.hover else ("", -1)
        for i in range(n):
            if side == "left" and i != index:
                continue
            row = self.weights[i]
            keys = np.argsort(row)[::-1][:8] if n > DENSE else range(n)
            for j in keys:
                if (side != "right" or j == index) and row[j] >= MIN_WEIGHT:
                    out.append((i, int(j), float(row[j])))
        return out

    def paint_on(self, painter: QPainter, width: int, height: int) -> None:
        """Draw the view at ``width`` × ``height`` (the screen, a PNG or an SVG)."""
        painter.setFont(self.font())
        painter.fillRect(0, 0, width, height, QColor("white"))
        left, right = self._columns(width)
        step = self.row()
        top = step * 1.5
        painter.setPen(QColor("#444"))
        painter.drawText(4, step, self.caption)
        for q, k, w in self.lines():
            pen = QPen(QColor(31, 119, 180, int(40 + 215 * w)))
            pen.setWidthF(1 + 3 * w)
            painter.setPen(pen)
            painter.drawLine(QPointF(left, top + q * step), QPointF(right, top + k * step))
        pair = any(self.types)
        if pair:  # the key to the token colours, after the caption
            x = 4 + self.fontMetrics().horizontalAdvance(self.caption) + 16
            for colour, name in zip(TYPE_COLOURS, ("sentence A", "sentence B"), strict=True):
                painter.setPen(QColor(colour))
                painter.drawText(x, step, name)
                x += self.fontMetrics().horizontalAdvance(name) + 12
        for i, token in enumerate(self.tokens):
            y = int(top + i * step + step / 3)
            colour = TYPE_COLOURS[self.types[i] if i < len(self.types) else 0] if pair else "#222"
            for side, x in (("left", 4), ("right", int(right) + 8)):
                bold = self.hover == (side, i)
                painter.setPen(QColor("#d62728" if bold else colour))
                painter.drawText(x, y, token)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint_on(painter, self.width(), self.height())
        finally:
            painter.end()

    def save(self, path: Path) -> None:
        """The view as drawn (hover included) to a PNG or an SVG, at its full height."""
        width, height = max(self.width(), 600), max(self.minimumHeight(), self.height())
        if path.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            target = QSvgGenerator()
            target.setFileName(str(path))
            target.setSize(QSize(width, height))
            target.setViewBox(QRect(0, 0, width, height))
            target.setTitle(self.caption)
            painter = QPainter(target)
            try:
                self.paint_on(painter, width, height)
            finally:
                painter.end()
            if not path.is_file():
                raise UserError(f"could not write {path}")
            return
        image = QImage(2 * width, 2 * height, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.scale(2, 2)
            self.paint_on(painter, width, height)
        finally:
            painter.end()
        save_png(image, path)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        left, right = self._columns(self.width())
        pos = event.position()
        i = round((pos.y() - self.row() * 1.5) / self.row())
        side = "left" if pos.x() < left else "right" if pos.x() > right else ""
        hover = (side, i) if side and 0 <= i < len(self.tokens) else None
        if hover != self.hover:
            self.hover = hover
            self.update()

    def leaveEvent(self, event: object) -> None:
        self.hover = None
        self.update()


def pages(n: int, size: int = PAGE) -> list[tuple[int, int]]:
    """``[start, end)`` windows of ``size`` tokens covering ``n``; one window when it fits."""
    return [(start, min(start + size, n)) for start in range(0, max(n, 1), size)]


def token_ticks(tokens: Sequence[str], limit: int = 48) -> list[tuple[float, str]]:
    step = max(1, len(tokens) // limit)
    return [(i + 0.5, t) for i, t in enumerate(tokens) if i % step == 0]


class _HeatmapPlot(pg.PlotWidget):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        themed(self)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get(CMAP))
        item = self.getPlotItem()
        item.addItem(self.image)
        item.invertY(True)
        item.setMenuEnabled(False)


class Heatmap(QWidget):
    """A matrix as an image, rows top to bottom, with optional token ticks on both axes.

    The plot itself is made when the heatmap is first shown (or exported): a pyqtgraph plot
    costs ~15 ms, and the Inside tab's five heatmaps sit on pages that start hidden. Until then
    it keeps the last matrix it was given, and draws it then.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._plot = made_on_show(lambda: _HeatmapPlot(name))
        self._plot.when_made(lambda _: self._draw())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._plot.holder)
        self._shown: tuple[Any, ...] | None = None
        self.matrix = np.zeros((0, 0), dtype=np.float32)

    @property
    def plot(self) -> _HeatmapPlot:
        return self._plot.get()

    def getPlotItem(self) -> pg.PlotItem:
        return self.plot.getPlotItem()

    def show_matrix(
        self,
        matrix: np.ndarray,
        title: str,
        rows: Sequence[str] | None = None,
        cols: Sequence[str] | None = None,
        levels: tuple[float, float] | None = None,
    ) -> None:
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self._shown = (title, rows, cols, levels or _levels(self.matrix))
        self._draw()

    def _draw(self) -> None:
        plot = self._plot.peek()
        if plot is None or self._shown is None:
            return
        title, rows, cols, levels = self._shown
        plot.image.setImage(self.matrix, levels=levels)
        item = plot.getPlotItem()
        item.setTitle(title)
        for axis, labels in (("left", rows), ("bottom", cols)):
            item.getAxis(axis).setTicks([token_ticks(labels)] if labels else None)
        item.getViewBox().autoRange(padding=0)


def _levels(m: np.ndarray) -> tuple[float, float]:
    if m.size == 0:
        return (0.0, 1.0)
    lo, hi = float(np.nanmin(m)), float(np.nanmax(m))
    return (lo, hi if hi > lo else lo + 1.0)


class _ClickImage(pg.ImageItem):
    def __init__(self, on_click: Callable[[float, float], None]) -> None:
        super().__init__(axisOrder="row-major")
        self._on_click = on_click

    def mouseClickEvent(self, event: object) -> None:
        pos = event.pos()  # type: ignore[attr-defined]
        self._on_click(pos.x(), pos.y())


class ModelView(pg.PlotWidget):
    """Every layer (rows) × head (columns) as a small heatmap; click one to open it. One image of
    all the tiles (72 view boxes took a quarter of a second to build on the GUI thread)."""

    picked = Signal(int, int)  # layer, head (1-based)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Model view: every layer and head")
        themed(self)
        self.image = _ClickImage(self._clicked)
        self.image.setColorMap(pg.colormap.get(CMAP))
        item = self.getPlotItem()
        item.addItem(self.image)
        item.invertY(True)
        item.setAspectLocked(True)
        item.setMenuEnabled(False)
        item.hideButtons()
        self.layers = self.heads = self.tile = 0

    def show_overview(self, view: Overview) -> None:
        self.layers, self.heads, self.tile = view.layers, view.heads, view.tile
        self.image.setImage(view.mosaic, levels=(0.0, 1.0))
        item = self.getPlotItem()
        half = (view.tile - 1) / 2
        rows = [(i * view.tile + half, f"L{i + 1}") for i in range(view.layers)]
        item.getAxis("left").setTicks([rows])
        cols = [(h * view.tile + half, f"H{h + 1}") for h in range(view.heads)]
        item.getAxis("bottom").setTicks([cols])
        item.getViewBox().autoRange(padding=0.01)

    def tile_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (layer, head), 1-based, of the tile under image position (x, y)."""
        if not self.tile or x < 0 or y < 0:
            return None
        head, layer = int(x // self.tile), int(y // self.tile)
        if layer < self.layers and head < self.heads:
            return layer + 1, head + 1
        return None

    def _clicked(self, x: float, y: float) -> None:
        hit = self.tile_at(x, y)
        if hit is not None:
            self.picked.emit(*hit)
