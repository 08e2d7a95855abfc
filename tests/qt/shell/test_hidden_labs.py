"""A lab a tab switch hides is asked to give back its models: at once, and again when a job it
still runs ends (a job left running loads what it needs meanwhile)."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from lab_app.qt.shell.hidden_labs import HiddenLabs
from lab_app.qt.shell.tab import LabTab


class Lab(LabTab):
    def __init__(self) -> None:
        super().__init__()
        self.released = 0

    def release(self) -> None:
        self.released += 1


def test_the_hidden_lab_releases_now_and_when_its_job_ends(qtbot: QtBot) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    labs = [Lab(), Lab(), Lab()]
    for i, lab in enumerate(labs):
        tabs.addTab(lab, str(i))
    made: list[LabTab | None] = [labs[0], labs[1], None]  # the third is not made yet
    HiddenLabs(tabs, lambda i: made[i])
    go = threading.Event()
    labs[0].runner.start(lambda report: go.wait(5))
    tabs.setCurrentIndex(1)
    assert [lab.released for lab in labs] == [1, 0, 0]
    go.set()
    qtbot.waitUntil(lambda: labs[0].released == 2, timeout=5000)
    tabs.setCurrentIndex(2)
    tabs.setCurrentIndex(0)  # a tab never made has nothing to give back
    assert [lab.released for lab in labs] == [2, 1, 0]


def test_a_lab_shown_again_before_its_job_ends_keeps_what_it_has(qtbot: QtBot) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    labs = [Lab(), Lab()]
    for i, lab in enumerate(labs):
        tabs.addTab(lab, str(i))
    HiddenLabs(tabs, lambda i: labs[i])
    go = threading.Event()
    labs[0].runner.start(lambda report: go.wait(5))
    tabs.setCurrentIndex(1)
    tabs.setCurrentIndex(0)
    go.set()
    qtbot.waitUntil(lambda: not labs[0].working, timeout=5000)
    assert labs[0].released == 1  # only the switch away, not the job's end
