"""The Pre-training tab's answer widgets: a ranked word table, a coloured similarity matrix, and a
2-D map of labelled points. Each is cheap to fill; the map is a pyqtgraph plot, so the pages
make it when it is first shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from lab_app.qt.shell.plot_export import export_plot
from lab_app.qt.shell.plot_style import background, foreground, themed
from lab_app.qt.shell.style import ACCENT, OKABE_ITO
from lab_app.qt.shell.tab import error_label
from lab_app.qt.shell.tables import auto_fit

POSITIVE = QColor(ACCENT)  # a cosine near 1
NEGATIVE = QColor(OKABE_ITO[5])  # a cosine near -1 (vermillion)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LABEL_WIDTH = 42  # characters of a sentence shown in a row header (the tooltip has it whole)


def short(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def calm_label(name: str) -> QLabel:
    """A hidden inline error label that renders :func:`~lab_app.qt.shell.failures.describe`'s
    escaped text as text (an apostrophe, not "&#x27;")."""
    label = error_label(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _read_only(table: QTableWidget) -> None:
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)


class ScoreTable(QTableWidget):
    """Words ranked by cosine: rank, word, score. A double-click hands the word on (``picked``)."""

    picked = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels(["#", "word", "cosine"])
        _read_only(self)
        auto_fit(self)
        self.rows: list[tuple[str, float]] = []
        self.cellDoubleClicked.connect(self._double_clicked)

    def show_scores(self, rows: Sequence[tuple[str, float]]) -> None:
        self.rows = list(rows)
        self.setRowCount(len(self.rows))
        for r, (word, score) in enumerate(self.rows):
            for c, text in enumerate((str(r + 1), word, f"{score:.3f}")):
                item = QTableWidgetItem(text)
                if c != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(r, c, item)

    def words(self) -> list[str]:
        return [word for word, _ in self.rows]

    def _double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rows):
            self.picked.emit(self.rows[row][0])


def cell_colour(value: float) -> QColor:
    """The theme's base blended toward blue (cosine 1) or orange (cosine -1) by |value|."""
    base = background()
    target = POSITIVE if value >= 0 else NEGATIVE
    t = min(abs(float(value)), 1.0) * 0.75
    return QColor(
        round(base.red() + (target.red() - base.red()) * t),
        round(base.green() + (target.green() - base.green()) * t),
        round(base.blue() + (target.blue() - base.blue()) * t),
    )


class MatrixTable(QTableWidget):
    """A square similarity matrix, each cell coloured by its cosine; rows name the sentences
    (shortened, whole in the tooltip), columns number them."""

    def __init__(
        self, name: str, numbers_only: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.numbers_only = numbers_only  # rows numbered only (a legend beside names them)
        self.labels: tuple[str, ...] = ()
        self.matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)

    def show_matrix(self, matrix: np.ndarray, labels: Sequence[str]) -> None:
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.labels = tuple(labels)
        n = len(self.labels)
        self.clear()
        self.setRowCount(n)
        self.setColumnCount(n)
        self.setHorizontalHeaderLabels([str(i + 1) for i in range(n)])
        self.setVerticalHeaderLabels(
            [str(i + 1) if self.numbers_only else f"{i + 1}. {short(t)}"
             for i, t in enumerate(self.labels)]
        )  # fmt: skip
        text_colour = QBrush(foreground())
        for r in range(n):
            self.verticalHeaderItem(r).setToolTip(self.labels[r])
            for c in range(n):
                value = float(self.matrix[r, c])
                item = QTableWidgetItem(f"{value:.2f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(cell_colour(value)))
                item.setForeground(text_colour)
                item.setToolTip(f"{self.labels[r]}\n{self.labels[c]}\ncosine {value:.4f}")
                self.setItem(r, c, item)
        # A small matrix fills its panel (big cells read on a projector); a large one scrolls.
        fill = QHeaderView.ResizeMode.Stretch if n <= 12 else QHeaderView.ResizeMode.Interactive
        self.horizontalHeader().setSectionResizeMode(fill)
        self.verticalHeader().setSectionResizeMode(fill)
        if n > 12:
            self.resizeColumnsToContents()

    def to_rows(self) -> list[list[object]]:
        return [
            [label, *(round(float(v), 6) for v in self.matrix[i])]
            for i, label in enumerate(self.labels)
        ]


class WordMap(pg.PlotWidget):
    """Labelled points on a plane (a PCA of vectors): words, or one word in its sentences."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = themed(self)
        self.setAccessibleName(title)
        self.setTitle(title)
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("bottom", "first principal component")
        self.setLabel("left", "second principal component")
        self.scatter = pg.ScatterPlotItem(size=11, pen=pg.mkPen(None))
        self.addItem(self.scatter)
        self.texts: list[pg.TextItem] = []
        self.labels: tuple[str, ...] = ()
        self.points: np.ndarray = np.zeros((0, 2), dtype=np.float32)
        self.caption = ""
        self._zoom = 1.0

    def show_points(
        self,
        labels: Sequence[str],
        points: np.ndarray,
        title: str,
        groups: Sequence[int] | None = None,
        caption: str = "",
    ) -> None:
        """``groups[i]`` picks point i's colour (0, 1, …); the labels take the same colour."""
        self.labels, self.points = tuple(labels), np.asarray(points, dtype=np.float32)
        self.caption = caption
        self.setTitle(title)
        kinds = list(groups) if groups is not None else [0] * len(self.labels)
        brushes = [pg.mkBrush(_colour(g)) for g in kinds]
        for text in self.texts:
            self.removeItem(text)
        self.texts = []
        if len(self.labels) == 0:
            self.scatter.setData([], [])
            return
        xs, ys = self.points[:, 0].astype(float), self.points[:, 1].astype(float)
        self.scatter.setData(xs, ys, brush=brushes)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * self._zoom))
        for label, x, y, g in zip(self.labels, xs, ys, kinds, strict=True):
            colour = foreground() if g == 0 else _colour(g)
            text = pg.TextItem(label, color=colour, anchor=(0, 1))
            text.setFont(font)
            text.setPos(x, y)
            self.addItem(text)
            self.texts.append(text)
        self.getPlotItem().getViewBox().autoRange(padding=0.2)

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        for text in self.texts:
            font = QFont(self.font())
            font.setPointSizeF(max(7.0, self.font().pointSizeF() * factor))
            text.setFont(font)

    def export(self, path: Path) -> None:
        export_plot(self.getPlotItem(), path, caption=self.caption)


def _colour(group: int) -> QColor:
    """Group 0 blue, 1 vermillion, 2 green, …"""
    return QColor((OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[2], OKABE_ITO[6])[group % 4])
