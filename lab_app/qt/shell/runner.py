"""Work off the GUI thread: one runner per tab, newest request wins, stale results dropped.

A job is a plain function ``fn(progress, *args)`` from the core (or a thin wrapper around one). It
runs as a QRunnable on the global QThreadPool; its signals live on a composed QObject (superqt's
pattern) because a QRunnable cannot emit. The job's ``progress`` is a :class:`Reporter`, the GUI's
side of the one protocol in :mod:`lab_app.core.progress`: each ``progress(done, total, message)``
is a tick and a cancel point that returns False once the job is cancelled, and the job then stops
(the core's ``Cancelled`` exception is the usual way). Results of a job that was superseded never
reach the tab (Orange's ``concurrent.py`` pattern).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from lab_app.core.errors import UserError

log = logging.getLogger(__name__)


class JobSignals(QObject):
    """Each signal carries its job, so the runner can tell a stale job's signals apart."""

    started = Signal(object)
    progress_changed = Signal(object, int, int, str)
    result_ready = Signal(object, object)
    failed = Signal(object, object)  # the job, the exception
    finished = Signal(object)


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

    def run(self) -> None:
        try:
            self.signals.started.emit(self)
            if self._cancel.is_set():
                return
            result = self._fn(Reporter(self), *self._args, **self._kwargs)
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
    ``cancelled()`` to poll without ticking."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return self._job._report(done, total, message)

    def cancelled(self) -> bool:
        return self._job.cancelled


class Runner(QObject):
    """Runs one job at a time for a tab; ``start`` cancels the previous job."""

    started = Signal()
    progress_changed = Signal(int, int)
    message_changed = Signal(str)
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

    def _on_result(self, job: Job, result: object) -> None:
        if self._live(job):
            self.result_ready.emit(result)

    def _on_failed(self, job: Job, exc: object) -> None:
        if self._live(job):
            self.failed.emit(exc)

    def _on_finished(self, job: Job) -> None:
        self._jobs.discard(job)
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
