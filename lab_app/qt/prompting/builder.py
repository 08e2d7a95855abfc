"""The prompt builder: task line, examples (add, remove, reorder, switch on/off), query, format.

It holds no model: it turns what the user typed into a :class:`PromptParts` and shows the
assembled prompt with each part coloured as on the lecture's slide. ``changed`` fires on every
edit; the tab debounces it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.prompting.anatomy import (
    EXAMPLE_SEPARATORS,
    FORMATS,
    LECTURE_SLIDE,
    Assembled,
    Example,
    PromptParts,
)

SLIDE = LECTURE_SLIDE

PART_COLOURS = {"task": "#1f77b4", "example": "#2ca02c", "query": "#d62728"}
PART_NAMES = {"task": "task description", "example": "examples", "query": "prompt"}
ANTONYMS = PromptParts(
    task="Give the opposite of each word:",
    examples=(Example("hot", "cold"), Example("big", "small"), Example("fast", "slow")),
    query="tall",
)


def coloured_html(prompt: Assembled) -> str:
    """The prompt as HTML, each part in its colour (line breaks kept)."""
    out = []
    for span in prompt.spans:
        text = html.escape(prompt.text[span.start : span.end]).replace("\n", "<br>")
        out.append(f'<span style="color:{PART_COLOURS[span.kind]}">{text}</span>')
    return "<br>".join(out) if out else ""


class PromptBuilder(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = QLineEdit()
        self.task.setAccessibleName("Task description")
        self.task.setPlaceholderText("e.g. Translate English to French:")
        self.query = QLineEdit()
        self.query.setAccessibleName("Query")
        self.query.setPlaceholderText("the input whose answer you want, e.g. cheese")
        self.answer = QLineEdit()
        self.answer.setAccessibleName("Expected answer")
        self.answer.setPlaceholderText("optional: the answer you expect, e.g. fromage")
        self.answer.setToolTip("The model's probability for this answer, and its rank")
        self.format = QComboBox()
        self.format.setAccessibleName("Input/output separator")
        for name in FORMATS:
            self.format.addItem(name, name)
        self.separator = QComboBox()
        self.separator.setAccessibleName("Example separator")
        for name in EXAMPLE_SEPARATORS:
            self.separator.addItem(name, name)
        self.examples = QTableWidget(0, 3)
        self.examples.setAccessibleName("Examples")
        self.examples.setHorizontalHeaderLabels(["On", "Input", "Output"])
        self.examples.verticalHeader().hide()
        header = self.examples.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.examples.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.examples.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        buttons = QHBoxLayout()
        self.add_button = self._button("Add", "Add an example (Ctrl+N)", self.add_example)
        self.remove_button = self._button("Remove", "Remove the selected example", self.remove)
        self.up_button = self._button(
            "Up", "Move the selected example up", lambda: self.move_example(-1)
        )
        self.down_button = self._button("Down", "Move it down", lambda: self.move_example(1))
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Assembled prompt")
        self.preview.setMinimumHeight(90)
        self.count = QLabel()
        self.count.setAccessibleName("Prompt tokens")
        legend = QLabel(  # wraps: never wider than the page
            "  ".join(
                f'<span style="color:{PART_COLOURS[k]}">■ {PART_NAMES[k]}</span>'
                for k in PART_COLOURS
            )
        )
        legend.setWordWrap(True)
        form = QGridLayout()  # two columns: fits a 1280 px projector at classroom zoom
        rows: list[tuple[str, QWidget]] = [
            ("Task description", self.task), ("Format", self.format),
            ("Between examples", self.separator), ("Query", self.query),
            ("Expected answer", self.answer),
        ]  # fmt: skip
        for r, (text, widget) in enumerate(rows):
            form.addWidget(QLabel(text), r, 0)
            form.addWidget(widget, r, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        examples_label = QLabel("Examples (the model sees them; no gradient update is made)")
        examples_label.setWordWrap(True)
        layout.addWidget(examples_label)
        layout.addWidget(self.examples, 1)
        layout.addLayout(buttons)
        layout.addWidget(legend)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.count)
        for edit in (self.task, self.query, self.answer):
            edit.textChanged.connect(self.changed)
        self.format.currentIndexChanged.connect(self.changed)
        self.separator.currentIndexChanged.connect(self.changed)
        self.examples.itemChanged.connect(lambda _item: self.changed.emit())

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(f"{text} example")
        button.clicked.connect(slot)
        return button

    # -- the parts -------------------------------------------------------------------------------
    def parts(self) -> PromptParts:
        rows = []
        for r in range(self.examples.rowCount()):
            on = self.examples.item(r, 0)
            enabled = on is None or on.checkState() == Qt.CheckState.Checked
            rows.append(Example(self._cell(r, 1), self._cell(r, 2), enabled))
        return PromptParts(
            task=self.task.text(),
            examples=tuple(rows),
            query=self.query.text(),
            format=str(self.format.currentData()),
            example_separator=str(self.separator.currentData()),
        )

    def _cell(self, row: int, col: int) -> str:
        item = self.examples.item(row, col)
        return item.text() if item is not None else ""

    def set_parts(self, parts: PromptParts, answer: str = "") -> None:
        self.blockSignals(True)
        try:
            self.task.setText(parts.task)
            self.query.setText(parts.query)
            self.answer.setText(answer)
            self.format.setCurrentIndex(max(0, self.format.findData(parts.format)))
            self.separator.setCurrentIndex(max(0, self.separator.findData(parts.example_separator)))
            self.examples.setRowCount(0)
            for e in parts.examples:
                self._append(e)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def _append(self, e: Example) -> None:
        self.examples.blockSignals(True)
        r = self.examples.rowCount()
        self.examples.insertRow(r)
        on = QTableWidgetItem()
        on.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        on.setCheckState(Qt.CheckState.Checked if e.enabled else Qt.CheckState.Unchecked)
        on.setToolTip("Switch this example off without deleting it")
        self.examples.setItem(r, 0, on)
        self.examples.setItem(r, 1, QTableWidgetItem(e.input))
        self.examples.setItem(r, 2, QTableWidgetItem(e.output))
        self.examples.blockSignals(False)

    def add_example(self) -> None:
        self._append(Example("", ""))
        self.examples.setCurrentCell(self.examples.rowCount() - 1, 1)
        self.changed.emit()

    def remove(self) -> None:
        row = self.examples.currentRow()
        if row >= 0:
            self.examples.removeRow(row)
            self.changed.emit()

    def move_example(self, step: int) -> None:
        row = self.examples.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.examples.rowCount():
            return
        parts = list(self.parts().examples)
        parts[row], parts[target] = parts[target], parts[row]
        self.examples.blockSignals(True)
        self.examples.setRowCount(0)
        self.examples.blockSignals(False)
        for e in parts:
            self._append(e)
        self.examples.setCurrentCell(target, 1)
        self.changed.emit()

    def show_prompt(self, prompt: Assembled | None, tokens: int | None = None) -> None:
        self.preview.setHtml(coloured_html(prompt) if prompt else "")
        shots = f"{prompt.shots}-shot" if prompt else ""
        self.count.setText(f"{shots} prompt: {tokens} tokens" if tokens is not None else shots)
