"""The Embeddings tab's exports: the map painted on the GUI thread, everything heavy off it.

Formatting 50,000 × 384 floats as TSV, or encoding a 1800 × 1200 PNG, takes longer than the GUI
thread may be held (100–170 ms measured for the PNG alone), so both run on this exporter's own
runner; an SVG is written at once (Qt's SVG generator paints from the scene).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from lab_app.core.errors import UserError
from lab_app.core.progress import Progress
from lab_app.qt.embeddings.views import DATA_SUFFIXES, check_plot_target, export_analysis
from lab_app.qt.shell.file_dialogs import save_path
from lab_app.qt.shell.plot_export import save_png
from lab_app.qt.shell.runner import Runner

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis
    from lab_app.qt.embeddings.plot import MapPlot

log = logging.getLogger(__name__)

EXPORT_FILTERS = (
    "PNG image (*.png);;SVG image (*.svg);;CSV coordinates + labels + clusters (*.csv);;"
    "Embedding Projector vectors TSV + metadata.tsv (*.tsv)"
)


def _export_data_job(progress: Progress, analysis: Analysis, path: Path) -> list[Path]:
    return export_analysis(analysis, None, path)


def _save_png_job(progress: Progress, image: QImage, path: Path) -> list[Path]:
    return [save_png(image, path)]


class MapExporter(QObject):
    exported = Signal(str)  # the status line
    failed = Signal(str)  # the inline message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = Runner(self)
        self.runner.result_ready.connect(self._done)
        self.runner.failed.connect(self._failed)

    def start(self, analysis: Analysis, plot: MapPlot, path: Path) -> bool:
        """Write ``path``; True when the writing goes on in the background."""
        if path.suffix.lower() in DATA_SUFFIXES:
            self.runner.start(_export_data_job, analysis, path)
        elif path.suffix.lower() == ".png":  # painted now; encoded off the GUI thread
            check_plot_target(analysis, path)
            self.runner.start(_save_png_job, plot.render_png(), path)
        else:
            export_analysis(analysis, plot, path)
            return False
        return True

    def _done(self, paths: object) -> None:
        assert isinstance(paths, list)
        self.exported.emit("Exported " + ", ".join(str(p) for p in paths))

    def _failed(self, exc: object) -> None:
        if not isinstance(exc, (UserError, OSError)):
            log.error("export failed", exc_info=exc if isinstance(exc, BaseException) else None)
        self.failed.emit(f"Could not export: {exc}")


def ask_and_export(
    parent: QWidget,
    filters: str,
    export_to: Callable[[Path], bool],
    show_error: Callable[[str], None],
    status: Callable[[str], None],
) -> None:
    """File → Export's dialog: ask where, export, and say so (or show why not, inline).
    ``export_to`` returns True when the writing goes on in the background (it reports itself)."""
    name = save_path(parent, "embeddings", filters)
    if name is None:
        return
    try:
        later = export_to(Path(name))
    except (UserError, OSError) as exc:
        show_error(f"Could not export: {exc}")
    else:
        if not later:
            status(f"Exported {name}")
