"""The Prompting tab: in-context learning on the built-in decoder (SmolLM2-135M-Instruct).

Three pages. *Prompt*: build a prompt from its parts and watch the next-token distribution
change as you edit (debounced, off the GUI thread, newest request wins), then stream a
continuation with each token's confidence. *Shots*: accuracy against the number of examples,
the same core function as ``bert-lab shots``. *Instruct vs chat*: one request three ways through
the model's chat template. The model loads inside the first job that needs it.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.models.generate import Sampling
from lab_app.core.prompting.anatomy import assemble
from lab_app.core.prompting.jobs import NextToken, next_token, stream
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.core.settings import read
from lab_app.qt.prompting.builder import ANTONYMS, SLIDE, PromptBuilder
from lab_app.qt.prompting.pages import ChatPage, PromptingPage, ShotsPage, wrapped
from lab_app.qt.prompting.panels import (
    StreamView,
)
from lab_app.qt.shell.bars import ProbabilityBars, percent
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.flow import ROOM_LINES, Fold
from lab_app.qt.shell.lazy_tabs import LazyTabs
from lab_app.qt.shell.runner import PARTIAL, Runner
from lab_app.qt.shell.tab import LabTab, error_label, preview, spin

if TYPE_CHECKING:
    from lab_app.core.prompting.shots import ShotsReport

P = TypeVar("P", bound=PromptingPage)

DEBOUNCE_MS = 300
NOTES = (
    "<b>Zero-shot</b>: the model sees only the task description and the query. "
    "<b>Few-shot</b>: it also sees a few solved examples, in the prompt; no gradient update is "
    "made, the weights stay as they are. <b>Instruct vs chat</b>: an instruction is plain text to "
    "continue; a chat model was tuned on conversations written in a template with special "
    "tokens (&lt;|im_start|&gt;user …), so the same request may be answered better inside it."
)


class PromptingTab(LabTab):
    SETTINGS_GROUP = "prompting"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.next: NextToken | None = None
        self.gen_runner = Runner(self)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.predict_now)
        self._build()
        self._connect()
        # A prompt to start from (the empty state teaches): shown at once, run when edited.
        self.builder.blockSignals(True)
        self.builder.set_parts(ANTONYMS, "short")
        self.builder.blockSignals(False)
        self.builder.show_prompt(assemble(self.builder.parts()))
        self._shown_once = False

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is seen, run the starting prompt (the model loads off-thread)."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.predict_now)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.pages = LazyTabs()
        self.pages.setAccessibleName("Prompting pages")
        self.pages.addTab(self._prompt_page(), "Prompt && next token")
        # Made when first shown (their task files and widgets: ~20 ms at every first open).
        self._shots = self.pages.add_lazy("Shots experiment", lambda: self._page(ShotsPage))
        self._chat = self.pages.add_lazy("Instruct vs chat", lambda: self._page(ChatPage))
        self.notes = QLabel(NOTES)
        self.notes.setWordWrap(True)
        self.slide_button = QPushButton("The lecture's slide")
        self.slide_button.setToolTip(
            "Load the lecture's translation prompt (task, 3 examples, prompt)"
        )
        self.notes_fold = Fold(
            "Zero-shot, few-shot, instruct and chat: what they mean",
            self.notes,
            room_lines=ROOM_LINES,
        )
        top = QHBoxLayout()
        top.addWidget(self.notes_fold, 1)
        top.addWidget(self.slide_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def _prompt_page(self) -> QWidget:
        self.builder = PromptBuilder()
        self.error = error_label("Prompt problem")
        self.bars = ProbabilityBars()
        self.answer_line = QLabel()
        self.answer_line.setAccessibleName("Expected answer's probability")
        self.answer_line.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.sampled = QCheckBox("Sample")
        self.sampled.setToolTip("Off: greedy (always the most probable token)")
        self.temperature = self._double(0.05, 5.0, 0.8, "Temperature")
        self.top_k = spin(0, 500, 40, "Top-k (0: off)")
        self.top_p = self._double(0.01, 1.0, 0.95, "Top-p")
        self.seed = spin(0, GUI_SEED_MAX, 0, "Seed")
        self.max_new = spin(1, 256, 40, "Max new tokens")
        self.stop_newline = QCheckBox("Stop at a new line")
        self.stop_newline.setChecked(True)
        self.stop_text = QLineEdit()
        self.stop_text.setPlaceholderText("stop string (optional)")
        self.stop_text.setAccessibleName("Stop string")
        self.generate_button = QPushButton("Generate")
        self.generate_button.setToolTip("Ctrl+G")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stream_view = StreamView()
        controls = QGridLayout()
        widgets: list[tuple[str, QWidget]] = [
            ("", self.sampled), ("temperature", self.temperature), ("top-k", self.top_k),
            ("top-p", self.top_p), ("seed", self.seed), ("max new", self.max_new),
        ]  # fmt: skip
        for n, (label, w) in enumerate(widgets):  # rows of two: fits 1280 px at classroom zoom
            controls.addWidget(QLabel(label), n // 2, 2 * (n % 2))
            controls.addWidget(w, n // 2, 2 * (n % 2) + 1)
        controls.addWidget(self.stop_newline, 3, 0, 1, 2)
        controls.addWidget(self.stop_text, 3, 2, 1, 2)
        self.stop_text.setMinimumWidth(60)
        settings = QWidget()
        settings.setLayout(controls)
        self.settings_fold = Fold("Sampling settings", settings, room_lines=ROOM_LINES)
        row = QHBoxLayout()
        row.addWidget(self.generate_button)
        row.addWidget(self.stop_button)
        row.addStretch(1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(wrapped("<b>Next token</b> (the model's top 10 after the prompt)"))
        rl.addWidget(self.bars)
        rl.addWidget(self.answer_line)
        rl.addWidget(self.busy)
        rl.addWidget(wrapped("<b>Continuation</b> (colour: the model's confidence; hover a token)"))
        rl.addLayout(row)
        rl.addWidget(self.settings_fold)
        rl.addWidget(self.stream_view, 1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.builder, 1)
        ll.addWidget(self.error)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _double(self, lo: float, hi: float, value: float, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setSingleStep(0.05)
        box.setValue(value)
        box.setAccessibleName(name)
        return box

    def _connect(self) -> None:
        self.builder.changed.connect(self._edited)
        self.slide_button.clicked.connect(lambda: self.builder.set_parts(SLIDE, "fromage"))
        self.runner.result_ready.connect(self._show_next)
        self.runner.failed.connect(lambda exc: self._fail(self.error, exc))
        self.runner.busy_changed.connect(self.busy.setVisible)
        self.generate_button.clicked.connect(self.generate)
        self.stop_button.clicked.connect(self.gen_runner.cancel)
        self.gen_runner.busy_changed.connect(self._generating)
        self.gen_runner.partial_ready.connect(self.stream_view.add_step)
        self.gen_runner.failed.connect(lambda exc: self._fail(self.error, exc))
        QShortcut(QKeySequence("Ctrl+G"), self, self.generate)
        QShortcut(QKeySequence("Ctrl+N"), self, self.builder.add_example)

    def _page(self, kind: type[P]) -> P:
        page = kind(self._store)
        page.result_shown.connect(self.result_shown)
        page.status_changed.connect(self.status_changed)
        return page

    @property
    def shots(self) -> ShotsPage:
        return self._shots.get()

    @property
    def chat(self) -> ChatPage:
        return self._chat.get()

    def _report(self) -> ShotsReport | None:
        return page.report if (page := self._shots.peek()) is not None else None

    # -- prompt and next token -------------------------------------------------------------------
    def _edited(self) -> None:
        try:
            prompt = assemble(self.builder.parts())
        except Exception as exc:
            self.builder.show_prompt(None)
            self._fail(self.error, exc)
            return
        self.error.hide()
        self.builder.show_prompt(prompt)
        self._debounce.start()

    def predict_now(self) -> None:
        self._debounce.stop()
        parts = self.builder.parts()
        self.runner.start(next_token, self._store, parts, self.builder.answer.text())

    def _show_next(self, result: NextToken) -> None:
        self.next = result
        self.error.hide()
        self.builder.show_prompt(result.prompt, result.tokens)
        self.bars.set_rows("", [(repr(a.text)[1:-1], a.prob) for a in result.top])
        line = result.cut
        if result.answer and result.answer_prob is not None:
            line = (
                f"P({result.answer!r}) = {percent(result.answer_prob)}; its first token is the "
                f"model's choice no. {result.answer_rank}. " + line
            )
        self.answer_line.setText(line)
        self.status_changed.emit(f"{result.prompt.shots}-shot prompt, {result.tokens} tokens")
        self.result_shown.emit()

    def sampling(self) -> Sampling:
        stops = ["\n"] if self.stop_newline.isChecked() else []
        stops += [self.stop_text.text()] if self.stop_text.text() else []
        fixed = Sampling(max_new_tokens=self.max_new.value(), stop_strings=tuple(stops))
        if not self.sampled.isChecked():
            return fixed  # greedy
        return replace(
            fixed,
            temperature=self.temperature.value(),
            top_k=self.top_k.value() or None,
            top_p=self.top_p.value(),
            seed=self.seed.value(),
        )

    def generate(self) -> None:
        """Stream a continuation (the button and Ctrl+G): refused while one streams, as the
        disabled button says; Stop ends it."""
        if self.gen_runner.busy:
            return
        try:
            text = assemble(self.builder.parts()).text
        except Exception as exc:
            self._fail(self.error, exc)
            return
        self.stream_view.clear_steps()
        self.gen_runner.start(stream, self._store, text, self.sampling(), PARTIAL)

    def _generating(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        if not busy:
            self.status_changed.emit(f"generated {len(self.stream_view.steps)} tokens")

    # -- shared ----------------------------------------------------------------------------------
    def _fail(self, label: QLabel, exc: object) -> None:
        label.setText(describe(exc, "Prompting"))
        label.show()
        self.status_changed.emit(label.text())

    # -- LabTab hooks ----------------------------------------------------------------------------
    def release(self) -> None:
        """The decoder goes (its session, about 160 MB); a job still running keeps it."""
        from lab_app.core.prompting import jobs

        jobs.release()

    def run_example(self) -> None:
        self.builder.set_parts(ANTONYMS, "short")
        self.predict_now()

    def run_current(self) -> None:
        """The page shown now, on what it holds: the prompt's next-token distribution (what
        editing it runs; Generate streams on from there), the shots experiment (Run), or the
        request asked three ways (Ask). Shot counts that do not parse are shown inline, and
        that is the result."""
        index = self.pages.currentIndex()
        if index == 0:
            self.predict_now()
        elif index == 1:
            self.shots.run()
            if not self.shots.runner.busy:
                self.result_shown.emit()
        else:
            self.chat.ask()

    def export_filters(self) -> str:
        filters = ["Prompt text (*.txt)"]
        if self._report() is not None:
            filters = ["PNG image (*.png)", "SVG image (*.svg)", "CSV table (*.csv)", *filters]
        return ";;".join(filters)

    def export_to(self, path: Path) -> bool | None:
        from lab_app.core.errors import UserError
        from lab_app.qt.shell.plot_export import export_plot

        suffix = path.suffix.lower()
        report = self._report()
        if suffix == ".txt":
            path.write_text(assemble(self.builder.parts()).text + "\n", encoding="utf-8")
        elif suffix == ".csv" and report is not None:
            import csv

            with path.open("w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(report.csv_rows())
        elif suffix in (".png", ".svg") and report is not None:
            export_plot(self.shots.plot.getPlotItem(), path, title="Few-shot accuracy")
        else:
            raise UserError(f"nothing to export as '{suffix}' yet")
        return None

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        parts = self.builder.parts()
        settings.setValue("task", parts.task)
        settings.setValue("query", parts.query)
        settings.setValue("examples", [[e.input, e.output, e.enabled] for e in parts.examples])

    def restore_state(self, settings: QSettings) -> None:
        from lab_app.core.prompting.anatomy import Example, PromptParts

        if read(settings, "schema", 0) != self.SCHEMA:
            return
        rows = settings.value("examples") or []
        try:
            examples = tuple(Example(str(a), str(b), str(c).lower() != "false") for a, b, c in rows)
        except (TypeError, ValueError):
            return
        parts = PromptParts(
            str(settings.value("task") or ""), examples, str(settings.value("query") or "")
        )
        self.builder.set_parts(parts)


if __name__ == "__main__":
    sys.exit(preview(PromptingTab))
