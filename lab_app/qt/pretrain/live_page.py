"""The Pre-train live page: a tiny BERT or GPT learns to read from random weights while you watch.

Choose the objective (masked LM as BERT, next token as GPT), the corpus and the steps; the loss
curve grows against the unigram baseline (what word frequencies alone achieve), each checkpoint
adds a row with the probe sentence as the model reads it then, and the compute spent (6·N·D) is
set beside BERT-base's. "Read with the pre-trained model" reads the same probe with the store's
model of the same kind, for scale. Training runs on the page's runner; nothing is saved.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.pretrain import jobs
from lab_app.core.pretrain.live import DEFAULT_PROBE, Checkpoint, PretrainRun, Progressed
from lab_app.core.pretrain.probe_builtin import BuiltinReading
from lab_app.core.pretrain.tiny_lm import OBJECTIVE_NAMES
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.core.specs.lab import bert_base_compute
from lab_app.qt.pretrain.corpus_combo import CorpusCombo
from lab_app.qt.pretrain.views import calm_label
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.flow import FlowRow
from lab_app.qt.shell.job_controls import job_controls
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.plot_export import export_plot
from lab_app.qt.shell.runner import PARTIAL, Runner
from lab_app.qt.shell.style import OKABE_ITO
from lab_app.qt.shell.tab import spin
from lab_app.qt.shell.tables import auto_fit

DEFAULT_STEPS = 1500
EXAMPLE_STEPS = 800  # the tiny GPT leaves its "the the the" plateau after about 500 steps
COLUMNS = ("Step", "Tokens seen", "Held-out loss", "The probe as the model reads it")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


class LossPlot(pg.PlotWidget):
    """Training loss per step (a running mean), held-out loss at checkpoints, the baseline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from lab_app.qt.shell.plot_style import themed

        self.item = themed(self, legend={"offset": (-10, 10)})
        self.setAccessibleName("Loss curve")
        self.setTitle("Loss while pre-training")
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("bottom", "step")
        self.setLabel("left", "cross-entropy (nats)")
        self.train = self.plot([], [], pen=pg.mkPen(OKABE_ITO[4], width=2), name="training")
        self.held = self.plot(
            [], [], pen=None, symbol="o", symbolBrush=OKABE_ITO[5], name="held-out"
        )
        self.baseline = pg.InfiniteLine(
            angle=0, pen=pg.mkPen(OKABE_ITO[2], width=2, style=Qt.PenStyle.DashLine)
        )
        self.baseline_label = pg.TextItem("", color=OKABE_ITO[2], anchor=(0, 1))
        self.caption = ""

    def clear_run(self) -> None:
        self.train.setData([], [])
        self.held.setData([], [])
        for item in (self.baseline, self.baseline_label):
            if item.scene() is not None:
                self.removeItem(item)

    def show_losses(self, losses: tuple[float, ...] | list[float], baseline: float) -> None:
        if losses:
            values = np.asarray(losses, dtype=np.float64)
            window = min(20, len(values))
            smooth = np.convolve(values, np.ones(window) / window, mode="valid")
            self.train.setData(np.arange(window, len(values) + 1), smooth)
        if self.baseline.scene() is None:  # not in the auto-range: the curve sets the view
            self.addItem(self.baseline, ignoreBounds=True)
            self.addItem(self.baseline_label, ignoreBounds=True)
        self.baseline.setValue(baseline)
        self.baseline_label.setText(f"unigram baseline {baseline:.2f}")
        self.baseline_label.setPos(0, baseline)

    def show_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        self.held.setData([c.step for c in checkpoints], [c.held_out_loss for c in checkpoints])

    def export(self, path: Path) -> None:
        export_plot(self.getPlotItem(), path, caption=self.caption)


class LivePage(QWidget):
    """Pre-train a tiny model live; see the module's docstring."""

    answered = Signal()
    status = Signal(str)

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.run_result: PretrainRun | None = None
        self.checkpoints: list[Checkpoint] = []
        self.runner = Runner(self)
        self.compare_runner = Runner(self)
        self._build()
        self._connect()

    def _build(self) -> None:
        self.objective = QComboBox()
        self.objective.setAccessibleName("Objective")
        for key, label in OBJECTIVE_NAMES.items():
            self.objective.addItem(label, key)
        self.objective.setToolTip(
            "Masked LM: 15% of the words hidden (80% [MASK], 10% a random word, 10% kept), "
            "each seeing both sides. Next token: each word predicts the next from its left."
        )
        self.corpus_combo = CorpusCombo()
        self.steps = spin(10, 20_000, DEFAULT_STEPS, "Steps")
        self.steps.setToolTip("Training steps of 16 windows × 32 words each")
        self.seed = spin(0, GUI_SEED_MAX, 0, "Seed")
        self.seed.setToolTip("The same seed replays the same weights and batches")
        self.probe = QLineEdit(DEFAULT_PROBE)
        self.probe.setAccessibleName("Probe sentence")
        self.probe.setToolTip("Read by the model at every checkpoint")
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Pre-train from random weights (Ctrl+Enter)")
        self.cancel_button, self.progress = job_controls(
            self.runner, "Cancel pre-training", "Pre-training progress"
        )
        self.progress.setMinimumWidth(160)
        row = FlowRow().add(  # wraps at a classroom zoom instead of widening the window
            QLabel("Objective"), self.objective, QLabel("Corpus"), self.corpus_combo,
            QLabel("Steps"), self.steps, QLabel("Seed"), self.seed,
            self.train_button, self.cancel_button, self.progress,
        )  # fmt: skip
        probe_row = QHBoxLayout()
        probe_row.addWidget(QLabel("Probe"))
        probe_row.addWidget(self.probe, 1)
        self.message = QLabel("Press Train: the model starts from random weights.")
        self.message.setWordWrap(True)
        self.error = calm_label("Pre-training problem")
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        self.stats.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Checkpoints")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        auto_fit(self.table)  # columns fitted to the width, wrapped rather than cut
        self.compare_button = QPushButton("Read with the pre-trained model")
        self.compare_button.setToolTip(
            "The same probe read by the store's masked LM (bert-lab-mlm) or decoder (SmolLM2)"
        )
        self.compare_label = QLabel()
        self.compare_label.setWordWrap(True)
        self.compare_error = calm_label("Pre-trained model problem")
        self._plot = made_on_show(LossPlot)
        self._plot.holder.setMinimumHeight(180)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        compare = QHBoxLayout()
        compare.addWidget(self.compare_button)
        compare.addWidget(self.compare_label, 1)
        column.addLayout(compare)
        column.addWidget(self.compare_error)
        # The curve above the checkpoints: both get the window's width (the probe is long).
        self.results = QSplitter(Qt.Orientation.Vertical)
        self.results.addWidget(self._plot.holder)
        self.results.addWidget(right)
        self.results.setStretchFactor(0, 1)
        self.results.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(probe_row)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addWidget(self.stats)
        layout.addWidget(self.results, 1)

    def _connect(self) -> None:
        self.train_button.clicked.connect(self.run)
        self.probe.returnPressed.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.runner.partial_ready.connect(self._progressed)
        self.runner.result_ready.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.message_changed.connect(self.status)
        self.runner.busy_changed.connect(lambda busy: self.train_button.setEnabled(not busy))
        self.compare_button.clicked.connect(self.compare)
        self.compare_runner.result_ready.connect(self._compared)
        self.compare_runner.failed.connect(self._compare_failed)
        self.compare_runner.busy_changed.connect(
            lambda busy: self.compare_button.setEnabled(not busy)
        )

    @property
    def loss_plot(self) -> LossPlot:
        return self._plot.get()

    def objective_key(self) -> str:
        return str(self.objective.currentData())

    # -- training -----------------------------------------------------------------------------
    def run(self) -> None:
        if self.runner.busy:
            return
        self.error.hide()
        self.checkpoints = []
        self.table.setRowCount(0)
        self.stats.setText("")
        plot = self._plot.peek()
        if plot is not None:
            plot.clear_run()
        self.message.setText("Reading the corpus…")
        self.runner.start(
            jobs.pretrain_job, self.corpus_combo.corpus, self.objective_key(),
            self.steps.value(), self.seed.value(), self.probe.text(), PARTIAL,
        )  # fmt: skip

    def cancel(self) -> None:
        self.runner.cancel()
        self.message.setText("Pre-training cancelled: the curve so far stays; nothing was saved.")

    def _progressed(self, piece: Progressed) -> None:
        if piece.checkpoint is not None:
            self.checkpoints.append(piece.checkpoint)
            self._add_row(piece.checkpoint)
        plot = self._plot.peek()
        if plot is not None:
            plot.show_losses(piece.losses, piece.baseline_loss)
            plot.show_checkpoints(self.checkpoints)
        if piece.losses:
            tail = piece.losses[-20:]
            self.message.setText(
                f"Step {piece.step:,} of {piece.steps:,}: loss {sum(tail) / len(tail):.2f} "
                f"nats, the unigram baseline {piece.baseline_loss:.2f}"
            )

    def _add_row(self, c: Checkpoint) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate(
            (f"{c.step:,}", f"{c.tokens_seen:,}", f"{c.held_out_loss:.3f}", c.probe)
        ):
            item = QTableWidgetItem(text)
            if col < 3:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        self.table.scrollToBottom()

    def _finished(self, run: PretrainRun) -> None:
        self.run_result = run
        self.checkpoints = list(run.checkpoints)
        self.table.setRowCount(0)
        for c in run.checkpoints:
            self._add_row(c)
        self._draw(run)
        mean = run.checkpoints[-1].held_out_loss  # the baseline is scored on the same text
        verdict = "below" if mean < run.baseline_loss else "not yet below"
        self.message.setText(
            f"{_first_upper(OBJECTIVE_NAMES[run.objective])}: {run.steps:,} steps in "
            f"{run.seconds:.1f} s on {run.corpus}. The held-out loss ({mean:.2f}) is {verdict} the "
            f"unigram baseline ({run.baseline_loss:.2f}): "
            + ("the model uses the context." if verdict == "below" else "train longer.")
        )
        bert_flops = bert_base_compute()[0]
        self.stats.setText(
            f"<b>{run.params:,}</b> parameters · <b>{run.tokens_seen:,}</b> tokens seen · "
            f"{run.tokens_per_second:,.0f} tokens/s · compute 6·N·D = <b>{run.flops:.2g}</b> "
            f"FLOPs, {run.flops / bert_flops:.1g} of BERT-base's {bert_flops:.2g}"
            + "".join(f"<br>{n}" for n in run.notes)
        )
        self.status.emit(f"Pre-trained a tiny model: held-out loss {mean:.2f}")
        self.answered.emit()

    def _draw(self, run: PretrainRun) -> None:
        plot = self._plot.peek()
        if plot is None:
            return
        plot.show_losses(run.losses, run.baseline_loss)
        plot.show_checkpoints(run.checkpoints)
        plot.caption = f"{OBJECTIVE_NAMES[run.objective]} · {run.corpus} · seed {self.seed.value()}"

    def _failed(self, exc: object) -> None:
        self.message.setText("")
        self.error.setText(describe(exc, "Pre-training"))
        self.error.show()
        self.status.emit(self.error.text())

    # -- the pre-trained model's reading -----------------------------------------------------
    def compare(self) -> None:
        self.compare_error.hide()
        self.compare_label.setText("Reading…")
        self.compare_runner.start(
            jobs.builtin_probe_job, self._store, self.objective_key(), self.probe.text()
        )

    def _compared(self, reading: BuiltinReading) -> None:
        self.compare_label.setText(f"<b>{reading.model}</b>: {reading.probe}")
        self.answered.emit()

    def _compare_failed(self, exc: object) -> None:
        self.compare_label.setText("")
        self.compare_error.setText(describe(exc, "Reading with the pre-trained model"))
        self.compare_error.show()

    # -- example, export, state ---------------------------------------------------------------
    def fill_example(self) -> None:
        self.objective.setCurrentIndex(self.objective.findData("clm"))
        self.steps.setValue(EXAMPLE_STEPS)
        self.seed.setValue(0)
        self.probe.setText(DEFAULT_PROBE)
        self.corpus_combo.set_corpus(None)

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        rows: list[list[object]] = [
            [c.step, c.tokens_seen, round(c.held_out_loss, 5), c.probe] for c in self.checkpoints
        ]
        return ("step", "tokens_seen", "held_out_loss", "probe"), rows

    def state(self) -> dict[str, str]:
        return {
            "objective": self.objective_key(),
            "steps": str(self.steps.value()),
            "seed": str(self.seed.value()),
            "probe": self.probe.text(),
            "corpus": str(self.corpus_combo.corpus or ""),
        }

    def restore(self, state: dict[str, str]) -> None:
        index = self.objective.findData(state.get("objective", ""))
        if index >= 0:
            self.objective.setCurrentIndex(index)
        for box, key in ((self.steps, "steps"), (self.seed, "seed")):
            with contextlib.suppress(ValueError):
                box.setValue(int(state.get(key, box.value())))
        if state.get("probe"):
            self.probe.setText(state["probe"][:500])
        corpus = Path(state["corpus"]) if state.get("corpus") else None
        self.corpus_combo.set_corpus(corpus if corpus is None or corpus.is_file() else None)
