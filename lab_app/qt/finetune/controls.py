"""The Fine-tuning tab's settings: model, method and its hyperparameters, as a widget that
reads back a :class:`FineTuneConfig` and saves and restores its state. Its choices, ranges and
defaults come from :mod:`lab_app.core.finetune.options`, as the command line's do."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSpinBox, QWidget

from lab_app.core.errors import UserError
from lab_app.core.finetune.methods import FineTuneConfig
from lab_app.core.finetune.options import (
    DEFAULT_LR,
    DEFAULT_MODEL,
    EPOCHS,
    LAYERS,
    METHOD_LABELS,
    POOLING_HELP,
    POOLINGS,
    RANK,
    IntOption,
)
from lab_app.core.finetune.tasks import TASK_FORMATS, TASK_LABELS, TASK_SHORT
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.qt.shell.tab import set_choices, spin

POOLING_ITEMS = ("default", *POOLINGS)
_DEFAULTS = FineTuneConfig(DEFAULT_MODEL)


@dataclass(frozen=True)
class TabState:
    """What the tab remembers between sessions."""

    model: str = DEFAULT_MODEL
    method: str = _DEFAULTS.method
    pooling: str = "default"
    layers: int = LAYERS.default
    rank: int = RANK.default
    epochs: int = EPOCHS.default
    seed: int = _DEFAULTS.seed
    lr: str = ""
    task: str = "classify"
    data: str = ""  # the dataset file the tab trains on ("": the task's built-in sample)


def _spin(option: IntOption) -> QSpinBox:
    box = spin(option.low, option.high, option.default, option.help)
    box.setToolTip(option.help)
    return box


class RunSettings(QWidget):
    """Two rows of fields: model, method, pooling, epochs; layers, rank, learning rate, seed.
    The task choice (:attr:`task_combo`) is the widget's too, placed by the tab above them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task_combo = QComboBox()
        self.task_combo.setAccessibleName("Task")
        for key, label in TASK_SHORT.items():
            self.task_combo.addItem(label, key)
            self.task_combo.setItemData(
                self.task_combo.count() - 1,
                f"{TASK_LABELS[key]}. Data: {TASK_FORMATS[key]}",
                3,  # ToolTipRole
            )
        self.task_combo.setToolTip(
            "What BERT is fine-tuned for: the four set-ups of the BERT paper's Figure 4"
        )
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model")
        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName("Method")
        # The longest method name set the window's width; the list still shows it whole.
        self.method_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.method_combo.setMinimumContentsLength(22)
        for key, label in METHOD_LABELS.items():
            self.method_combo.addItem(label, key)
        self.pooling_combo = QComboBox()
        self.pooling_combo.addItems(POOLING_ITEMS)
        self.pooling_combo.setToolTip(POOLING_HELP)
        self.layers = _spin(LAYERS)
        self.rank = _spin(RANK)
        self.epochs = _spin(EPOCHS)
        self.seed = spin(0, GUI_SEED_MAX, _DEFAULTS.seed, "Seed")
        self.lr_edit = QLineEdit()
        self.lr_edit.setPlaceholderText("default")
        self.lr_edit.setAccessibleName("Learning rate")
        self.lr_edit.setToolTip(
            "Learning rate of the encoder weights; empty: "
            + ", ".join(f"{k} {v:g}" for k, v in DEFAULT_LR.items())
        )
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        items: list[tuple[str, QWidget]] = [
            ("Model", self.model_combo), ("Method", self.method_combo),
            ("Pooling", self.pooling_combo), (EPOCHS.label, self.epochs),
            (LAYERS.label, self.layers), (RANK.label, self.rank), ("LR", self.lr_edit),
            ("Seed", self.seed),
        ]  # fmt: skip
        for n, (label, w) in enumerate(items):
            r, c = divmod(n, 3)  # four a row overflowed 1280 px at a classroom zoom of 1.5
            grid.addWidget(QLabel(label), r, 2 * c)
            grid.addWidget(w, r, 2 * c + 1)

    def set_models(self, names: list[str]) -> None:
        """List the store's encoders, keeping the chosen one (else the default model)."""
        set_choices(self.model_combo, names, [DEFAULT_MODEL])

    def task(self) -> str:
        return str(self.task_combo.currentData())

    def choose_task(self, key: str) -> None:
        index = self.task_combo.findData(key)
        if index >= 0:
            self.task_combo.setCurrentIndex(index)

    def choose_method(self, key: str) -> None:
        index = self.method_combo.findData(key)
        if index >= 0:
            self.method_combo.setCurrentIndex(index)

    def config(self) -> FineTuneConfig:
        text = self.lr_edit.text().strip()
        try:
            lr = float(text) if text else None
        except ValueError:
            raise UserError(f"the learning rate must be a number, not '{text}'") from None
        pooling = self.pooling_combo.currentText()
        return FineTuneConfig(
            model=self.model_combo.currentText(),
            method=self.method_combo.currentData(),
            pooling=None if pooling == "default" else pooling,
            layers=self.layers.value(),
            rank=self.rank.value(),
            epochs=self.epochs.value(),
            lr=lr,
            seed=self.seed.value(),
        )

    def state(self) -> TabState:
        return TabState(
            self.model_combo.currentText(), self.method_combo.currentData(),
            self.pooling_combo.currentText(), self.layers.value(), self.rank.value(),
            self.epochs.value(), self.seed.value(), self.lr_edit.text(), self.task(),
        )  # fmt: skip

    def apply(self, state: TabState) -> None:
        if self.model_combo.findText(state.model) >= 0:
            self.model_combo.setCurrentText(state.model)
        self.choose_method(state.method)
        self.choose_task(state.task)
        if state.pooling in POOLING_ITEMS:
            self.pooling_combo.setCurrentText(state.pooling)
        for box, value in ((self.layers, state.layers), (self.rank, state.rank),
                           (self.epochs, state.epochs), (self.seed, state.seed)):  # fmt: skip
            box.setValue(value)
        self.lr_edit.setText(state.lr)
