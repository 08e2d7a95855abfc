"""Lessons in the window: open one (built-in or a file), step through it, reveal, build and save.

The controller owns the Lesson menu and the lesson panel (a dock beside the labs). Going to a step
switches to its lab, gives the lab the step's state and, unless the step asks a question first,
runs the lab on it (``LabTab.run_current``). A step with a question covers the lab's answer until
"Reveal"; Back goes to the previous step and restores it exactly, revealed or not. Page Down and
Page Up step (a presenter's clicker sends those keys), Ctrl+R reveals. Nothing here writes a file
except "Save…", to the name the user chose. Opening and saving run off the GUI thread: a lesson's
zip may carry up to 200 MB of datasets.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QLabel, QMenu, QWidget

from lab_app.core.errors import UserError
from lab_app.core.lessons.files import open_lesson, write_zip
from lab_app.core.lessons.lesson import Lesson, Step, write_lesson
from lab_app.core.lessons.library import builtin_lessons, check
from lab_app.qt.registry import TABS
from lab_app.qt.shell.lesson_edit import StepEditor
from lab_app.qt.shell.lesson_panel import LessonPanel
from lab_app.qt.shell.lesson_state import capture, restore
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import LabTab

LAB_KEYS = tuple(spec.object_name.removeprefix("tab_") for spec in TABS)
LESSON_FILTER = "BERT Lab lesson (*.yaml *.yml *.zip)"
#: Save as: a .zip carries the files the steps use (datasets, corpora); a .yaml names them.
SAVE_FILTER = "BERT Lab lesson (*.yaml);;Lesson with its files (*.zip)"
COVER_TEXT = "Predict first: answer the question in the lesson panel, then Reveal (Ctrl+R)."


class AnswerCover(QLabel):
    """An opaque card over a lab's answer until the class has predicted it."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(COVER_TEXT, target)
        self.setAccessibleName("Hidden answer")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("font-size: 16pt; padding: 24px")
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


def _read(progress: object, path: Path) -> Lesson:
    """The lesson at ``path``, a zip unpacked (the opener's job)."""
    try:
        return open_lesson(path)
    except OSError as exc:  # the user's file, not a bug: said in the status line
        raise UserError(str(exc)) from exc


def _write(progress: object, lesson: Lesson, path: Path) -> tuple[Lesson, Path, list[str]]:
    """Write ``lesson`` to ``path`` (the saver's job): what was saved, where, and the files a
    ``.zip`` carried."""
    try:
        if path.suffix.lower() == ".zip":
            return lesson, path, write_zip(lesson, path, overwrite=True)
        write_lesson(lesson, path, overwrite=True)
    except OSError as exc:  # an unwritable folder or a full disk: said in the status line
        raise UserError(str(exc)) from exc
    return lesson, path, []


class LessonController(QObject):
    """The open lesson, its current step, and what has been revealed."""

    def __init__(self, window: Any) -> None:
        """``window``: the main window (its ``tabs``, lazy ``pages`` and ``store``)."""
        super().__init__(window)
        self.window = window
        self.lesson: Lesson | None = None
        self.index = -1
        self.revealed: set[int] = set()
        self.cover: AnswerCover | None = None
        self.panel = LessonPanel()
        self.dock = QDockWidget("Lesson", window)
        self.dock.setObjectName("lesson_dock")
        self.dock.setWidget(self.panel)
        self.dock.hide()
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        # Off the GUI thread, each its own (a save never cancels an open); the window's close
        # stops them with the rest.
        self.opener, self.saver = Runner(self), Runner(self)
        self.opener.result_ready.connect(self._opened)
        self.opener.failed.connect(partial(self._file_failed, "open"))
        self.saver.result_ready.connect(self._saved)
        self.saver.failed.connect(partial(self._file_failed, "save"))
        self._menu()
        self._connect()

    # -- menu and wiring -----------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: str = "") -> QAction:
        act = QAction(text, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    def _menu(self) -> None:
        bar = self.window.menuBar()
        menu = QMenu("&Lesson", bar)
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        bar.insertMenu(help_menu, menu) if help_menu is not None else bar.addMenu(menu)
        builtin = menu.addMenu("&Built-in lessons")
        for path in builtin_lessons():
            builtin.addAction(self._action(path.stem, partial(self.open_file, path)))
        menu.addAction(self._action("&Open lesson…", self.open_dialog, "Ctrl+Shift+O"))
        menu.addAction(self._action("&Add this view to the lesson", self.add_view, "Ctrl+Shift+L"))
        menu.addAction(self._action("&Save lesson as…", self.save_dialog))
        menu.addSeparator()
        self.next_action = self._action("&Next step", self.next_step, "PgDown")
        self.back_action = self._action("&Previous step", self.previous_step, "PgUp")
        self.reveal_action = self._action("&Reveal the answer", self.reveal, "Ctrl+R")
        menu.addActions([self.next_action, self.back_action, self.reveal_action])
        menu.addSeparator()
        panel = self.dock.toggleViewAction()
        panel.setText("Show the lesson &panel")
        menu.addAction(panel)
        menu.addAction(self._action("&Close the lesson", self.close_lesson))
        self._enable()

    def _connect(self) -> None:
        p = self.panel
        p.go_to.connect(self.go)
        p.reveal_asked.connect(self.reveal)
        p.add_asked.connect(self.add_view)
        p.edit_asked.connect(self.edit_step)
        p.delete_asked.connect(self.delete_step)
        p.move_asked.connect(self.move_step)
        p.save_asked.connect(self.save_dialog)
        p.close_asked.connect(self.close_lesson)

    def _enable(self) -> None:
        have = self.lesson is not None and bool(self.lesson.steps)
        self.next_action.setEnabled(have)  # Page Down scrolls a table when no lesson is open
        self.back_action.setEnabled(have)
        self.reveal_action.setEnabled(have)

    # -- opening ---------------------------------------------------------------------------------
    def open_file(self, path: Path) -> None:
        """Read ``path`` off the GUI thread, then show it (:meth:`open_lesson`)."""
        self.window.statusBar().showMessage(f"Opening the lesson {path.name}…")
        self.opener.start(_read, path)

    def _opened(self, lesson: Lesson) -> None:
        self.window.statusBar().clearMessage()  # the lab the first step shows says its own
        self.open_lesson(lesson)

    def _saved(self, result: tuple[Lesson, Path, list[str]]) -> None:
        saved, path, carried = result
        if self.lesson is saved:  # not edited or replaced since
            self.lesson = replace(saved, source=str(path))
        with_files = f" with {len(carried)} file(s)" if carried else ""
        self.window.statusBar().showMessage(f"Saved the lesson to {path}{with_files}")

    def _file_failed(self, verb: str, exc: object) -> None:
        self.window.statusBar().showMessage(f"Could not {verb} the lesson: {exc}")

    def open_dialog(self) -> None:
        from lab_app.qt.shell.file_dialogs import open_path

        path = open_path(self.window, "Open a lesson", f"{LESSON_FILTER};;All files (*)")
        if path is not None:
            self.open_file(path)

    def open_lesson(self, lesson: Lesson) -> None:
        """Show ``lesson`` and go to its first step; steps the store cannot run are named."""
        from lab_app.core.models.store import open_store

        try:
            problems = check(lesson, open_store(self.window.store))
        except UserError:
            problems = list(lesson.problems)
        self.lesson = replace(lesson, problems=tuple(problems))
        self.revealed = set()
        self.index = -1
        self.dock.show()
        self.panel.show_lesson(self.lesson, 0)
        self._enable()
        if lesson.steps:
            self.go(0)

    def visible_panel(self) -> list[QWidget]:
        """The lesson dock while a lesson is open and shown (presenting keeps it)."""
        return [self.dock] if self.lesson is not None and self.dock.isVisible() else []

    def close_lesson(self) -> None:
        self._uncover()
        self.lesson, self.index, self.revealed = None, -1, set()
        self.dock.hide()
        self._enable()

    # -- stepping ------------------------------------------------------------------------------
    def next_step(self) -> None:
        self.go(self.index + 1)

    def previous_step(self) -> None:
        self.go(self.index - 1)

    def go(self, index: int) -> None:
        """Show step ``index``: its lab, its state, and its answer if it has no question or was
        revealed before (Back shows a step as it was)."""
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        self._uncover()
        self.index = index
        step = self.lesson.steps[index]
        tab = self._show_lab(step.lab)
        note = self._step_note(index)
        if tab is not None:
            try:
                restore(tab, step)
            except Exception as exc:  # a state the lab no longer fits: say so, keep going
                note = f"This step's state does not fit the {step.lab} lab: {exc}"
        shown = not step.hides_answer or index in self.revealed
        self.panel.show_step(step, index, len(self.lesson.steps), index in self.revealed, note)
        if tab is not None:
            if shown:
                tab.run_current()
            else:
                target = tab.result_widget() or tab
                self.cover = AnswerCover(target)

    def _step_note(self, index: int) -> str:
        assert self.lesson is not None
        found = [p.message for p in self.lesson.problems if p.step == index + 1]
        return "; ".join(found)

    def _show_lab(self, lab: str) -> LabTab | None:
        return self.window.show_lab(lab)

    def _uncover(self) -> None:
        if self.cover is not None:
            self.cover.deleteLater()
            self.cover = None

    def reveal(self) -> None:
        if self.lesson is None or not 0 <= self.index < len(self.lesson.steps):
            return
        step = self.lesson.steps[self.index]
        if self.index in self.revealed or step.question is None:
            return  # a step without a question showed its answer when it opened
        self.revealed.add(self.index)
        self._uncover()
        self.panel.show_reveal(step, True, self._step_note(self.index))
        tab = self.current_tab()
        if tab is not None:
            tab.run_current()

    def current_tab(self) -> LabTab | None:
        return self.window.pages[self.window.tabs.currentIndex()].tab

    # -- building ------------------------------------------------------------------------------
    def add_view(self) -> None:
        """The current lab as it is now, as a new step after the current one."""
        i = self.window.tabs.currentIndex()
        tab = self.window.pages[i].tab
        if tab is None:
            return
        schema, state = capture(tab)
        step = Step(LAB_KEYS[i], state, schema, title=TABS[i].title)
        lesson = self.lesson or Lesson("New lesson", ())
        steps = list(lesson.steps)
        at = self.index + 1 if self.lesson is not None else len(steps)
        steps.insert(at, step)
        self._replace(replace(lesson, steps=tuple(steps)), at)
        self.window.statusBar().showMessage(f"Added step {at + 1}: {TABS[i].title}")

    def _replace(self, lesson: Lesson, index: int) -> None:
        self.lesson = lesson
        self.index = index
        self.dock.show()
        self.panel.show_lesson(lesson, index)
        if lesson.steps:
            step = lesson.steps[index]
            self.panel.show_step(
                step, index, len(lesson.steps), index in self.revealed, self._step_note(index)
            )
        self._enable()

    def edit_step(self) -> None:
        if self.lesson is None or not 0 <= self.index < len(self.lesson.steps):
            return
        editor = StepEditor(self.lesson.steps[self.index], self.window)
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        steps = list(self.lesson.steps)
        steps[self.index] = editor.step()
        self._replace(replace(self.lesson, steps=tuple(steps)), self.index)

    def delete_step(self) -> None:
        if self.lesson is None or not 0 <= self.index < len(self.lesson.steps):
            return
        steps = list(self.lesson.steps)
        del steps[self.index]
        self.revealed = set()
        self._uncover()
        self._replace(replace(self.lesson, steps=tuple(steps)), max(0, self.index - 1))

    def move_step(self, by: int) -> None:
        if self.lesson is None:
            return
        i, j = self.index, self.index + by
        steps = list(self.lesson.steps)
        if not (0 <= i < len(steps) and 0 <= j < len(steps)):
            return
        steps[i], steps[j] = steps[j], steps[i]
        self.revealed = set()
        self._replace(replace(self.lesson, steps=tuple(steps)), j)

    def save_dialog(self) -> None:
        from lab_app.qt.shell.file_dialogs import save_path

        if self.lesson is None or not self.lesson.steps:
            self.window.statusBar().showMessage("Nothing to save: add a view to a lesson first")
            return
        name = Path(self.lesson.source).name if self.lesson.source else "lesson.yaml"
        path = save_path(self.window, name, SAVE_FILTER)
        if path is None:
            return
        self.save(path if path.suffix in (".yaml", ".yml", ".zip") else path.with_suffix(".yaml"))

    def save(self, path: Path) -> None:
        """Write the lesson to ``path`` off the GUI thread (the save dialog already asked before
        replacing it); a ``.zip`` carries the files its steps use."""
        assert self.lesson is not None
        self.window.statusBar().showMessage(f"Saving the lesson to {path}…")
        self.saver.start(_write, self.lesson, path)
