"""The one way a lab asks for a file: where the dialog opens, and what it remembers.

Every save dialog opens in the folder of the last export (the user's documents folder the first
time, never the process's working directory, which inside a bundle may be read-only) and asks
before an export replaces a file written beside the chosen one; every open dialog opens where the
last dataset or text came from. Both folders are written to the settings at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lab_app.core.io.export import written_by
from lab_app.core.settings import read

EXPORT_DIR = "paths/last_export_dir"
OPEN_DIR = "paths/last_open_dir"


def documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def _remembered(key: str) -> Path:
    folder = Path(read(QSettings(), key, ""))
    return folder if str(folder) not in ("", ".") and folder.is_dir() else documents_dir()


def _remember(key: str, path: Path) -> None:
    s = QSettings()
    s.setValue(key, str(path.parent))
    s.sync()


def save_path(parent: QWidget, suggested_name: str, filters: str) -> Path | None:
    """Ask where to export; None when the user cancels or declines to replace a file."""
    start = _remembered(EXPORT_DIR) / suggested_name
    name, _ = QFileDialog.getSaveFileName(parent, "Export", str(start), filters)
    if not name or not confirm_overwrite(parent, Path(name)):
        return None
    _remember(EXPORT_DIR, Path(name))
    return Path(name)


def open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """Ask for a file to read (never written); None when the user cancels."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(_remembered(OPEN_DIR)), filters)
    if not name:
        return None
    _remember(OPEN_DIR, Path(name))
    return Path(name)


def confirm_overwrite(parent: QWidget, path: Path) -> bool:
    """The save dialog asked about ``path`` itself; ask about what an export writes beside it
    (a .tsv's ``metadata.tsv``) before it is replaced. True: go ahead."""
    beside = [p for p in written_by(path)[1:] if p.exists()]
    if not beside:
        return True
    names = ", ".join(p.name for p in beside)
    answer = QMessageBox.question(
        parent,
        "Replace files?",
        f"Exporting {path.name} also writes {names} beside it, and that file exists. Replace it?",
    )
    return answer == QMessageBox.StandardButton.Yes
