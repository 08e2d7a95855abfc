"""`bert-lab screenshot` shows the app's defaults whatever the user saved, and saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from lab_app.qt.main_window import SETTINGS_SCHEMA
from lab_app.qt.screenshot import render_all


@pytest.mark.usefixtures("built_store")
def test_screenshot_ignores_and_keeps_the_users_saved_state(tmp_path: Path) -> None:
    saved = QSettings()
    saved.setValue("window/schema", SETTINGS_SCHEMA)
    saved.setValue("window/zoom", 2.0)
    saved.setValue("window/tab", 2)
    saved.sync()
    font = QApplication.font().pointSizeF()

    shots = render_all(tmp_path / "shots", (1280, 800), None)

    assert all(s.answered for s in shots)
    assert QApplication.font().pointSizeF() == font  # the saved zoom 2.0 was not applied
    after = QSettings()
    assert float(after.value("window/zoom")) == 2.0  # and the user's state was not overwritten
    assert int(after.value("window/tab")) == 2
