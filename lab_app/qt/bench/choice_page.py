"""The Multiple-choice page: HellaSwag, ARC, PIQA and RACE the way evaluation harnesses score
them. Each option's summed log-probability as a continuation picks ``acc``'s answer; per
character, ``acc_norm``'s. The items where the two disagree are highlighted, chance and the
model's published score are drawn beside the run, and a question of one's own can be scored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.items import item_sets, published
from lab_app.core.bench.jobs import choice_job, choice_set_job
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.plot_export import export_plot
from lab_app.qt.shell.plot_style import themed
from lab_app.qt.shell.style import ACCENT
from lab_app.qt.shell.text_edit import GuardedTextEdit

FLIP = QColor(255, 230, 150)
OWN_EXAMPLE = ("The capital of France is", "Paris\nthe largest city in the whole of Germany")


def _short(text: str, n: int = 70) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


class ScorePlot(pg.PlotWidget):
    """acc and acc_norm as bars, chance and the published score as lines."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Accuracy against chance")
        self.item = themed(self)
        self.item.setTitle("Accuracy (%)")
        self.item.setYRange(0, 100)
        self.item.getAxis("bottom").setTicks([[(0, "acc"), (1, "acc_norm")]])
        self.setMinimumHeight(160)

    def show_run(self, acc: float, acc_norm: float, chance: float, score: float | None) -> None:
        self.item.clear()
        heights = [acc * 100, acc_norm * 100]
        self.item.addItem(pg.BarGraphItem(x=[0, 1], height=heights, width=0.6, brush=ACCENT))
        dashed = pg.mkPen("#888", style=Qt.PenStyle.DashLine)
        self.item.addItem(pg.InfiniteLine(chance * 100, angle=0, label="chance", pen=dashed))
        if score is not None:
            red = pg.mkPen("#c0392b")
            self.item.addItem(pg.InfiniteLine(score, angle=0, label="published", pen=red))

    def export(self, path: Path) -> None:
        export_plot(self.item, path, caption="Multiple-choice accuracy, chance and published")


class ChoicePage(BenchPage):
    TITLE = "Multiple choice"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.run_result: Any = None
        self.shown_set: Any = None
        self.sets = QComboBox()
        self.sets.setAccessibleName("Item set")
        for name, s in item_sets().items():
            self.sets.addItem(s.title, name)
        self.run_button = QPushButton("Run the set")
        self.run_button.setToolTip("Score every item's options with the decoder (Ctrl+Enter)")
        row = QHBoxLayout()
        row.addWidget(self.sets, 1)
        row.addWidget(self.run_button)
        self.summary = QLabel(
            "Each option is scored as a continuation of the question: the sum of its tokens' "
            "log-probabilities (acc), or that sum per character (acc_norm), which stops long "
            "options from losing just for being long."
        )
        self.summary.setWordWrap(True)
        self.items = result_table("Items", ["Question", "Gold", "acc picks", "acc_norm picks"])
        self.options = result_table(
            "Options of the selected item", ["Option", "log P", "log P / char"]
        )
        self.score_plot = ScorePlot()
        self.context = QLineEdit(OWN_EXAMPLE[0])
        self.context.setAccessibleName("Your question")
        self.context.setMaxLength(5000)
        self.own_options = GuardedTextEdit(limit=20_000)
        self.own_options.setAccessibleName("Your options, one a line")
        self.own_options.preferred_lines = 2
        self.own_options.setPlainText(OWN_EXAMPLE[1])
        self.own_button = QPushButton("Score my options")
        own = QHBoxLayout()
        own.addWidget(QLabel("Your own:"))
        own.addWidget(self.context, 2)
        own.addWidget(self.own_options, 2)
        own.addWidget(self.own_button)
        results = QHBoxLayout()
        results.addWidget(self.items, 3)
        right = QVBoxLayout()
        right.addWidget(self.score_plot, 1)
        right.addWidget(self.options, 1)
        results.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(self.job_bar)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addLayout(results, 1)
        layout.addLayout(own)
        self.run_button.clicked.connect(self.run)
        self.own_button.clicked.connect(self.score_own)
        self.items.currentCellChanged.connect(lambda row, *_: self._show_item(row))
        self.runner.result_ready.connect(self._result)

    def choose(self, choice: str) -> None:
        index = self.sets.findData(choice)
        if index >= 0:
            self.sets.setCurrentIndex(index)

    def fill_example(self) -> None:
        self.choose("hellaswag")

    def run(self) -> None:
        self.start(choice_set_job, self._store, str(self.sets.currentData()))

    def score_own(self) -> None:
        options = [o for o in self.own_options.toPlainText().splitlines() if o.strip()]
        self.start(choice_job, self._store, self.context.text(), options)

    def _result(self, result: Any) -> None:
        if isinstance(result, tuple):
            self.show_run(*result)
        else:
            self._show_options(result)
            self.done(f"Your question: acc picks option {result.acc_choice + 1}")

    def show_run(self, items: Any, run: Any) -> None:
        self.shown_set, self.run_result = items, run
        self.items.setRowCount(len(run.items))
        for r, res in enumerate(run.items):
            opts = res.item.options
            cells = (
                _short(res.item.context.split("Question:")[-1]),
                _short(opts[res.item.gold], 40),
                ("✓ " if res.correct else "✗ ") + _short(opts[res.result.acc_choice], 40),
                ("✓ " if res.correct_norm else "✗ ") + _short(opts[res.result.acc_norm_choice], 40),
            )
            colour = FLIP if res.result.flips else None
            set_row(self.items, r, cells, colour=colour, tip=res.item.context)
        flips = len(run.flipped)
        source = published()
        score = f"; published, real {items.name}: {items.published:.1f}%" if items.published else ""
        self.summary.setText(
            f"<b>acc {run.acc:.0%}</b> · <b>acc_norm {run.acc_norm:.0%}</b> · chance "
            f"{run.chance:.0%} over {len(run.items)} items ({run.model}){score}. "
            f"Normalising by length changes the answer on {flips} item(s), highlighted."
            + (f"<br><i>Published: {source.source}.</i>" if items.published else "")
        )
        self.score_plot.show_run(run.acc, run.acc_norm, run.chance, items.published)
        if run.items:
            self.items.selectRow(0)
            self._show_item(0)
        self.done(f"{items.title}: acc {run.acc:.0%}, acc_norm {run.acc_norm:.0%}")

    def _show_item(self, row: int) -> None:
        if self.run_result is not None and 0 <= row < len(self.run_result.items):
            self._show_options(self.run_result.items[row].result)

    def _show_options(self, result: Any) -> None:
        self.options.setRowCount(len(result.options))
        for r, o in enumerate(result.options):
            marks = ("  ← acc" if r == result.acc_choice else "") + (
                "  ← acc_norm" if r == result.acc_norm_choice else ""
            )
            cells = (_short(o.text, 60) + marks, f"{o.logprob:.2f}", f"{o.logprob_norm:.3f}")
            set_row(self.options, r, cells)

    def plot(self) -> ScorePlot | None:
        return self.score_plot if self.run_result is not None else None

    def csv_rows(self) -> Rows:
        header = ("item", "context", "gold", "acc_choice", "acc_norm_choice", "flips")
        if self.run_result is None:
            return header, []
        return header, [
            [n, r.item.context, r.item.gold, r.result.acc_choice, r.result.acc_norm_choice,
             r.result.flips]
            for n, r in enumerate(self.run_result.items)
        ]  # fmt: skip

    def state(self) -> dict[str, str]:
        return {
            "set": str(self.sets.currentData()),
            "context": self.context.text(),
            "options": self.own_options.toPlainText(),
        }

    def restore(self, state: dict[str, str]) -> None:
        if state.get("set"):
            self.choose(state["set"])
        if "context" in state:
            self.context.setText(state["context"])
        if "options" in state:
            self.own_options.set_text_guarded(state["options"])
