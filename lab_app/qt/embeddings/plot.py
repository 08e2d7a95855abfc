"""The map: one scatter of every utterance, coloured by gold intent or by K-Means cluster.

Hovering a point names its utterance and labels (in the line under the plot, not only in a
tooltip); a click selects it and asks for its nearest neighbours; a box or lasso drag selects a
group. Colours are Okabe–Ito; with more than eight groups the marker shape changes too, so every
group stays distinguishable without relying on colour. The plot title is the caption that made
the map, so an exported PNG/SVG carries it.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainterPath, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lab_app.qt.shell.plot_export import export_plot, render_png
from lab_app.qt.shell.plot_style import background, foreground, themed, wrap_to_width
from lab_app.qt.shell.style import category_colours

SYMBOLS = ("o", "t", "s", "d", "p", "h", "star", "t1")
POINT_SIZE = 9
MODES = (("pan", "Pan and zoom"), ("box", "Box select"), ("lasso", "Lasso select"))


def style_of(i: int, n: int = 8) -> tuple[str, str]:
    """Colour and marker of group ``i`` of ``n``: a distinct colour each (up to 23), and a marker
    shape as the second cue."""
    colours = category_colours(n)
    return colours[i % len(colours)], SYMBOLS[i % len(SYMBOLS)]


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Boolean mask of ``points`` (N × 2) inside ``polygon`` (M × 2), by ray casting."""
    if len(polygon) < 3 or len(points) == 0:
        return np.zeros(len(points), dtype=bool)
    x, y = points[:, 0][:, None], points[:, 1][:, None]
    x1, y1 = polygon[:, 0][None, :], polygon[:, 1][None, :]
    x2, y2 = np.roll(polygon[:, 0], -1)[None, :], np.roll(polygon[:, 1], -1)[None, :]
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = (x2 - x1) * (y - y1) / (y2 - y1) + x1
    inside = crosses & (x < at)
    return np.asarray(inside.sum(axis=1) % 2 == 1)


class SelectViewBox(pg.ViewBox):
    """A ViewBox whose left drag draws a box or lasso instead of panning, in a select mode."""

    polygon_drawn = Signal(object)  # np.ndarray M × 2 in data coordinates

    def __init__(self) -> None:
        super().__init__()
        self.mode = "pan"
        self._trace: list[tuple[float, float]] = []
        self._outline = QGraphicsPathItem()
        pen = QPen(foreground())  # the theme's text colour: visible on a dark plot too
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self._outline.setPen(pen)
        self._outline.hide()
        self.addItem(self._outline, ignoreBounds=True)

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        if self.mode == "pan" or ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        here = self.mapToView(ev.pos())  # type: ignore[attr-defined]
        if ev.isStart():  # type: ignore[attr-defined]
            start = self.mapToView(ev.buttonDownPos())  # type: ignore[attr-defined]
            self._trace = [(start.x(), start.y())]
        self._trace.append((here.x(), here.y()))
        polygon = self.current_polygon()
        path = QPainterPath()
        if len(polygon):
            path.moveTo(QPointF(*polygon[0]))
            for x, y in polygon[1:]:
                path.lineTo(QPointF(x, y))
            path.closeSubpath()
        self._outline.setPath(path)
        self._outline.show()
        if ev.isFinish():  # type: ignore[attr-defined]
            self._outline.hide()
            self.polygon_drawn.emit(polygon)
            self._trace = []

    def current_polygon(self) -> np.ndarray:
        if not self._trace:
            return np.zeros((0, 2))
        if self.mode == "box":
            (x0, y0), (x1, y1) = self._trace[0], self._trace[-1]
            return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], dtype=float)
        return np.array(self._trace, dtype=float)


class MapPlot(QWidget):
    """Scatter of the 2-D map with legend, hover line, click and box/lasso selection."""

    point_clicked = Signal(int)
    selection_changed = Signal(object)  # list[int]

    def __init__(
        self, parent: QWidget | None = None, selectable: bool = True, legend: bool = True
    ) -> None:
        super().__init__(parent)
        self.view = SelectViewBox()
        self.plot = pg.PlotWidget(viewBox=self.view)
        self.plot.setAccessibleName("Map of the utterances")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        # The legend beside the map, not over its points.
        item = self.plot.getPlotItem()
        self.legend = pg.LegendItem()
        if legend:  # compare mode's two half-width maps share the main map's legend
            item.layout.addItem(self.legend, 1, 3, 3, 1)  # beside the axes: the whole height
            item.legend = self.legend
        themed(self.plot)
        self.scatter = pg.ScatterPlotItem(
            size=POINT_SIZE,
            pen=pg.mkPen("#00000055"),
            hoverable=True,
            hoverSize=POINT_SIZE + 5,
            tip=self._tip,
        )
        self.highlight = pg.ScatterPlotItem(
            size=POINT_SIZE + 8, pen=pg.mkPen(foreground(), width=2), brush=None, symbol="o"
        )
        self.placed = pg.ScatterPlotItem(
            size=20,
            symbol="star",
            pen=pg.mkPen(background(), width=1),
            brush=pg.mkBrush(foreground()),
        )
        for item in (self.scatter, self.highlight, self.placed):
            self.plot.addItem(item)
        self.placed_labels: list[pg.TextItem] = []
        self.hover_label = QLabel("Hover a point to read its utterance; click it for neighbours.")
        self.hover_label.setWordWrap(True)
        self.hover_label.setAccessibleName("Hovered utterance")
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("Mouse mode")
        for key, text in MODES:
            self.mode_combo.addItem(text, key)
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        row = QHBoxLayout()
        row.addWidget(self.hover_label, 1)
        if selectable:
            row.addWidget(QLabel("Mouse:"))
            row.addWidget(self.mode_combo)
        else:
            self.mode_combo.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(row)
        self.setMinimumWidth(180)  # two maps side by side (compare) must fit a 1280-px window

        self.texts: Sequence[str] = ()
        self.gold: Sequence[str] | None = None
        self.clusters: np.ndarray = np.zeros(0, dtype=int)
        self.coords = np.zeros((0, 2), dtype=np.float32)
        self.groups: list[str] = []
        self._zoom = 1.0
        self.caption = ""
        self.scatter.sigClicked.connect(self._clicked)
        self.scatter.sigHovered.connect(self._hovered)
        self.view.polygon_drawn.connect(self.select_polygon)

    # -- data --------------------------------------------------------------------------------
    def show_points(
        self,
        coords: np.ndarray,
        texts: Sequence[str],
        gold: Sequence[str] | None,
        clusters: np.ndarray,
        colour_by: str,
        caption: str,
        axes: tuple[str, str],
    ) -> None:
        """Draw (or redraw) the map; keeps the scatter item and calls ``setData``."""
        self.coords = np.asarray(coords, dtype=np.float32)
        self.texts, self.gold, self.clusters = texts, gold, np.asarray(clusters)
        by_cluster = colour_by == "cluster" or gold is None
        keys = [f"cluster {c}" for c in self.clusters] if by_cluster else list(gold or ())
        self.groups = sorted(set(keys), key=_natural) if by_cluster else sorted(set(keys))
        index = {g: i for i, g in enumerate(self.groups)}
        # One brush object per group, shared by its points: 20,000 points redraw in a blink.
        n = len(self.groups)
        brushes = [pg.mkBrush(style_of(i, n)[0]) for i in range(n)]
        which = [index[key] for key in keys]
        self.scatter.setData(
            x=self.coords[:, 0],
            y=self.coords[:, 1],
            data=np.arange(len(self.coords)),
            brush=[brushes[i] for i in which],
            symbol=[style_of(i, n)[1] for i in which],
        )
        self.legend.clear()
        counts = Counter(keys)
        for i, group in enumerate(self.groups):
            sample = pg.ScatterPlotItem(symbol=style_of(i, n)[1], brush=brushes[i], size=POINT_SIZE)
            self.legend.addItem(sample, f"{group} ({counts[group]})")
        self.caption = caption
        self._title()
        self.plot.setLabel("bottom", axes[0])
        self.plot.setLabel("left", axes[1])
        self.highlight.setData([], [])
        self.clear_placed()
        self.plot.enableAutoRange()

    def clear(self, caption: str = "") -> None:
        self.coords = np.zeros((0, 2), dtype=np.float32)
        self.scatter.setData([], [])
        self.highlight.setData([], [])
        self.legend.clear()
        self.clear_placed()
        self.caption = caption
        self._title()

    def _title(self) -> None:
        """The caption as the plot's title, wrapped to the plot's width (a long one cut the map
        off at the right in compare mode)."""
        size = 11 * self._zoom
        lines = wrap_to_width(self.caption, self.plot.width(), size) if self.caption else [""]
        self.plot.setTitle("<br>".join(html.escape(line) for line in lines), size=f"{size:.0f}pt")
        font = QFont()
        font.setPointSizeF(size)
        height = QFontMetrics(font).lineSpacing() * len(lines) + 8  # every line, none cut
        self.plot.getPlotItem().layout.setRowFixedHeight(0, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._title()

    def describe(self, i: int) -> str:
        parts = []
        if self.gold is not None:
            parts.append(f"intent {self.gold[i]}")
        if len(self.clusters) > i:
            parts.append(f"cluster {self.clusters[i]}")
        return f"“{self.texts[i]}” — " + " · ".join(parts)

    def mark(self, indices: Sequence[int]) -> None:
        """Ring the given points (the clicked point or the selection)."""
        idx = np.asarray(list(indices), dtype=int)
        self.highlight.setData(x=self.coords[idx, 0], y=self.coords[idx, 1])

    def add_placed(self, xy: tuple[float, float], text: str) -> None:
        """A new utterance as a black star with its text, on top of the map."""
        xs, ys = self.placed.getData()
        self.placed.setData(x=[*xs, xy[0]], y=[*ys, xy[1]])
        label = pg.TextItem(text, color=foreground(), anchor=(0, 1))
        label.setPos(*xy)
        self.plot.addItem(label)
        self.placed_labels.append(label)

    def clear_placed(self) -> None:
        self.placed.setData([], [])
        for label in self.placed_labels:
            self.plot.removeItem(label)
        self.placed_labels = []

    # -- mouse -------------------------------------------------------------------------------
    def _mode_changed(self) -> None:
        self.view.mode = str(self.mode_combo.currentData())

    def _clicked(self, _item: object, points: Sequence[object], _ev: object) -> None:
        if len(points):
            i = int(points[0].data())  # type: ignore[attr-defined]
            self.mark([i])
            self.point_clicked.emit(i)

    def _tip(self, x: float, y: float, data: object) -> str:
        """The tooltip repeats the hover line (which is what counts: nothing in tooltips only)."""
        return self.describe(int(data)) if len(self.texts) else ""  # type: ignore[call-overload]

    def _hovered(self, _item: object, points: Sequence[object], _ev: object) -> None:
        if len(points) and len(self.texts):
            self.hover_label.setText(self.describe(int(points[0].data())))  # type: ignore[attr-defined]

    def select_polygon(self, polygon: np.ndarray) -> list[int]:
        """Select the points inside ``polygon`` (data coordinates) and announce them."""
        chosen = [int(i) for i in np.flatnonzero(points_in_polygon(self.coords, polygon))]
        self.mark(chosen)
        self.selection_changed.emit(chosen)
        return chosen

    # -- zoom and export ----------------------------------------------------------------------
    def set_zoom(self, factor: float) -> None:
        self._zoom = factor  # the axes follow the app font already (plot_style.themed)
        self.scatter.setSize(POINT_SIZE * factor)
        self._title()

    def export(self, path: Path) -> None:
        """PNG or SVG of the plot with its caption as the title (and the legend)."""
        export_plot(self.plot.plotItem, path)

    def render_png(self) -> QImage:
        """The PNG's pixels (GUI thread); :func:`save_png` writes them from any thread."""
        return render_png(self.plot.plotItem)


def _natural(text: str) -> tuple[int, str]:
    """ "cluster 2" before "cluster 10"."""
    tail = text.rsplit(" ", 1)[-1]
    return (int(tail), text) if tail.isdigit() else (1 << 30, text)
