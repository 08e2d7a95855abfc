"""The classroom zoom's steps and its app font: the font before any zoom (remembered on the app,
since windows come and go), the next step in or out, and one app font scaled for every widget.

What fonts do not reach (check boxes, radio buttons, spin arrows) is
:mod:`lab_app.qt.shell.zoom_style`'s, installed by :func:`zoom_app_font` on the first zoom.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)


def unzoomed_font() -> QFont:
    """The app font before any classroom zoom, remembered on the app (windows come and go)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return QFont()
    saved = app.property("bert_lab_unzoomed_font")
    if isinstance(saved, QFont):
        return QFont(saved)
    app.setProperty("bert_lab_unzoomed_font", QFont(app.font()))
    return QFont(app.font())


def next_zoom(zoom: float, direction: int) -> float:
    """The step nearest ``zoom``, moved ``direction`` steps (+1 in, -1 out), kept in range."""
    i = min(range(len(ZOOM_STEPS)), key=lambda k: abs(ZOOM_STEPS[k] - zoom))
    return ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, i + direction))]


def zoom_app_font(base: QFont, factor: float) -> None:
    """One app font for every widget, ``base`` scaled by ``factor``; the style's indicators and
    spin arrows are scaled first."""
    from lab_app.qt.shell.zoom_style import apply_zoom

    apply_zoom(factor)  # before the font: the relayout it causes reads the new metrics
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * factor)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setFont(font)
