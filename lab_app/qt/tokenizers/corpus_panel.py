"""Corpus mode: load a text file, see the three tokenizers' totals and tokens per word.

The file is read and cut on the panel's own runner (a 20 MB file takes a while), with a progress
bar and a Cancel button; the table and the histogram export as CSV, PNG and SVG.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.progress import Progress
from lab_app.core.tokenizers.corpus import CorpusResult, corpus_stats, read_text_file
from lab_app.core.tokenizers.stats import HIST_BINS, LabTokenizer
from lab_app.core.tokenizers.train import SAMPLE_NAME, sample_training_text
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.file_dialogs import open_path
from lab_app.qt.shell.job_controls import job_controls
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.plot_export import export_plot
from lab_app.qt.shell.plot_style import themed
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.style import TOKENIZER_COLOURS

COLUMNS = ("Tokenizer", "Tokens", "Words", "Characters/token", "Tokens/word", "Unknown", "Bytes")
_BAR_W = 0.27


def _corpus_job(
    report: Progress, toks: Sequence[LabTokenizer], path: Path | None, pasted: str | None = None
) -> CorpusResult:
    if pasted is not None:
        return corpus_stats(report, toks, pasted, pasted_name(pasted))
    text = sample_training_text() if path is None else read_text_file(path)
    return corpus_stats(report, toks, text, SAMPLE_NAME if path is None else path.name)


def pasted_name(text: str) -> str:
    size = len(text.encode("utf-8", "replace"))
    amount = f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"
    return f"the pasted text ({amount})"


class CorpusPanel(QWidget):
    """Table of totals + histogram; emits ``shown`` when a result is drawn (tests, exports)."""

    shown = Signal()
    status_changed = Signal(str)

    def __init__(
        self, tokenizers: Callable[[], list[LabTokenizer]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tokenizers = tokenizers
        self.runner = Runner(self)
        self.result: CorpusResult | None = None
        self._path: Path | None = None
        self._pasted: str | None = None

        self.open_button = QPushButton("Load a text file…")
        self.open_button.setAccessibleName("Load a text file for corpus mode")
        self.sample_button = QPushButton("Use the built-in sample")
        self.sample_button.setAccessibleName("Use the built-in sample text for corpus mode")
        self.cancel_button, self.progress = job_controls(
            self.runner, "Cancel the corpus count", "Corpus progress"
        )
        self.message = QLabel(
            "Load a .txt file (or the built-in sample) to count the three tokenizers over "
            "all of it."
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Corpus message")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Corpus totals")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        # The histogram is made when the page is first shown: a plot costs ~20 ms to build.
        self._plot = made_on_show(self._make_plot)
        self._plot.when_made(lambda _: self._draw(self.result))
        self.bars: list[pg.BarGraphItem] = []

        row = QHBoxLayout()
        for w in (self.open_button, self.sample_button, self.cancel_button):
            row.addWidget(w)
        row.addWidget(self.progress, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addWidget(self.table)
        lay.addWidget(self._plot.holder, 1)

        self.open_button.clicked.connect(self._pick_file)
        self.sample_button.clicked.connect(lambda: self.load(None))
        self.cancel_button.clicked.connect(self._cancel)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)

    @property
    def counted(self) -> bool:
        """A text was loaded here, so :meth:`rerun` counts it again (else it does nothing)."""
        return self._pasted is not None or self.result is not None

    @property
    def plot(self) -> pg.PlotWidget:
        return self._plot.get()

    def _make_plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setAccessibleName("Histogram of tokens per word")
        item = themed(plot, legend={"offset": (-10, 10)})
        item.setLabel("bottom", "tokens per word")
        item.setLabel("left", "words")
        item.showGrid(y=True, alpha=0.3)
        ticks = [(i, str(i)) for i in range(HIST_BINS - 1)] + [(HIST_BINS - 1, f"{HIST_BINS - 1}+")]
        item.getAxis("bottom").setTicks([ticks])
        item.setTitle("Tokens per word — load a text to see it")
        _tick_font(item, self.font())
        return plot

    # -- actions ---------------------------------------------------------------------------------
    def _pick_file(self) -> None:
        path = open_path(self, "Load a text file", "Text files (*.txt *.md *.csv);;All files (*)")
        if path is not None:
            self.load(path)

    def load(self, path: Path | None) -> None:
        """Count ``path`` (None: the built-in sample) with the three real tokenizers."""
        toks = self._tokenizers()
        if not toks:
            self.message.setText("The tokenizers are not loaded yet; see the message above.")
            return
        self._path, self._pasted = path, None
        self.message.setText(f"Counting {path.name if path else SAMPLE_NAME}…")
        self.runner.start(_corpus_job, toks, path)

    def load_text(self, text: str) -> None:
        """Count a pasted text too long for the live view (it is kept for Ctrl+Enter)."""
        toks = self._tokenizers()
        if not toks:
            self.message.setText("The tokenizers are not loaded yet; see the message above.")
            return
        self._path, self._pasted = None, text
        self.message.setText(f"Counting {pasted_name(text)}…")
        self.runner.start(_corpus_job, toks, None, text)

    def rerun(self) -> None:
        if self._pasted is not None:
            self.load_text(self._pasted)
        elif self.result is not None:
            self.load(self._path)

    def _cancel(self) -> None:
        self.runner.cancel()
        self.message.setText("Cancelled. Load a file to try again.")

    def _on_failed(self, exc: object) -> None:
        text = describe(exc, "Counting the corpus")
        self.message.setText(f"<span style='color:#C0392B'>{text}</span>")
        self.status_changed.emit(str(exc))

    def _on_result(self, result: object) -> None:
        assert isinstance(result, CorpusResult)
        self.result = result
        self._fill_table(result)
        self._draw(result)
        words = result.totals[0].words if result.totals else 0
        self.message.setText(
            f"<b>{html.escape(result.source)}</b>: {result.lines:,} non-empty lines, "
            f"{words:,} words (cut line by line; line breaks are not counted)."
        )
        self.shown.emit()

    # -- drawing ---------------------------------------------------------------------------------
    def _fill_table(self, result: CorpusResult) -> None:
        self.table.setRowCount(len(result.totals))
        for r, (tok, s) in enumerate(zip(result.tokenizers, result.totals, strict=True)):
            cpt = "–" if s.chars_per_token is None else f"{s.chars_per_token:.2f}"
            tpw = "–" if s.tokens_per_word is None else f"{s.tokens_per_word:.2f}"
            cells = (tok.label, f"{s.tokens:,}", f"{s.words:,}", cpt, tpw,
                     f"{s.unknown:,}", f"{s.byte_tokens:,}")  # fmt: skip
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _draw(self, result: CorpusResult | None) -> None:
        plot = self._plot.peek()
        if plot is None or result is None:
            return  # drawn when the page is first shown
        item = plot.getPlotItem()
        for bar in self.bars:
            item.removeItem(bar)
        item.legend.clear()
        self.bars = []
        n = len(result.tokenizers)
        for i, (tok, hist) in enumerate(zip(result.tokenizers, result.histograms, strict=True)):
            colour = TOKENIZER_COLOURS.get(tok.name, "#999999")
            x = [b + (i - (n - 1) / 2) * _BAR_W for b in range(len(hist))]
            bar = pg.BarGraphItem(x=x, height=hist, width=_BAR_W, brush=colour, name=tok.label)
            item.addItem(bar)
            self.bars.append(bar)
        words = result.totals[0].words if result.totals else 0
        item.setTitle(f"Tokens per word · {result.source} · {words:,} words")

    def histogram_data(self) -> list[list[float]]:
        """The bar heights as drawn (tests assert on data, not pixels)."""
        self._plot.get()  # made (and drawn) now if its page was never shown
        return [list(map(float, bar.opts["height"])) for bar in self.bars]

    def set_zoom(self, factor: float) -> None:
        plot = self._plot.peek()
        if plot is not None:
            _tick_font(plot.getPlotItem(), self.font())

    def export_image(self, path: Path) -> None:
        """PNG or SVG of the histogram, with its caption (the plot title) drawn in."""
        export_plot(self.plot.getPlotItem(), path, min_width=800)


def _tick_font(item: pg.PlotItem, font: QFont) -> None:
    for side in ("bottom", "left"):
        item.getAxis(side).setStyle(tickFont=font)
