"""The lab a tab switch hides gives back its models, so only the lab in use holds memory.

A student works in one lab at a time, and seven labs' models held at once were 1.7 GB, on
laptops that have 8 GB for the system, a browser and the app. Each tab's ``release`` (see
``LabTab.release``) lets go of its sessions, decoder and large results; the next job there loads
again (a second or less). A job the lab still runs keeps what it uses, and may load more while
it runs (a sweep, a training), so the tab is asked again when each of its jobs ends.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTabWidget

from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import LabTab


class HiddenLabs(QObject):
    """Watches ``tabs`` and releases the lab it leaves; ``tab_at(i)`` is page ``i``'s lab tab,
    or None while it has not been made."""

    def __init__(self, tabs: QTabWidget, tab_at: Callable[[int], LabTab | None]) -> None:
        super().__init__(tabs)
        self._tab_at = tab_at
        self._shown = tabs.currentIndex()
        self._armed: set[Runner] = set()  # runners whose job's end releases their hidden tab
        tabs.currentChanged.connect(self._switched)

    def _switched(self, index: int) -> None:
        left, self._shown = self._shown, index
        tab = self._tab_at(left) if left != index and left >= 0 else None
        if tab is not None:
            self.release(tab)

    def release(self, tab: LabTab) -> None:
        """``tab`` gives back what it holds, now and again when each job it still runs ends."""
        if tab is self._tab_at(self._shown):
            return  # shown again meanwhile: it keeps what it has
        tab.release()
        for runner in tab.runners():
            if runner.busy and runner not in self._armed:
                self._armed.add(runner)
                runner.busy_changed.connect(
                    partial(self._job_ended, tab, runner), Qt.ConnectionType.SingleShotConnection
                )

    def _job_ended(self, tab: LabTab, runner: Runner, busy: bool) -> None:
        self._armed.discard(runner)
        self.release(tab)  # a runner that started another job is watched again
