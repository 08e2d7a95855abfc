"""Dialogs open in the documents folder first, then where the last export or dataset went."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from lab_app.qt.shell import file_dialogs


def test_save_starts_in_documents_then_in_the_last_export_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    starts: list[str] = []
    chosen = tmp_path / "exports" / "plot.png"
    chosen.parent.mkdir()

    def dialog(_parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert file_dialogs.save_path(parent, "specs_sizes", "PNG (*.png)") == chosen
    assert Path(starts[0]) == file_dialogs.documents_dir() / "specs_sizes"
    assert Path(starts[0]).parent != Path.cwd() or Path.cwd() == file_dialogs.documents_dir()
    file_dialogs.save_path(parent, "again", "PNG (*.png)")
    assert Path(starts[1]) == chosen.parent / "again"


def test_open_remembers_the_dataset_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    data = tmp_path / "data" / "intents.csv"
    data.parent.mkdir()
    starts: list[str] = []

    def dialog(_parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return str(data), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    assert file_dialogs.open_path(parent, "Open", "CSV (*.csv)") == data
    file_dialogs.open_path(parent, "Open", "CSV (*.csv)")
    assert Path(starts[1]) == data.parent
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    assert file_dialogs.open_path(parent, "Open", "CSV (*.csv)") is None
