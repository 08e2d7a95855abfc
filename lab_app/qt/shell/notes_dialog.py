"""Help → Lecture notes: the course text and its corrections, searchable, read-only.

Both are Markdown (bold, lists, pipe tables); Qt renders it, so students read formatted text, not
``**asterisks**`` and ``|`` columns.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.resources import resources_dir


def _read(name: str) -> str:
    path = resources_dir() / "lecture" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        return f"{path} could not be read: {exc}"


class LectureNotesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lecture notes")
        self.setObjectName("lecture_notes")
        self.tabs = QTabWidget()
        self.pages: list[QTextBrowser] = []
        for title, name in (
            ("Lecture notes", "lecture-notes.txt"),
            ("Corrections", "corrections.md"),
        ):
            page = QTextBrowser()
            page.setOpenExternalLinks(False)  # nothing here may reach the network
            page.setMarkdown(_read(name))
            page.setAccessibleName(title)
            self.pages.append(page)
            self.tabs.addTab(page, title)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find in the text (Enter for the next match)")
        self.search.setAccessibleName("Find")
        self.search.returnPressed.connect(self.find_next)
        self.status = QLabel("")
        row = QHBoxLayout()
        row.addWidget(self.search)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tabs)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        self.resize(820, 640)

    def find_next(self) -> bool:
        page = self.pages[self.tabs.currentIndex()]
        text = self.search.text()
        found = bool(text) and page.find(text)
        if text and not found:  # wrap around once
            page.moveCursor(page.textCursor().MoveOperation.Start)
            found = page.find(text, QTextDocument.FindFlag(0))
        self.status.setText("" if found or not text else "not found")
        return bool(found)
