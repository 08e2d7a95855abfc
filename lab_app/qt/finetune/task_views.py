"""How "Try it" draws a task model's answer: entities in colour, the word → piece → label
alignment, the answer marked in its passage with the start/end probabilities of every token, and
a pair's probabilities."""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.taskmodels.infer import AnswerResult, TagResult
from lab_app.qt.shell.bars import percent
from lab_app.qt.shell.plot_style import themed
from lab_app.qt.shell.style import OKABE_ITO
from lab_app.qt.shell.tables import auto_fit

# One colour per entity type (Okabe–Ito, readable on a projector and for colour-blind eyes).
TYPE_COLOURS = {"PER": OKABE_ITO[1], "ORG": OKABE_ITO[2], "LOC": OKABE_ITO[3], "MISC": OKABE_ITO[4]}
START, END = "#0072B2", "#D55E00"


def type_colour(kind: str) -> str:
    return TYPE_COLOURS.get(kind, OKABE_ITO[(sum(map(ord, kind)) % 4) + 5 - 1])


def marked_html(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` with each ``(start, end, colour, link)`` span on a coloured background; a span's
    link names it for hovering."""
    out, at = [], 0
    for a, b, colour, link in sorted(spans):
        out.append(html.escape(text[at:a]))
        out.append(
            f'<a href="{link}" style="text-decoration:none; color:black; '
            f'background-color:{colour};">&nbsp;{html.escape(text[a:b])}&nbsp;</a>'
        )
        at = b
    out.append(html.escape(text[at:]))
    return "".join(out).replace("\n", "<br>")


class TagView(QWidget):
    """The sentence with its entities in colour (hover a word: its label and probability), a
    legend, and the alignment table: words → WordPiece pieces → the label each piece carries
    (only a word's first piece is labelled in training; the rest are masked with -100)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: TagResult | None = None
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("Entities")
        self.sentence.linkHovered.connect(self._hover)
        self.legend = QLabel(
            "  ".join(
                f'<span style="background-color:{c}; color:black;">&nbsp;{k}&nbsp;</span>'
                for k, c in TYPE_COLOURS.items()
            )
            + "   — hover a word for its label's probability"
        )
        self.table = QTableWidget()
        self.table.setAccessibleName("Alignment: words, pieces, labels")
        auto_fit(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.sentence, self.legend):
            layout.addWidget(w)
        layout.addWidget(
            QLabel("How the words reach the model (first piece labelled, the rest masked):")
        )
        layout.addWidget(self.table, 1)

    def show_result(self, result: TagResult) -> None:
        self.result = result
        text_spans = [
            (w.start, w.end, type_colour(w.label[2:]) if w.label != "O" else "transparent", f"w{i}")
            for i, w in enumerate(result.words)
        ]
        text = _source_text(result)
        self.sentence.setText(
            f"<span style='font-size:large'>{marked_html(text, text_spans)}</span>"
        )
        rows: list[tuple[str, list[str]]] = [
            ("word", []), ("piece", []), ("label", []), ("p", [])
        ]  # fmt: skip
        previous = None
        for piece, word in zip(result.tokens, result.word_ids, strict=True):
            first = word is not None and word != previous
            previous = word
            w = result.words[word] if word is not None and word < len(result.words) else None
            rows[0][1].append(w.text if (w and first) else "")
            rows[1][1].append(piece)
            if w is None:
                rows[2][1].append("(special)")
                rows[3][1].append("")
            elif first:
                rows[2][1].append(w.label)
                rows[3][1].append(percent(w.score))
            else:
                rows[2][1].append("−100 (masked)")
                rows[3][1].append("")
        self.table.clear()
        self.table.setColumnCount(len(rows))
        self.table.setRowCount(len(result.tokens))
        self.table.setHorizontalHeaderLabels([r[0] for r in rows])
        for c, (_, cells) in enumerate(rows):
            for r, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 2 and value.startswith("−100"):
                    item.setForeground(self.palette().placeholderText())
                elif c == 2 and value not in ("O", "(special)"):
                    item.setBackground(pg.mkColor(type_colour(value[2:])))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _hover(self, link: str) -> None:
        if not link or self.result is None:
            QToolTip.hideText()
            return
        w = self.result.words[int(link[1:])]
        QToolTip.showText(QCursor.pos(), f"{w.text}: {w.label} ({percent(w.score)})", self)


def _source_text(result: TagResult) -> str:
    """The tagged text rebuilt from its words' offsets (spaces where the user had any)."""
    if not result.words:
        return ""
    out = [" "] * result.words[-1].end
    for w in result.words:
        out[w.start : w.end] = list(w.text)
    return "".join(out)


SHOW_CHARS = 6_000  # a long passage is shown around its answer: the whole is slow to lay out


def excerpt(text: str, start: int, end: int) -> tuple[int, int]:
    """The part of ``text`` to show around ``[start, end)``: all of it when it is short."""
    if len(text) <= SHOW_CHARS:
        return 0, len(text)
    half = SHOW_CHARS // 2
    a = max(0, min(start - half, len(text) - SHOW_CHARS))
    return a, min(len(text), a + SHOW_CHARS)


class AnswerView(QWidget):
    """The answer, the passage with it marked, P(start) and P(end) over the passage's tokens
    (the first window's), and the n-best spans."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: AnswerResult | None = None
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setAccessibleName("Answer")
        self.passage = QTextBrowser()
        self.passage.setAccessibleName("Passage with the answer marked")
        self._plot: pg.PlotWidget | None = None  # made with the first answer (the tab opens faster)
        self.candidates = QTableWidget()
        self.candidates.setAccessibleName("Best spans")
        auto_fit(self.candidates)
        split = QSplitter()
        split.addWidget(self.passage)
        split.addWidget(self.candidates)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.answer)
        self._layout.addWidget(split, 1)

    @property
    def plot(self) -> pg.PlotWidget:
        """P(start) and P(end) per passage token, made the first time it is needed."""
        if self._plot is None:
            self._plot = pg.PlotWidget()
            self._plot.setAccessibleName("Start and end probabilities per token")
            item = themed(self._plot, legend={"offset": (10, 10)})
            item.setLabel("left", "probability")
            self.start_bars = pg.BarGraphItem(x=[], height=[], width=0.4, brush=START, name="start")
            self.end_bars = pg.BarGraphItem(x=[], height=[], width=0.4, brush=END, name="end")
            item.addItem(self.start_bars)
            item.addItem(self.end_bars)
            self._layout.addWidget(self._plot, 1)
        return self._plot

    def show_result(self, result: AnswerResult, passage: str) -> None:
        self.result = result
        absent = (
            " — every span scores low: the answer is probably not in the passage"
            if (result.probably_absent)
            else ""
        )
        self.answer.setText(
            f"<span style='font-size:large'><b>{html.escape(result.answer)}</b></span> "
            f"({percent(result.score)}){html.escape(absent)}"
        )
        a, b = excerpt(passage, result.start, result.end)
        mark = [(result.start - a, result.end - a, OKABE_ITO[3], "answer")]
        shown = marked_html(passage[a:b], mark)
        self.passage.setHtml(("… " if a else "") + shown + (" …" if b < len(passage) else ""))
        n = len(result.pieces)
        x = list(range(n))
        plot = self.plot
        self.start_bars.setOpts(x=[i - 0.2 for i in x], height=list(result.p_start))
        self.end_bars.setOpts(x=[i + 0.2 for i in x], height=list(result.p_end))
        every = max(1, n // 20)  # about twenty labels fit under the bars
        ticks = [(i, passage[a:b]) for i, (a, b) in enumerate(result.pieces) if i % every == 0]
        plot.getPlotItem().getAxis("bottom").setTicks([ticks])
        plot.getPlotItem().setXRange(-1, max(n, 1), padding=0)
        self.candidates.clear()
        self.candidates.setColumnCount(2)
        self.candidates.setHorizontalHeaderLabels(["span", "P(start)·P(end)"])
        self.candidates.setRowCount(len(result.candidates))
        for r, (text, score, _, _) in enumerate(result.candidates):
            self.candidates.setItem(r, 0, QTableWidgetItem(text))
            self.candidates.setItem(r, 1, QTableWidgetItem(percent(score)))
        self.candidates.resizeColumnsToContents()
