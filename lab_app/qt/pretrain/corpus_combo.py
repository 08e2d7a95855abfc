"""The Pre-training pages' corpus chooser: the built-in corpus, or a ``.txt`` the user picks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWidget

from lab_app.qt.shell.file_dialogs import open_path

BUILTIN_CORPUS = "the built-in corpus"
CHOOSE_FILE = "a .txt file…"


class CorpusCombo(QComboBox):
    """ "the built-in corpus", "a .txt file…" (opens a file dialog), and the chosen file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.corpus: Path | None = None  # None: the built-in corpus
        self.setAccessibleName("Corpus")
        self.setToolTip("The text to train on: the built-in one, or a UTF-8 .txt of your own")
        self.addItems([BUILTIN_CORPUS, CHOOSE_FILE])
        self.activated.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        if self.itemText(index) != CHOOSE_FILE:
            data = self.itemData(index)
            self.corpus = Path(data) if data else None
            return
        path = open_path(self, "Train on a text file", "Text files (*.txt *.txt.gz);;All files (*)")
        if path is None:
            self.setCurrentIndex(0 if self.corpus is None else 2)
            return
        self.set_corpus(path)

    def set_corpus(self, path: Path | None) -> None:
        """Train on ``path`` (None: the built-in corpus)."""
        self.corpus = path
        while self.count() > 2:
            self.removeItem(2)
        if path is None:
            self.setCurrentIndex(0)
        else:
            self.addItem(path.name, str(path))
            self.setCurrentIndex(2)
