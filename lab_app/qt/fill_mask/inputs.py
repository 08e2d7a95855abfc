"""The Fill-mask tab's input, built and laid out: the model row (its card and Export), the
sentence with Predict and the lecture's examples, the input-problem line, and the WordPiece chips
with the guess options and the busy indicator beside them. The tab wires them to the work."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QToolButton,
)

from lab_app.qt.fill_mask.widgets import ChipView, SentenceBox
from lab_app.qt.shell.flow import ROOM_LINES, Fold
from lab_app.qt.shell.tab import error_label, example_row


class InputRows:
    """The widgets above the answer, row by row; :meth:`add_to` puts the rows in the tab's own
    layout (rows of it, not a widget of their own)."""

    def __init__(self, examples: Sequence[str], choose: Callable[[str], None]) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model")
        self.model_card = QLabel()
        self.model_card.setWordWrap(True)
        self.export_button = QToolButton()
        self.export_button.setText("Export…")
        self.export_button.setAccessibleName("Export")
        self._top = top = QHBoxLayout()
        top.addWidget(QLabel("Model:"))
        top.addWidget(self.model_combo)
        self.card_fold = Fold("About this model", self.model_card, room_lines=ROOM_LINES)
        top.addWidget(self.card_fold, 1)
        top.addWidget(self.export_button)

        self.sentence = SentenceBox()
        self.predict_button = QPushButton("Predict")
        self.predict_button.setToolTip("Enter or Ctrl+Enter")
        self._sentence_row = QHBoxLayout()
        self._sentence_row.addWidget(self.sentence, 1)
        self._sentence_row.addWidget(self.predict_button)
        self._examples, self.example_buttons = example_row(
            "Examples from the lecture:", [(t, t) for t in examples], choose
        )
        self.error_label = error_label("Input problem")
        self.chips = ChipView()
        self.chips.setAccessibleName("WordPiece tokens: click a word to mask it")
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 50)
        self.top_k.setValue(10)
        self.top_k.setPrefix("top ")
        self.top_k.setAccessibleName("Guesses per mask")
        self.sequential = QCheckBox("Fill left to right")
        self.sequential.setToolTip("Each filled [MASK] feeds the next one's prediction")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.busy_label = QLabel()
        self._options = options = QHBoxLayout()  # beside the chips: one row less above the answer
        options.addWidget(self.chips, 1)
        options.addWidget(self.top_k)
        options.addWidget(self.sequential)
        options.addWidget(self.busy_label)
        options.addWidget(self.busy)

    def add_to(self, layout: QBoxLayout) -> None:
        """The rows, top to bottom, at the end of ``layout``."""
        layout.addLayout(self._top)
        layout.addLayout(self._sentence_row)
        layout.addLayout(self._examples)
        layout.addWidget(self.error_label)
        layout.addLayout(self._options)
