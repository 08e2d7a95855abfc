"""Small charts of the Embeddings tab: the elbow with silhouette per k, and ARI against σ.

Each keeps its curve items and calls ``setData`` (pyqtgraph's advice); titles and axis labels say
what is measured, so a chart on a projector explains itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lab_app.qt.shell.plot_style import foreground, themed
from lab_app.qt.shell.style import ACCENT, OKABE_ITO

if TYPE_CHECKING:
    from lab_app.core.embeddings.cluster import ElbowResult
    from lab_app.core.embeddings.lab import SweepResult


def _plot(title: str, x: str, y: str) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    themed(plot)  # the theme's colours; a silhouette reads 0.16, never "160 (×0.001)"
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setTitle(title)
    plot.setLabel("bottom", x)
    plot.setLabel("left", y)
    plot.setAccessibleName(title)
    return plot


class ElbowPlot(QWidget):
    """Inertia per k (look for the bend) above the cosine silhouette per k (look for the top)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inertia_plot = _plot(
            "Elbow: K-Means inertia per k", "k (clusters)", "inertia (sum of squared distances)"
        )
        self.silhouette_plot = _plot(
            "Silhouette per k (cosine; higher = better separated)", "k (clusters)", "silhouette"
        )
        pen = pg.mkPen(ACCENT, width=2)
        self.inertia_curve = self.inertia_plot.plot(pen=pen, symbol="o", symbolBrush=ACCENT)
        self.silhouette_curve = self.silhouette_plot.plot(
            pen=pg.mkPen(OKABE_ITO[5], width=2), symbol="o", symbolBrush=OKABE_ITO[5]
        )
        self.k_lines = [
            pg.InfiniteLine(angle=90, pen=pg.mkPen(foreground(), style=Qt.PenStyle.DashLine))
            for _ in range(2)
        ]
        self.inertia_plot.addItem(self.k_lines[0])
        self.silhouette_plot.addItem(self.k_lines[1])
        self.note = QLabel("Run an analysis to see how inertia and silhouette change with k.")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.inertia_plot, 1)
        layout.addWidget(self.silhouette_plot, 1)
        layout.addWidget(self.note)

    def show_curve(self, curve: ElbowResult | None, k: int) -> None:
        if curve is None:
            self.inertia_curve.setData([], [])
            self.silhouette_curve.setData([], [])
            return
        ks = np.asarray(curve.ks, dtype=np.float64)
        sil = [np.nan if s is None else s for s in curve.silhouettes]
        self.inertia_curve.setData(ks, np.asarray(curve.inertias, dtype=np.float64))
        self.silhouette_curve.setData(ks, np.asarray(sil, dtype=np.float64), connect="finite")
        for line in self.k_lines:
            line.setValue(k)
        sample, n = curve.sample, curve.n
        on = f"all {n} utterances" if sample == n else f"a seeded sample of {sample} of {n}"
        self.note.setText(f"Dashed line: the k in use ({k}). Computed on {on}.")


class SweepPlot(QWidget):
    """ARI of K-Means clusters vs intents as the weight noise σ grows (log axis)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot(
            "ARI (clusters vs intents) against weight noise σ",
            "σ (noise std ÷ each tensor's std, log scale)",
            "ARI",
        )
        self.plot.setLogMode(x=True, y=False)
        self.curve = self.plot.plot(
            pen=pg.mkPen(ACCENT, width=2), symbol="o", symbolBrush=ACCENT, connect="finite"
        )
        self.baseline = pg.InfiniteLine(
            angle=0,
            pen=pg.mkPen(OKABE_ITO[2], style=Qt.PenStyle.DashLine),
            label="σ = 0 (original weights)",
            labelOpts={"position": 0.2, "color": OKABE_ITO[2]},
        )
        self.plot.addItem(self.baseline)
        self.baseline.hide()
        self.note = QLabel(
            "Press “Sweep σ” to plot how noise in the weights destroys the clusters."
        )
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)

    def show_sweep(self, result: SweepResult) -> None:
        sigmas = np.asarray(result.sigmas, dtype=np.float64)
        ari = np.asarray([np.nan if a is None else a for a in result.ari], dtype=np.float64)
        positive = sigmas > 0
        self.curve.setData(sigmas[positive], ari[positive], connect="finite")
        zero = ari[~positive]
        if len(zero) and np.isfinite(zero[0]):
            self.baseline.setValue(float(zero[0]))
            self.baseline.show()
        else:
            self.baseline.hide()
        config = result.config
        text = f"{config.label()} · k = {result.k}"
        notes = list(result.notes)
        self.note.setText(text + ("<br>" + "<br>".join(notes) if notes else ""))
