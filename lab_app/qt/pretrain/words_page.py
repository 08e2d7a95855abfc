"""The Word vectors page: static vectors as word2vec and GloVe made them.

Three questions asked of one table of vectors at once (nearest neighbours of a word, an analogy
a : b :: c : ?, and a 2-D map of chosen words), and "Train on…", which trains new vectors on the
built-in corpus or a .txt file (PPMI-SVD or skip-gram) and uses them for the rest of the session:
nothing is written to disk. Loading and training run on the page's runners, never here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.pretrain import jobs
from lab_app.qt.pretrain.corpus_combo import CorpusCombo
from lab_app.qt.pretrain.views import ScoreTable, WordMap, calm_label
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.job_controls import job_controls
from lab_app.qt.shell.lazy_tabs import made_on_show
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import spin

if TYPE_CHECKING:
    from lab_app.core.pretrain.vectors import WordVectors

EXAMPLE_WORD = "king"
EXAMPLE_ANALOGY = ("man", "king", "woman")
EXAMPLE_MAP = "king queen man woman prince princess boy girl father mother son daughter"
METHODS = (
    # Short names: the row must fit 1280 px at a classroom zoom of 1.5; the tooltip says more.
    ("PPMI-SVD (like GloVe)", "ppmi-svd"),
    ("skip-gram, SGNS (word2vec)", "sgns"),
)


def _edit(text: str, name: str, width: int = 0) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(name)
    if width:
        edit.setMaximumWidth(width)
    return edit


class WordsPage(QWidget):
    """Neighbours, analogy and map of static word vectors; training new ones for the session."""

    answered = Signal()
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vectors: WordVectors | None = None  # None: the built-in vectors
        self.answer: jobs.WordsAnswer | None = None
        self.runner = Runner(self)
        self.train_runner = Runner(self)
        self._zoom = 1.0
        self._build()
        self._connect()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.vectors_label = QLabel("Vectors: the built-in ones (bert-lab-words)")
        self.vectors_label.setWordWrap(True)
        self.builtin_button = QPushButton("Use the built-in vectors")
        self.builtin_button.setEnabled(False)
        self.word = _edit(EXAMPLE_WORD, "Word", 200)
        self.analogy = [
            _edit(w, n, 140) for w, n in zip(EXAMPLE_ANALOGY, ("a", "b", "c"), strict=True)
        ]
        self.map_words = _edit(EXAMPLE_MAP, "Words on the map")
        self.run_button = QPushButton("Show")
        self.run_button.setToolTip("Neighbours, analogy and map (Enter)")
        grid = QGridLayout()
        grid.addWidget(QLabel("Nearest neighbours of"), 0, 0)
        grid.addWidget(self.word, 0, 1)
        analogy = QHBoxLayout()
        for i, edit in enumerate(self.analogy):
            analogy.addWidget(edit)
            analogy.addWidget(QLabel(("is to", "as", "is to ?")[i]))
        analogy.addStretch(1)
        grid.addWidget(QLabel("Analogy"), 1, 0)
        grid.addLayout(analogy, 1, 1)
        grid.addWidget(QLabel("Map these words"), 2, 0)
        grid.addWidget(self.map_words, 2, 1)
        grid.addWidget(self.run_button, 2, 2)
        grid.setColumnStretch(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.vectors_label, 1)
        top.addWidget(self.builtin_button)
        self.error = calm_label("Word vectors problem")

        self.neighbours = ScoreTable("Nearest neighbours")
        self.neighbours_error = calm_label("Neighbours problem")
        self.answers = ScoreTable("Analogy answers")
        self.analogy_error = calm_label("Analogy problem")
        self.analogy_title = QLabel("a : b :: c : ?")
        self.neighbours_title = QLabel("Nearest neighbours")
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        for w in (self.neighbours_title, self.neighbours_error, self.neighbours):
            column.addWidget(w, 2 if w is self.neighbours else 0)
        for w in (self.analogy_title, self.analogy_error, self.answers):
            column.addWidget(w, 1 if w is self.answers else 0)
        self._map = made_on_show(self._make_map)
        self.map_note = QLabel()
        self.map_note.setWordWrap(True)
        self.map_error = calm_label("Map problem")
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._map.holder, 1)
        column.addWidget(self.map_error)
        column.addWidget(self.map_note)
        self.results = QSplitter()
        self.results.addWidget(left)
        self.results.addWidget(right)
        self.results.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.results, 1)
        layout.addWidget(self._train_box())

    def _train_box(self) -> QGroupBox:
        box = QGroupBox(
            "Train on…  (the new vectors answer for this session only; nothing is saved)"
        )
        self.corpus_combo = CorpusCombo()
        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName("Training method")
        self.method_combo.setToolTip(
            "PPMI-SVD: co-occurrence counts → positive PMI → SVD, GloVe's idea, in seconds. "
            "SGNS: word2vec's skip-gram with negative sampling, slower here."
        )
        for label, method in METHODS:
            self.method_combo.addItem(label, method)
        self.dim = spin(10, 300, 100, "Dimensions")
        self.train_button = QPushButton("Train")
        self.cancel_button, self.train_progress = job_controls(
            self.train_runner, "Cancel training", "Training progress"
        )
        self.train_message = QLabel()
        self.train_message.setWordWrap(True)
        self.train_error = calm_label("Training problem")
        row = QHBoxLayout()
        for label, w in (("Corpus", self.corpus_combo), ("Method", self.method_combo),
                         ("Dimensions", self.dim)):  # fmt: skip
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addWidget(self.train_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.train_progress, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.train_message)
        layout.addWidget(self.train_error)
        return box

    def _make_map(self) -> WordMap:
        plot = WordMap("Word vectors on a plane (PCA)")
        plot.set_zoom(self._zoom)
        if self.answer is not None:
            self._draw_map(plot, self.answer)
        return plot

    def _connect(self) -> None:
        self.run_button.clicked.connect(self.run)
        for edit in (self.word, *self.analogy, self.map_words):
            edit.returnPressed.connect(self.run)
        self.runner.result_ready.connect(self.show_answer)
        self.runner.failed.connect(self._failed)
        self.runner.message_changed.connect(self.status)
        self.neighbours.picked.connect(self.look_up)
        self.answers.picked.connect(self.look_up)
        self.builtin_button.clicked.connect(self.use_builtin)
        self.train_button.clicked.connect(self.train)
        self.cancel_button.clicked.connect(self.cancel_training)
        self.train_runner.result_ready.connect(self._trained)
        self.train_runner.failed.connect(self._train_failed)
        self.train_runner.message_changed.connect(self.train_message.setText)
        self.train_runner.busy_changed.connect(lambda busy: self.train_button.setEnabled(not busy))

    # -- queries ------------------------------------------------------------------------------
    @property
    def word_map(self) -> WordMap:
        return self._map.get()

    def query(self) -> jobs.WordQuery:
        a, b, c = (e.text() for e in self.analogy)
        return jobs.WordQuery(self.word.text(), (a, b, c), jobs.split_words(self.map_words.text()))

    def fill_example(self) -> None:
        self.word.setText(EXAMPLE_WORD)
        for edit, w in zip(self.analogy, EXAMPLE_ANALOGY, strict=True):
            edit.setText(w)
        self.map_words.setText(EXAMPLE_MAP)

    def run(self) -> None:
        self.error.hide()
        self.runner.start(jobs.words_job, self.vectors, self.query())

    def look_up(self, word: str) -> None:
        """A double-clicked answer becomes the word whose neighbours are shown."""
        self.word.setText(word)
        self.run()

    def _failed(self, exc: object) -> None:
        self.error.setText(describe(exc, "Looking up the word vectors"))
        self.error.show()
        self.status.emit(self.error.text())

    def show_answer(self, answer: jobs.WordsAnswer) -> None:
        self.answer = answer
        q, v = answer.query, answer.vectors
        self._name_vectors(v)
        self.neighbours_title.setText(f"Nearest neighbours of “{q.word.strip().lower()}”")
        self.neighbours.show_scores(answer.neighbours)
        a, b, c = (w.strip().lower() for w in q.analogy)
        self.analogy_title.setText(f"{a} : {b} :: {c} : ?   (nearest to {b} − {a} + {c})")
        self.answers.show_scores(answer.answers)
        for part, label in (("neighbours", self.neighbours_error),
                            ("analogy", self.analogy_error), ("map", self.map_error)):  # fmt: skip
            exc = answer.errors.get(part)
            label.setText(describe(exc, part) if exc is not None else "")
            label.setVisible(exc is not None)
        left = f"Not in the vocabulary: {', '.join(answer.left_out)}." if answer.left_out else ""
        self.map_note.setText(left)
        self.map_note.setVisible(bool(left))
        plot = self._map.peek()
        if plot is not None:
            self._draw_map(plot, answer)
        self.status.emit(f"{v.name}: {len(v.words):,} words × {v.dim} dimensions")
        self.answered.emit()

    def _draw_map(self, plot: WordMap, answer: jobs.WordsAnswer) -> None:
        if answer.points is None:
            plot.show_points([], np.zeros((0, 2)), "Word vectors (PCA)")
            return
        plot.show_points(
            answer.mapped,
            answer.points,
            f"{len(answer.mapped)} words, PCA to 2-D",
            caption=f"vectors {answer.vectors.name} · PCA of the chosen words",
        )

    def _name_vectors(self, v: WordVectors) -> None:
        which = "trained here" if self.vectors is not None else "the built-in ones"
        self.vectors_label.setText(
            f"Vectors: {which}: {v.name} ({len(v.words):,} words × {v.dim} dimensions)"
        )
        self.builtin_button.setEnabled(self.vectors is not None)

    # -- training -----------------------------------------------------------------------------
    @property
    def corpus(self) -> Path | None:
        return self.corpus_combo.corpus

    def set_corpus(self, path: Path | None) -> None:
        """Train on ``path`` (None: the built-in corpus)."""
        self.corpus_combo.set_corpus(path)

    def train(self) -> None:
        if self.train_runner.busy:
            return
        self.train_error.hide()
        method = str(self.method_combo.currentData())
        self.train_message.setText("Reading the corpus…")
        self.train_runner.start(jobs.train_job, self.corpus, method, self.dim.value())

    def cancel_training(self) -> None:
        self.train_runner.cancel()
        self.train_message.setText("Training cancelled: the vectors in use are unchanged.")

    def _trained(self, vectors: WordVectors) -> None:
        self.vectors = vectors
        seconds = vectors.meta.get("seconds")
        took = f" in {float(seconds):.1f} s" if isinstance(seconds, (int, float)) else ""
        self.train_message.setText(
            f"Trained {vectors.name}{took}: {len(vectors.words):,} words. They answer below "
            "until you close the app or go back to the built-in vectors."
        )
        self.run()

    def _train_failed(self, exc: object) -> None:
        self.train_message.setText("")
        self.train_error.setText(describe(exc, "Training"))
        self.train_error.show()

    def use_builtin(self) -> None:
        self.vectors = None
        self.train_message.setText("Back to the built-in vectors.")
        self.run()

    # -- export, zoom, state -----------------------------------------------------------------
    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = ("question", "rank", "word", "cosine")
        rows: list[list[object]] = []
        if self.answer is not None:
            q = self.answer.query
            asked = f"neighbours of {q.word.strip().lower()}"
            a, b, c = (w.strip().lower() for w in q.analogy)
            for title, scores in ((asked, self.answer.neighbours),
                                  (f"{a} : {b} :: {c} : ?", self.answer.answers)):  # fmt: skip
                rows += [[title, i + 1, w, round(s, 6)] for i, (w, s) in enumerate(scores)]
        return header, rows

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._map.when_made(lambda plot: plot.set_zoom(factor))

    def state(self) -> dict[str, str]:
        return {
            "word": self.word.text(),
            "analogy": " ".join(e.text() for e in self.analogy),
            "map": self.map_words.text(),
        }

    def restore(self, state: dict[str, str]) -> None:
        self.word.setText(state.get("word", EXAMPLE_WORD))
        words = state.get("analogy", "").split()
        if len(words) == 3:
            for edit, w in zip(self.analogy, words, strict=True):
                edit.setText(w)
        self.map_words.setText(state.get("map", EXAMPLE_MAP))
