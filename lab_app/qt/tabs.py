"""The lab tabs, in order, and how each is made.

Each tab's module is imported only when the tab is made, so a lab whose module is heavy does not
slow the first paint, and a lab whose issue has not landed yet shows a placeholder that teaches.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lab_app.qt.tab_base import LabTab


@dataclass(frozen=True)
class TabSpec:
    object_name: str
    title: str
    blurb: str
    module: str
    cls: str


TABS: tuple[TabSpec, ...] = (
    TabSpec(
        "tab_fill_mask",
        "Fill-mask",
        "Watch BERT fill a [MASK], layer by layer.",
        "lab_app.qt.fill_mask_tab",
        "FillMaskTab",
    ),
    TabSpec(
        "tab_tokenizers",
        "Tokenizers",
        "WordPiece, BPE and SentencePiece cut the same text.",
        "lab_app.qt.tokenizers_tab",
        "TokenizersTab",
    ),
    TabSpec(
        "tab_specs",
        "Model specs",
        "The lecture's tables, corrected, and a calculator that recomputes them.",
        "lab_app.qt.specs_tab",
        "SpecsTab",
    ),
    TabSpec(
        "tab_embeddings",
        "Embeddings",
        "Chatbot utterances through BERT and SBERT, in PCA and UMAP, with K-Means.",
        "lab_app.qt.embeddings_tab",
        "EmbeddingsTab",
    ),
)


class PlaceholderTab(LabTab):
    """Stands in for a lab whose tab has not landed yet, and points to its command-line twin."""

    def __init__(self, spec: TabSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(
            f"<h2>{spec.title}</h2><p>{spec.blurb}</p>"
            "<p>This lab's tab is still being built. Its command-line twin works already: "
            "run <code>bert-lab --help</code> in a terminal.</p>"
        )
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label)
        self.label = label


def make_tab(spec: TabSpec, store: str | None) -> LabTab:
    """The lab's tab, or a placeholder while its module does not exist yet."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name != spec.module:
            raise
        return PlaceholderTab(spec)
    factory: Callable[..., LabTab] = getattr(module, spec.cls)
    if "store" in inspect.signature(factory).parameters:
        return factory(store=store)
    return factory()
