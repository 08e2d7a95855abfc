"""The lecture's fine-tuning decision chart, interactive: answer the questions, the recommended
leaf lights up with the reason, and each leaf picks its method in the run panel.

The slide's text gives the four questions and the four leaves; the tree follows the order in which
it asks them: a task unlike the pre-training task retrains everything; with little labelled data,
reuse the features; with limited compute, add few parameters; with data unlike the pre-training
data, retrain everything, else retrain the top part.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.qt.shell.flow import FlowRow

QUESTIONS = (
    ("related", "Is your task related to (but not identical with) the pre-training task?", True),
    ("large", "Do you have a large labelled dataset?", False),
    ("limited", "Are your computational resources limited?", True),
    ("different", "Is your dataset very different from the pre-training data?", False),
)
LEAVES = (
    ("features", "Feature-based approach\nreuse features"),
    ("full", "Fine-tuning I\nretrain the whole model"),
    ("partial", "Fine-tuning II\npartial retrain"),
    ("lora", "Parameter-efficient\nfine-tuning (LoRA)"),
)


def recommend(related: bool, large: bool, limited: bool, different: bool) -> tuple[str, str]:
    """The chart's leaf for these answers, and why."""
    if not related:
        return "full", "The task is unlike what the model was pre-trained for: retrain all of it."
    if not large:
        return "features", (
            "With few labelled examples, training millions of weights overfits: keep the encoder "
            "frozen and fit a small classifier on its features."
        )
    if limited:
        return "lora", (
            "Plenty of data but little compute: train small added adapters (well under 1% of the "
            "weights) and keep the base frozen."
        )
    if different:
        return "full", "Data unlike the pre-training text: every layer has something to relearn."
    return (
        "partial",
        "Data like the pre-training text: the lower layers already fit; retrain the top.",
    )


class DecisionChart(QWidget):
    """Questions as check boxes, leaves as buttons; ``method_chosen`` when a leaf is clicked."""

    method_chosen = Signal(str)
    recommended_changed = Signal(str)  # the leaf's title, for a folded chart's heading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        questions = FlowRow()  # as many per line as the width holds
        self.boxes: dict[str, QCheckBox] = {}
        for key, text, default in QUESTIONS:
            box = QCheckBox(text)
            box.setChecked(default)
            box.toggled.connect(self.update_leaf)
            self.boxes[key] = box
            questions.add(box)
        leaves = FlowRow()
        self.leaves: dict[str, QPushButton] = {}
        for key, text in LEAVES:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip("Set up this method below")
            button.clicked.connect(lambda _=False, k=key: self.method_chosen.emit(k))
            self.leaves[key] = button
            leaves.add(button)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setAccessibleName("Why this method")
        layout.addLayout(questions)
        layout.addLayout(leaves)
        layout.addWidget(self.why)
        self.update_leaf()

    def answers(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.boxes.items()}

    def update_leaf(self) -> None:
        leaf, why = recommend(**self.answers())
        for key, button in self.leaves.items():
            button.setChecked(key == leaf)
            font = button.font()
            font.setBold(key == leaf)
            button.setFont(font)
        self.why.setText(f"<b>Recommended:</b> {why}")
        self.recommended = leaf
        self.recommended_changed.emit(dict(LEAVES)[leaf].split("\n")[0])
