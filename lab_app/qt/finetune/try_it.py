"""The Fine-tuning tab's "Try it" page: the run just trained, or any task model in the store, on
a sentence to tag, a passage and a question, or a pair — each run on a pool thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.finetune import jobs
from lab_app.core.models.store import open_store
from lab_app.core.taskmodels.infer import AnswerResult, PairResult, TagResult
from lab_app.qt.finetune.task_views import AnswerView, TagView
from lab_app.qt.shell.bars import ProbabilityBars
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import error_label

CURRENT = "this run (not saved)"
EXAMPLES = {
    "tag": ("Maria flew from Madrid to Berlin with Lufthansa to visit the Louvre.",),
    "qa": (
        "When was the tower finished?",
        "The Eiffel Tower stands in Paris, on the bank of the Seine. It was finished in 1889 "
        "for the World's Fair and is about 330 metres tall. Gustave Eiffel's company designed "
        "and built it.",
    ),
    "pair": ("The man went to the store.", "He bought a gallon of milk."),
}
PAGES = {"tag": 0, "qa": 1, "pair": 2}


class TryPanel(QWidget):
    """Inputs for the current task, a model choice, and the answer drawn below."""

    shown = Signal()

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.task = "tag"
        self.current: object | None = None  # the run's CurrentModel
        self.asked: tuple[str, ...] = ()
        self.runner = Runner(self)
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model to try")
        self.model_combo.setToolTip("The run just trained, or a task model in the store")
        self.button = QPushButton("Try")
        self.button.setToolTip("Run the model on these inputs (Enter)")
        self.sentence = QLineEdit(EXAMPLES["tag"][0])
        self.sentence.setAccessibleName("Sentence to tag")
        self.question = QLineEdit(EXAMPLES["qa"][0])
        self.question.setAccessibleName("Question")
        self.passage = QPlainTextEdit(EXAMPLES["qa"][1])
        self.passage.setAccessibleName("Passage")
        self.passage.setMaximumHeight(110)
        self.text_a = QLineEdit(EXAMPLES["pair"][0])
        self.text_a.setAccessibleName("Text A")
        self.text_b = QLineEdit(EXAMPLES["pair"][1])
        self.text_b.setAccessibleName("Text B")
        self.inputs = QStackedWidget()
        self.inputs.addWidget(_column(("Sentence", self.sentence)))
        self.inputs.addWidget(_column(("Question", self.question), ("Passage", self.passage)))
        self.inputs.addWidget(_column(("A", self.text_a), ("B", self.text_b)))
        self.tag_view, self.answer_view, self.bars = TagView(), AnswerView(), ProbabilityBars()
        self.views = QStackedWidget()
        for view in (self.tag_view, self.answer_view, self.bars):
            self.views.addWidget(view)
        self.error = error_label("Try-it problem")
        top = QHBoxLayout()
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo, 1)
        top.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.inputs)
        layout.addWidget(self.error)
        layout.addWidget(self.views, 1)
        self.button.clicked.connect(self.run)
        for line in (self.sentence, self.question, self.text_b):
            line.returnPressed.connect(self.run)
        self.runner.result_ready.connect(self.show_result)
        self.runner.failed.connect(self.fail)
        self.runner.busy_changed.connect(lambda busy: self.button.setEnabled(not busy))

    def set_task(self, task: str, current: object | None = None) -> None:
        """Show ``task``'s inputs and models; ``current`` is the run just trained, if any."""
        self.task = task
        self.current = current
        for stack in (self.inputs, self.views):
            stack.setCurrentIndex(PAGES[task])
            for i in range(stack.count()):  # a stack is as tall as its current page only
                ignored = QSizePolicy.Policy.Ignored
                page = stack.widget(i)
                assert page is not None
                page.setSizePolicy(
                    QSizePolicy.Policy.Preferred if i == PAGES[task] else ignored,
                    QSizePolicy.Policy.Preferred if i == PAGES[task] else ignored,
                )
        self.reload_models()

    def reload_models(self) -> None:
        chosen = self.model_combo.currentText()
        try:
            names = [e.name for e in open_store(self.store).task_models(self.task)]
        except UserError as exc:
            names = []
            self.fail(exc)
        self.model_combo.clear()
        if self.current is not None:
            self.model_combo.addItem(CURRENT)
        self.model_combo.addItems(names)
        if self.model_combo.findText(chosen) >= 0:
            self.model_combo.setCurrentText(chosen)
        self.button.setEnabled(self.model_combo.count() > 0 and not self.runner.busy)
        if self.model_combo.count() == 0:
            self.error.setText(
                "No model for this task yet: run one above, or build the built-in models."
            )
            self.error.show()

    def inputs_now(self) -> tuple[str, ...]:
        if self.task == "tag":
            return (self.sentence.text(),)
        if self.task == "qa":
            return (self.question.text(), self.passage.toPlainText())
        return (self.text_a.text(), self.text_b.text())

    def run(self) -> None:
        if self.runner.busy or self.model_combo.count() == 0:
            return
        self.error.hide()
        name = self.model_combo.currentText()
        model = self.current if name == CURRENT else name
        self.asked = self.inputs_now()  # what the answer is about, whatever is typed meanwhile
        self.runner.start(jobs.try_job, self.store, model, self.task, self.asked)

    def show_result(self, result: object) -> None:
        if isinstance(result, TagResult):
            self.tag_view.show_result(result)
        elif isinstance(result, AnswerResult):
            self.answer_view.show_result(result, self.asked[1])
        elif isinstance(result, PairResult):
            self.bars.set_rows(
                f"{result.model}: {result.label}",
                sorted(result.probs.items(), key=lambda kv: -kv[1]),
            )
        self.shown.emit()

    def fail(self, exc: object) -> None:
        self.error.setText(describe(exc, "Try it"))
        self.error.show()
        self.shown.emit()  # what there is to show: why


def _column(*rows: tuple[str, QWidget]) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for label, widget in rows:
        line = QHBoxLayout()
        line.addWidget(QLabel(label))
        line.addWidget(widget, 1)
        layout.addLayout(line)
    return box
