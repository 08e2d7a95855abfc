"""Edit one lesson step's words: its title, question, choices, expected answer, explanation.

The lab and its state are what "Add this view" captured; this dialog changes only the text a
class reads. What it returns is checked by the same rules a lesson file is
(:func:`~lab_app.core.lessons.lesson.parse_step`), so a saved lesson always reads back.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.lessons.lesson import Step, parse_step
from lab_app.qt.shell.style import ERROR_STYLE


def _box(text: str, name: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setAccessibleName(name)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * (lines + 1))
    return edit


class StepEditor(QDialog):
    """The words of one step; :meth:`step` is the edited step once accepted."""

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the step")
        self._step = step
        q = step.question
        self.title = QLineEdit(step.title)
        self.title.setAccessibleName("Step title")
        self.question = _box(q.text if q else "", "Question")
        self.choices = _box("\n".join(q.choices) if q else "", "Choices, one a line", 4)
        self.answer = QLineEdit(q.answer if q else "")
        self.answer.setAccessibleName("Expected answer")
        self.explanation = _box(step.explanation, "Explanation", 4)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Question (empty: none)", self.question)
        form.addRow("Choices (one a line; none: a free answer)", self.choices)
        form.addRow("Expected answer", self.answer)
        form.addRow("Explanation (shown on Reveal)", self.explanation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def edited(self) -> Step:
        """The step with the dialog's words; a :class:`UserError` says what is wrong."""
        raw: dict[str, object] = {"lab": self._step.lab, "schema": self._step.schema,
                                  "state": self._step.state}  # fmt: skip
        raw["title"] = self.title.text()
        raw["explanation"] = self.explanation.toPlainText()
        text = self.question.toPlainText().strip()
        if text:
            choices = [c.strip() for c in self.choices.toPlainText().splitlines() if c.strip()]
            raw["question"] = {"text": text, "choices": choices, "answer": self.answer.text()}
        return replace(parse_step(raw), models=self._step.models)

    def accept(self) -> None:
        try:
            self._result = self.edited()
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    def step(self) -> Step:
        return self._result
