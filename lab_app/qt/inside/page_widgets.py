"""The Inside tab's pages, laid out: the head view with its layer, head and token-window choices,
where one token looks, the bidirectional and causal masks side by side, and the Positions page
with its kind and length. (The model view is :class:`~lab_app.qt.inside.views.ModelView` itself,
made when first shown.) The tab wires their widgets to the work and draws on them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.inside.positions import KINDS
from lab_app.qt.inside.views import MASKS_NOTE, PAGE, HeadView, Heatmap, labelled_row
from lab_app.qt.shell.tab import spin


class HeadPage(QWidget):
    """One layer's head (0: the mean of all heads) as lines between tokens, a long input shown
    :data:`~lab_app.qt.inside.views.PAGE` tokens at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = spin(1, 1, 1, "Layer")
        self.head = spin(0, 1, 1, "Head (0: mean of all heads)")
        self.head.setSpecialValueText("all (mean)")
        self.window_combo = QComboBox()
        self.window_combo.setAccessibleName("Tokens shown")
        self.window_combo.setToolTip(
            f"A long input is shown {PAGE} tokens at a time; lines to other pages are not drawn"
        )
        self.window_label = QLabel("Tokens")
        self.head_view = HeadView()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.head_view)
        row = labelled_row(("Layer", self.layer), ("Head", self.head))
        row.insertWidget(row.count() - 1, self.window_label)
        row.insertWidget(row.count() - 1, self.window_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(scroll, 1)


class TokenPage(QWidget):
    """Where one token (chosen in :attr:`token_combo`) looks, layer by layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.token_combo = QComboBox()
        self.token_combo.setAccessibleName("Token")
        self.token_map = Heatmap("Attention from one token, layer by layer")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Where does this token look?"))
        row.addWidget(self.token_combo, 1)
        layout.addLayout(row)
        layout.addWidget(self.token_map, 1)


class MasksPage(QWidget):
    """BERT's bidirectional attention mask beside the decoder's causal one, under a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.encoder_mask = Heatmap("BERT's attention mask")
        self.decoder_mask = Heatmap("The decoder's attention mask")
        maps = QSplitter()
        maps.addWidget(self.encoder_mask)
        maps.addWidget(self.decoder_mask)
        layout = QVBoxLayout(self)
        note = QLabel(MASKS_NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(maps, 1)


class PositionsPage(QWidget):
    """A kind of positions as a position × dimension table beside its similarity, and a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(KINDS)
        self.kind_combo.setAccessibleName("Kind of positions")
        self.length = spin(1, 4096, 128, "Positions")
        self.pos_note = QLabel()
        self.pos_note.setWordWrap(True)
        self.table_map = Heatmap("Position × dimension")
        self.sim_map = Heatmap("Position × position similarity")
        maps = QSplitter()
        maps.addWidget(self.table_map)
        maps.addWidget(self.sim_map)
        row = labelled_row(("Kind", self.kind_combo), ("Positions", self.length))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.pos_note)
        layout.addWidget(maps, 1)
