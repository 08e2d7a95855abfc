"""The Prompting tab's second and third pages: the shots experiment and instruct vs chat.

Each page owns its runner and its inline error; it tells the tab what it showed through
``result_shown`` and ``status_changed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.prompting.jobs import chat_modes, shots_job
from lab_app.core.prompting.shots import ShotsReport, parse_shot_counts
from lab_app.core.prompting.tasks import Task, builtin_names, builtin_task, load_task
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.qt.prompting.panels import SHOTS_NOTE, ModesView, ShotsPlot, summary_rows
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import error_label, spin
from lab_app.qt.shell.tables import fill_table


def wrapped(text: str) -> QLabel:
    """A label that wraps, so a long line never widens the window past a projector's screen."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class PromptingPage(QWidget):
    result_shown = Signal()
    status_changed = Signal(str)

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = Runner(self)
        self.error = error_label("Problem")
        self.runner.failed.connect(self.fail)

    def fail(self, exc: object) -> None:
        self.error.setText(describe(exc, "Prompting"))
        self.error.show()
        self.status_changed.emit(self.error.text())


class ShotsPage(PromptingPage):
    """Accuracy and P(answer) against the number of examples, for a task with a labelled set."""

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.report: ShotsReport | None = None
        self.custom_task: Task | None = None
        self.task_combo = QComboBox()
        self.task_combo.setAccessibleName("Task")
        self.task_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.task_combo.setMinimumContentsLength(14)
        for name in builtin_names():
            self.task_combo.addItem(builtin_task(name).title, name)
        self.csv_button = QPushButton("Own task (CSV)…")
        self.csv_button.setToolTip("A CSV file of input,output rows; it is only read")
        self.shots_edit = QLineEdit("0,1,2,4,8")
        self.shots_edit.setAccessibleName("Shot counts")
        self.shots_edit.setMinimumWidth(80)
        self.draws = spin(1, 20, 3, "Draws")
        self.seed = spin(0, GUI_SEED_MAX, 0, "Seed of the draws")
        self.run_button = QPushButton("Run")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Shots progress")
        self.task_note = QLabel()
        self.task_note.setWordWrap(True)
        self._plot = made_on_show(ShotsPlot)  # a plot costs ~40 ms: made when its page shows
        self.table = QTableWidget()
        self.table.setAccessibleName("Shots results")
        row = QGridLayout()
        items: list[tuple[str, QWidget]] = [
            ("Task", self.task_combo), ("", self.csv_button), ("Shots", self.shots_edit),
            ("Draws", self.draws), ("Seed", self.seed), ("", self.run_button),
            ("", self.cancel_button),
        ]  # fmt: skip
        for n, (label, w) in enumerate(items):  # two rows: fits 1280 px at classroom zoom
            r, c = divmod(n, 4)
            if label:
                row.addWidget(QLabel(label), r, 2 * c)
            row.addWidget(w, r, 2 * c + 1)
        note = QLabel(SHOTS_NOTE)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (self.progress, self.error, self.task_note):
            layout.addWidget(w)
        layout.insertLayout(0, row)
        layout.addWidget(self._plot.holder, 3)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.csv_button.clicked.connect(self._pick_csv)
        self.task_combo.currentIndexChanged.connect(self._task_chosen)
        self.runner.progress_changed.connect(self._progress)
        self.runner.result_ready.connect(self.show_report)
        self.runner.busy_changed.connect(self._busy)
        self._task_chosen()

    @property
    def plot(self) -> ShotsPlot:
        return self._plot.get()

    def _task_chosen(self) -> None:
        name = self.task_combo.currentData()
        if name:
            self.custom_task = None
            self.task_note.setText(builtin_task(name).note)

    def _pick_csv(self) -> None:
        from lab_app.qt.shell.file_dialogs import open_path

        path = open_path(self, "A task: input,output rows", "CSV file (*.csv *.tsv *.txt)")
        if path is not None:
            self.load_csv(Path(path))

    def load_csv(self, path: Path) -> None:
        try:
            self.custom_task = load_task(str(path))
        except Exception as exc:
            self.fail(exc)
            return
        self.error.hide()
        self.task_note.setText(f"{path.name}: {len(self.custom_task.items)} pairs (your file)")

    def run(self) -> None:
        try:
            shots = parse_shot_counts(self.shots_edit.text())
            task = self.custom_task or builtin_task(self.task_combo.currentData())
        except Exception as exc:
            self.fail(exc)
            return
        self.error.hide()
        draws, seed = self.draws.value(), self.seed.value()  # read here, not on the worker
        self.runner.start(shots_job, self.store, task, shots, draws, seed)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def show_report(self, report: ShotsReport) -> None:
        self.report = report
        self.plot.set_report(report)
        fill_table(self.table, summary_rows(report))
        self.status_changed.emit(f"shots experiment on {report.task}: {report.test_items} items")
        self.result_shown.emit()


class ChatPage(PromptingPage):
    """One request as a bare instruction, as one chat turn, and as a conversation (a system
    message, an earlier exchange, then the request)."""

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.request = QLineEdit("Give three tips for learning a new language.")
        self.request.setAccessibleName("Request")
        self.system = QLineEdit("You are a friendly teacher. Answer in one short sentence.")
        self.system.setAccessibleName("System message")
        self.earlier_question = QLineEdit("Hello! I am starting to learn Spanish.")
        self.earlier_question.setAccessibleName("Earlier question")
        self.earlier_answer = QLineEdit("¡Hola! That is great. How can I help you today?")
        self.earlier_answer.setAccessibleName("Earlier answer")
        self.ask_button = QPushButton("Ask three ways")
        self.modes = ModesView()
        layout = QGridLayout(self)
        layout.addWidget(QLabel("Request"), 0, 0)
        layout.addWidget(self.request, 0, 1)
        layout.addWidget(self.ask_button, 0, 2)
        layout.addWidget(wrapped("System message (conversation)"), 1, 0)
        layout.addWidget(self.system, 1, 1, 1, 2)
        layout.addWidget(wrapped("Earlier turn: the user said"), 2, 0)
        layout.addWidget(self.earlier_question, 2, 1, 1, 2)
        layout.addWidget(wrapped("and the assistant answered"), 3, 0)
        layout.addWidget(self.earlier_answer, 3, 1, 1, 2)
        layout.addWidget(self.error, 4, 0, 1, 3)
        layout.addWidget(self.modes, 5, 0, 1, 3)
        layout.setRowStretch(5, 1)
        self.ask_button.clicked.connect(self.ask)
        self.runner.result_ready.connect(self._show)
        self.runner.busy_changed.connect(lambda b: self.ask_button.setEnabled(not b))

    def ask(self) -> None:
        self.error.hide()
        q, a = self.earlier_question.text().strip(), self.earlier_answer.text().strip()
        history = [(q, a)] if q and a else []
        self.runner.start(chat_modes, self.store, self.request.text(), self.system.text(), history)

    def _show(self, answers: Any) -> None:
        self.modes.set_answers(answers)
        self.result_shown.emit()
