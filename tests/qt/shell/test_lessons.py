"""Lessons in the window: the built-in lesson stepped through with Page Down, each step's lab and
state checked; the answer hidden until Reveal; Back restoring a step as it was; a view added,
edited by the rules of a lesson file, saved and read back; a broken file refused calmly."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from lab_app.core.lessons.labs import LAB_SCHEMAS, LAB_TITLES
from lab_app.core.lessons.lesson import read_lesson
from lab_app.core.lessons.library import find_lesson
from lab_app.qt.lessons import LAB_KEYS
from lab_app.qt.main_window import MainWindow
from lab_app.qt.registry import TABS
from lab_app.qt.shell.lesson_state import capture

TIMEOUT = 60_000
pytestmark = pytest.mark.usefixtures("gui_thread_gc")


def _fits(expected: Any, got: Any) -> bool:
    """``got`` holds everything ``expected`` says (a state may hold more fields)."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(k in got and _fits(v, got[k]) for k, v in
                                             expected.items())  # fmt: skip
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(_fits(e, g) for e, g in zip(expected, got, strict=True)))  # fmt: skip
    return str(expected).lower() == str(got).lower()


def test_the_labs_table_is_the_registry() -> None:
    assert tuple(LAB_TITLES) == LAB_KEYS
    for spec, key in zip(TABS, LAB_KEYS, strict=True):
        cls = getattr(importlib.import_module(spec.module), spec.cls)
        assert LAB_SCHEMAS[key] == cls.SCHEMA and LAB_TITLES[key] == spec.title


def test_the_builtin_lesson_steps_through_every_lab(qtbot: QtBot, window: MainWindow) -> None:
    lesson = find_lesson("lecture")
    lessons = window.lessons
    lessons.open_lesson(lesson)
    assert lessons.dock.isVisible() and not lessons.lesson.problems  # type: ignore[union-attr]
    seen = set()
    for i, step in enumerate(lesson.steps):
        if i:
            QTest.keyClick(window, Qt.Key.Key_PageDown)  # what a presenter's clicker sends
        assert lessons.index == i
        index = window.tabs.currentIndex()
        assert LAB_KEYS[index] == step.lab, step.title
        tab = window.pages[index].tab
        assert tab is not None
        _, state = capture(tab)
        assert _fits(step.state, state), (step.title, step.state, state)
        assert step.hides_answer and lessons.cover is not None and lessons.cover.isVisible()
        assert lessons.panel.question.text() == step.question.text  # type: ignore[union-attr]
        assert lessons.panel.explanation.isHidden()  # the answer waits for Reveal
        seen.add(step.lab)
    assert seen == set(LAB_KEYS)
    QTest.keyClick(window, Qt.Key.Key_PageDown)  # past the last step: it stays
    assert lessons.index == len(lesson.steps) - 1
    window.toggle_present()  # F11: the answer full screen, the question beside it
    assert lessons.dock.isVisible() and not window.menuBar().isVisible()
    window.leave_present()
    lessons.close_lesson()
    assert not lessons.dock.isVisible() and lessons.cover is None


def test_reveal_runs_the_lab_and_back_restores_the_step(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    lesson = find_lesson("lecture")
    lessons.open_lesson(lesson)
    at = next(i for i, s in enumerate(lesson.steps) if s.lab == "fill_mask")
    lessons.go(at)
    panel = lessons.panel
    panel.choice_group.buttons()[0].click()  # "you, over 50%"
    tab = window.pages[window.tabs.currentIndex()].tab
    assert tab is not None
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert lessons.cover is None and not panel.reveal_button.isEnabled()
    assert "you were right" in panel.answer.text()
    assert "billions of times" in panel.explanation.text()
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert lessons.cover is not None  # the next step hides its answer again
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        QTest.keyClick(window, Qt.Key.Key_PageUp)  # back: revealed, so it runs again
    assert lessons.index == at and lessons.cover is None
    assert _fits(lesson.steps[at].state, capture(tab)[1])
    assert not panel.explanation.isHidden()


def test_add_this_view_edit_and_save(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from lab_app.core.errors import UserError
    from lab_app.qt.shell.lesson_edit import StepEditor

    lessons = window.lessons
    window.tabs.setCurrentIndex(LAB_KEYS.index("specs"))
    lessons.add_view()
    assert lessons.lesson is not None and [s.lab for s in lessons.lesson.steps] == ["specs"]
    editor = StepEditor(lessons.lesson.steps[0], window)
    qtbot.addWidget(editor)
    editor.question.setPlainText("How many tables?")
    editor.choices.setPlainText("one")
    with pytest.raises(UserError, match="at least two"):  # the file's own rules
        editor.edited()
    editor.choices.setPlainText("six\nseven")
    editor.answer.setText("six")
    edited = editor.edited()
    assert edited.question is not None and edited.question.choices == ("six", "seven")
    path = tmp_path / "mine.yaml"
    with qtbot.waitSignal(lessons.saver.result_ready, timeout=TIMEOUT):
        lessons.save(path)  # off the GUI thread
    assert "Saved the lesson" in window.statusBar().currentMessage()
    again = read_lesson(path)
    assert [s.lab for s in again.steps] == ["specs"]
    assert again.steps[0].state == lessons.lesson.steps[0].state


def test_a_save_that_cannot_be_written_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    lessons = window.lessons
    window.tabs.setCurrentIndex(LAB_KEYS.index("specs"))
    lessons.add_view()
    target = tmp_path / "no such folder" / "mine.zip"
    with qtbot.waitSignal(lessons.saver.failed, timeout=TIMEOUT):
        lessons.save(target)
    assert "Could not save the lesson" in window.statusBar().currentMessage()
    assert not target.parent.exists()
    assert lessons.lesson is not None and lessons.lesson.source != str(target)


def test_a_broken_lesson_changes_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"steps: [\n")
    with qtbot.waitSignal(window.lessons.opener.failed, timeout=TIMEOUT):
        window.lessons.open_file(bad)
    assert window.lessons.lesson is None
    assert "Could not open the lesson" in window.statusBar().currentMessage()
    assert bad.read_bytes() == b"steps: [\n"


def test_a_lesson_zip_brings_its_dataset(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A teacher's predictions file travels in the lesson's zip; the step scores that file."""
    from lab_app.core.lessons.files import write_zip
    from lab_app.core.lessons.lesson import Lesson, Step

    preds = tmp_path / "class" / "preds.csv"
    preds.parent.mkdir()
    preds.write_text("label,prediction\nyes,yes\nyes,no\nno,no\nno,no\n", encoding="utf-8")
    step = Step("bench", {"page": "glue", "pages": {"glue": {"source": str(preds)}}})
    out = tmp_path / "shared.zip"
    write_zip(Lesson("Shared", (step,)), out)
    preds.unlink()  # the colleague's machine has only the zip
    tab = window.pages[LAB_KEYS.index("bench")].ensure()
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        window.lessons.open_file(out)  # its one step has no question: its answer shows at once
    assert window.lessons.lesson is not None and window.lessons.lesson.steps
    page: Any = tab.page_widget("glue")
    assert Path(page.source).name == "preds.csv" and Path(page.source).is_file()
    assert page.scores["n"] == 4 and page.scores["accuracy"] == 0.75
