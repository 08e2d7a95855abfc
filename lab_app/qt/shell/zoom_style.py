"""The classroom zoom for what fonts do not reach: check boxes, radio buttons, small icons and
spin-box arrows.

The zoom scales the app font, and every text and layout follows it; but a style draws its
indicators and spin arrows in fixed pixels, so at zoom 1.5 a check box stayed a 13-pixel square
beside 1.5× text. :class:`ZoomStyle` wraps whatever style the platform gives and scales those
metrics by the zoom.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOptionComplex,
    QWidget,
)

PM = QStyle.PixelMetric
_SCALED = {
    PM.PM_IndicatorWidth,
    PM.PM_IndicatorHeight,
    PM.PM_ExclusiveIndicatorWidth,
    PM.PM_ExclusiveIndicatorHeight,
    PM.PM_SmallIconSize,
    PM.PM_ButtonIconSize,
    PM.PM_TabCloseIndicatorWidth,
    PM.PM_TabCloseIndicatorHeight,
}
SC = QStyle.SubControl


class ZoomStyle(QProxyStyle):
    """The platform style with indicators and spin arrows scaled by :attr:`factor`."""

    def __init__(self) -> None:
        super().__init__()
        self.factor = 1.0

    def pixelMetric(
        self, metric: QStyle.PixelMetric, option: object = None, widget: QWidget | None = None
    ) -> int:
        value = super().pixelMetric(metric, option, widget)  # type: ignore[arg-type]
        return round(value * self.factor) if metric in _SCALED else value

    def subControlRect(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        sub: QStyle.SubControl,
        widget: QWidget | None = None,
    ) -> QRect:
        rect = super().subControlRect(control, option, sub, widget)  # type: ignore[arg-type]
        if control != QStyle.ComplexControl.CC_SpinBox or self.factor <= 1.0:
            return rect
        up = super().subControlRect(control, option, SC.SC_SpinBoxUp, widget)  # type: ignore[arg-type]
        extra = round(up.width() * (self.factor - 1))
        if sub in (SC.SC_SpinBoxUp, SC.SC_SpinBoxDown):
            return rect.adjusted(-extra, 0, 0, 0)
        if sub == SC.SC_SpinBoxEditField:
            return rect.adjusted(0, 0, -extra, 0)
        return rect


def apply_zoom(factor: float) -> None:
    """Scale indicators and arrows with the zoom (the style is installed on the first zoom)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    style = app.style()
    if factor == 1.0:
        if isinstance(style, ZoomStyle):  # back to the native style: no Python in its metrics
            native = QStyleFactory.create(style.baseStyle().name())
            if native is not None:
                app.setStyle(native)
        return
    if not isinstance(style, ZoomStyle):
        style = ZoomStyle()
        app.setStyle(style)
    style.factor = factor
