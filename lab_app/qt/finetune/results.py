"""The Fine-tuning tab's results, one page each: the training curves (the loss per epoch beside
*How much data?*), the runs compared, the confusion matrix (per label for the other tasks) and
Try it. They take most of the tab; the tab fills them."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QStackedWidget, QTableWidget, QTabWidget, QWidget

from lab_app.qt.finetune.panels import CurvePlot, LossPlot
from lab_app.qt.finetune.try_it import TryPanel
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.tab import message_page
from lab_app.qt.shell.tables import auto_fit


class ResultPages(QTabWidget):
    """One result per page: at a projector each needs the whole width."""

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Results")
        # Each plot is made, and shown, when it has something to draw: ~60 ms saved at open.
        self._loss_plot = made_on_show(LossPlot)
        self.curve_plot = made_on_show(CurvePlot)
        waiting = message_page(
            "Run a method: its loss on the training and held-out examples is drawn here, "
            "epoch by epoch."
        )
        self._loss_stack = QStackedWidget()
        self._loss_stack.addWidget(waiting)
        self._loss_stack.addWidget(self._loss_plot.holder)
        self.results = QTableWidget()
        self.results.setAccessibleName("Runs compared")
        self.confusion = QTableWidget()
        self.confusion.setAccessibleName("Confusion matrix (rows: true intent)")
        for table in (self.results, self.confusion):
            auto_fit(table)
        plots = QSplitter()
        plots.addWidget(self._loss_stack)
        plots.addWidget(self.curve_plot.holder)
        self.curve_plot.holder.hide()
        self.addTab(plots, "Training curves")
        self.addTab(self.results, "Runs compared")
        self.addTab(self.confusion, "Confusion matrix")
        self.try_panel = TryPanel(store)
        self.addTab(self.try_panel, "Try it")

    @property
    def loss_plot(self) -> LossPlot:
        """The loss plot, made and put in its placeholder's place the first time it is asked for
        (a run starting)."""
        self._loss_stack.setCurrentIndex(1)
        return self._loss_plot.get()
