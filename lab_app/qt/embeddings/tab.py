"""The Embeddings tab: chatbot utterances through BERT and SBERT, mapped with PCA or UMAP, K-Means.

The chatbot sample is loaded at start and one click embeds it; after that every change re-runs by
itself (debounced), from the caches when it can. Work runs on the tab's runners, never on the GUI
thread, and the heavy libraries (ONNX Runtime, sklearn, umap) are imported inside the jobs, so the
window's first paint does not pay for them. UMAP's numba kernels are warmed in the background once
the tab is set to UMAP (restored settings, a lesson step or the student's choice), so a student's
first UMAP map is not the slow one.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from lab_app.core.embeddings import jobs
from lab_app.core.embeddings.config import DEFAULT_SIGMAS, Dataset, EmbedConfig
from lab_app.core.embeddings.jobs import SAMPLE
from lab_app.core.errors import Cancelled, UserError
from lab_app.core.models.store import Entry, open_store
from lab_app.core.settings import read
from lab_app.qt.embeddings.compare import CompareView
from lab_app.qt.embeddings.controls import EmbeddingsSettings
from lab_app.qt.embeddings.exporter import EXPORT_FILTERS, MapExporter, ask_and_export
from lab_app.qt.embeddings.layout import CANCELLED, PAGE_RESULTS, EmbeddingsLayout
from lab_app.qt.embeddings.noise import WeightNoise
from lab_app.qt.embeddings.views import neighbour_lines, selection_lines
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import LabTab, preview

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis, LabSession
    from lab_app.qt.embeddings.plot import MapPlot

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
WARMUP_DELAY_MS = 1500  # after the first paint, once the window is idle


class EmbeddingsTab(LabTab):
    SETTINGS_GROUP = "embeddings"
    RESULT = "ui.stack"
    SCHEMA = 1
    #: Warm UMAP up in the background once the lab is set to use it (tests may switch it off).
    warm_up_umap = True

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.side_runner = Runner(self)  # sweeps and new utterances never cancel the map
        self.session: LabSession | None = None
        self.entries: list[Entry] = []
        self.dataset: Dataset = jobs.sample_dataset().dataset
        self.notes: tuple[str, ...] = ()
        self.analysis: Analysis | None = None
        self.has_run = False
        self._state = EmbeddingsSettings()
        self.ui = EmbeddingsLayout()
        QVBoxLayout(self).addWidget(self.ui)
        self.controls, self.scores = self.ui.controls, self.ui.scores
        self.exporter = MapExporter(self)
        self.export_runner = self.exporter.runner
        self.exporter.exported.connect(self.status_changed)
        self.exporter.failed.connect(self.ui.show_error)
        self.place, self._zoom = self.ui.place, 1.0
        self.noise = WeightNoise(
            self.ui.perturb, self.controls.picker.entry, self.run_analysis, self.run_sweep
        )
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_analysis)
        self._warm_timer = QTimer(self, singleShot=True, interval=WARMUP_DELAY_MS)
        self._warm_timer.timeout.connect(self.start_warmup)
        self._connect()
        # BERT_LAB_UMAP_WARMUP=0 skips it (the test suite, where each process would pay ~15 s).
        self._auto_warm = self.warm_up_umap and os.environ.get("BERT_LAB_UMAP_WARMUP") != "0"
        self.controls.method_combo.currentIndexChanged.connect(lambda _: self._warm_if_umap())
        self.reload_models()
        self._dataset_shown()

    def _connect(self) -> None:
        ui = self.ui
        ui.open_button.clicked.connect(self.open_dataset)
        ui.sample_button.clicked.connect(self.use_sample)
        ui.export_button.clicked.connect(self._export_dialog)
        ui.run_button.clicked.connect(self.run_analysis)
        ui.empty_button.clicked.connect(self.run_analysis)
        ui.busy.cancel_requested.connect(self.cancel)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(ui.run_button.click)  # disabled while the map is made
        self.controls.changed.connect(self._controls_changed)
        self.controls.picker.model_combo.currentIndexChanged.connect(self.noise.model_changed)
        self.controls.colour_combo.currentIndexChanged.connect(self._redraw)
        ui.map.when_made(self._map_made)
        ui.compare.when_made(self._compare_made)
        ui.elbow.when_made(lambda _: ui.show_elbow(self.analysis))
        self.place.place_requested.connect(self.place_utterance)
        for runner in (self.runner, self.side_runner):
            ui.busy.watch(runner)
            runner.result_ready.connect(self._result)
            runner.failed.connect(self._failed)
            runner.busy_changed.connect(lambda _b: ui.run_button.setEnabled(not self.runner.busy))

    @property
    def map(self) -> MapPlot:  # made when the first analysis starts, if not shown before
        return self.ui.map.get()

    def _map_made(self, plot: MapPlot) -> None:
        plot.point_clicked.connect(self.show_neighbours)
        plot.selection_changed.connect(self.show_selection)
        plot.set_zoom(self._zoom)

    # -- models and data ----------------------------------------------------------------------
    def reload_models(self) -> None:
        """List every store encoder (cheap: manifests only)."""
        try:
            self.entries = open_store(self._store).encoders()
        except UserError as exc:
            self.entries = []
            self.ui.show_error(str(exc))
        # The first time the defaults (or the restored state); later what the user has chosen.
        state = self.controls.state(self._state) if self.controls.picker.entry() else self._state
        self.controls.apply(state, self.entries)
        if (view := self.ui.compare.peek()) is not None:
            view.restore(self.entries, self._state, layer=False)
        self.noise.model_changed()

    # -- pages made on first show: Compare, Weight noise, Choosing k --------------------------
    @property
    def compare(self) -> CompareView:
        return self.ui.compare.get()

    def _compare_made(self, view: CompareView) -> None:
        view.compare_requested.connect(self.run_compare)
        view.restore(self.entries, self._state, layer=True)
        view.set_zoom(self._zoom)

    def store_changed(self) -> None:
        if self.session is not None:
            self.session.clear()  # models may have been rebuilt
        self.reload_models()
        self._dataset_shown()

    def release(self) -> None:
        if self.session is not None:
            self.session.release()

    def _session(self) -> LabSession:
        if self.session is None:
            self.session = jobs.new_session(self._store)
        return self.session

    def open_dataset(self) -> None:
        """File → Open dataset: the file dialog, a column picker for CSV, then load."""
        from lab_app.qt.embeddings.dataset import ask_for_dataset

        try:
            chosen = ask_for_dataset(self)
        except UserError as exc:
            self.ui.show_error(str(exc))
            return
        if chosen is not None:
            self.load_dataset(*chosen)

    def load_dataset(
        self, path: Path, text_column: str | None = None, label_column: str | None = None
    ) -> None:
        """Read a file off the GUI thread (only ever reading it); the map follows once it is in."""
        self.ui.clear_error()
        self.runner.start(jobs.load_job, Path(path), text_column, label_column)

    def use_sample(self) -> None:
        loaded = jobs.sample_dataset()
        self._set_dataset(loaded.dataset, loaded.notes)

    def _set_dataset(self, dataset: Dataset, notes: tuple[str, ...]) -> None:
        self.dataset, self.notes = dataset, notes
        jobs.WARMUP.for_rows(len(dataset.texts))
        self.analysis = None
        if (plot := self.ui.map.peek()) is not None:
            plot.clear()
        self._dataset_shown()
        if self.has_run:
            self.run_analysis()

    def _dataset_shown(self) -> None:
        d = self.dataset
        spin, k = self.controls.k_spin, jobs.default_k(d)
        spin.blockSignals(True)
        spin.setValue(self._state.k if self._state.k >= 2 else k)
        spin.blockSignals(False)
        self._state.k = 0  # a remembered k applies once, to the first dataset
        has_result = self.analysis is not None
        self.ui.show_dataset(d, self.notes, spin.value(), bool(self.entries), has_result)

    # -- requests ----------------------------------------------------------------------------
    def config_a(self) -> EmbedConfig:
        config = self.controls.picker.config()
        if config is None:
            raise UserError("Choose a model and a representation it has.")
        return EmbedConfig(config.model, config.pooling, config.layer, self.noise.weights)

    def run_analysis(self) -> None:
        """Embed (cached), map, cluster and score the current configuration."""
        self._debounce.stop()
        try:
            config = self.config_a()
        except UserError as exc:
            self.ui.show_error(str(exc))
            return
        self.has_run = True
        self.ui.clear_error()
        self.ui.map.get()  # ~13 ms now, while the job runs, rather than in the result's frames
        k, settings = self.controls.k_spin.value(), self.controls.settings()
        session = self._session()
        self.runner.start(jobs.analyse_job, session, self.dataset, config, settings, k, 0)

    def run_example(self) -> None:
        """The lecture's exercise: the chatbot sample, SBERT pooling where available, PCA."""
        if not self.entries:
            self.result_shown.emit()
            return
        if self.dataset.source != SAMPLE:
            self.use_sample()
        self.run_analysis()

    def run_current(self) -> None:
        """Ctrl+Enter's run: embed, map and cluster the dataset loaded now (the sample until
        another is opened) with the choices shown; on the Compare page, A beside B. A choice
        that cannot run (no model) shows why inline, and that is the result."""
        on_compare = (
            self.ui.stack.currentIndex() == PAGE_RESULTS
            and self.ui.pages.currentWidget() is self.ui.compare.holder
        )
        if on_compare:
            self.run_compare()
        else:
            self.run_analysis()
        if not self.runner.busy:
            self.result_shown.emit()

    def run_compare(self) -> None:
        """A (the main controls) and B (the compare page) with the same map settings and k."""
        try:
            first, second = self.config_a(), self.compare.picker.config()
            if second is None:
                raise UserError("Choose a model and a representation for configuration B.")
        except UserError as exc:
            self.ui.show_error(str(exc))
            return
        self.ui.clear_error()
        k, settings = self.controls.k_spin.value(), self.controls.settings()
        pair = (first, second)
        self.runner.start(jobs.compare_job, self._session(), self.dataset, pair, settings, k, 0)

    def run_sweep(self) -> None:
        try:
            base = self.config_a()
        except UserError as exc:
            self.ui.show_error(str(exc))
            return
        config = EmbedConfig(base.model, base.pooling, base.layer, self.noise.sweep_noise())
        k = self.controls.k_spin.value()
        session = self._session()
        self.side_runner.start(jobs.sweep_job, session, self.dataset, config, k, DEFAULT_SIGMAS, 0)

    def place_utterance(self, text: str) -> None:
        if self.analysis is None:
            self.ui.show_error("Embed the data first: the new utterance is placed on that map.")
            return
        self.ui.clear_error()
        self.side_runner.start(jobs.place_job, self._session(), self.analysis, text)

    def cancel(self) -> None:
        self.runner.cancel()
        self.side_runner.cancel()
        self.ui.busy.label.setText(CANCELLED)

    # -- results -----------------------------------------------------------------------------
    def _result(self, outcome: object) -> None:
        if isinstance(outcome, jobs.Loaded):
            self._set_dataset(outcome.dataset, outcome.notes)
        elif isinstance(outcome, jobs.Analysed):
            self.analysis = outcome.analysis
            self.ui.stack.setCurrentIndex(PAGE_RESULTS)
            self.status_changed.emit(f"Embeddings: {outcome.analysis.caption}")
            self._redraw(then=self.result_shown.emit)
            return
        elif isinstance(outcome, jobs.Compared):
            self.ui.show_pair(outcome.first, outcome.second, self.controls.colour_by())
        elif isinstance(outcome, jobs.Swept):
            self.noise.panel.sweep_plot.show_sweep(outcome.sweep)
        elif isinstance(outcome, jobs.Placed) and outcome.analysis is self.analysis:
            self.ui.show_placed(outcome.placement, self.dataset)
        self.result_shown.emit()

    def _redraw(self, _index: int = 0, then: Callable[[], object] | None = None) -> None:
        """The current analysis in two frames (:meth:`EmbeddingsLayout.show_analysis`)."""
        if self.analysis is not None:
            colour = self.controls.colour_by()
            self.ui.show_analysis(self.analysis, colour, lambda: self.analysis, then)

    def _failed(self, exc: object) -> None:
        if isinstance(exc, Cancelled):
            self.ui.busy.label.setText(CANCELLED)
        else:
            self.ui.show_error(jobs.describe_error(exc))
        self.result_shown.emit()

    def show_neighbours(self, index: int) -> None:
        if self.analysis is not None:
            self.ui.details.show_lines(*neighbour_lines(self.analysis, index))

    def show_selection(self, indices: list[int]) -> None:
        if self.analysis is not None:
            self.ui.details.show_lines(*selection_lines(self.analysis, indices))

    def _controls_changed(self) -> None:
        if self.has_run:
            self._debounce.start()

    def _warm_if_umap(self, later: bool = False) -> None:
        """Warm UMAP up only once the lab is set to draw with it: at once when the student
        chooses it, ``later`` (once the window is idle) when restored settings or a lesson step
        choose it. umap, numba and llvmlite and the compiled kernels stay in memory for the rest
        of the session: 0.33 GB of the peak of a sitting that runs every lab's example (0.94 GB
        without, 1.2 GB with), which a class that keeps to PCA, the default, need not carry."""
        if not (self._auto_warm and self.controls.method() == "umap"):
            return
        if later:
            self._warm_timer.start()
        else:
            self.start_warmup()

    def start_warmup(self) -> None:
        """Compile UMAP's kernels in the background (once per process), and say so."""
        jobs.WARMUP.start()
        self.controls.watch_warmup(lambda: jobs.WARMUP.state)

    # -- LabTab hooks ------------------------------------------------------------------------
    def export_filters(self) -> str:
        return EXPORT_FILTERS if self.analysis is not None else ""

    def export_to(self, path: Path) -> bool:
        """Plots are painted now; tables, vectors and PNG files are written by the exporter's
        runner (True then: the status line says when, an error shows inline)."""
        if self.analysis is None:
            raise UserError("Nothing to export yet: embed the data first.")
        later = self.exporter.start(self.analysis, self.map, Path(path))
        if later:
            self.status_changed.emit(f"Exporting {Path(path).name}…")
        return later

    def _export_dialog(self) -> None:
        if self.analysis is None:
            self.ui.show_error("Nothing to export yet: embed the data first.")
            return
        ask_and_export(
            self, EXPORT_FILTERS, self.export_to, self.ui.show_error, self.status_changed.emit
        )

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        if (plot := self.ui.map.peek()) is not None:
            plot.set_zoom(factor)
        if (view := self.ui.compare.peek()) is not None:
            view.set_zoom(factor)

    def save_state(self, settings: QSettings) -> None:
        state = self.controls.state(self._state)
        if (view := self.ui.compare.peek()) is not None:
            view.save_into(state)
        settings.setValue("schema", self.SCHEMA)
        state.save(settings)

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) != self.SCHEMA:
            return
        self._state = EmbeddingsSettings.load(settings)
        self.controls.apply(self._state, self.entries)
        if (view := self.ui.compare.peek()) is not None:
            view.restore(self.entries, self._state, layer=True)
        self.noise.model_changed()
        self._dataset_shown()
        self._warm_if_umap(later=True)  # apply() restores the combo with its signals blocked


if __name__ == "__main__":
    sys.exit(preview(EmbeddingsTab))
