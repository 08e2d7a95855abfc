"""The lesson panel: the steps of the open lesson, the current step's question, its reveal, and the
buttons that build a lesson (add the current view, edit, move, delete, save).

It only shows and asks; :class:`~lab_app.qt.shell.lessons.LessonController` applies a step to its
lab. A step with a question hides the lab's answer until "Reveal": the student commits to a
choice (or writes a guess) first, then sees the lab's result, the expected answer and the
explanation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.lessons.lesson import Lesson, Step
from lab_app.qt.shell.style import ERROR_STYLE

MAX_WIDTH = 320


def _wrapped(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LessonPanel(QWidget):
    """Steps, the current question, Reveal, and the lesson's editing buttons."""

    go_to = Signal(int)
    reveal_asked = Signal()
    add_asked = Signal()
    edit_asked = Signal()
    delete_asked = Signal()
    move_asked = Signal(int)  # -1 up, +1 down
    save_asked = Signal()
    close_asked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Lesson")
        # Narrow, so the lab beside it keeps most of a 1280-pixel projector; the dock can float.
        self.setMaximumWidth(MAX_WIDTH)
        self.title = _wrapped("Lesson title")
        self.title.setStyleSheet("font-weight: bold")
        self.problems = _wrapped("Lesson problems")
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.hide()
        self.steps = QListWidget()
        self.steps.setAccessibleName("Lesson steps")
        self.steps.setWordWrap(True)
        self.step_title = _wrapped("Step title")
        self.step_title.setStyleSheet("font-weight: bold")
        self.question = _wrapped("Question")
        self.choices_box = QWidget()
        self.choices_layout = QVBoxLayout(self.choices_box)
        self.choices_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_group = QButtonGroup(self)
        self.guess = QLineEdit()
        self.guess.setAccessibleName("Your prediction")
        self.guess.setPlaceholderText("Your prediction, before you reveal")
        self.reveal_button = QPushButton("Reveal")
        self.reveal_button.setToolTip("Show the lab's answer, the expected answer and why (Ctrl+R)")
        self.answer = _wrapped("Expected answer")
        self.explanation = _wrapped("Explanation")
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("The previous step, as it was (Page Up)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("The next step (Page Down, or a presenter's clicker)")
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QPushButton("+ This view")
        self.add_button.setAccessibleName("Add this view")
        self.add_button.setToolTip("Add the current lab, as it is now, as a step after this one")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("The step's title, question, choices, answer, explanation")
        self.up_button = QPushButton("▲")
        self.up_button.setAccessibleName("Move the step up")
        self.down_button = QPushButton("▼")
        self.down_button.setAccessibleName("Move the step down")
        for arrow in (self.up_button, self.down_button):
            arrow.setMaximumWidth(arrow.fontMetrics().horizontalAdvance("▲") * 4)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Remove this step from the lesson")
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save the lesson as a .yaml file to give out or reuse")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the lesson (the labs stay as they are)")
        self._layout()
        self._connect()

    def _layout(self) -> None:
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.counter, 1)
        nav.addWidget(self.next_button)
        edit = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.up_button, self.down_button):
            edit.addWidget(b)
        files = QHBoxLayout()
        for b in (self.delete_button, self.save_button, self.close_button):
            files.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.problems)
        layout.addWidget(self.steps, 1)
        layout.addLayout(nav)
        for w in (self.step_title, self.question, self.choices_box, self.guess,
                  self.reveal_button, self.answer, self.explanation):  # fmt: skip
            layout.addWidget(w)
        layout.addStretch(0)
        layout.addLayout(edit)
        layout.addLayout(files)

    def _connect(self) -> None:
        self.steps.currentRowChanged.connect(self._row_changed)
        self.back_button.clicked.connect(lambda: self.go_to.emit(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_to.emit(self.steps.currentRow() + 1))
        self.reveal_button.clicked.connect(self.reveal_asked)
        self.add_button.clicked.connect(self.add_asked)
        self.edit_button.clicked.connect(self.edit_asked)
        self.delete_button.clicked.connect(self.delete_asked)
        self.up_button.clicked.connect(lambda: self.move_asked.emit(-1))
        self.down_button.clicked.connect(lambda: self.move_asked.emit(+1))
        self.save_button.clicked.connect(self.save_asked)
        self.close_button.clicked.connect(self.close_asked)

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.go_to.emit(row)

    # -- what the controller shows ------------------------------------------------------------
    def show_lesson(self, lesson: Lesson, current: int) -> None:
        self.title.setText(lesson.title)
        shown = [str(p) for p in lesson.problems]
        self.problems.setText("Left out: " + "; ".join(shown) if shown else "")
        self.problems.setVisible(bool(shown))
        self.steps.blockSignals(True)
        self.steps.clear()
        for number, step in enumerate(lesson.steps, start=1):
            mark = "  (?)" if step.question is not None else ""  # a font-safe mark
            self.steps.addItem(step.heading(number) + mark)
        self.steps.setCurrentRow(current)
        self.steps.blockSignals(False)
        has_steps = bool(lesson.steps)
        for b in (self.edit_button, self.delete_button, self.up_button, self.down_button):
            b.setEnabled(has_steps)

    def show_step(self, step: Step, index: int, total: int, revealed: bool, note: str) -> None:
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        self.counter.setText(f"Step {index + 1} of {total}")
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < total - 1)
        self.step_title.setText(step.heading(index + 1))
        q = step.question
        self.question.setText(q.text if q is not None else "")
        self.question.setVisible(q is not None)
        for button in self.choice_group.buttons():
            self.choice_group.removeButton(button)
            button.deleteLater()
        for choice in q.choices if q is not None else ():
            button = QRadioButton(choice)
            self.choice_group.addButton(button)
            self.choices_layout.addWidget(button)
        self.choices_box.setVisible(q is not None and not q.free)
        self.guess.clear()
        self.guess.setVisible(q is not None and q.free)
        self.reveal_button.setVisible(q is not None)
        self.reveal_button.setEnabled(not revealed)
        self.show_reveal(step, revealed, note)

    def show_reveal(self, step: Step, revealed: bool, note: str = "") -> None:
        q = step.question
        answer = ""
        if q is not None and q.answer and revealed:
            picked = self.picked()
            verdict = ""
            if picked and not q.free:
                verdict = " — you were right." if picked == q.answer else f" (you chose {picked})."
            answer = f"Expected: <b>{q.answer}</b>{verdict}"
        self.answer.setText(answer)
        self.answer.setVisible(bool(answer))
        text = step.explanation if (revealed or q is None) else ""
        if note:
            text = f"{text}<br><i>{note}</i>" if text else f"<i>{note}</i>"
        self.explanation.setText(text)
        self.explanation.setVisible(bool(text))
        self.reveal_button.setEnabled(q is not None and not revealed)

    def picked(self) -> str:
        button = self.choice_group.checkedButton()
        if button is not None:
            return button.text()
        return self.guess.text().strip()
