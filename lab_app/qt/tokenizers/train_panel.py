"""Train your own: the three algorithms learned from one text, next to the real tokenizers.

Training runs on the panel's own runner (typing in the tab must not cancel it). When it is done
the panel emits ``trained_changed``; the tab then cuts the current sentence with the trained
tokenizers as you type and hands both cuts back through :meth:`show_cuts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.progress import Progress
from lab_app.core.tokenizers.stats import Cut
from lab_app.core.tokenizers.tokenize import display_token
from lab_app.core.tokenizers.train import (
    SAMPLE_NAME,
    TrainedTokenizers,
    sample_training_text,
    train_tokenizers,
    training_text_from_file,
)
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.file_dialogs import open_path
from lab_app.qt.shell.flow import FlowRow
from lab_app.qt.shell.job_controls import job_controls
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.style import TOKENIZER_COLOURS
from lab_app.qt.tokenizers.chips import Chip, TokenColumn

MAX_LISTED = 3000
_ALGORITHMS = (
    ("wordpiece", "WordPiece (as BERT)"),
    ("bpe", "BPE, byte-level (as GPT-2)"),
    ("sentencepiece", "Unigram (SentencePiece's default)"),
)
_RED = "<span style='color:#C0392B'>{}</span>"


def _train_job(
    report: Progress, path: Path | None, vocab_size: int, sentence: str
) -> TrainedTokenizers:
    text = sample_training_text() if path is None else training_text_from_file(path)
    source = SAMPLE_NAME if path is None else path.name
    return train_tokenizers(report, text, vocab_size, sentence, source=source)


class TrainPanel(QWidget):
    trained_changed = Signal(object)  # TrainedTokenizers
    shown = Signal()

    def __init__(self, sentence: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sentence = sentence
        self._path: Path | None = None
        self.runner = Runner(self)
        self.result: TrainedTokenizers | None = None

        self.source = QComboBox()
        self.source.addItems(
            [f"{SAMPLE_NAME} (lecture passage + help-desk chatbot)", "a text file…"]
        )
        self.source.setAccessibleName("Training text")
        self.file_button = QPushButton("Choose file…")
        self.file_button.setAccessibleName("Choose a training text file")
        self.vocab = QSpinBox()
        self.vocab.setRange(0, 99_999_999)
        self.vocab.setGroupSeparatorShown(True)
        self.vocab.setValue(1000)
        self.vocab.setAccessibleName("Vocabulary size")
        self.train_button = QPushButton("Train")
        self.train_button.setAccessibleName("Train the three tokenizers")
        self.cancel_button, self.progress = job_controls(
            self.runner, "Cancel training", "Training progress"
        )
        self.message = QLabel(
            "Pick a text and a vocabulary size, then Train: all three algorithms learn from the "
            "same text, so only the algorithm differs. (The `tokenizers` library's WordPiece "
            "trainer picks merges by frequency, as BPE does; Google's original scored them by "
            "likelihood.)"
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Training message")

        top = FlowRow().add(
            QLabel("Train on"), self.source, self.file_button, QLabel("vocabulary size"),
            self.vocab, self.train_button, self.cancel_button, self.progress,
        )  # fmt: skip

        grid = QGridLayout()
        self.real: list[TokenColumn] = []
        self.trained: list[TokenColumn] = []
        self.vocab_lists: list[QListWidget] = []
        for c, (name, label) in enumerate(_ALGORITHMS):
            colour = TOKENIZER_COLOURS[name]
            real = TokenColumn(name, colour, f"Real {name} tokenizer")
            trained = TokenColumn(name, colour, f"Trained {label}: not trained yet")
            lst = QListWidget()
            lst.setAccessibleName(f"Trained {label} vocabulary")
            for w in (real, trained, lst):  # they scroll: let a small window squeeze them
                w.setMinimumHeight(3 * self.fontMetrics().height())
            grid.addWidget(real, 0, c)
            grid.addWidget(trained, 1, c)
            grid.addWidget(lst, 2, c)
            self.real.append(real)
            self.trained.append(trained)
            self.vocab_lists.append(lst)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addLayout(grid, 1)

        self.file_button.clicked.connect(self._pick_file)
        self.source.currentIndexChanged.connect(self._on_source)
        self.train_button.clicked.connect(self.train)
        self.cancel_button.clicked.connect(self._cancel)
        self.runner.busy_changed.connect(self._on_busy)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)

    # -- actions ---------------------------------------------------------------------------------
    def _on_source(self, index: int) -> None:
        if index == 1 and self._path is None:
            self._pick_file()

    def _pick_file(self) -> None:
        path = open_path(
            self, "Training text", "Text files (*.txt *.md *.csv *.tsv);;All files (*)"
        )
        if path is not None:
            self.set_file(path)
        elif self._path is None:
            self.source.setCurrentIndex(0)

    def set_file(self, path: Path | None) -> None:
        """Train on ``path`` from now on (None: the built-in sample)."""
        self._path = path
        self.source.blockSignals(True)
        self.source.setItemText(1, path.name if path else "a text file…")
        self.source.setCurrentIndex(0 if path is None else 1)
        self.source.blockSignals(False)

    def train(self) -> None:
        """Train on the chosen text (the button and Ctrl+Enter): refused while a training runs,
        as the disabled button says."""
        if self.runner.busy:
            return
        size = self.vocab.value()
        path = self._path if self.source.currentIndex() == 1 else None
        self.message.setText(f"Training on {path.name if path else SAMPLE_NAME}…")
        self.runner.start(_train_job, path, size, self._sentence())

    def _cancel(self) -> None:
        self.runner.cancel()
        self.message.setText("Training cancelled.")

    def _on_busy(self, busy: bool) -> None:
        self.train_button.setEnabled(not busy)

    def _on_failed(self, exc: object) -> None:
        text = describe(exc, "Training the tokenizers")
        self.message.setText(_RED.format(text))

    def _on_result(self, result: object) -> None:
        assert isinstance(result, TrainedTokenizers)
        self.result = result
        for tok, vocab, col, lst in zip(
            result.tokenizers, result.vocabularies, self.trained, self.vocab_lists, strict=True
        ):
            col.set_title(f"{tok.algorithm} · {len(vocab):,} entries · trained on {result.source}")
            lst.clear()
            shown = [
                f"{i:>6}  {display_token(tok.name, t)}" for i, t in enumerate(vocab[:MAX_LISTED])
            ]
            if len(vocab) > MAX_LISTED:
                shown.append(f"… and {len(vocab) - MAX_LISTED:,} more")
            lst.addItems(shown)
        lines = [f"Trained on {result.source} with {result.vocab_size:,} entries asked for."]
        lines += result.notes
        self.message.setText("<br>".join(lines))
        self.trained_changed.emit(result)

    def show_cuts(
        self,
        real: Sequence[Cut],
        trained: Sequence[Cut],
        text: str,
        chips: Sequence[list[Chip]] = (),
    ) -> None:
        """The current sentence, cut by the real tokenizers and (when trained) by the student's;
        ``chips``, when given, are the ready-made chips of ``real`` then ``trained``."""
        made: list[list[Chip] | None] = list(chips) or [None] * (len(real) + len(trained))
        for col, cut, ready in zip(self.real, real, made, strict=False):
            col.set_title(f"Real: {cut.tokenizer.label}")
            col.set_cut(cut, text, chips=ready)
        for col, cut, ready in zip(self.trained, trained, made[len(real) :], strict=False):
            col.set_cut(cut, text, chips=ready)
        if not trained:
            for col in self.trained:
                col.set_cut(None, text, "Train to see this text cut by your own tokenizer.")
        self.shown.emit()
