"""Compare mode: two configurations side by side, same map settings, scores in one table.

Configuration A is whatever the main controls say; B is picked here (by default [CLS] of the same
model, so "[CLS] vs SBERT pooling" is one click). Both use the same projection, k and seed, so any
difference on screen comes from the representation alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.models.store import Entry
from lab_app.qt.embeddings.controls import ConfigPicker
from lab_app.qt.embeddings.panels import ScoresTable
from lab_app.qt.embeddings.plot import MapPlot
from lab_app.qt.shell.flow import ROOM_LINES, Fold

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis
    from lab_app.qt.embeddings.controls import EmbeddingsSettings


class CompareView(QWidget):
    """B's picker, the two maps, and the shared scores table."""

    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = ConfigPicker("B ")
        box = QGroupBox("Configuration B (A is the one on the left)")
        QVBoxLayout(box).addWidget(self.picker)
        self.button = QPushButton("Compare A and B")
        self.button.setAccessibleName("Compare A and B")
        self.note = QLabel(
            "Both maps use the same projection settings, k and seed. Try [CLS] vs "
            "pooler_output, layer 3 vs layer 6, or BERT-style pooling vs SBERT."
        )
        self.note.setWordWrap(True)
        choose = QWidget()
        inner = QVBoxLayout(choose)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.note)
        inner.addWidget(box)
        # In a short window B's settings fold away: the two maps need the height.
        self.choose_fold = Fold("Configuration B", choose, room_lines=ROOM_LINES)
        top = QVBoxLayout()
        top.addWidget(self.choose_fold)
        top.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.map_a = MapPlot(selectable=False, legend=False)
        self.map_b = MapPlot(selectable=False, legend=False)
        self.map_a.plot.setAccessibleName("Map of configuration A")
        self.map_b.plot.setAccessibleName("Map of configuration B")
        maps = QSplitter()
        # Both share the height by their stretch (3:1) whatever their contents would like.
        maps.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        maps.addWidget(self.map_a)
        maps.addWidget(self.map_b)
        self.scores = ScoresTable(whole=False)  # under the maps: it scrolls, they keep the room
        self.scores.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.scores.table.setMinimumHeight(4 * self.fontMetrics().height())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(maps, 3)
        layout.addWidget(self.scores, 1)
        self.button.clicked.connect(self.compare_requested)

    def set_models(self, entries: list[Entry], prefer: str = "", pooling: str = "cls") -> None:
        self.picker.set_models(entries, prefer)
        self.picker.set_pooling(pooling)

    def restore(self, entries: list[Entry], state: EmbeddingsSettings, layer: bool) -> None:
        """B's model and pooling from the saved state (and its layer, when restoring)."""
        self.set_models(entries, state.compare_model, state.compare_pooling)
        if layer:
            self.picker.set_layer(state.compare_layer)

    def save_into(self, state: EmbeddingsSettings) -> None:
        state.compare_model = self.picker.model_combo.currentText()
        state.compare_pooling = self.picker.pooling()
        state.compare_layer = self.picker.layer()

    def show_pair(self, first: Analysis, second: Analysis, colour_by: str) -> None:
        for plot, a in ((self.map_a, first), (self.map_b, second)):
            plot.show_points(
                a.projection.coords,
                a.dataset.texts,
                a.dataset.labels,
                a.clusters.labels,
                colour_by,
                "A: " + a.caption if plot is self.map_a else "B: " + a.caption,
                a.projection.axis_labels(),
            )
        self.scores.show_analyses([first, second], _heads([first, second]))

    def set_zoom(self, factor: float) -> None:
        self.map_a.set_zoom(factor)
        self.map_b.set_zoom(factor)


def _heads(analyses: Sequence[Analysis]) -> list[str]:
    return [f"{'AB'[i]}: {a.config.label()}" for i, a in enumerate(analyses)]
