"""The main window on the built-in store, at a projector's size (presenting, lessons)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lab_app.qt.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, built_store_dir: Path) -> Iterator[MainWindow]:
    w = MainWindow(str(built_store_dir), "", remember=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stop_all_work(5000)
    for made in w.made_tabs():  # the labs give their models back, as the window does
        made.release()
