"""Qt test rules: a test that leaves work in the thread pool fails (napari's rule)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, QThreadPool


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """QSettings write to a throw-away folder, never the user's real settings."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield


@pytest.fixture(autouse=True)
def _dangling_thread_pool(qapp: object) -> Iterator[None]:
    yield
    pool = QThreadPool.globalInstance()
    # A job that has delivered its result may still be returning its thread: allow a moment.
    if not pool.waitForDone(250):
        pool.waitForDone(5000)
        pytest.fail("the test left work running in the thread pool")


@pytest.fixture(autouse=True)
def _gc_on_gui_thread(gui_thread_gc: None) -> None:
    """Every Qt test collects garbage on the GUI thread only (see tests/conftest.py)."""
