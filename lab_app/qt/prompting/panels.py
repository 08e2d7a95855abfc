"""The prompting lab's result views: the streamed continuation, the shots plot, the chat modes.

Each draws a core result as it is; none runs a model.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QUrl
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QToolTip,
    QWidget,
)

from lab_app.core.models.generate import Step
from lab_app.core.prompting.jobs import ModeAnswer
from lab_app.core.prompting.shots import ShotsReport
from lab_app.qt.shell.bars import percent
from lab_app.qt.shell.plot_style import themed

SHOTS_NOTE = (
    "Each point is the mean over the draws; the bar spans the best and the worst draw. "
    "Accuracy: the greedy answer is right (for a choice, the right label scores highest). "
    "P(answer): the probability the model gives the right answer."
)


def confidence_colour(p: float) -> str:
    """Red (unsure) through amber to green (sure), readable on a light background."""
    if p >= 0.7:
        return "#1a7f37"
    if p >= 0.3:
        return "#9a6700"
    return "#cf222e"


class StreamView(QTextBrowser):
    """The generated tokens, coloured by the model's confidence; hover one for the alternatives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Generated continuation")
        self.setOpenLinks(False)
        self.steps: list[Step] = []
        self.highlighted.connect(self._hover)

    def clear_steps(self) -> None:
        self.steps = []
        self.setHtml("")

    def add_step(self, step: Step) -> None:
        self.steps.append(step)
        self._render()

    def text(self) -> str:
        return "".join(s.text for s in self.steps)

    def _render(self) -> None:
        parts = []
        for n, s in enumerate(self.steps):
            shown = html.escape(s.text).replace("\n", "↵<br>") or "·"
            parts.append(
                f'<a href="tok:{n}" style="color:{confidence_colour(s.prob)};'
                f'text-decoration:none">{shown}</a>'
            )
        self.setHtml("".join(parts))

    def tooltip_for(self, n: int) -> str:
        s = self.steps[n]
        rows = "\n".join(f"  {a.text!r}  {percent(a.prob)}" for a in s.alternatives)
        return f"{s.text!r} with probability {percent(s.prob)}\nthe model's top choices:\n{rows}"

    def _hover(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("tok:"):
            QToolTip.showText(QCursor.pos(), self.tooltip_for(int(target[4:])), self)


class ShotsPlot(pg.PlotWidget):
    """Accuracy and P(answer) against the number of examples, with the spread over draws."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Accuracy against the number of examples")
        item = themed(self, legend={"offset": (10, 10)})
        item.setLabel("bottom", "examples in the prompt (shots)")
        item.setLabel("left", "accuracy / probability")
        item.setYRange(0, 1.02)
        item.showGrid(x=False, y=True, alpha=0.25)
        self.report: ShotsReport | None = None

    def set_report(self, report: ShotsReport | None) -> None:
        item = self.getPlotItem()
        item.clear()
        self.report = report
        if report is None:
            return
        x = [float(r.shots) for r in report.results]
        acc = [r.accuracy for r in report.results]
        low = [r.accuracy - r.accuracy_spread[0] for r in report.results]
        high = [r.accuracy_spread[1] - r.accuracy for r in report.results]
        prob = [r.mean_prob for r in report.results]
        item.plot(x, acc, pen=pg.mkPen("#1f77b4", width=3), symbol="o", name="accuracy")
        item.addItem(
            pg.ErrorBarItem(x=np.array(x), y=np.array(acc), top=np.array(high),
                            bottom=np.array(low), beam=0.2, pen=pg.mkPen("#1f77b4"))
        )  # fmt: skip
        item.plot(
            x, prob, pen=pg.mkPen("#ff7f0e", width=3, style=pg.QtCore.Qt.PenStyle.DashLine),
            symbol="s", name="P(right answer)",
        )  # fmt: skip
        item.getAxis("bottom").setTicks([[(v, str(int(v))) for v in x]])
        item.setLabel("top", f"{report.task}: {report.test_items} test items, {report.model}")


def summary_rows(report: ShotsReport) -> list[list[str]]:
    rows = [["shots", "accuracy", "worst draw", "best draw", "P(answer)"]]
    for r in report.results:
        low, high = r.accuracy_spread
        rows.append(
            [str(r.shots), percent(r.accuracy), percent(low), percent(high), f"{r.mean_prob:.3f}"]
        )
    return rows


class ModesView(QWidget):
    """One request asked three ways: the raw text the model sees and its answer, side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.prompts: list[QPlainTextEdit] = []
        self.answers: list[QPlainTextEdit] = []
        self.titles: list[QLabel] = []
        for col in range(3):
            title = QLabel()
            prompt = QPlainTextEdit()
            prompt.setReadOnly(True)
            prompt.setAccessibleName(f"Prompt {col + 1} as the model sees it")
            answer = QPlainTextEdit()
            answer.setReadOnly(True)
            answer.setAccessibleName(f"Answer {col + 1}")
            self.grid.addWidget(title, 0, col)
            self.grid.addWidget(prompt, 1, col)
            self.grid.addWidget(answer, 2, col)
            self.titles.append(title)
            self.prompts.append(prompt)
            self.answers.append(answer)

    def set_answers(self, answers: Sequence[ModeAnswer]) -> None:
        for col, a in enumerate(answers[:3]):
            self.titles[col].setText(f"<b>{a.mode}</b> ({a.tokens} tokens)")
            self.prompts[col].setPlainText(a.prompt)
            self.answers[col].setPlainText(a.answer or "(nothing: the model ended at once)")
