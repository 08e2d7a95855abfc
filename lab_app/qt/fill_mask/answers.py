"""The Fill-mask tab's answer: a stack of the empty page, the no-model page and the results
(guesses, the logit lens, pre-training masking, next sentence), which take most of the tab."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

from lab_app.qt.fill_mask.nsp_panel import NspPanel
from lab_app.qt.fill_mask.panels import EMPTY, NO_MODEL, MaskingPanel
from lab_app.qt.fill_mask.widgets import GuessesView, LayerView
from lab_app.qt.shell.tab import message_page


class AnswerPages(QStackedWidget):
    """What the tab shows under its input: one of :attr:`empty`, :attr:`no_model` or
    :attr:`results`, whose pages are the four views of an answer."""

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guesses = GuessesView()
        self.layer_view = LayerView()
        self.masking = MaskingPanel()
        self.nsp = NspPanel(store)
        self.results = QTabWidget()
        self.results.setAccessibleName("Answers")
        self.results.addTab(self.guesses, "Guesses")
        self.results.addTab(self.layer_view, "Layers (logit lens)")
        self.results.addTab(self.masking, "Pre-training masking")
        self.results.addTab(self.nsp, "Next sentence?")
        self.empty, self.no_model = message_page(EMPTY), message_page(NO_MODEL)
        for page in (self.empty, self.no_model, self.results):
            self.addWidget(page)
