"""The Embeddings tab's screen: where each widget sits, and the busy bar shared by its runners.

Input on the left (data, choices, run), the answer in the middle (map, elbow, compare, weight
noise), the numbers and the "why" on the right (scores, a new utterance, neighbours). The tab wires
these widgets to the work; this module builds them, words the empty page and draws a result on
them (a large map in two frames: the map, then the scores and the elbow).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.embeddings.config import Dataset
from lab_app.core.embeddings.jobs import SAMPLE, dataset_summary
from lab_app.qt.embeddings.charts import ElbowPlot
from lab_app.qt.embeddings.compare import CompareView
from lab_app.qt.embeddings.controls import ControlsPanel
from lab_app.qt.embeddings.panels import DetailsPanel, PerturbPanel, PlacePanel, ScoresTable
from lab_app.qt.embeddings.plot import MapPlot
from lab_app.qt.embeddings.views import EMPTY_TEXT, NO_MODELS_TEXT, placement_text
from lab_app.qt.shell.flow import Fold
from lab_app.qt.shell.lazy_tabs import LazyTabs
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import error_label

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis, Placement

PAGE_EMPTY, PAGE_RESULTS = range(2)
CANCELLED = "Cancelled."
FRAME_MS = 20  # a large result is drawn in two frames: the map, then the scores and elbow


class BusyBar(QWidget):
    """Progress, the current step and Cancel, for every runner it watches (work is visible)."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runners: list[Runner] = []
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.label = QLabel()
        self.label.setAccessibleName("Current step")
        self.cancel_button = QPushButton("Cancel")
        # Its size never changes while work runs ("Embedding 32/2232" → "… 64/2232", the bar
        # shown, then hidden): each change re-laid-out the tab and repainted every plot in it,
        # 60–80 ms a time on the GUI thread (measured with the heartbeat test).
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        for widget in (self.progress, self.cancel_button):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        row = QHBoxLayout(self)  # one line: the map keeps the height
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._update()

    def watch(self, runner: Runner) -> None:
        self.runners.append(runner)
        runner.busy_changed.connect(self._update)
        runner.progress_changed.connect(self._progress)
        runner.message_changed.connect(self.label.setText)

    @property
    def busy(self) -> bool:
        return any(r.busy for r in self.runners)

    def _update(self, _busy: bool = False) -> None:
        busy = self.busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy and self.label.text() != CANCELLED:
            self.label.setText("")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))  # 0 … 0: a busy bar for steps without a count
        self.progress.setValue(done)


class EmbeddingsLayout(QWidget):
    """Every widget of the tab, placed; no behaviour beyond the widgets' own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        self.data_label.setAccessibleName("Dataset")
        self.open_button = QPushButton("Open dataset…")
        self.sample_button = QPushButton("Use the chatbot sample")
        self.export_button = QPushButton("Export…")
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("The plot as PNG/SVG, coordinates as CSV, vectors as TSV")
        self.run_button = QPushButton("Embed and plot")
        self.run_button.setAccessibleName("Embed and plot")
        self.run_button.setToolTip("Embed the dataset and draw the map (Ctrl+Enter)")
        self.busy = BusyBar()  # on the top line: no row of its own above the map
        top = QHBoxLayout()
        top.addWidget(self.data_label, 1)
        top.addWidget(self.busy)
        for b in (self.run_button, self.open_button, self.sample_button, self.export_button):
            top.addWidget(b)
        self.error_label = error_label("Problem")

        self.controls = ControlsPanel()
        # Side panels fold to their titles in a narrow window or at a big zoom: the map first.
        left = Fold("Settings", self.controls, room_columns=180)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_button = QPushButton("Embed the chatbot sample")
        empty = QWidget()
        ev = QVBoxLayout(empty)
        ev.addWidget(self.empty_label)
        ev.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignLeft)
        ev.addStretch(1)
        self.pages = LazyTabs()
        self.pages.setAccessibleName("Views")
        # Made when first shown (the map with the first result, under the empty page until then):
        # their six plots cost ~75 ms that opening the tab need not pay.
        self.map = self.pages.add_lazy("Map", MapPlot)
        self.elbow = self.pages.add_lazy("Choosing k", ElbowPlot)
        self.compare = self.pages.add_lazy("Compare", CompareView)
        self.perturb = self.pages.add_lazy("Weight noise", PerturbPanel)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.pages)

        self.scores = ScoresTable()
        self.details = DetailsPanel()
        self.place = PlacePanel()
        side = QWidget()
        rv = QVBoxLayout(side)
        rv.setContentsMargins(0, 0, 0, 0)
        scores_title = QLabel("<b>Scores</b> (sklearn, on the full vectors)")
        scores_title.setWordWrap(True)  # at zoom 2 it alone pushed the window past 1280 px
        rv.addWidget(scores_title)
        rv.addWidget(self.scores)
        rv.addWidget(QLabel("<b>A new utterance</b>"))
        rv.addWidget(self.place)
        rv.addWidget(self.details, 1)
        right = Fold("Scores", side, room_columns=220)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.stack)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(split, 1)

    def show_dataset(
        self, dataset: Dataset, notes: Sequence[str], k: int, have_models: bool, has_result: bool
    ) -> None:
        """The data line and the empty page's invitation for ``dataset``; the empty page is shown
        until there is a result."""
        self.data_label.setText("<b>Data</b> — " + dataset_summary(dataset, notes))
        text = EMPTY_TEXT.format(summary=dataset_summary(dataset), k=k)
        self.empty_label.setText(text if have_models else NO_MODELS_TEXT)
        name = "the chatbot sample" if dataset.source == SAMPLE else Path(dataset.source).name
        self.empty_button.setText(f"Embed {name}")
        self.empty_button.setEnabled(have_models)
        self.stack.setCurrentIndex(PAGE_RESULTS if has_result else PAGE_EMPTY)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.hide()

    # -- results ---------------------------------------------------------------------------
    def show_analysis(
        self,
        a: Analysis,
        colour: str,
        current: Callable[[], Analysis | None],
        then: Callable[[], object] | None = None,
    ) -> None:
        """The map now; the scores and the elbow in the next turn of the event loop, so that
        drawing a large result never holds the GUI thread for all of it at once. They are drawn
        only if ``a`` is still ``current()`` by then; ``then`` runs after them either way."""
        coords, axes = a.projection.coords, a.projection.axis_labels()
        d = a.dataset
        plot = self.map.get()
        plot.show_points(coords, d.texts, d.labels, a.clusters.labels, colour, a.caption, axes)

        def rest() -> None:
            if current() is a:
                self.scores.show_analyses([a], [a.config.label()])
                self.show_elbow(a)
                self.details.show_lines("Click a point for its nearest neighbours (cosine).", [])
                self.place.result.setText("")
            if then is not None:
                then()

        # after the map has been painted (a frame of its own), dropped if the tab is gone by then
        QTimer.singleShot(FRAME_MS, self, rest)

    def show_elbow(self, a: Analysis | None) -> None:
        """The elbow curve of ``a``, if the page has been made (else when it is)."""
        elbow = self.elbow.peek()
        if elbow is not None and a is not None:
            elbow.show_curve(a.elbow, a.clusters.k)

    def show_pair(self, first: Analysis, second: Analysis, colour: str) -> None:
        """A beside B on the Compare page, made now if it was not yet, and shown."""
        self.compare.get().show_pair(first, second, colour)
        self.stack.setCurrentIndex(PAGE_RESULTS)
        self.pages.setCurrentWidget(self.compare.holder)

    def show_placed(self, p: Placement, dataset: Dataset) -> None:
        """A new utterance on the map, and the verdict on where it landed."""
        self.map.get().add_placed(p.xy, p.text)
        self.place.result.setText(placement_text(p, dataset))
