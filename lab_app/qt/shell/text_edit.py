"""A text box that never takes a text too long for Qt to lay out on the GUI thread.

Qt lays a very long single line out slowly (a bare ``QPlainTextEdit`` takes over a minute for
1 MB), so a paste or a drop longer than the box's limit is not inserted: ``long_text_pasted``
carries it to the tab, which sends it where long text belongs (the Tokenizers tab: corpus mode)
or says calmly that it was too long. What the box held stays as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

#: Measured on two busy cores: one 50,000-character line lays out in ~45 ms (a keystroke in it
#: ~25 ms), 200,000 characters of short lines in ~20 ms, 1 MB of short lines in ~140 ms and one
#: 1 MB line in over a minute (both too long for the GUI thread).
LIVE_LIMIT = 200_000
LINE_LIMIT = 60_000


class GuardedTextEdit(QPlainTextEdit):
    long_text_pasted = Signal(str)
    #: The height it asks for, in lines of its font (0: Qt's own hint, about eight lines). A
    #: layout with room to spare gives it this much and the rest to the answer below it.
    preferred_lines = 0

    def __init__(
        self, limit: int = LIVE_LIMIT, line_limit: int = LINE_LIMIT, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.limit, self.line_limit = limit, line_limit

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.preferred_lines:
            margins = self.contentsMargins().top() + self.contentsMargins().bottom()
            lines = self.fontMetrics().lineSpacing() * self.preferred_lines
            hint.setHeight(lines + margins + 2 * int(self.document().documentMargin()))
        return hint

    def fits(self, text: str, already: int = 0) -> bool:
        """Whether ``text`` (added to ``already`` characters) is short enough to lay out."""
        if already + len(text) > self.limit:
            return False
        return len(text) <= self.line_limit or max(map(len, text.splitlines())) <= self.line_limit

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        kept = len(self.toPlainText()) - len(self.textCursor().selectedText())
        if not self.fits(text, kept):
            self.long_text_pasted.emit(text)
            return
        super().insertFromMimeData(source)

    def set_text_guarded(self, text: str) -> bool:
        """``setPlainText`` when ``text`` fits; otherwise emit ``long_text_pasted``. True if set."""
        if not self.fits(text):
            self.long_text_pasted.emit(text)
            return False
        self.setPlainText(text)
        return True
