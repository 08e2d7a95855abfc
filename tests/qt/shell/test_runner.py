"""The per-tab runner: results arrive on the GUI thread, stale ones are dropped, cancel works."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from lab_app.core.progress import Progress
from lab_app.qt.shell.runner import PARTIAL, Runner


def _square(report: Progress, x: int) -> int:
    assert isinstance(report, Progress)  # the GUI's side of the one protocol
    report(1, 1)
    return x * x


def test_result_arrives(qtbot: QtBot) -> None:
    runner = Runner()
    with qtbot.waitSignal(runner.result_ready, timeout=5000) as blocker:
        runner.start(_square, 7)
    assert blocker.args[0] == 49
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_newest_request_wins(qtbot: QtBot) -> None:
    gate = threading.Event()
    seen: list[object] = []

    def slow(report: Progress, x: int) -> int:
        gate.wait(5)
        return x

    runner = Runner()
    runner.result_ready.connect(seen.append)
    first = runner.start(slow, 1)
    with qtbot.waitSignal(runner.result_ready, timeout=5000):
        runner.start(_square, 3)
        gate.set()
    first.done.wait(5)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert seen == [9]


def test_cancel_stops_a_job_at_its_next_tick(qtbot: QtBot) -> None:
    ticks: list[int] = []

    def loop(report: Progress) -> str:
        for i in range(10_000):
            if not report(i, 10_000):
                return "stopped"
            ticks.append(i)
            threading.Event().wait(0.001)
        return "ran to the end"

    runner = Runner()
    results: list[object] = []
    runner.result_ready.connect(results.append)
    with qtbot.waitSignal(runner.progress_changed, timeout=5000):
        job = runner.start(loop)
    runner.cancel()
    assert job.done.wait(5)
    assert len(ticks) < 10_000
    assert results == []


def test_failure_is_forwarded(qtbot: QtBot) -> None:
    def boom(report: Progress) -> None:
        raise ValueError("bad input")

    runner = Runner()
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(boom)
    assert isinstance(blocker.args[0], ValueError)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_shutdown_waits_for_running_jobs(qtbot: QtBot) -> None:
    def loop(report: Progress) -> None:
        while report(0, 1):
            threading.Event().wait(0.005)

    runner = Runner()
    with qtbot.waitSignal(runner.progress_changed, timeout=5000):
        runner.start(loop)
    assert runner.shutdown(timeout_ms=5000)


@pytest.mark.parametrize("n", [5])
def test_many_quick_requests_end_with_the_last(qtbot: QtBot, n: int) -> None:
    runner = Runner()
    seen: list[object] = []
    runner.result_ready.connect(seen.append)
    for i in range(n):
        runner.start(_square, i)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert seen[-1] == (n - 1) ** 2
    assert all(r == (n - 1) ** 2 for r in seen)


def test_an_unexpected_failure_is_logged_with_its_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    from lab_app.core.errors import UserError

    def boom(report: Progress) -> None:
        raise ValueError("a bug")

    def typo(report: Progress) -> None:
        raise UserError("add [MASK] where BERT should guess")

    runner = Runner()
    with caplog.at_level(logging.INFO), qtbot.waitSignal(runner.failed, timeout=5000):
        runner.start(boom)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    assert "boom" in errors[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.INFO), qtbot.waitSignal(runner.failed, timeout=5000):
        runner.start(typo)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert [r.levelno for r in caplog.records] == [logging.INFO]  # the user's slip, no traceback


def test_results_arrive_on_the_gui_thread_and_the_job_ran_off_it(qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication

    def where(report: Progress) -> object:
        return QThread.currentThread()

    runner = Runner()
    seen: list[object] = []
    runner.result_ready.connect(lambda worker: seen.append((worker, QThread.currentThread())))
    with qtbot.waitSignal(runner.result_ready, timeout=5000):
        runner.start(where)
    worker, receiver = seen[0]
    gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]
    assert receiver is gui and worker is not gui
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_partial_results_arrive_in_order_and_only_from_the_current_job(qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication

    gate = threading.Event()

    def count(report: Progress, name: str, n: int, emit: Callable[[object], None]) -> str:
        if name == "old":
            gate.wait(5)  # superseded before it hands anything over
        for i in range(n):
            emit((name, i))
        return name

    runner = Runner()
    seen: list[tuple[object, object]] = []
    runner.partial_ready.connect(lambda piece: seen.append((piece, QThread.currentThread())))
    old = runner.start(count, "old", 3, PARTIAL)
    with qtbot.waitSignal(runner.result_ready, timeout=5000):
        runner.start(count, "new", 4, PARTIAL)
    gate.set()
    assert old.done.wait(5)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    qtbot.wait(50)  # anything the old job might still have queued
    gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]
    assert [piece for piece, _ in seen] == [("new", i) for i in range(4)]
    assert all(thread is gui for _, thread in seen)


def test_a_cancelled_job_hands_over_nothing_more(qtbot: QtBot) -> None:
    go_on = threading.Event()

    def stream(report: Progress, emit: Callable[[object], None]) -> None:
        emit(1)
        go_on.wait(5)
        emit(2)

    runner = Runner()
    seen: list[object] = []
    runner.partial_ready.connect(seen.append)
    with qtbot.waitSignal(runner.partial_ready, timeout=5000):
        job = runner.start(stream, PARTIAL)
    runner.cancel()
    go_on.set()
    assert job.done.wait(5)
    qtbot.wait(50)
    assert seen == [1]


def test_a_tab_finds_and_stops_every_runner_of_its_panels(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from lab_app.qt.shell.tab import LabTab

    tab = LabTab()
    qtbot.addWidget(tab)
    panel = QWidget()
    panel_runner = Runner(panel)
    QVBoxLayout(tab).addWidget(panel)  # laid out: the panel, and its runner, join the tab
    assert set(tab.runners()) == {tab.runner, panel_runner}

    def loop(report: Progress) -> None:
        while report(0, 1):
            threading.Event().wait(0.005)

    panel_runner.start(loop)
    assert tab.working
    assert tab.shutdown(timeout_ms=5000)
    assert not tab.working


def test_the_runner_is_free_once_the_result_is_in_and_a_chained_start_holds(qtbot: QtBot) -> None:
    runner = Runner()
    seen: list[object] = []
    runner.busy_changed.connect(seen.append)

    def answered(result: object) -> None:
        seen.append((result, runner.busy))  # the tab draws while its job still counts
        if result == 4:
            runner.start(_square, 3)  # the next job, started from the result: it stays current

    runner.result_ready.connect(answered)
    with qtbot.waitSignal(runner.result_ready, timeout=5000, check_params_cb=lambda r: r == 9):
        runner.start(_square, 2)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    qtbot.wait(50)  # both jobs' finished signals are in
    assert seen == [True, (4, True), False, True, (9, True), False]


def test_the_runner_is_free_as_soon_as_the_result_is_in(qtbot: QtBot) -> None:
    answer, wound_up = threading.Event(), threading.Event()

    class HeldDone(threading.Event):
        def set(self) -> None:  # the job's thread winds up only when the test says so
            wound_up.wait(5)
            super().set()

    def slow(report: Progress) -> int:
        answer.wait(5)
        return 1

    runner = Runner()
    job = runner.start(slow)
    job.done = HeldDone()
    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        answer.set()
    assert not runner.busy and not job.done.is_set()  # free before its thread has finished
    wound_up.set()
    assert runner.shutdown(5000)
