"""Widgets of the fill-mask tab: the sentence box, WordPiece chips, probability bars, layer view.

They draw from the core's frozen results and keep what they show in plain attributes (the bar
rows, the chip texts, the table cells), so tests assert on data rather than pixels. Sizes come
from the font, so the classroom zoom (which scales the app font) scales everything together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.qt.shell.bars import ProbabilityBars, percent
from lab_app.qt.shell.style import ACCENT, TOKENIZER_COLOURS, chip_background
from lab_app.qt.shell.text_edit import GuardedTextEdit

if TYPE_CHECKING:
    from lab_app.core.fill_mask.predict import MaskLens

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ROOT = QModelIndex()


SENTENCE_LIMIT = 10_000  # characters: about 2,000 words, four times what BERT reads


class SentenceBox(GuardedTextEdit):
    """The sentence. Enter or Ctrl+Enter predicts (a sentence needs no line breaks). A paste far
    past BERT's 512 tokens is refused whole (``long_text_pasted``): the tab says so calmly."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SENTENCE_LIMIT, SENTENCE_LIMIT, parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName("Sentence with [MASK]")
        self.setPlaceholderText("Type a sentence with [MASK] where BERT should guess a word")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        lines = 2.2 * self.fontMetrics().lineSpacing()
        return QSize(400, int(lines + 2 * self.frameWidth() + 8))

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+Enter before a window-wide shortcut can, so it always predicts from here.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


Chip = tuple[str, int | None, str, str | None]


class ChipModel(QAbstractListModel):
    """The chips' texts, colours and word indices, swapped in one reset per sentence."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, int | None, str, QBrush, QBrush]] = []
        self.clickable = True
        self.padding = QSize(12, 6)
        self.metrics: QFontMetrics | None = None

    def set_rows(self, rows: list[tuple[str, int | None, str, QBrush, QBrush]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        text, word, tip, background, foreground = self.rows[index.row()]
        if role == Qt.ItemDataRole.SizeHintRole and self.metrics is not None:
            width = self.metrics.horizontalAdvance(text) + self.padding.width()
            return QSize(width, self.metrics.height() + self.padding.height())
        return {
            Qt.ItemDataRole.TextAlignmentRole: Qt.AlignmentFlag.AlignCenter,
            Qt.ItemDataRole.DisplayRole: text,
            Qt.ItemDataRole.ToolTipRole: tip,
            Qt.ItemDataRole.AccessibleTextRole: f"token {text}",
            Qt.ItemDataRole.BackgroundRole: background,
            Qt.ItemDataRole.ForegroundRole: foreground,
            Qt.ItemDataRole.UserRole: word,
        }.get(Qt.ItemDataRole(role))

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.clickable and self.rows[index.row()][1] is None:
            return Qt.ItemFlag.NoItemFlags  # [CLS], [SEP], [MASK]: nothing to mask
        return Qt.ItemFlag.ItemIsEnabled


class ChipView(QListView):
    """Tokens as chips that wrap like words; pieces of one word share a tint, ``##`` shows.

    A wrapping list view over a model rather than a row of buttons: one reset draws hundreds of
    chips, more than a few lines scroll instead of pushing the answer off screen, and keyboard
    navigation (arrows, Enter) and accessible items come with it.
    """

    word_clicked = Signal(int)
    MAX_LINES = 4

    def __init__(self, parent: QWidget | None = None, clickable: bool = True) -> None:
        super().__init__(parent)
        self.chip_model = ChipModel(self)
        self.chip_model.clickable = clickable
        self.setModel(self.chip_model)
        self.zoom = 1.0
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.clicked.connect(self._clicked)
        self.activated.connect(self._clicked)
        self._restyle()

    def _restyle(self) -> None:
        # No QSS ``::item`` rule: it would hide the model's chip colours (BackgroundRole).
        self.setSpacing(round(3 * self.zoom))
        self.setStyleSheet("QListView { background: transparent; }")
        fm = self.fontMetrics()
        self.chip_model.padding = QSize(fm.height(), fm.height() // 2)

    def clear(self) -> None:
        self.set_chips([])

    def set_chips(self, chips: Sequence[Chip], accessible: str = "") -> None:
        """Each chip: text, word index (None: not clickable), tooltip, colour (None: by word)."""
        self._restyle()
        colour = TOKENIZER_COLOURS["wordpiece"]
        rows = []
        for text, word, tip, fill in chips:
            background = QColor(fill) if fill else chip_background(colour, bool((word or 0) % 2))
            foreground = QColor("#000000" if background.lightness() > 110 else "#FFFFFF")
            rows.append((text, word, tip, QBrush(background), QBrush(foreground)))
        self.chip_model.metrics = self.fontMetrics()
        self.chip_model.set_rows(rows)
        self.setAccessibleDescription(accessible)
        self._fit()

    def texts(self) -> list[str]:
        return [row[0] for row in self.chip_model.rows]

    def chip_rect(self, i: int) -> QRect:
        """Where chip ``i`` is drawn, in viewport coordinates (for tests and screenshots)."""
        return self.visualRect(self.chip_model.index(i))

    def _clicked(self, index: QModelIndex) -> None:
        word = self.chip_model.rows[index.row()][1] if index.isValid() else None
        if self.chip_model.clickable and word is not None:
            self.word_clicked.emit(int(word))

    def _fit(self) -> None:
        """As tall as the chips, up to MAX_LINES lines; more lines scroll."""
        line = self.fontMetrics().height() * 3 // 2 + 2 * self.spacing()
        needed = line
        if self.chip_model.rows:
            self.doItemsLayout()
            last = self.chip_rect(len(self.chip_model.rows) - 1)
            needed = last.bottom() + self.verticalOffset() + self.spacing() + 2
        height = max(line, min(line * self.MAX_LINES, needed))
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class GuessesView(QWidget):
    """One bar list per mask (three to a row), under the sentence filled with the top guesses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filled = QLabel()
        self.filled.setWordWrap(True)
        self.filled.setAccessibleName("Sentence with the top guesses")
        self.bars_box = QWidget()
        self._grid = QGridLayout(self.bars_box)
        self.bars: list[ProbabilityBars] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.bars_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filled)
        layout.addWidget(scroll, 1)

    def set_guesses(
        self, panels: Sequence[tuple[str, Sequence[tuple[str, float]]]], filled: str
    ) -> None:
        self.filled.setText(filled)
        while len(self.bars) > len(panels):
            bar = self.bars.pop()
            self._grid.removeWidget(bar)
            bar.deleteLater()
        while len(self.bars) < len(panels):
            bar = ProbabilityBars()
            n = len(self.bars)
            self._grid.addWidget(bar, n // 3, n % 3, Qt.AlignmentFlag.AlignTop)
            self.bars.append(bar)
        for bar, (title, rows) in zip(self.bars, panels, strict=True):
            bar.set_rows(title, rows)


class LayerView(QWidget):
    """The logit lens: a slider over the layers, a sentence about the chosen one, a heat table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lenses: Sequence[MaskLens] = ()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Layer")
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setPageStep(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Layer summary")
        self.table = QTableWidget()
        self.table.setAccessibleName("Rank and probability of the final answer at each layer")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        layout = QVBoxLayout(self)
        layout.addWidget(self.slider)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.slider.valueChanged.connect(self._show_layer)
        self.table.currentCellChanged.connect(lambda row, *_: self.slider.setValue(row))

    def set_lenses(self, lenses: Sequence[MaskLens], vocab_size: int) -> None:
        """``lenses``: the result's :class:`MaskLens` tuple (one column per mask)."""
        self.lenses = lenses
        layers = len(lenses[0].layers) if lenses else 0
        self.table.clear()
        self.table.setRowCount(layers)
        self.table.setColumnCount(len(lenses))
        self.table.setHorizontalHeaderLabels(
            [f"[MASK] {i + 1} → {lens.token}" for i, lens in enumerate(lenses)]
        )
        self.table.setVerticalHeaderLabels(
            ["embeddings (0)" if r == 0 else f"layer {r}" for r in range(layers)]
        )
        worst = math.log(max(vocab_size, 2))
        for col, lens in enumerate(lenses):
            for g in lens.layers:
                item = QTableWidgetItem(f"rank {g.rank:,} · {percent(g.probability)}")
                # Shade by rank on a log scale: full colour when the answer is already on top.
                strength = 1.0 - math.log(g.rank) / worst
                shade = QColor(ACCENT)
                shade.setAlphaF(0.1 + 0.75 * strength)
                item.setBackground(shade)
                item.setToolTip(f"this layer's own top guess: {g.top_token}")
                self.table.setItem(g.layer, col, item)
        self.table.resizeColumnsToContents()
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, layers - 1))
        self.slider.setValue(max(0, layers - 1))
        self.slider.blockSignals(False)
        self._show_layer(self.slider.value())

    def _show_layer(self, layer: int) -> None:
        if not self.lenses:
            self.summary.setText("")
            return
        if self.table.currentRow() != layer:
            self.table.selectRow(layer)
        parts = []
        for i, lens in enumerate(self.lenses):
            g = lens.layers[layer]
            parts.append(
                f"[MASK] {i + 1}: the final answer <b>{lens.token}</b> ranks "
                f"<b>{g.rank:,}</b> ({percent(g.probability)}); this layer alone would say "
                f"<b>{g.top_token}</b> ({percent(g.top_probability)})"
            )
        name = "the embedding output (layer 0)" if layer == 0 else f"layer {layer}"
        last = len(self.lenses[0].layers) - 1
        self.summary.setText(f"At {name} of {last}: " + "<br>".join(parts))
