"""The Model specs tab's plots: a self-explaining plot widget, the breakdown and the sizes charts.

Every plot carries a title and a caption line (model and settings) inside the plot item, so an
exported image explains itself the same way the screen does. Zoom rescales titles, axis
labels, ticks, legends and bar labels together.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

from lab_app.core.specs.lab import SizeBar, short_count
from lab_app.qt.shell.plot_export import export_plot
from lab_app.qt.shell.plot_style import legend_brush, palette_colour, wrap_to_width
from lab_app.qt.shell.style import ACCENT, TOKENIZER_COLOURS

BASE_PT = 11.0
"""Plot text size at zoom 1, a notch above a typical system font (back-row readable)."""

ARCH_COLOURS = {  # a model family wears its tokenizer's colour everywhere in the app
    "bert": TOKENIZER_COLOURS["wordpiece"],
    "gpt": TOKENIZER_COLOURS["bpe"],
    "llama": TOKENIZER_COLOURS["sentencepiece"],
}
ARCH_FAMILY = {"bert": "BERT (WordPiece)", "gpt": "GPT (BPE)", "llama": "Llama (SentencePiece)"}


class LabPlot(pg.PlotWidget):
    """A PlotWidget whose title, caption, axis labels and legend scale with the classroom zoom."""

    def __init__(
        self, title: str, x_label: str, y_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, background=palette_colour(QPalette.ColorRole.Base))
        self.title = title
        self.caption = ""
        self.x_label = x_label
        self.y_label = y_label
        self.zoom = 1.0
        self.text_items: list[pg.TextItem] = []
        self.legend: pg.LegendItem | None = None
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        fg = palette_colour(QPalette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(fg)
            axis.setTextPen(fg)
            axis.enableAutoSIPrefix(False)
        self.setAccessibleName(title)
        self.restyle()

    def add_legend(self, offset: tuple[int, int] = (-10, 10)) -> pg.LegendItem:
        self.legend = self.plot_item.addLegend(offset=offset, brush=legend_brush())
        self.legend.setLabelTextColor(palette_colour(QPalette.ColorRole.Text))
        self.restyle()
        return self.legend

    def set_caption(self, caption: str) -> None:
        """The model and settings that made the plot; shown under the title and exported."""
        self.caption = caption
        self.setAccessibleDescription(f"{self.title}. {caption}")
        self.restyle()

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        self.restyle()

    def point_size(self, scale: float = 1.0) -> float:
        return BASE_PT * self.zoom * scale

    def restyle(self) -> None:
        """Apply the zoom to every piece of text the plot draws."""
        pt = self.point_size()
        title = "<br>".join(f"<b>{html.escape(t)}</b>" for t in self._wrap(self.title, 1.15))
        lines = title.count("<br>") + 1
        if self.caption:
            small = self.point_size(0.85)
            caption = self._wrap(self.caption, 0.85)
            lines += len(caption)
            text = "<br>".join(html.escape(c) for c in caption)
            title += f"<br><span style='font-size:{small:.1f}pt'>{text}</span>"
        self.plot_item.setTitle(
            title,
            size=f"{self.point_size(1.15):.1f}pt",
            color=palette_colour(QPalette.ColorRole.Text),
        )
        height = int(pt * (0.6 + 1.8 * lines))
        self.plot_item.titleLabel.setMaximumHeight(height)
        self.plot_item.layout.setRowFixedHeight(0, height)
        tick_font = QFont()
        tick_font.setPointSizeF(self.point_size(0.9))
        style = {"font-size": f"{pt:.1f}pt"}
        for name, text in (("left", self.y_label), ("bottom", self.x_label)):
            axis = self.plot_item.getAxis(name)
            axis.setStyle(tickFont=tick_font)
            axis.setLabel(text, **style)
        if self.legend is not None:
            self.legend.setLabelTextSize(f"{self.point_size(0.9):.1f}pt")
        label_font = QFont()
        label_font.setPointSizeF(self.point_size(0.85))
        for item in self.text_items:
            item.setFont(label_font)

    def _wrap(self, text: str, scale: float) -> list[str]:
        return wrap_to_width(text, self.width(), self.point_size(scale))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not hasattr(self, "plot_item"):
            return
        lines = (self._wrap(self.title, 1.15), self._wrap(self.caption, 0.85))
        if lines != getattr(self, "_lines", None):  # restyled only when the title rewraps
            self._lines = lines
            self.restyle()

    def export(self, path: Path) -> None:
        """Write the plot, title and caption included, as PNG or SVG (by suffix)."""
        export_plot(self.plot_item, path, title=self.title, caption=self.caption, min_width=0)

    def set_bar_labels(self, labels: Sequence[tuple[str, float, float]]) -> None:
        """Text at the end of each bar; items are kept and reused, extra ones hidden."""
        colour = palette_colour(QPalette.ColorRole.Text)
        while len(self.text_items) < len(labels):
            item = pg.TextItem("", color=colour, anchor=(0, 0.5))
            self.addItem(item)
            self.text_items.append(item)
        for item, (text, x, y) in zip(self.text_items, labels, strict=False):
            item.setText(text)
            item.setPos(x, y)
        for i, item in enumerate(self.text_items):
            item.setVisible(i < len(labels))
        self.restyle()

    def bar_labels(self) -> list[str]:
        """The texts now shown beside the bars (what a test or screen reader would read)."""
        return [item.toPlainText() for item in self.text_items if item.isVisible()]


class BreakdownChart(LabPlot):
    """Horizontal bars: where a model's parameters sit (embeddings, attention, FFN, …)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where the parameters are", "parameters (millions)", "", parent)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.6, brush=ACCENT)
        self.addItem(self.bars)
        self.plot_item.invertY(True)
        self.parts: list[str] = []
        self.values: list[float] = []
        self.unit = 1e6

    def show_breakdown(self, rows: Sequence[tuple[str, int, float]], caption: str) -> None:
        """``rows`` as from :func:`~lab_app.core.specs.lab.breakdown_rows`."""
        largest = max((n for _, n, _ in rows), default=0)
        self.unit, unit_name = (1e9, "billions") if largest >= 1e9 else (1e6, "millions")
        self.x_label = f"parameters ({unit_name})"
        self.parts = [part for part, _, _ in rows]
        self.values = [n / self.unit for _, n, _ in rows]
        ys = list(range(len(rows)))
        self.bars.setOpts(x0=[0] * len(rows), y=ys, width=self.values, height=0.6)
        self.plot_item.getAxis("left").setTicks([list(zip(ys, self.parts, strict=True))])
        self.set_bar_labels(
            [
                (f" {short_count(n)} ({share:.0%})", n / self.unit, y)
                for y, (_, n, share) in zip(ys, rows, strict=True)
            ]
        )
        self.plot_item.setXRange(0, max(self.values, default=1) * 1.3, padding=0)
        self.plot_item.setYRange(-0.6, max(len(rows) - 0.4, 0.6), padding=0)
        self.set_caption(caption)

    def clear_breakdown(self, caption: str) -> None:
        self.show_breakdown([], caption)


class SizesChart(LabPlot):
    """Every preset's size on a log scale, one colour per model family."""

    LOG_FLOOR = 7  # bars start at 10M parameters: every model here is bigger

    def __init__(self, sizes: Sequence[SizeBar], parent: QWidget | None = None) -> None:
        super().__init__(
            "Model sizes, BERT-base to Llama 3.1 405B",
            "parameters (log scale)",
            "",
            parent,
        )
        self.sizes = list(sizes)
        self.highlighted: str | None = None
        self.add_legend()
        self.plot_item.invertY(True)
        self.bars: dict[str, pg.BarGraphItem] = {}
        for arch in ARCH_COLOURS:
            rows = [(i, s) for i, s in enumerate(self.sizes) if s.arch == arch]
            if not rows:
                continue
            bar = pg.BarGraphItem(
                x0=[self.LOG_FLOOR] * len(rows),
                y=[i for i, _ in rows],
                width=[self.log_width(s.params) for _, s in rows],
                height=0.65,
                brush=ARCH_COLOURS[arch],
                name=ARCH_FAMILY[arch],
            )
            self.addItem(bar)
            self.bars[arch] = bar
        self.set_bar_labels(
            [(f" {s.params:,}", math.log10(s.params), i) for i, s in enumerate(self.sizes)]
        )
        self.plot_item.getAxis("left").setTicks([[(i, s.label) for i, s in enumerate(self.sizes)]])
        top = math.ceil(max((math.log10(s.params) for s in self.sizes), default=9) + 1.2)
        self.plot_item.getAxis("bottom").setTicks(
            [[(e, short_count(10**e)) for e in range(self.LOG_FLOOR, top + 1)]]
        )
        self.plot_item.setXRange(self.LOG_FLOOR, top, padding=0)
        self.plot_item.setYRange(-0.6, len(self.sizes) - 0.4, padding=0)
        self.plot_item.showGrid(x=True, y=False, alpha=0.25)
        self.set_caption(
            "exact counts from the calculator's presets · each grid line is 10× the one before"
        )
        self.highlight(None)

    def log_width(self, params: int) -> float:
        return math.log10(params) - self.LOG_FLOOR

    def highlight(self, preset: str | None) -> None:
        """Outline the calculator's current preset so the two views stay connected."""
        self.highlighted = preset
        for arch, bar in self.bars.items():
            names = [s.preset for s in self.sizes if s.arch == arch]
            pens = [
                pg.mkPen(palette_colour(QPalette.ColorRole.Text), width=3)
                if name == preset
                else pg.mkPen(ARCH_COLOURS[arch])
                for name in names
            ]
            bar.setOpts(pens=pens)
