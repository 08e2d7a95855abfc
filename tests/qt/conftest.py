"""Qt test rules: a test that leaves work in the thread pool fails (napari's rule)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


class Heartbeat:
    """A 10 ms timer on the GUI thread that records the longest gap between its ticks.

    While a test drives the window, any gap far above 10 ms is time the GUI thread spent on
    something else: a frozen window. ``watch()`` starts a fresh measurement; ``longest_ms`` is the
    worst gap since (including the time up to the moment it is read, so a stall that has not
    ended yet counts too).
    """

    def __init__(self) -> None:
        import time

        from PySide6.QtCore import QTimer

        self._clock = time.perf_counter
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._last = self._clock()
        self._longest = 0.0
        self.worst_at = 0.0  # perf_counter() when the worst gap ended

    def _tick(self) -> None:
        now = self._clock()
        if now - self._last > self._longest:
            self._longest, self.worst_at = now - self._last, now
        self._last = now

    def watch(self) -> Heartbeat:
        self._last = self._clock()
        self._longest, self.worst_at = 0.0, 0.0
        self._timer.start()
        return self

    @property
    def longest_ms(self) -> float:
        return 1000 * max(self._longest, self._clock() - self._last)

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def heartbeat(qapp: object) -> Iterator[Heartbeat]:
    beat = Heartbeat()
    yield beat
    beat.stop()


@pytest.fixture
def show(qtbot: Any) -> Any:
    """``show(widget)``: the widget registered with qtbot, sized as a projector, shown, exposed."""

    def _show(widget: Any, size: tuple[int, int] = (1280, 800)) -> Any:
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return _show
