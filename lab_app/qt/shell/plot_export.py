"""The one plot exporter: a pyqtgraph plot, title and caption included, as PNG or SVG.

PNG: the plot's part of the scene is rendered into a QImage at a print-friendly width (21 ms for a
2,200-point map, measured; pyqtgraph's ImageExporter draws each point on its own in export mode,
330 ms) and then encoded; encoding a 1800×1200 PNG takes 100–170 ms, so :func:`render_png` and
:func:`save_png` are apart and a tab may save on a worker thread (QImage is reentrant). SVG goes
through Qt's own QSvgGenerator rendering the plot's part of the scene: pyqtgraph's SVGExporter
cannot parse the closed paths (``… Z``) that Qt ≥ 6.9 writes (pyqtgraph issue #3495), and one path
for every plot means one behaviour to test. The caption ("model · pooling · layer …") is the SVG's
description, so the exported file carries what made it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter

from lab_app.core.errors import UserError

PLOT_FILTERS = "PNG image (*.png);;SVG image (*.svg)"
_MIN_VIEW = QSize(900, 500)  # a plot that was never shown has no size yet: give it one


def export_plot(
    plot_item: Any, path: Path, *, title: str = "", caption: str = "", min_width: int = 1200
) -> None:
    """Write ``plot_item`` (a ``pg.PlotItem``) to ``path``; the suffix picks PNG or SVG."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise UserError(f"a plot exports as .png or .svg, not '{suffix or path.name}'")
    _ensure_size(plot_item)
    if suffix == ".png":
        _export_png(plot_item, path, min_width)
    else:
        _export_svg(plot_item, path, title or _title(plot_item), caption)
    if not path.is_file():
        raise UserError(f"could not write {path}")


def _ensure_size(plot_item: Any) -> None:
    view = plot_item.getViewWidget()
    if view is not None and (view.width() < 200 or view.height() < 150):
        view.resize(_MIN_VIEW)


def _title(plot_item: Any) -> str:
    label = getattr(plot_item, "titleLabel", None)
    return str(label.text) if label is not None else ""


def _export_png(plot_item: Any, path: Path, min_width: int) -> None:
    save_png(render_png(plot_item, min_width), path)


def render_png(plot_item: Any, min_width: int = 1200) -> QImage:
    """The plot as an image, at least ``min_width`` wide and twice its size on screen (GUI
    thread: it paints the scene)."""
    _ensure_size(plot_item)
    source = plot_item.sceneBoundingRect()
    scale = max(2.0, min_width / max(source.width(), 1.0))
    image = QImage(
        math.ceil(source.width() * scale),
        math.ceil(source.height() * scale),
        QImage.Format.Format_ARGB32,
    )
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        plot_item.scene().render(painter, QRectF(0, 0, image.width(), image.height()), source)
    finally:
        painter.end()
    return image


def save_png(image: QImage, path: Path) -> Path:
    """Encode and write ``image`` (any thread); a failure leaves no half-written file."""
    tmp = path.with_name(f".{path.stem}.part.png")  # the suffix tells Qt the format
    try:
        if not image.save(str(tmp)):
            raise UserError(f"could not write {path}")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _export_svg(plot_item: Any, path: Path, title: str, caption: str) -> None:
    from PySide6.QtSvg import QSvgGenerator

    source = plot_item.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(math.ceil(source.width()), math.ceil(source.height())))
    generator.setViewBox(target)
    generator.setTitle(title)
    if caption:
        generator.setDescription(caption)
    painter = QPainter(generator)
    try:
        plot_item.scene().render(painter, target, source)
    finally:
        painter.end()
