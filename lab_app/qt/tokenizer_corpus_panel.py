"""Corpus mode: load a text file, see the three tokenizers' totals and tokens per word.

The file is read and cut on the panel's own runner (a 20 MB file takes a while), with a progress
bar and a Cancel button; the table and the histogram export as CSV, PNG and SVG.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.token_corpus import CorpusResult, corpus_stats, read_text_file
from lab_app.core.token_stats import HIST_BINS, LabTokenizer, Report
from lab_app.core.tokenizer_train import SAMPLE_NAME, sample_training_text
from lab_app.qt.job_controls import job_controls
from lab_app.qt.runner import Runner
from lab_app.qt.style import TOKENIZER_COLOURS

COLUMNS = ("Tokenizer", "Tokens", "Words", "Characters/token", "Tokens/word", "Unknown", "Bytes")
_BAR_W = 0.27


def _corpus_job(report: Report, toks: Sequence[LabTokenizer], path: Path | None) -> CorpusResult:
    text = sample_training_text() if path is None else read_text_file(path)
    return corpus_stats(report, toks, text, SAMPLE_NAME if path is None else path.name)


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

        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Histogram of tokens per word")
        self.plot.setBackground("w")
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "tokens per word")
        item.setLabel("left", "words")
        item.showGrid(y=True, alpha=0.3)
        self.legend = item.addLegend(offset=(-10, 10))
        self.bars: list[pg.BarGraphItem] = []
        ticks = [(i, str(i)) for i in range(HIST_BINS - 1)] + [(HIST_BINS - 1, f"{HIST_BINS - 1}+")]
        item.getAxis("bottom").setTicks([ticks])
        item.setTitle("Tokens per word — load a text to see it")

        row = QHBoxLayout()
        for w in (self.open_button, self.sample_button, self.cancel_button):
            row.addWidget(w)
        row.addWidget(self.progress, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addWidget(self.table)
        lay.addWidget(self.plot, 1)

        self.open_button.clicked.connect(self._pick_file)
        self.sample_button.clicked.connect(lambda: self.load(None))
        self.cancel_button.clicked.connect(self._cancel)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)

    # -- actions ---------------------------------------------------------------------------------
    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load a text file", "", "Text files (*.txt *.md *.csv);;All files (*)"
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path | None) -> None:
        """Count ``path`` (None: the built-in sample) with the three real tokenizers."""
        toks = self._tokenizers()
        if not toks:
            self.message.setText("The tokenizers are not loaded yet; see the message above.")
            return
        self._path = path
        self.message.setText(f"Counting {path.name if path else SAMPLE_NAME}…")
        self.runner.start(_corpus_job, toks, path)

    def rerun(self) -> None:
        if self.result is not None:
            self.load(self._path)

    def _cancel(self) -> None:
        self.runner.cancel()
        self.message.setText("Cancelled. Load a file to try again.")

    def _on_failed(self, exc: object) -> None:
        if isinstance(exc, UserError):
            self.message.setText(f"<span style='color:#C0392B'>{exc}</span>")
        else:
            self.message.setText(
                f"<span style='color:#C0392B'>Counting failed ({type(exc).__name__}).</span>"
            )
        self.status_changed.emit(str(exc))

    def _on_result(self, result: object) -> None:
        assert isinstance(result, CorpusResult)
        self.result = result
        self._fill_table(result)
        self._draw(result)
        words = result.totals[0].words if result.totals else 0
        self.message.setText(
            f"<b>{result.source}</b>: {result.lines:,} non-empty lines, {words:,} words "
            "(cut line by line; line breaks are not counted)."
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

    def _draw(self, result: CorpusResult) -> None:
        item = self.plot.getPlotItem()
        for bar in self.bars:
            item.removeItem(bar)
        self.legend.clear()
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
        return [list(map(float, bar.opts["height"])) for bar in self.bars]

    def set_zoom(self, factor: float) -> None:
        font = self.font()
        for side in ("bottom", "left"):
            self.plot.getPlotItem().getAxis(side).setStyle(tickFont=font)

    def export_image(self, path: Path) -> None:
        """PNG or SVG of the histogram, with its caption (the plot title) drawn in."""
        from pyqtgraph import exporters

        item = self.plot.getPlotItem()
        if path.suffix.lower() == ".svg":
            self._export_svg(path)
        else:
            exporter = exporters.ImageExporter(item)
            exporter.parameters()["width"] = max(800, int(item.width()))
            exporter.export(str(path))

    def _export_svg(self, path: Path) -> None:
        """Qt's own SVG painter: pyqtgraph's SVGExporter fails on the closed paths newer Qt
        writes (pyqtgraph issue #3495)."""
        from PySide6.QtCore import QRect, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        size = self.plot.size()
        if size.width() < 200 or size.height() < 150:
            size = QSize(900, 500)
            self.plot.resize(size)
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(QRect(0, 0, size.width(), size.height()))
        gen.setTitle(self.plot.getPlotItem().titleLabel.text)
        painter = QPainter(gen)
        try:
            self.plot.render(painter)
        finally:
            painter.end()
