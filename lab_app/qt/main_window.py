"""The main window: one tab per lab. The labs' own tabs land with their issues."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from lab_app import __version__

TABS = (
    ("tab_fill_mask", "Fill-mask", "Watch BERT fill a [MASK], layer by layer."),
    ("tab_tokenizers", "Tokenizers", "WordPiece, BPE and SentencePiece cut the same text."),
    ("tab_specs", "Model specs", "The lecture's tables, corrected, and a parameter calculator."),
    ("tab_embeddings", "Embeddings", "Chatbot utterances through BERT and SBERT, in PCA and UMAP."),
)


def _placeholder(title: str, blurb: str, store_line: str) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    label = QLabel(
        f"<h2>{title}</h2><p>{blurb}</p><p><i>This lab's tab is coming. Until then, its "
        f"command-line twin works: run <code>bert-lab --help</code>.</i></p><p>{store_line}</p>"
    )
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(label)
    return page


class MainWindow(QMainWindow):
    def __init__(self, store_line: str = "") -> None:
        super().__init__()
        self.setWindowTitle(f"BERT Lab {__version__}")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        for i, (obj, title, blurb) in enumerate(TABS):
            page = _placeholder(title, blurb, store_line)
            page.setObjectName(obj)
            page.setAccessibleName(title)
            self.tabs.addTab(page, title)
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
            self.addAction(act)
        self.setCentralWidget(self.tabs)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menuBar().addMenu("&File").addAction(quit_action)
        self.statusBar().showMessage(store_line)
        self.resize(1100, 720)
