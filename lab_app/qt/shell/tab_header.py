"""The row above a paged lab's pages: its one-line introduction, the Example button, the Export
button, and the line under them that says what an export did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from lab_app.core.errors import UserError
from lab_app.qt.shell.file_dialogs import save_path
from lab_app.qt.shell.style import ERROR_STYLE


@dataclass(frozen=True)
class Header:
    layout: QHBoxLayout
    example_button: QPushButton
    export_button: QPushButton
    message: QLabel  # hidden until an export says what it did


def lab_header(intro: QWidget, example: str, example_tip: str, export_tip: str) -> Header:
    """``intro`` stretched on the left, then the Example and Export… buttons; the buttons' and the
    message's accessible names are the ones every lab uses."""
    example_button = QPushButton(example)
    example_button.setToolTip(example_tip)
    example_button.setAccessibleName("Load the example")
    export_button = QPushButton("Export…")
    export_button.setAccessibleName("Export")
    export_button.setToolTip(export_tip)
    message = QLabel()
    message.setWordWrap(True)
    message.setAccessibleName("Export message")
    message.hide()
    layout = QHBoxLayout()
    layout.addWidget(intro, 1)
    layout.addWidget(example_button)
    layout.addWidget(export_button)
    return Header(layout, example_button, export_button, message)


def export_via_dialog(
    parent: QWidget,
    suggested_name: str,
    filters: str,
    export_to: Callable[[Path], object],
    message: QLabel,
) -> None:
    """Ask where, export there, and say in ``message`` what happened (calmly, in red, when the
    export could not be written)."""
    path = save_path(parent, suggested_name, filters)
    if path is None:
        return
    try:
        export_to(path)
    except (UserError, OSError) as exc:
        message.setStyleSheet(ERROR_STYLE)
        message.setText(f"Could not export: {exc}")
    else:
        message.setStyleSheet("")
        message.setText(f"Exported {path}")
    message.show()
