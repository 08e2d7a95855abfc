"""One look for every plot: the theme's colours, text that follows the classroom zoom, legends
with a background, and no made-up scales.

pyqtgraph draws on white with grey axes whatever the theme, sizes legend text in fixed points,
rescales axes by SI prefixes ("(×0.001)" under a silhouette score), and numbers the axes of an
empty plot 0.2 … 0.8 as if there were data. :func:`themed` fixes all four on a plot widget and
keeps them fixed when the palette or the app font changes later (a dark theme, the zoom).
"""

from __future__ import annotations

import textwrap
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPalette

LEGEND_ALPHA = 225  # a legend over data: almost opaque, so its words stay readable


def palette_colour(role: QPalette.ColorRole) -> QColor:
    return QGuiApplication.palette().color(role)


def background() -> QColor:
    return palette_colour(QPalette.ColorRole.Base)


def foreground() -> QColor:
    return palette_colour(QPalette.ColorRole.Text)


def legend_brush() -> QColor:
    colour = QColor(background())
    colour.setAlpha(LEGEND_ALPHA)
    return colour


def wrap_to_width(text: str, width: int, point_size: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` pixels at ``point_size``: a plot title wider than
    its plot widens the whole scene, and the view then cuts off its right side."""
    font = QFont()
    font.setPointSizeF(point_size)
    per_char = max(QFontMetrics(font).averageCharWidth() * 1.1, 1.0)
    return textwrap.wrap(text, max(20, int((width - 20) / per_char))) or [""]


def _text_size(widget: pg.PlotWidget, scale: float = 0.9) -> str:
    return f"{max(6.0, widget.font().pointSizeF() * scale):.1f}pt"


def has_data(item: pg.PlotItem) -> bool:
    """Whether anything with an extent is drawn (a curve, bars, points, an image)."""
    return any(
        i.isVisible() and not (i.boundingRect().isEmpty() and i.childrenBoundingRect().isEmpty())
        for i in item.getViewBox().addedItems
    )


def _honest_axes(item: pg.PlotItem) -> None:
    """An empty plot shows no tick values: pyqtgraph's default 0–1 range is no data's range."""
    shown = has_data(item)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        if axis.style["showValues"] != shown:
            axis.setStyle(showValues=shown)
    if item.legend is not None:
        item.legend.setVisible(bool(item.legend.items))  # no empty legend box


def restyle(widget: pg.PlotWidget) -> None:
    """Apply the current palette and font to ``widget``'s background, axes and legend."""
    item = widget.getPlotItem()
    if item is None:  # a closed plot (pyqtgraph drops its item on close)
        return
    fg = foreground()
    widget.setBackground(background())
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(fg)
        axis.setTextPen(fg)
        axis.setStyle(tickFont=widget.font())
        axis.enableAutoSIPrefix(False)  # plain numbers, never "(×0.001)"
        axis.labelStyle = {**axis.labelStyle, "color": fg.name()}  # labels set later too
        if axis.labelText:
            axis.setLabel(axis.labelText, units=axis.labelUnits, **axis.labelStyle)
    legend = item.legend
    if legend is not None:
        legend.setBrush(legend_brush())
        legend.setPen(pg.mkPen(fg, width=0.5))
        legend.setLabelTextColor(fg)
        legend.setLabelTextSize(_text_size(widget))


class _Follow(QObject):
    """Restyles a plot when the application's palette or font changes."""

    def __init__(self, widget: pg.PlotWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)
        self._widget = widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            restyle(self._widget)
        return False


def themed(widget: pg.PlotWidget, *, legend: dict[str, Any] | None = None) -> pg.PlotItem:
    """Style ``widget`` now and on every theme or zoom change; ``legend`` (``addLegend``'s
    arguments) adds a legend with a background first. Returns the plot item."""
    item = widget.getPlotItem()
    if legend is not None:
        item.addLegend(**legend)
    restyle(widget)
    _Follow(widget)
    view = item.getViewBox()
    for signal in (view.sigRangeChanged, view.sigStateChanged):
        signal.connect(lambda *_: _honest_axes(item))
    _honest_axes(item)
    return item
