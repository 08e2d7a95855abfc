"""The Fine-tuning tab: the lecture's decision chart, and each of its leaves run on the same split.

Pick a leaf (or answer the chart's questions), a model and the settings, and Run: the loss curves
grow epoch by epoch, the results table keeps every run side by side, the confusion matrix shows
the last one. *How much data?* draws held-out accuracy against examples per intent for the
feature-based classifier and the chosen method. A fine-tuned encoder can be saved into the store,
where the Embeddings lab maps it. Training runs off the GUI thread (the same core function as
``bert-lab finetune``); Cancel stops it at the next step.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.finetune import jobs
from lab_app.core.finetune.curve import Curve
from lab_app.core.finetune.methods import FineTuneConfig
from lab_app.core.finetune.options import METHOD_LABELS
from lab_app.core.finetune.train import EpochStats
from lab_app.core.io.export import csv_text
from lab_app.core.models.store import open_store
from lab_app.core.settings import load_state, read, save_state
from lab_app.qt.finetune import task_mode
from lab_app.qt.finetune.chart import DecisionChart
from lab_app.qt.finetune.controls import RunSettings, TabState
from lab_app.qt.finetune.panels import RESULT_HEADER, LossPlot, fill_confusion, result_row
from lab_app.qt.finetune.results import ResultPages
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.flow import ROOM_LINES, Fold
from lab_app.qt.shell.runner import PARTIAL, Runner
from lab_app.qt.shell.tab import LabTab, error_label, preview
from lab_app.qt.shell.tables import fill_table

CHART_TITLE = "Which method? The lecture's decision chart recommends"


class FineTuneTab(LabTab):
    SETTINGS_GROUP = "finetune"
    RESULT = "body"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.path: Path | None = None  # None: the built-in sample
        self.trained: jobs.Trained | jobs.TaskTrained | None = None
        self.rows: list[list[str]] = []
        self.curve_runner = Runner(self)
        self.save_runner = Runner(self)
        self._build()
        self._connect()
        self.reload_models()
        self._task_changed()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.chart = DecisionChart()
        chart_box = QGroupBox()
        QVBoxLayout(chart_box).addWidget(self.chart)
        self.chart_fold = Fold(CHART_TITLE, chart_box, room_lines=ROOM_LINES)  # folded: the results
        self.chart.recommended_changed.connect(
            lambda leaf: self.chart_fold.button.setText(f"{CHART_TITLE}: {leaf}")
        )
        self.chart.update_leaf()
        self.settings = RunSettings()
        self.dataset_label = QLabel("Data: help-desk chatbot sample")
        self.pair_sample = task_mode.pair_sample_combo()  # pairs: paraphrase or NSP sample
        self.scheme = task_mode.scheme_combo()  # tags: the file's IOB2 or IOB1
        self.open_button = QPushButton("Open dataset…")
        self.open_button.setToolTip("A CSV with text and intent columns, intents.json or nlu.yml")
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Train and evaluate this method (Ctrl+Enter)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.curve_button = QPushButton("How much data?")
        self.curve_button.setToolTip(
            "Accuracy with 1, 2, 4, 8 and all examples per intent: feature-based vs this method"
        )
        self.save_button = QPushButton("Save to store…")
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Save the fine-tuned encoder as a new model (Embeddings lab)")
        buttons = QHBoxLayout()
        for w in (
            self.dataset_label,
            self.pair_sample,
            self.scheme,
            self.open_button,
            self.run_button,
            self.cancel_button,
            self.curve_button,
            self.save_button,
        ):
            buttons.addWidget(w)
        buttons.insertStretch(1)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Training progress")
        self.progress.hide()
        self.error = error_label("Fine-tuning problem")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Result")
        self.body = body = ResultPages(self._store)
        self.results, self.confusion, self.try_panel = body.results, body.confusion, body.try_panel
        self.try_panel.shown.connect(self.result_shown)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()  # the set-up beside the chart's line: the first choice of a run
        top.addWidget(self.chart_fold, 1)
        top.addWidget(QLabel("Task"), 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.settings.task_combo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.settings)
        layout.addLayout(buttons)
        for line in (self.progress, self.error, self.summary):
            layout.addWidget(line)
        layout.addWidget(body, 1)

    @property
    def loss_plot(self) -> LossPlot:
        """The loss plot, made and put in its placeholder's place the first time it is asked for
        (a run starting)."""
        return self.body.loss_plot

    def _connect(self) -> None:
        self.chart.method_chosen.connect(self.choose_method)
        self.settings.task_combo.currentIndexChanged.connect(self._task_changed)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.curve_button.clicked.connect(self.run_curve)
        self.save_button.clicked.connect(self.ask_save)
        self.open_button.clicked.connect(self.open_dataset)
        self.pair_sample.activated.connect(lambda _: task_mode.choose_pair_sample(self))
        for runner in (self.runner, self.curve_runner, self.save_runner):
            runner.progress_changed.connect(self._progress)
            runner.message_changed.connect(self.status_changed)
            runner.failed.connect(self.fail)
            runner.busy_changed.connect(self._update_buttons)
        self.runner.partial_ready.connect(self._on_epoch)
        self.runner.result_ready.connect(self.show_result)
        self.curve_runner.result_ready.connect(self.show_curve)
        self.save_runner.result_ready.connect(self._saved)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.run)

    # -- models and inputs -----------------------------------------------------------------
    def reload_models(self) -> None:
        try:
            names = [e.name for e in open_store(self._store).encoders()]
        except UserError as exc:
            names = []
            self.fail(exc)
        self.settings.set_models(names)
        self._update_buttons()
        if not names:
            self.summary.setText("No BERT-family model yet: build the built-in models first.")

    def store_changed(self) -> None:
        self.reload_models()

    def release(self) -> None:
        """The frozen vectors go; the runs' results stay (a fine-tuned one may still be saved)."""
        from lab_app.core.finetune import methods

        methods.release()
        jobs.release_try()

    def run_example(self) -> None:
        """Run the chart's recommendation for its starting answers (the feature-based method:
        a few seconds) on the default model."""
        self.choose_method(self.chart.recommended)
        self.run()

    def run_current(self) -> None:
        """Ctrl+Enter: train and evaluate the task, method, model and settings shown (seconds
        for the feature-based method, longer for the others). A job already running ends in
        ``result_shown`` itself; settings that cannot run show why inline, the result then."""
        if self.working:
            return
        self.run()
        if not self.working:
            self.result_shown.emit()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        save_state(settings, replace(self.settings.state(), data=str(self.path or "")))

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) != self.SCHEMA:
            return
        state = load_state(TabState, settings)
        self.settings.apply(state)
        self._task_changed()
        if state.data:  # a file that is gone leaves the sample, and says so
            self.use_dataset(Path(state.data))

    def choose_method(self, key: str) -> None:
        self.settings.choose_method(key)

    def open_dataset(self) -> None:
        task_mode.open_dataset(self)

    def use_dataset(self, path: Path) -> None:
        """Train on the file at ``path`` from now on (a lesson's or a saved session's file)."""
        task_mode.use_dataset(self, path)

    # -- running ---------------------------------------------------------------------------
    def _config(self) -> FineTuneConfig | None:
        """The settings read back for a new job, or None: while a job runs (the buttons are
        disabled then, and Ctrl+Return and the example must not get round that), or after
        showing why they cannot be."""
        if self.working:
            return None
        self.error.hide()
        try:
            return self.settings.config()
        except UserError as exc:
            self.fail(exc)
            return None

    def run(self) -> None:
        config = self._config()
        if config is None:
            return
        self.loss_plot.start(config.label())
        task = self.settings.task()
        if task == "classify":
            self.runner.start(jobs.train_job, self._store, self.path, config, PARTIAL)
        else:
            scheme = self.scheme.currentData()
            self.runner.start(
                jobs.task_train_job, self._store, task, self.path, config, PARTIAL, scheme=scheme
            )

    def run_curve(self) -> None:
        config = self._config()
        if config is None:
            return
        if config.method == "features":
            config = replace(config, method="partial")
        self.curve_runner.start(jobs.curve_job, self._store, self.path, config)

    def cancel(self) -> None:
        for runner in (self.runner, self.curve_runner):
            runner.cancel()
        self.status_changed.emit("Cancelled")

    def _on_epoch(self, stats: EpochStats) -> None:
        self.loss_plot.add(stats)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _update_buttons(self, _: bool = False) -> None:
        """The one place the buttons are enabled: each exactly when what it starts would start
        (Save too: the runner is free, and this runs, right after the result is shown)."""
        busy = self.working
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)  # idle, its line goes to the results
        self.run_button.setEnabled(not busy and self.settings.model_combo.count() > 0)
        self.curve_button.setEnabled(not busy and self.settings.task() == "classify")
        self.save_button.setEnabled(not busy and self._can_save())

    def _can_save(self) -> bool:
        return self.trained is not None and self.trained.result.params is not None

    def fail(self, exc: object) -> None:
        self.error.setText(describe(exc, "Fine-tuning"))
        self.error.show()
        self.status_changed.emit(self.error.text())

    def show_result(self, trained: jobs.Trained | jobs.TaskTrained) -> None:
        self.trained = trained
        if isinstance(trained, jobs.TaskTrained):
            task_mode.show_task(self, trained)
            return
        r = trained.result
        if r.config.method == "features":
            self.loss_plot.start(r.config.label())
            self.loss_plot.add(r.epochs[0])
        self.rows.append(result_row(r))
        fill_table(self.results, [RESULT_HEADER, *self.rows])
        self.results.resizeColumnsToContents()
        fill_confusion(self.confusion, r)
        self.summary.setText(
            f"<b>{METHOD_LABELS[r.config.method]}</b> on {trained.dataset}: held-out accuracy "
            f"<b>{r.accuracy:.1%}</b>, macro-F1 {r.macro_f1:.3f}; trained "
            f"{r.trainable_params:,} of {r.total_params:,} parameters ({r.share:.2%}), "
            f"{r.train_examples} train / {r.test_examples} test examples."
            + "".join(f" {html.escape(note)}." for note in trained.notes)
        )
        self.status_changed.emit(f"{METHOD_LABELS[r.config.method]}: accuracy {r.accuracy:.1%}")
        self.result_shown.emit()

    def example_variants(self) -> dict[str, Callable[[], None]]:
        """One screenshot per other set-up: its built-in model tried on the example inputs."""
        return task_mode.variants(self)

    def _task_changed(self, _: int = 0) -> None:
        task_mode.task_changed(self)
        self._update_buttons()

    def show_curve(self, curve: Curve) -> None:
        self.body.curve_plot.holder.show()
        self.body.curve_plot.get().set_curve(curve)
        self.result_shown.emit()

    def ask_save(self) -> None:
        if not self._can_save() or self.trained is None:
            return
        base = self.trained.result.config
        what = getattr(self.trained.result, "task", "intents")
        name, ok = QInputDialog.getText(
            self, "Save to store", "New model name:", text=f"{base.model}-{base.method}-{what}"
        )
        if ok and name.strip():
            self.save_as(name.strip())

    def save_as(self, name: str) -> None:
        assert self.trained is not None
        if self.working:  # as the disabled button says
            return
        job = jobs.task_save_job if isinstance(self.trained, jobs.TaskTrained) else jobs.save_job
        self.save_runner.start(job, self._store, name, self.trained)

    def _saved(self, name: str) -> None:
        where = "Try it" if isinstance(self.trained, jobs.TaskTrained) else "the Embeddings lab"
        self.status_changed.emit(f"Saved '{name}': choose it in {where}")
        self.summary.setText(self.summary.text() + f" Saved as <b>{name}</b>.")
        self.reload_models()
        self.try_panel.reload_models()
        self.store_modified.emit()

    # -- export ----------------------------------------------------------------------------
    def export_filters(self) -> str:
        if not self.rows:
            return ""
        return "PNG image (*.png);;SVG image (*.svg);;CSV table (*.csv)"

    def export_to(self, path: Path) -> bool | None:
        from lab_app.qt.shell.plot_export import export_plot

        if path.suffix.lower() == ".csv":
            path.write_text(csv_text(RESULT_HEADER, self.rows), encoding="utf-8")
            return None
        export_plot(self.loss_plot.getPlotItem(), path, title="Loss per epoch")
        return None


if __name__ == "__main__":  # pragma: no cover - manual preview
    sys.exit(preview(FineTuneTab))
