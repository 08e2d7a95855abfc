"""The "One word, many contexts" page: what ELMo and BERT added to word2vec.

One word in several sentences, run through a store encoder: the similarity of the word's
contextual vectors at the chosen layer, as a coloured matrix, and a 2-D map with the one point a
static vector would have to use for all of them. The encoder runs on the page's runner.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.models.store import Entry, open_store
from lab_app.core.pretrain import jobs
from lab_app.core.pretrain.context import DEFAULT_MODEL, EXAMPLES, ContextResult
from lab_app.qt.pretrain.views import MatrixTable, WordMap, calm_label, short
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.flow import FlowRow
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import example_row, set_choices, spin
from lab_app.qt.shell.text_edit import GuardedTextEdit

EXAMPLE_WORD = "bank"


def example_sentences(word: str) -> list[str]:
    """Two sentences of each of the word's two senses (bank: a river's ×2, an account ×2)."""
    senses = list(EXAMPLES[word].values())
    return [*senses[0][:2], *senses[1][:2]]


class ContextPage(QWidget):
    answered = Signal()
    status = Signal(str)

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._entries: dict[str, Entry] = {}
        self.result: ContextResult | None = None
        self.runner = Runner(self)
        self._zoom = 1.0
        self._build()
        self._connect()
        self.reload_models()

    def _build(self) -> None:
        self.word = QLineEdit(EXAMPLE_WORD)
        self.word.setAccessibleName("Word")
        self.word.setMaximumWidth(200)
        self.sentences = GuardedTextEdit(limit=50_000)
        self.sentences.setAccessibleName("Sentences, one a line")
        self.sentences.setPlaceholderText("one sentence a line, each with the word in it")
        self.sentences.preferred_lines = 4
        self.sentences.setPlainText("\n".join(example_sentences(EXAMPLE_WORD)))
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model")
        self.layer = spin(0, 1, 1, "Layer (0: the embedding output)")
        self.layer.setToolTip("0 is the embedding output, before any attention")
        self.run_button = QPushButton("Compare")
        self.run_button.setToolTip("The word's vector in each sentence, compared (Enter)")
        row = FlowRow()
        for label, w in (("Word", self.word), ("Model", self.model_combo), ("Layer", self.layer)):
            row.add(QLabel(label), w)
        row.add(self.run_button)
        examples, _ = example_row("Examples:", [(w, w) for w in EXAMPLES], self.choose_example)
        self.error = calm_label("Context problem")
        self.matrix = MatrixTable("Similarity of the word's contextual vectors", numbers_only=True)
        self._map = made_on_show(self._make_map)
        self.maps = QSplitter()
        self.maps.addWidget(self.matrix)
        self.maps.addWidget(self._map.holder)
        self.maps.setSizes([420, 800])
        self.note = QLabel(
            "A static vector gives the word one vector in every sentence; a contextual encoder "
            "gives each occurrence its own. Compare to see how far apart the senses are."
        )
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(examples)
        layout.addWidget(self.sentences)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addWidget(self.maps, 1)

    def _make_map(self) -> WordMap:
        plot = WordMap("The word's vectors on a plane (PCA)")
        plot.set_zoom(self._zoom)
        if self.result is not None:
            self._draw_map(plot, self.result)
        return plot

    def _connect(self) -> None:
        self.run_button.clicked.connect(self.run)
        self.word.returnPressed.connect(self.run)
        self.runner.result_ready.connect(self.show_result)
        self.runner.failed.connect(self._failed)
        self.runner.message_changed.connect(self.status)
        self.model_combo.currentTextChanged.connect(self._model_chosen)

    @property
    def word_map(self) -> WordMap:
        return self._map.get()

    # -- inputs ---------------------------------------------------------------------------------
    def reload_models(self) -> None:
        try:
            self._entries = {e.name: e for e in open_store(self._store).encoders()}
        except UserError as exc:
            self._entries = {}
            self._failed(exc)
        set_choices(self.model_combo, list(self._entries), [DEFAULT_MODEL])
        self.run_button.setEnabled(bool(self._entries))

    def _model_chosen(self, name: str) -> None:
        entry = self._entries.get(name)
        layers = entry.manifest.layers if entry is not None else None
        if layers:
            last = self.layer.value() == self.layer.maximum()
            self.layer.setMaximum(layers)
            if last:
                self.layer.setValue(layers)

    def choose_example(self, word: str) -> None:
        self.word.setText(word)
        self.sentences.setPlainText("\n".join(example_sentences(word)))
        self.run()

    def fill_example(self) -> None:
        self.word.setText(EXAMPLE_WORD)
        self.sentences.setPlainText("\n".join(example_sentences(EXAMPLE_WORD)))

    def run(self) -> None:
        self.error.hide()
        model = self.model_combo.currentText() or None
        lines = self.sentences.toPlainText().splitlines()
        self.runner.start(
            jobs.context_job, self._store, self.word.text(), lines, model, self.layer.value()
        )

    def _failed(self, exc: object) -> None:
        self.error.setText(describe(exc, "Comparing the word's contexts"))
        self.error.show()
        self.status.emit(self.error.text())

    # -- answer ---------------------------------------------------------------------------------
    def show_result(self, result: ContextResult) -> None:
        self.result = result
        self.matrix.show_matrix(result.similarity, result.sentences)
        pieces = ""
        if result.pieces and any(len(p) > 1 for p in result.pieces):
            pieces = " Pieces: " + "; ".join(" ".join(p) for p in result.pieces) + "."
        self.note.setText(result.note + pieces)
        plot = self._map.peek()
        if plot is not None:
            self._draw_map(plot, result)
        self.status.emit(f"{result.model}, layer {result.layer}: '{result.word}' in context")
        self.answered.emit()

    def _draw_map(self, plot: WordMap, result: ContextResult) -> None:
        n = len(result.sentences)
        labels = [f"{i + 1}. {short(s, 18)}" for i, s in enumerate(result.sentences)]
        labels.append(f"one static '{result.word}'")
        plot.show_points(
            labels,
            result.points,
            f"'{result.word}' in {n} sentences, {result.model} layer {result.layer}",
            groups=[0] * n + [1],
            caption=f"{result.model} · layer {result.layer} · word '{result.word}'",
        )

    # -- export, zoom, state --------------------------------------------------------------------
    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        n = len(self.matrix.labels)
        return ("sentence", *(str(i + 1) for i in range(n))), self.matrix.to_rows()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._map.when_made(lambda plot: plot.set_zoom(factor))

    def state(self) -> dict[str, str]:
        return {
            "word": self.word.text(),
            "sentences": self.sentences.toPlainText(),
            "model": self.model_combo.currentText(),
            "layer": str(self.layer.value()),
        }

    def restore(self, state: dict[str, str]) -> None:
        self.word.setText(state.get("word", EXAMPLE_WORD))
        if state.get("sentences"):
            self.sentences.set_text_guarded(state["sentences"])
        if state.get("model") in self._entries:
            self.model_combo.setCurrentText(state["model"])
        layer = str(state.get("layer", ""))  # a number too (a lesson's state, not a saved one)
        if layer.isdigit():
            self.layer.setValue(int(layer))
