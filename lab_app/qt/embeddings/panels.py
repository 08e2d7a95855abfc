"""Panels beside the map: the scores table, the neighbours/selection list, the weight-noise panel
and the "type a new utterance" box. They only show what the core computed."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.embeddings.perturb import MAX_SIGMA, Perturbation, layers_label
from lab_app.core.embeddings.scores import SCORE_NAMES, SCORE_TITLES
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.qt.embeddings.charts import SweepPlot
from lab_app.qt.shell.tables import auto_fit

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis

LARGE_SIGMA = 10.0
MEANINGS = {
    "silhouette_gold": "−1…1: do utterances sit closer to their own intent than to others?",
    "silhouette_clusters": "−1…1: how well separated are the K-Means clusters?",
    "ari": "1 = clusters are exactly the intents, 0 = chance",
    "nmi": "1 = clusters tell the intent exactly, 0 = nothing",
    "knn_accuracy": "share of utterances whose 5 nearest neighbours vote their intent",
}


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ScoresTable(QWidget):
    """One row per score; one column per configuration (two in compare mode), then the meaning."""

    def __init__(self, parent: QWidget | None = None, whole: bool = True) -> None:
        super().__init__(parent)
        self.table = QTableWidget(len(SCORE_NAMES) + 2, 2)
        self.table.setAccessibleName("Scores")
        self.table.setVerticalHeaderLabels(
            [SCORE_TITLES[n] for n in SCORE_NAMES] + ["Utterances, clusters", "PCA variance"]
        )
        auto_fit(self.table, whole=whole)  # every score and its meaning, never cut
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Why a score is missing")
        self.caption = QLabel()
        # Wrapped, it would claim its full height for width and crowd the maps above it.
        self.caption.setWordWrap(whole)
        self.caption.setAccessibleName("Configurations scored")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        self.show_analyses([])

    def minimumSizeHint(self) -> QSize:
        """The score names and room for a value and a few words of meaning beside them."""
        hint = super().minimumSizeHint()
        names = self.table.verticalHeader().sizeHint().width()
        columns = self.fontMetrics().horizontalAdvance("0.000 What it means") + 40
        return QSize(names + columns, hint.height())

    def show_analyses(self, analyses: Sequence[Analysis], names: Sequence[str] = ()) -> None:
        """Fill the columns: one per analysis (``names`` head them), then "What it means"."""
        cols = len(analyses)
        self.table.setColumnCount(cols + 1)
        heads = list(names) or [f"Config {chr(65 + i)}" for i in range(cols)]
        # Short headers ("A", "B", "value") keep the table narrow; the full names go above it.
        short = [h.split(":")[0] if cols > 1 else "value" for h in heads]
        self.table.setHorizontalHeaderLabels([*short, "What it means"])
        for c, head in enumerate(heads):
            item = self.table.horizontalHeaderItem(c)
            if item is not None:
                item.setToolTip(head)
        self.caption.setText("<br>".join(html.escape(h) for h in heads))
        self.caption.setVisible(bool(heads))
        why: dict[str, str] = {}
        for c, a in enumerate(analyses):
            scores = a.scores
            for r, name in enumerate(SCORE_NAMES):
                value = scores.value(name)
                self.table.setItem(r, c, _cell("—" if value is None else f"{value:.3f}"))
                if value is None:
                    why[name] = scores.notes.get(name, "")
            self.table.setItem(len(SCORE_NAMES), c, _cell(f"{scores.n}, k = {scores.k}"))
            ev = a.projection.explained_variance
            shown = " + ".join(f"{100 * v:.1f} %" for v in ev) if ev is not None else "(UMAP)"
            self.table.setItem(len(SCORE_NAMES) + 1, c, _cell(shown))
        for r, name in enumerate(SCORE_NAMES):
            self.table.setItem(r, cols, _cell(MEANINGS[name]))
        self.table.setItem(len(SCORE_NAMES), cols, _cell("K-Means runs on the full vectors"))
        self.table.setItem(len(SCORE_NAMES) + 1, cols, _cell("variance the 2 PCA axes keep"))
        self.notes.setText(
            "<br>".join(f"— {SCORE_TITLES[n]}: {text}" for n, text in why.items()) if why else ""
        )

    def text(self, row: str, column: int = 0) -> str:
        item = self.table.item(SCORE_NAMES.index(row), column)
        return item.text() if item is not None else ""


class DetailsPanel(QWidget):
    """Nearest neighbours of the clicked point, or the utterances inside a box/lasso."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Click a point for its nearest neighbours (cosine, full space).")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Neighbours or selected utterances")
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)

    def show_lines(self, title: str, lines: Sequence[str]) -> None:
        self.title.setText(title)
        self.list.clear()
        self.list.addItems(list(lines))

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class PerturbPanel(QWidget):
    """σ, seed and layers of the weight noise; apply, reset, and the sweep of ARI against σ."""

    apply_requested = Signal()
    reset_requested = Signal()
    sweep_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(
            "Add Gaussian noise to the model's weights: each weight tensor of the chosen layers "
            "gets noise with std σ × (that tensor's own std). The store's model file is never "
            "changed; “Reset weights” brings back the original."
        )
        intro.setWordWrap(True)
        self.sigma = QDoubleSpinBox()
        self.sigma.setRange(0.0, MAX_SIGMA)
        self.sigma.setDecimals(3)
        self.sigma.setSingleStep(0.05)
        self.sigma.setValue(0.1)
        self.sigma.setAccessibleName("Noise σ")
        self.seed = QSpinBox()
        self.seed.setRange(0, GUI_SEED_MAX)
        self.seed.setAccessibleName("Noise seed")
        self.layer_boxes: list[QCheckBox] = []
        self.layers_row = QHBoxLayout()
        self.apply_button = QPushButton("Apply noise")
        self.reset_button = QPushButton("Reset weights")
        self.sweep_button = QPushButton("Sweep σ (ARI vs σ)")
        self.state_label = QLabel("Weights: original")
        self.state_label.setAccessibleName("Weights in use")
        self.sweep_plot = SweepPlot()
        grid = QGridLayout()
        grid.addWidget(QLabel("σ:"), 0, 0)
        grid.addWidget(self.sigma, 0, 1)
        grid.addWidget(QLabel("seed:"), 0, 2)
        grid.addWidget(self.seed, 0, 3)
        grid.addWidget(QLabel("layers:"), 1, 0)
        grid.addLayout(self.layers_row, 1, 1, 1, 3)
        buttons = QHBoxLayout()
        for b in (self.apply_button, self.reset_button, self.sweep_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.state_label)
        layout.addWidget(self.sweep_plot, 1)
        self.apply_button.clicked.connect(self.apply_requested)
        self.reset_button.clicked.connect(self.reset_requested)
        self.sweep_button.clicked.connect(self.sweep_requested)

    def set_layer_count(self, layers: int) -> None:
        """Checkboxes 0 (embeddings) … L; by default every transformer layer is ticked."""
        if len(self.layer_boxes) == layers + 1:
            return
        for box in self.layer_boxes:
            self.layers_row.removeWidget(box)
            box.deleteLater()
        self.layer_boxes = []
        for i in range(layers + 1):
            box = QCheckBox("embeddings" if i == 0 else str(i))
            box.setAccessibleName(f"Perturb layer {i}")
            box.setChecked(i > 0)
            self.layers_row.addWidget(box)
            self.layer_boxes.append(box)

    def chosen_layers(self) -> tuple[int, ...]:
        return tuple(i for i, box in enumerate(self.layer_boxes) if box.isChecked())

    def perturbation(self) -> Perturbation:
        return Perturbation(float(self.sigma.value()), self.seed.value(), self.chosen_layers())

    def show_weights(self, p: Perturbation) -> None:
        if p.active:
            text = (
                f"Weights: noise σ = {p.sigma:g} on {layers_label(p.layers)} (seed {p.seed}) — "
                "in memory only"
            )
            if p.sigma >= LARGE_SIGMA:
                text += (
                    f". At σ ≥ {LARGE_SIGMA:g} the noise dwarfs the weights: the model is "
                    "effectively random, whatever it learned is gone."
                )
        else:
            text = "Weights: original"
        self.state_label.setText(text)


class PlacePanel(QWidget):
    """Type a new utterance: it is embedded, placed on the map and given a kNN intent."""

    place_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type a new utterance, e.g. “is the gym open on sundays?”")
        self.edit.setAccessibleName("New utterance")
        self.button = QPushButton("Place on map")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Intent of the new utterance")
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.button.clicked.connect(self._submit)
        self.edit.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        self.place_requested.emit(self.edit.text())
