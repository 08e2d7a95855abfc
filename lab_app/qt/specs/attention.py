"""Attention cost against sequence length: the n² term against the linear terms, and why BERT
trained on 128 tokens for 90% of its steps and on 512 only for the last 10%.

The numbers come from :func:`lab_app.core.specs.lab.attention_series` and
:func:`lab_app.core.specs.params.bert_schedule_saving`; this panel only draws them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.io.export import csv_text
from lab_app.core.specs.lab import AttentionSeries, attention_series
from lab_app.core.specs.params import bert_schedule_saving
from lab_app.qt.shell.tab import error_label
from lab_app.qt.specs.plots import LabPlot

QUADRATIC_COLOUR = "#D55E00"  # vermillion (Okabe–Ito)
LINEAR_COLOUR = "#0072B2"  # blue (Okabe–Ito)
GFLOP = 1e9


def _spin(
    name: str, lo: int, hi: int, value: int, step: int, tip: str, suffix: str = ""
) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)  # recompute when the number is complete, not per digit
    return box


class AttentionPanel(QWidget):
    """Controls on the left, the plot and the saving it explains on the right."""

    #: Emitted after the plot and the saving label were redrawn.
    updated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hidden = _spin("Hidden size", 64, 65536, 768, 64, "d in 4·n²·d (BERT-base: 768)")
        self.layers = _spin("Layers", 1, 512, 12, 1, "Transformer blocks (BERT-base: 12)")
        self.short_len = _spin(
            "Short sequence length", 8, 32768, 128, 32, "BERT: 128 tokens", " tokens"
        )
        self.long_len = _spin("Long sequence length", 16, 65536, 512, 32, "BERT: 512", " tokens")
        self.short_pct = _spin(
            "Share of steps at the short length", 0, 100, 90, 5, "BERT: 90% of steps", " %"
        )
        form = QFormLayout()
        form.addRow("Hidden size (d)", self.hidden)
        form.addRow("Layers", self.layers)
        form.addRow("Short length", self.short_len)
        form.addRow("Long length", self.long_len)
        form.addRow("Steps at short length", self.short_pct)
        self.error = error_label("Attention input error")
        form.addRow(self.error)
        explain = QLabel(
            "Per layer, Q·Kᵀ and the weighted sum over V cost 4·n²·d FLOPs; the projections and "
            "the feed-forward block cost (8·d² + 4·d·ffn)·n, with ffn = 4·d as in BERT."
        )
        explain.setWordWrap(True)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(explain)
        left.addStretch(1)

        self.plot = LabPlot(
            "Attention cost against sequence length",
            "sequence length (tokens)",
            "forward GFLOPs per sequence",
        )
        self.plot.add_legend(offset=(10, 10))  # top left: the curves rise to the right
        self.plot.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.quadratic_curve = self.plot.plot(
            [], [], pen=pg.mkPen(QUADRATIC_COLOUR, width=3), name="n² term (Q·Kᵀ, attention·V)"
        )
        self.linear_curve = self.plot.plot(
            [], [], pen=pg.mkPen(LINEAR_COLOUR, width=3), name="linear terms (projections, FFN)"
        )
        self.total_curve = self.plot.plot(
            [], [], pen=pg.mkPen("#999999", width=2, style=Qt.PenStyle.DashLine), name="total"
        )
        line_pen = pg.mkPen("#666666", width=1, style=Qt.PenStyle.DotLine)
        label_opts = {"color": "#444444", "fill": (255, 255, 255, 200)}
        # Two heights, so the two labels never overlap (they did when the lines were close).
        self.short_line = pg.InfiniteLine(
            angle=90, pen=line_pen, label="", labelOpts={**label_opts, "position": 0.62}
        )
        self.long_line = pg.InfiniteLine(
            angle=90, pen=line_pen, label="", labelOpts={**label_opts, "position": 0.3}
        )
        self.plot.addItem(self.short_line)
        self.plot.addItem(self.long_line)
        self.saving = QLabel()
        self.saving.setWordWrap(True)
        self.saving.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saving.setAccessibleName("Schedule saving")
        right = QVBoxLayout()
        right.addWidget(self.plot, 1)
        right.addWidget(self.saving)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 0)
        layout.addLayout(right, 1)
        self.series: AttentionSeries | None = None
        for box in (self.hidden, self.layers, self.short_len, self.long_len, self.short_pct):
            box.valueChanged.connect(self.recompute)
        self.recompute()

    def set_zoom(self, factor: float) -> None:
        self.plot.set_zoom(factor)

    def recompute(self) -> None:
        """Redraw the curves, the two marked lengths and the saving text."""
        hidden, layers = self.hidden.value(), self.layers.value()
        short, long, pct = self.short_len.value(), self.long_len.value(), self.short_pct.value()
        try:
            saving = bert_schedule_saving(
                hidden=hidden, layers=layers, short_len=short, long_len=long,
                short_fraction=pct / 100,
            )  # fmt: skip
            max_len = max(1024, 2 * long)
            series = attention_series(hidden, layers, max_len=max_len, step=max(1, max_len // 128))
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.saving.setText("Fix the red message on the left to see the saving.")
            return
        self.error.hide()
        self.series = series
        xs = list(series.lengths)
        quad = [q / GFLOP for q in series.quadratic]
        lin = [lin / GFLOP for lin in series.linear]
        self.quadratic_curve.setData(xs, quad)
        self.linear_curve.setData(xs, lin)
        self.total_curve.setData(xs, [q + li for q, li in zip(quad, lin, strict=True)])
        self.short_line.setValue(short)
        self.short_line.label.setFormat(f"{short} tokens: {pct}% of steps")
        self.long_line.setValue(long)
        self.long_line.label.setFormat(f"{long} tokens: last {100 - pct}%")
        self.plot.set_caption(
            f"L = {layers}, d = {hidden}, ffn = {4 * hidden} · forward pass, one sequence · "
            f"{pct}% of steps at {short} tokens, {100 - pct}% at {long}"
        )
        crossover = (
            f"the n² term overtakes the linear terms at {series.crossover:,} tokens (2·d + ffn)"
        )
        self.saving.setText(
            f"<b>{pct}% of steps at {short} tokens and {100 - pct}% at {long}</b> cost "
            f"<b>{saving.ratio:.1%}</b> of training at {long} tokens throughout: "
            f"a saving of <b>{saving.saving:.1%}</b>. The n² term is "
            f"{saving.short.quadratic_share:.1%} of the work at {short} tokens and "
            f"{saving.long.quadratic_share:.1%} at {long}; {crossover}. "
            "<i>Source: Devlin et al. 2019 (BERT), appendix A.2.</i>"
        )
        self.updated.emit()

    def to_csv(self) -> str:
        """The plotted series, in FLOPs, for the CSV export."""
        s = self.series
        if s is None:
            raise UserError("nothing is plotted: fix the red message first")
        rows = [
            (n, q, li, q + li) for n, q, li in zip(s.lengths, s.quadratic, s.linear, strict=True)
        ]
        header = ("sequence_length", "quadratic_flops", "linear_flops", "total_flops")
        return csv_text(header, rows)

    def state(self) -> dict[str, int]:
        return {
            "hidden": self.hidden.value(),
            "layers": self.layers.value(),
            "short_len": self.short_len.value(),
            "long_len": self.long_len.value(),
            "short_pct": self.short_pct.value(),
        }

    def restore(self, state: dict[str, int]) -> None:
        for key, box in (
            ("hidden", self.hidden),
            ("layers", self.layers),
            ("short_len", self.short_len),
            ("long_len", self.long_len),
            ("short_pct", self.short_pct),
        ):
            if key in state:
                box.blockSignals(True)
                box.setValue(int(state[key]))
                box.blockSignals(False)
        self.recompute()
