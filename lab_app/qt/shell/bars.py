"""Probability bars: a list of tokens, each with a bar and its probability (fill-mask's guesses,
the prompting lab's next tokens). Sizes come from the font, so classroom zoom scales them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from lab_app.qt.shell.style import ACCENT


def percent(p: float) -> str:
    """A probability as a percentage with the digits that matter for it."""
    if p >= 0.1:
        return f"{p:.1%}"
    if p >= 0.0001:
        return f"{p * 100:.2g}%"
    return "<0.01%"


class ProbabilityBars(QWidget):
    """One mask's guesses: token, a bar in the accent colour, and the probability."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float]] = []
        self.title = ""
        # Rows are spaced 1.45 lines apart when there is room, 1.1 when the window is short.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

    def set_rows(self, title: str, rows: Sequence[tuple[str, float]]) -> None:
        self.title = title
        self.rows = list(rows)
        self.setAccessibleName(title)
        self.setAccessibleDescription("; ".join(f"{t} {percent(p)}" for t, p in self.rows))
        self.updateGeometry()
        self.update()

    def _lines(self) -> int:
        return len(self.rows) + (1 if self.title else 0)

    def _row_height(self, spacing: float = 1.45) -> int:
        fit = (self.height() - 4) // max(self._lines(), 1)
        return max(
            int(self.fontMetrics().height() * 1.1),
            min(fit, int(self.fontMetrics().height() * spacing)),
        )

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        width = max([fm.horizontalAdvance(t) for t, _ in self.rows] or [60]) + 22 * fm.height()
        return QSize(width, int(fm.height() * 1.45) * self._lines() + 4)

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(12 * fm.height(), int(fm.height() * 1.1) * self._lines() + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        rh = self._row_height()
        text_colour = self.palette().color(self.foregroundRole())
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        first = 0
        if self.title:
            painter.drawText(
                QRect(0, 0, self.width(), rh), Qt.AlignmentFlag.AlignVCenter, self.title
            )
            first = 1
        painter.setFont(self.font())
        label_w = max([fm.horizontalAdvance(t) for t, _ in self.rows] or [0]) + fm.height() // 2
        pct_w = fm.horizontalAdvance("100.0%") + fm.height() // 2
        bar_w = max(10, self.width() - label_w - pct_w)
        top = max((p for _, p in self.rows), default=1.0) or 1.0
        for i, (token, p) in enumerate(self.rows):
            y = rh * (i + first)
            painter.setPen(text_colour)
            painter.drawText(
                QRect(0, y, label_w - 4, rh),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                token,
            )
            # Bars are scaled to the top guess; the printed percentage is the probability itself.
            length = max(1, round(bar_w * p / top))
            painter.fillRect(QRect(label_w, y + rh // 5, length, rh * 3 // 5), QColor(ACCENT))
            painter.drawText(
                QRect(label_w + length + 4, y, pct_w, rh), Qt.AlignmentFlag.AlignVCenter, percent(p)
            )
        painter.end()
