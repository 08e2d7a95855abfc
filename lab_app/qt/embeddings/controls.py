"""The Embeddings tab's choices: model, representation, layer, map and k — and its saved state.

A representation the model does not offer stays in the list, disabled, with the reason written
under it (pooler_output needs pooler weights; SBERT pooling needs a sentence-transformers model),
because "why is it greyed out?" is itself part of the lesson.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.embeddings.config import EmbedConfig
from lab_app.core.embeddings.projection import UMAP_METRICS, ProjectionSettings
from lab_app.core.models.store import Entry
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.core.settings import load_state, save_state
from lab_app.qt.shell.style import HINT_STYLE

REPRESENTATIONS = (
    ("cls", "[CLS] token"),
    ("pooler", "pooler_output"),
    ("mean", "mean of tokens"),
    ("sbert", "SBERT pooling"),
)
WARMUP_TEXTS = {
    "idle": "The first UMAP compiles code (several seconds).",
    "warming": "UMAP is getting ready in the background (first use compiles code)…",
    "ready": "UMAP is ready (maps of over 4,095 utterances are still being prepared).",
    "done": "UMAP is ready.",
    "failed": "UMAP could not be prepared in advance; the first UMAP will be slower.",
}


@dataclass
class EmbeddingsSettings:
    """What the tab remembers between sessions (QSettings group "embeddings", schema 1)."""

    model: str = ""
    pooling: str = "sbert"
    layer: int = -1  # -1: the last layer
    method: str = "pca"
    n_neighbors: int = 15
    min_dist: float = 0.1
    metric: str = "cosine"
    umap_seed: int = 0
    k: int = 0  # 0: as many clusters as the data has intents
    colour_by: str = "intent"
    compare_model: str = ""
    compare_pooling: str = "cls"
    compare_layer: int = -1

    def save(self, settings: QSettings) -> None:
        save_state(settings, self)

    @classmethod
    def load(cls, settings: QSettings) -> EmbeddingsSettings:
        """Read back what :meth:`save` wrote; anything unreadable keeps its default."""
        return load_state(cls, settings)


def representation_reason(entry: Entry | None, pooling: str) -> str | None:
    """Why ``entry`` has no such representation, or None when it has it."""
    if entry is None:
        return "no model"
    if pooling == "pooler" and "pooler_output" not in entry.manifest.outputs:
        return f"{entry.name} has no pooler weights, so no pooler_output"
    if pooling == "sbert" and not entry.manifest.pooling:
        return f"{entry.name} is not a sentence-transformers model: no SBERT pooling"
    return None


class ConfigPicker(QWidget):
    """Model, representation and layer: one way of turning utterances into vectors."""

    changed = Signal()

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: dict[str, Entry] = {}
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName(f"{title}Model".strip())
        self.repr_combo = QComboBox()
        self.repr_combo.setAccessibleName(f"{title}Representation".strip())
        for key, text in REPRESENTATIONS:
            self.repr_combo.addItem(text, key)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(HINT_STYLE)
        self.reason.setAccessibleName("Why a representation is unavailable")
        self.layer_slider = QSlider(Qt.Orientation.Horizontal)
        self.layer_slider.setAccessibleName(f"{title}Layer".strip())
        self.layer_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.layer_slider.setPageStep(1)
        self.layer_slider.setRange(0, 0)  # a model's layers arrive with set_models
        self.layer_ticks = QLabel()  # the layer numbers under the slider's ticks
        self.layer_ticks.setAccessibleName(f"{title}Layer numbers".strip())
        self.layer_label = QLabel()
        self.layer_label.setWordWrap(True)
        for combo in (self.model_combo, self.repr_combo):
            # Long model names must not widen the whole tab (the screenshot sizes are fixed).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Model:", self.model_combo)
        form.addRow("Representation:", self.repr_combo)
        form.addRow("", self.reason)
        form.addRow("Layer:", self.layer_slider)
        form.addRow("", self.layer_ticks)
        form.addRow("", self.layer_label)
        self.reason.hide()
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.repr_combo.currentIndexChanged.connect(self._repr_changed)
        self.layer_slider.valueChanged.connect(self._layer_changed)

    # -- models ------------------------------------------------------------------------------
    def set_models(self, entries: list[Entry], prefer: str = "") -> None:
        current = prefer or self.model_combo.currentText()
        self._entries = {e.name: e for e in entries}
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for entry in entries:
            self.model_combo.addItem(entry.name)
            self.model_combo.setItemData(
                self.model_combo.count() - 1,
                entry.manifest.description,
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.model_combo.findText(current)
        self.model_combo.setCurrentIndex(max(index, 0))
        self.model_combo.blockSignals(False)
        self._model_changed()

    def entry(self) -> Entry | None:
        return self._entries.get(self.model_combo.currentText())

    def _model_changed(self) -> None:
        entry = self.entry()
        model = self.repr_combo.model()
        assert isinstance(model, QStandardItemModel)
        for row, (key, text) in enumerate(REPRESENTATIONS):
            why = representation_reason(entry, key)
            item = model.item(row)
            item.setEnabled(why is None)
            item.setText(text if why is None else f"{text} (not in this model)")
            item.setToolTip(why or "")
        layers = int(entry.manifest.layers or 0) if entry is not None else 0
        slider = self.layer_slider
        at_top = slider.value() == slider.maximum()  # the last layer stays the last layer
        slider.blockSignals(True)
        slider.setRange(0, layers)
        if at_top:
            slider.setValue(layers)
        slider.blockSignals(False)
        self.layer_ticks.setText(
            f"0 (embeddings) … {layers} (last)" if layers else "this model has no layers"
        )
        if representation_reason(entry, self.pooling()) is not None:
            self._pick_available()
        self._repr_changed()

    def _pick_available(self) -> None:
        entry = self.entry()
        for key in ("sbert", "mean", "cls"):
            if representation_reason(entry, key) is None:
                self.set_pooling(key)
                return

    def _repr_changed(self) -> None:
        entry = self.entry()
        fixed = self.pooling() in ("pooler", "sbert")
        self.layer_slider.blockSignals(True)
        if fixed:
            self.layer_slider.setValue(self.layer_slider.maximum())
        self.layer_slider.setEnabled(not fixed and entry is not None)
        self.layer_slider.blockSignals(False)
        unavailable = [
            why
            for key, _ in REPRESENTATIONS
            if (why := representation_reason(entry, key)) is not None and entry is not None
        ]
        self.reason.setText("Greyed out: " + "; ".join(unavailable) if unavailable else "")
        self.reason.setVisible(bool(unavailable))
        self._layer_changed()

    def _layer_changed(self) -> None:
        value, top = self.layer_slider.value(), self.layer_slider.maximum()
        if self.pooling() in ("pooler", "sbert"):
            text = f"layer {top} (last): this representation exists only after the last layer"
        elif value == 0:
            text = f"layer 0 of {top}: the embedding output, before any attention"
        else:
            text = f"layer {value} of {top}" + (" (last)" if value == top else "")
        self.layer_label.setText(text)
        self.changed.emit()

    # -- values ------------------------------------------------------------------------------
    def pooling(self) -> str:
        return str(self.repr_combo.currentData())

    def set_pooling(self, key: str) -> None:
        index = self.repr_combo.findData(key)
        if index >= 0:
            self.repr_combo.setCurrentIndex(index)

    def set_layer(self, layer: int) -> None:
        self.layer_slider.setValue(self.layer_slider.maximum() if layer < 0 else layer)

    def layer(self) -> int:
        return int(self.layer_slider.value())

    def config(self) -> EmbedConfig | None:
        entry = self.entry()
        if entry is None or representation_reason(entry, self.pooling()) is not None:
            return None
        return EmbedConfig(entry.name, self.pooling(), self.layer())  # type: ignore[arg-type]


class ControlsPanel(QWidget):
    """The left column: what to embed, how to map it, how many clusters, how to colour."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = ConfigPicker()
        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName("Projection")
        self.method_combo.addItem("PCA (linear, fast)", "pca")
        self.method_combo.addItem("UMAP (non-linear)", "umap")
        self.n_neighbors = _spin(2, 200, 15, "UMAP n_neighbors")
        self.min_dist = QDoubleSpinBox()
        self.min_dist.setRange(0.0, 1.0)
        self.min_dist.setSingleStep(0.05)
        self.min_dist.setValue(0.1)
        self.min_dist.setAccessibleName("UMAP min_dist")
        self.metric_combo = QComboBox()
        self.metric_combo.addItems(list(UMAP_METRICS))
        self.metric_combo.setAccessibleName("UMAP metric")
        self.umap_seed = _spin(0, GUI_SEED_MAX, 0, "UMAP seed")
        self.umap_box = QGroupBox("UMAP settings")
        umap_form = QFormLayout(self.umap_box)
        umap_form.addRow("n_neighbors:", self.n_neighbors)
        umap_form.addRow("min_dist:", self.min_dist)
        umap_form.addRow("metric:", self.metric_combo)
        umap_form.addRow("seed:", self.umap_seed)
        self.umap_note = QLabel()
        self.umap_note.setWordWrap(True)
        umap_form.addRow(self.umap_note)
        self.k_spin = _spin(2, 100, 14, "K-Means k")
        self.colour_combo = QComboBox()
        self.colour_combo.setAccessibleName("Colour points by")
        self.colour_combo.addItem("intent (the dataset's label)", "intent")
        self.colour_combo.addItem("K-Means cluster", "cluster")

        what = QGroupBox("What to embed")
        QVBoxLayout(what).addWidget(self.picker)
        how = QGroupBox("Map and clusters")
        form = QFormLayout(how)
        form.addRow("Projection:", self.method_combo)
        form.addRow(self.umap_box)
        form.addRow("K-Means k:", self.k_spin)
        form.addRow("Colour by:", self.colour_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(what)
        layout.addWidget(how)
        layout.addStretch(1)

        self.picker.changed.connect(self.changed)
        for signal in (
            self.method_combo.currentIndexChanged,
            self.n_neighbors.valueChanged,
            self.min_dist.valueChanged,
            self.metric_combo.currentIndexChanged,
            self.umap_seed.valueChanged,
            self.k_spin.valueChanged,
        ):
            signal.connect(self.changed)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self._method_changed()
        self._warm_state: Callable[[], str] = lambda: "idle"
        self._warm_poll = QTimer(self, interval=500)
        self._warm_poll.timeout.connect(self._show_warmup)
        self._show_warmup()

    def watch_warmup(self, state: Callable[[], str]) -> None:
        """Show the background UMAP warm-up's state under the UMAP settings until it is done."""
        self._warm_state = state
        self._show_warmup()
        self._warm_poll.start()

    def _show_warmup(self) -> None:
        state = self._warm_state()
        self.umap_note.setText(WARMUP_TEXTS.get(state, ""))
        if state in ("done", "failed"):
            self._warm_poll.stop()

    def _method_changed(self) -> None:
        self.umap_box.setVisible(self.method() == "umap")

    def method(self) -> str:
        return str(self.method_combo.currentData())

    def settings(self) -> ProjectionSettings:
        return ProjectionSettings(
            self.method(),  # type: ignore[arg-type]
            self.n_neighbors.value(),
            round(self.min_dist.value(), 4),
            self.metric_combo.currentText(),
            self.umap_seed.value(),
        )

    def colour_by(self) -> str:
        return str(self.colour_combo.currentData())

    def apply(self, s: EmbeddingsSettings, entries: list[Entry]) -> None:
        """Put a saved state into the widgets (unknown values keep the current ones)."""
        widgets: list[Any] = [self, self.picker, self.method_combo, self.colour_combo]
        for w in widgets:
            w.blockSignals(True)
        self.picker.set_models(entries, prefer=s.model)
        self.picker.set_pooling(s.pooling)
        self.picker._model_changed()
        self.picker.set_layer(s.layer)
        _set_data(self.method_combo, s.method)
        self.n_neighbors.setValue(s.n_neighbors)
        self.min_dist.setValue(s.min_dist)
        if s.metric in UMAP_METRICS:
            self.metric_combo.setCurrentText(s.metric)
        self.umap_seed.setValue(s.umap_seed)
        if s.k >= 2:
            self.k_spin.setValue(s.k)
        _set_data(self.colour_combo, s.colour_by)
        for w in widgets:
            w.blockSignals(False)
        self._method_changed()

    def state(self, base: EmbeddingsSettings) -> EmbeddingsSettings:
        base.model = self.picker.model_combo.currentText()
        base.pooling = self.picker.pooling()
        base.layer = self.picker.layer()
        base.method = self.method()
        base.n_neighbors = self.n_neighbors.value()
        base.min_dist = self.min_dist.value()
        base.metric = self.metric_combo.currentText()
        base.umap_seed = self.umap_seed.value()
        base.k = self.k_spin.value()
        base.colour_by = self.colour_by()
        return base


def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setAccessibleName(name)
    spin.setKeyboardTracking(False)  # typing "15" must not run k = 1 first
    return spin


def _set_data(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
