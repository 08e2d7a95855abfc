"""A Cancel button and a progress bar that follow a panel's
:class:`~lab_app.qt.shell.runner.Runner`."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QPushButton

from lab_app.qt.shell.runner import Runner


def job_controls(
    runner: Runner, cancel_name: str, progress_name: str, *, hide_cancel: bool = False
) -> tuple[QPushButton, QProgressBar]:
    """The bar is shown, and Cancel enabled, only while ``runner`` works (Cancel is also hidden
    when idle with ``hide_cancel``); the bar is indeterminate until the job reports how far it
    got. The caller connects the button (it usually says something too)."""
    cancel = QPushButton("Cancel")
    cancel.setAccessibleName(cancel_name)
    cancel.setEnabled(False)
    cancel.setVisible(not hide_cancel)
    progress = QProgressBar()
    progress.setAccessibleName(progress_name)
    progress.setVisible(False)

    def on_busy(busy: bool) -> None:
        progress.setVisible(busy)
        cancel.setEnabled(busy)
        if hide_cancel:
            cancel.setVisible(busy)
        if busy:
            progress.setRange(0, 0)

    def on_progress(done: int, total: int) -> None:
        progress.setRange(0, max(total, 1))
        progress.setValue(done)

    runner.busy_changed.connect(on_busy)
    runner.progress_changed.connect(on_progress)
    return cancel, progress
