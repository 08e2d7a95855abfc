"""Token chips: a text drawn as the tokens a tokenizer cut it into, and one column per tokenizer.

The chips are painted, not widgets: a long text makes thousands of them, and painting keeps
hover and highlight cheap. Colours alternate between two shades of the tokenizer's fixed colour
so that neighbouring tokens stay apart; [UNK] chips get a red outline, byte pieces a dashed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from lab_app.core.progress import Progress
from lab_app.core.tokenizers.stats import (
    Comparison,
    Cut,
    LabTokenizer,
    compare,
    token_bytes,
)
from lab_app.core.tokenizers.tokenize import display_token
from lab_app.qt.shell.style import chip_background

MAX_CHIPS = 1000  # per column (more is unreadable); the counts always cover the whole text
_PAD_X, _PAD_Y, _GAP = 6, 3, 4
_UNK_RED = "#C0392B"


@dataclass(frozen=True)
class Chip:
    """One token as drawn: the shown text, and what hovering reveals."""

    text: str
    token: str
    id: int
    span: tuple[int, int]
    raw: bytes
    unknown: bool = False
    byte: bool = False


def chips_for(cut: Cut, limit: int = MAX_CHIPS) -> list[Chip]:
    name, res = cut.tokenizer.name, cut.result
    return [
        Chip(
            text=display_token(name, tok),
            token=tok,
            id=tid,
            span=span,
            raw=token_bytes(name, tok),
            unknown=i in cut.unknown,
            byte=i in cut.byte_tokens,
        )
        for i, (tok, tid, span) in enumerate(
            zip(res.tokens[:limit], res.ids[:limit], res.offsets[:limit], strict=True)
        )
    ]


@dataclass(frozen=True)
class LiveResult:
    """A comparison with its chips built off the GUI thread (one list per cut)."""

    comparison: Comparison
    chips: list[list[Chip]]


def live_job(report: Progress, tokenizers: Sequence[LabTokenizer], text: str) -> LiveResult:
    """The tab's runner job: cut the text, then build the chips too (pure Python, no Qt)."""
    comparison = compare(report, tokenizers, text)
    return LiveResult(comparison, [chips_for(cut) for cut in comparison.cuts])


def describe(chip: Chip, text: str) -> str:
    """The hover line: id, bytes and span (with the characters it covers)."""
    s, e = chip.span
    covered = text[s:e] if e <= len(text) else ""
    shown = repr(covered) if covered else "no character (a marker the tokenizer adds)"
    kind = " · unknown token" if chip.unknown else " · byte piece" if chip.byte else ""
    hex_bytes = " ".join(f"{b:02X}" for b in chip.raw) or "none"
    return f"“{chip.text}” · id {chip.id:,} · bytes {hex_bytes} · span {s}–{e}: {shown}{kind}"


class ChipView(QWidget):
    """Chips in flowing rows. Hover (or the arrow keys) picks a chip; others can be highlighted."""

    chip_hovered = Signal(int)  # the chip's index, -1 when the pointer leaves

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self._chips: list[Chip] = []
        self._rects: list[QRect] = []
        self._highlight: set[int] = set()
        self._current = -1
        self._placeholder = ""
        self._text = ""
        self._widths: dict[str, int] = {}
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    # -- data ----------------------------------------------------------------------------------
    def set_chips(self, chips: Sequence[Chip], text: str = "") -> None:
        self._chips, self._text = list(chips), text
        self._highlight.clear()
        self._current = -1
        self._relayout()
        self.setAccessibleDescription(" | ".join(c.text for c in self._chips[:200]))

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def chips(self) -> list[Chip]:
        return list(self._chips)

    def chip_texts(self) -> list[str]:
        return [c.text for c in self._chips]

    def chip_rect(self, i: int) -> QRect:
        return QRect(self._rects[i])

    def set_highlight(self, indices: Sequence[int]) -> None:
        new = {i for i in indices if 0 <= i < len(self._chips)}
        if new != self._highlight:
            self._highlight = new
            self.update()

    def highlighted(self) -> list[int]:
        return sorted(self._highlight)

    @property
    def placeholder(self) -> str:
        return self._placeholder

    @property
    def source_text(self) -> str:
        return self._text

    @property
    def current(self) -> int:
        return self._current

    # -- layout --------------------------------------------------------------------------------
    def _relayout(self) -> None:
        fm = QFontMetrics(self.font())
        h = fm.height() + 2 * _PAD_Y
        width = max(self.width(), 120)
        x = y = 0
        self._rects = []
        widths = self._widths
        for chip in self._chips:
            w = widths.get(chip.text)
            if w is None:  # texts repeat a lot ("the", "␣", ","): measure each once per font
                w = widths[chip.text] = fm.horizontalAdvance(chip.text or " ") + 2 * _PAD_X
            if x and x + w > width:
                x, y = 0, y + h + _GAP
            self._rects.append(QRect(x, y, w, h))
            x += w + _GAP
        total = (y + h) if self._chips else 2 * h
        if self.minimumHeight() != total:
            self.setMinimumHeight(total)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, max(self.minimumHeight(), 40))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._widths.clear()
            self._relayout()

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if not self._chips:
            p.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            p.drawText(self.rect(), Qt.TextFlag.TextWordWrap, self._placeholder)
            return
        visible = event.rect()
        strong = QColor(self.colour)
        for i, (chip, rect) in enumerate(zip(self._chips, self._rects, strict=True)):
            if not rect.intersects(visible):
                continue
            lit = i in self._highlight or i == self._current
            fill = strong if lit else chip_background(self.colour, alternate=bool(i % 2))
            p.setBrush(fill)
            pen = QPen(QColor(_UNK_RED) if chip.unknown else strong.darker(130))
            pen.setWidthF(2.0 if (chip.unknown or i == self._current) else 1.0)
            if chip.byte:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
            p.setPen(QColor("white") if lit else text_colour)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, chip.text)

    # -- interaction ---------------------------------------------------------------------------
    def index_at(self, pos: QPoint) -> int:
        return next((i for i, r in enumerate(self._rects) if r.contains(pos)), -1)

    def _set_current(self, i: int) -> None:
        if i != self._current:
            self._current = i
            self.update()
            self.chip_hovered.emit(i)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_current(self.index_at(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_current(-1)
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}.get(Qt.Key(event.key()))
        if step is None or not self._chips:
            super().keyPressEvent(event)
            return
        start = self._current if self._current >= 0 else (-1 if step > 0 else len(self._chips))
        self._set_current(max(0, min(len(self._chips) - 1, start + step)))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            i = self.index_at(event.pos())
            if i >= 0:
                QToolTip.showText(event.globalPos(), describe(self._chips[i], self._text), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class TokenColumn(QWidget):
    """One tokenizer's column: title, chips, the counts under them, and the hovered chip."""

    chip_hovered = Signal(int)

    def __init__(self, name: str, colour: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.colour = colour
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.view = ChipView(colour)
        self.view.setAccessibleName(f"{title}: tokens")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.view)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName(f"{title}: counts")
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setAccessibleName(f"{title}: hovered token")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.scroll_area, 1)
        lay.addWidget(self.counts)
        lay.addWidget(self.info)
        self.view.chip_hovered.connect(self._on_hover)
        self.cut: Cut | None = None
        self.set_title(title)
        self.set_cut(None, "")

    def set_title(self, title: str) -> None:
        self.title.setText(f"<span style='color:{self.colour}'>■</span> <b>{escape(title)}</b>")
        self.view.setAccessibleName(f"{title}: tokens")

    def set_cut(
        self, cut: Cut | None, text: str, placeholder: str = "", chips: list[Chip] | None = None
    ) -> None:
        """Show ``cut``; ``chips`` may come ready-made from the worker (a long text's 2,000)."""
        self.cut = cut
        if cut is None or not cut.result.tokens:
            self.view.set_chips([], text)
            self.view.set_placeholder(placeholder or "Type above or pick an example.")
            self.counts.setText(counts_text(cut))
            self.info.setText("")
            return
        self.view.set_chips(chips_for(cut) if chips is None else chips, text)
        n = len(cut.result.tokens)
        extra = f"Showing the first {MAX_CHIPS:,} of {n:,} tokens. " if n > MAX_CHIPS else ""
        self.counts.setText(counts_text(cut))
        self.info.setText(extra + "Hover a chip (or use ←/→) to see its id, bytes and span.")

    def _on_hover(self, i: int) -> None:
        if i >= 0:
            self.info.setText(describe(self.view.chips()[i], self.view.source_text))
        self.chip_hovered.emit(i)


def counts_text(cut: Cut | None) -> str:
    if cut is None:
        return "tokens: –"
    s = cut.stats
    cpt = f"{s.chars_per_token:.2f}" if s.chars_per_token is not None else "–"
    tpw = f"{s.tokens_per_word:.2f}" if s.tokens_per_word is not None else "–"
    return (
        f"<b>{s.tokens:,}</b> tokens · <b>{cpt}</b> characters/token · "
        f"<b>{tpw}</b> tokens/word · {s.unknown:,} unknown · {s.byte_tokens:,} byte pieces"
    )
