"""Work off the GUI thread: one runner per tab, newest request wins, stale results dropped.

A job is a plain function ``fn(progress, *args)`` from the core (or a thin wrapper around one). It
runs as a QRunnable on the global QThreadPool; its signals live on a composed QObject (superqt's
pattern) because a QRunnable cannot emit. The job's ``progress`` is a :class:`Reporter`, the GUI's
side of the one protocol in :mod:`lab_app.core.progress`: each ``progress(done, total, message)``
is a tick and a cancel point that returns False once the job is cancelled, and the job then stops
(the core's ``Cancelled`` exception is the usual way). A job that shows its work as it goes (an
epoch's losses, a streamed token) hands each piece to the runner: the core function's callback
argument is given as :data:`PARTIAL`, and the pieces arrive as ``partial_ready``. Results and
pieces of a job that was superseded or cancelled never reach the tab (Orange's ``concurrent.py``
pattern), so a tab keeps no run number of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from lab_app.core.errors import UserError

log = logging.getLogger(__name__)


class JobSignals(QObject):
    """Each signal carries its job, so the runner can tell a stale job's signals apart."""

    started = Signal(object)
    progress_changed = Signal(object, int, int, str)
    partial_ready = Signal(object, object)  # the job, a piece of its result
    result_ready = Signal(object, object)
    failed = Signal(object, object)  # the job, the exception
    finished = Signal(object)


class _Partial:
    """The type of :data:`PARTIAL`."""

    def __repr__(self) -> str:
        return "PARTIAL"


#: Stands, among ``Runner.start``'s arguments, for the job's partial-result callback: the job
#: calls it with each piece it has (the core's ``on_epoch``, ``emit``), and the piece reaches the
#: tab as ``Runner.partial_ready``. The core functions keep a plain callable parameter.
PARTIAL = _Partial()


class Job(QRunnable):
    """One call of ``fn(report, *args, **kwargs)`` on a pool thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps a reference until it is finished
        self.signals = JobSignals()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel = threading.Event()
        self.done = threading.Event()
        self._last_emit, self._last_message = 0.0, ""

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, message: str = "") -> bool:
        if self._cancel.is_set():
            return False
        # Every tick is a cancel point, but the bar needs no more than ~30 updates a second:
        # a job ticking per batch flooded the GUI thread with repaints (QProgressBar.setValue
        # repaints at once), 150 ms without a timer tick while 2,200 rows were embedded.
        now = time.monotonic()
        if message != self._last_message or done >= total or now - self._last_emit >= 0.03:
            self._last_emit, self._last_message = now, message
            self.signals.progress_changed.emit(self, done, total, message)
        return True

    def _partial(self, value: object) -> None:
        # Never thinned like the ticks: each piece (an epoch, a token) is drawn.
        if not self._cancel.is_set():
            self.signals.partial_ready.emit(self, value)

    def run(self) -> None:
        try:
            self.signals.started.emit(self)
            if self._cancel.is_set():
                return
            reporter = Reporter(self)
            args = [reporter.partial if arg is PARTIAL else arg for arg in self._args]
            result = self._fn(reporter, *args, **self._kwargs)
            if not self._cancel.is_set():
                self.signals.result_ready.emit(self, result)
        except Exception as exc:  # reported to the tab, which shows it inline
            if not self._cancel.is_set():
                if isinstance(exc, UserError):  # the user's input: the tab says what to do
                    log.info("job stopped: %s", exc)
                else:  # a bug or a broken file: the traceback goes to the log file
                    log.error(
                        "job %s failed", getattr(self._fn, "__name__", self._fn), exc_info=True
                    )
                self.signals.failed.emit(self, exc)
        finally:
            self.done.set()
            self.signals.finished.emit(self)


class Reporter:
    """The :class:`~lab_app.core.progress.Progress` a job receives: call it to tick;
    ``cancelled()`` to poll without ticking; ``partial(piece)`` to show a piece of the result
    before the whole is done."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return self._job._report(done, total, message)

    def cancelled(self) -> bool:
        return self._job.cancelled

    def partial(self, value: object) -> None:
        self._job._partial(value)


class Runner(QObject):
    """Runs one job at a time for a tab; ``start`` cancels the previous job.

    Make it a child of what owns it (``Runner(self)``): the tab then finds it for its busy check
    and its shutdown, and the window for closing, with no list kept by hand."""

    started = Signal()
    progress_changed = Signal(int, int)
    message_changed = Signal(str)
    #: A piece of the current job's result, handed over through :data:`PARTIAL`.
    partial_ready = Signal(object)
    result_ready = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._current: Job | None = None
        self._jobs: set[Job] = set()

    @property
    def busy(self) -> bool:
        return self._current is not None

    def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        self.cancel()
        job = Job(fn, *args, **kwargs)
        self._current = job
        self._jobs.add(job)
        # Bound methods of this GUI-thread object: Qt queues the worker's signals to this thread.
        job.signals.started.connect(self._on_started)
        job.signals.progress_changed.connect(self._on_progress)
        job.signals.partial_ready.connect(self._on_partial)
        job.signals.result_ready.connect(self._on_result)
        job.signals.failed.connect(self._on_failed)
        job.signals.finished.connect(self._on_finished)
        self.busy_changed.emit(True)
        self.pool.start(job)
        return job

    def _live(self, job: Job) -> bool:
        return job is self._current and not job.cancelled

    def _on_started(self, job: Job) -> None:
        if self._live(job):
            self.started.emit()

    def _on_progress(self, job: Job, done: int, total: int, message: str) -> None:
        if self._live(job):
            self.progress_changed.emit(done, total)
            if message:
                self.message_changed.emit(message)

    def _on_partial(self, job: Job, value: object) -> None:
        if self._live(job):
            self.partial_ready.emit(value)

    def _on_result(self, job: Job, result: object) -> None:
        if self._live(job):
            self.result_ready.emit(result)
            self._settle(job)

    def _on_failed(self, job: Job, exc: object) -> None:
        if self._live(job):
            self.failed.emit(exc)
            self._settle(job)

    def _on_finished(self, job: Job) -> None:
        self._jobs.discard(job)
        self._settle(job)

    def _settle(self, job: Job) -> None:
        """The job has answered (or ended): the runner is free at once, not only once its thread
        has wound up. A tab re-enables its buttons on the result, and a start they then offer
        must pass the busy check; shutdown still waits for the thread."""
        if job is self._current:
            self._current = None
            self.busy_changed.emit(False)

    def cancel(self) -> None:
        """Cancel the current job; its result, if it still comes, is dropped."""
        if self._current is not None:
            self._current.cancel()
            self._current = None
            self.busy_changed.emit(False)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Cancel everything and wait (bounded) for running jobs; True when all have stopped."""
        self.cancel()
        jobs = list(self._jobs)
        for job in jobs:
            job.cancel()
        deadline = timeout_ms / 1000
        return all(job.done.wait(deadline) for job in jobs)


def shutdown_all(runners: Iterable[Runner], timeout_ms: int = 3000) -> bool:
    """Cancel every runner's jobs first, then wait for them within one shared bound: the waits
    overlap, so a tab of four runners takes one wait, not four."""
    every = list(runners)
    for runner in every:
        runner.shutdown(0)
    deadline = time.monotonic() + timeout_ms / 1000
    return all([r.shutdown(max(0, int(1000 * (deadline - time.monotonic())))) for r in every])
