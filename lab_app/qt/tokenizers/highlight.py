"""The Tokenizers lab's linked highlighting: selecting (or hovering) part of the input lights up
the chips that cover it in every column; hovering a chip lights up its span in the input and the
chips of the other columns that cover the same characters."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from lab_app.core.tokenizers.offsets import covering, index_to_utf16, utf16_to_index
from lab_app.qt.tokenizers.chips import MAX_CHIPS, TokenColumn


class SpanHighlighter(QObject):
    """Links ``editor`` with the chip columns that ``columns()`` lists at the time."""

    def __init__(
        self, editor: QPlainTextEdit, columns: Callable[[], list[TokenColumn]], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.editor, self._columns = editor, columns
        self._hovering = False
        editor.viewport().setMouseTracking(True)  # hover highlights without a button held
        editor.viewport().installEventFilter(self)
        editor.selectionChanged.connect(self.show_selection)

    def watch(self, column: TokenColumn) -> None:
        column.chip_hovered.connect(lambda i: self.chip_hovered(column, i))

    def highlight_span(self, start: int, end: int) -> None:
        """Light up, in every column, the chips that cover code points ``[start, end)``."""
        for col in self._columns():
            if col.cut is not None:
                col.view.set_highlight(covering(col.cut.result.offsets[:MAX_CHIPS], start, end))

    def clear(self) -> None:
        for col in self._columns():
            col.view.set_highlight([])

    def show_selection(self) -> None:
        if self._hovering:
            return
        cursor, text = self.editor.textCursor(), self.editor.toPlainText()
        if not cursor.hasSelection():
            self.clear()
            return
        start = utf16_to_index(text, cursor.selectionStart())
        self.highlight_span(start, utf16_to_index(text, cursor.selectionEnd()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor.viewport():
            if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                pos = event.position().toPoint()
                cursor = self.editor.cursorForPosition(pos)
                at = cursor.position()
                if pos.x() < self.editor.cursorRect(cursor).x() and at > 0:
                    at -= 1  # the pointer is over the character before the cursor
                text = self.editor.toPlainText()
                self._hovering = True
                index = utf16_to_index(text, at)
                if index < len(text):
                    self.highlight_span(index, index + 1)
            elif event.type() == QEvent.Type.Leave:
                self._hovering = False
                self.show_selection()
        return super().eventFilter(watched, event)

    def chip_hovered(self, column: TokenColumn, i: int) -> None:
        if i < 0 or column.cut is None:
            self.editor.setExtraSelections([])
            self.show_selection()
            return
        start, end = column.cut.result.offsets[i]
        if end > start:
            self.highlight_span(start, end)
        else:
            self.clear()
        column.view.set_highlight([i])
        text = self.editor.toPlainText()
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(index_to_utf16(text, start))
        cursor.setPosition(index_to_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(column.view.colour).lighter(150))
        sel.cursor, sel.format = cursor, fmt
        self.editor.setExtraSelections([sel])
