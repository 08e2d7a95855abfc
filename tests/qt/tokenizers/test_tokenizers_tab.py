"""The Tokenizers tab on the real store: chips equal the core's cut, counts follow the text,
highlights map spans back (multi-byte characters included), training, replay, corpus, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tokenizer_views import NAMES, WAIT, _chips, _ref, _wait_for

from lab_app.core.tokenizers import stats as token_stats
from lab_app.core.tokenizers.corpus import corpus_stats
from lab_app.core.tokenizers.offsets import covering
from lab_app.qt.tokenizers.chips import MAX_CHIPS, ChipView
from lab_app.qt.tokenizers.notes import EXAMPLES
from lab_app.qt.tokenizers.tab import TokenizersTab


def _assert_columns_match(tab: TokenizersTab, root: Path, text: str) -> None:
    for col, name in zip(tab.columns, NAMES, strict=True):
        ref = _ref(root, name, text)
        assert col.view.chip_texts() == _chips(root, name, text), name
        assert [c.span for c in col.view.chips()] == ref.offsets[:MAX_CHIPS]
        assert f"<b>{len(ref.tokens):,}</b> tokens" in col.counts.text()


def test_empty_state_teaches(tab: TokenizersTab) -> None:
    assert tab.text() == ""
    for col in tab.columns:
        assert col.view.chip_texts() == []
        assert "example" in col.view.placeholder
    labels = [b.text() for b in tab.example_buttons]
    assert labels == [label for label, _ in EXAMPLES]
    assert "175,000,000,000" in labels and "Emoji" in labels


def test_typing_updates_chips_and_counts(
    qtbot: QtBot, tab: TokenizersTab, built_store: Path
) -> None:
    qtbot.keyClicks(tab.editor, "Tokenization is fun")
    _wait_for(qtbot, tab, "Tokenization is fun")
    _assert_columns_match(tab, built_store, "Tokenization is fun")
    assert tab.columns[0].view.chip_texts() == ["token", "##ization", "is", "fun"]
    assert "tokens/word" in tab.columns[1].counts.text()


def test_examples(qtbot: QtBot, tab: TokenizersTab, built_store: Path) -> None:
    for button, (_, text) in zip(tab.example_buttons, EXAMPLES, strict=True):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        _wait_for(qtbot, tab, text)
        _assert_columns_match(tab, built_store, text)
    # the code example keeps its indentation visible; the number example splits Llama's digits
    sp = tab.columns[2].view.chip_texts()
    assert sp.count("0") == 9


def test_whitespace_markers(qtbot: QtBot, tab: TokenizersTab) -> None:
    tab.set_text("def f():\n    return 1 🙂")
    _wait_for(qtbot, tab, "def f():\n    return 1 🙂")
    wp, bpe, sp = (c.view.chip_texts() for c in tab.columns)
    assert "[UNK]" in wp
    assert "↵" in bpe and any(t.startswith("␣") for t in bpe)
    assert "<0x0A>" in sp and "<0xF0>" in sp and any(t.startswith("▁") for t in sp)
    byte_chips = [c for c in tab.columns[2].view.chips() if c.byte]
    assert [c.raw for c in byte_chips][-4:] == [bytes([b]) for b in "🙂".encode()]


def test_selection_and_hover_map_multibyte_spans(
    qtbot: QtBot, tab: TokenizersTab, built_store: Path
) -> None:
    text = "a 🙂 é"
    tab.set_text(text)
    _wait_for(qtbot, tab, text)
    # select the emoji: Qt counts it as two UTF-16 units (2..4), Python as one character (2..3)
    cursor = tab.editor.textCursor()
    cursor.setPosition(2)
    cursor.setPosition(4, QTextCursor.MoveMode.KeepAnchor)
    tab.editor.setTextCursor(cursor)
    for col, name in zip(tab.columns, NAMES, strict=True):
        expected = covering(_ref(built_store, name, text).offsets, 2, 3)
        assert expected, name
        assert col.view.highlighted() == expected, name
    sp_lit = [tab.columns[2].view.chips()[i].text for i in tab.columns[2].view.highlighted()]
    assert sp_lit == ["<0xF0>", "<0x9F>", "<0x99>", "<0x82>"]
    # the training page, made only now, lights up the same selection in its real columns
    assert tab.train_panel.real[1].view.highlighted() == tab.columns[1].view.highlighted()

    # hovering a byte chip lights up its character in the other columns and in the input
    cursor.clearSelection()
    tab.editor.setTextCursor(cursor)
    view = tab.columns[2].view
    i = view.chip_texts().index("<0x99>")
    centre = QPointF(view.chip_rect(i).center())
    move = QMouseEvent(
        QEvent.Type.MouseMove, centre, view.mapToGlobal(centre),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(view, move)
    assert view.current == i
    assert "id 156" in tab.columns[2].info.text() and "bytes 99" in tab.columns[2].info.text()
    bpe_expected = covering(_ref(built_store, "bpe", text).offsets, 2, 3)
    assert tab.columns[1].view.highlighted() == bpe_expected
    (sel,) = tab.editor.extraSelections()
    assert (sel.cursor.selectionStart(), sel.cursor.selectionEnd()) == (2, 4)
    QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))
    assert tab.editor.extraSelections() == [] and tab.columns[1].view.highlighted() == []

    # hovering the emoji in the input: the pointer between its left and right cursor edges
    port = tab.editor.viewport()
    left, right = (tab.editor.cursorRect(_cursor_at(tab, p)) for p in (2, 4))
    point = QPointF((left.x() + right.x()) / 2, left.center().y())
    hover = QMouseEvent(
        QEvent.Type.MouseMove, point, port.mapToGlobal(point),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(port, hover)
    assert tab.columns[1].view.highlighted() == bpe_expected
    assert tab.columns[0].view.highlighted() == covering(
        _ref(built_store, "wordpiece", text).offsets, 2, 3
    )
    QApplication.sendEvent(port, QEvent(QEvent.Type.Leave))
    assert tab.columns[1].view.highlighted() == []


def _cursor_at(tab: TokenizersTab, pos: int) -> QTextCursor:
    cursor = QTextCursor(tab.editor.document())
    cursor.setPosition(pos)
    return cursor


def test_ctrl_enter_reruns_without_waiting(qtbot: QtBot, tab: TokenizersTab) -> None:
    tab.editor.setPlainText("hello world")
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        qtbot.keyClick(tab.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not tab._timer.isActive()  # ran at once, not after the debounce
    assert tab.text() == "hello world"  # the shortcut did not type a line break


def test_long_text_is_capped_with_a_message(
    qtbot: QtBot, tab: TokenizersTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(token_stats, "MAX_LIVE_CHARS", 30_000)
    text = "The library opens at eight. " * 2000  # 56,000 characters
    tab.set_text(text)
    _wait_for(qtbot, tab, text[:30_000])
    assert "30,000" in tab.note.text()
    assert len(tab.columns[1].view.chips()) == MAX_CHIPS
    assert f"first {MAX_CHIPS:,}" in tab.columns[1].info.text()


def test_one_megabyte_goes_to_corpus_mode(qtbot: QtBot, tab: TokenizersTab) -> None:
    """A megabyte is too long to lay out on the GUI thread: corpus mode counts all of it, and
    the box keeps what it had (tests/qt/shell/test_responsiveness.py times the paste)."""
    line = "Is the library open on Sunday? Zoë's café 🙂 opens at 8am.\n"
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    tab.editor.setPlainText("kept")
    with qtbot.waitSignal(tab.corpus.shown, timeout=WAIT):
        tab.set_text(text)
        assert tab.corpus.runner.busy  # counted off the GUI thread
    assert tab.text() == "kept"
    assert tab.pages.currentWidget() is tab.corpus
    result = tab.corpus.result
    assert result is not None and result.source.startswith("the pasted text (1.")
    assert result.lines == text.count("\n") + (not text.endswith("\n"))


def test_store_without_tokenizers(qtbot: QtBot, tmp_path: Path) -> None:
    widget = TokenizersTab(tmp_path)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.banner.isVisibleTo(widget), timeout=WAIT)
    assert "bert-lab models build" in widget.banner.text()
    assert "bert-lab models build" in widget.columns[0].view.placeholder
    assert widget.export_filters() == ""
    assert widget.shutdown(5000)


def test_corpus_mode_and_exports(
    qtbot: QtBot, tab: TokenizersTab, tmp_path: Path, built_store: Path
) -> None:
    text = "Zoë's café opens at 8am.\n\nthe library 🙂 東京\n" * 20
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    tab.pages.setCurrentIndex(1)
    with qtbot.waitSignal(tab.corpus.shown, timeout=WAIT):
        tab.corpus.load(path)
    expected = corpus_stats(lambda d, t: True, tab.tokenizers, text, "corpus.txt")
    table: QTableWidget = tab.corpus.table
    assert table.rowCount() == 3
    for r, s in enumerate(expected.totals):
        assert table.item(r, 1).text() == f"{s.tokens:,}"
        assert table.item(r, 2).text() == f"{s.words:,}"
    assert tab.corpus.histogram_data() == [list(map(float, h)) for h in expected.histograms]
    assert "corpus.txt" in tab.corpus.plot.getPlotItem().titleLabel.text

    assert tab.export_filters() == "CSV table (*.csv);;PNG image (*.png);;SVG image (*.svg)"
    out = tmp_path / "totals.csv"
    tab.export_to(out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r[2] for r in rows[1:4]] == [str(s.tokens) for s in expected.totals]
    for suffix in (".png", ".svg"):
        tab.export_to(tmp_path / f"hist{suffix}")
        assert (tmp_path / f"hist{suffix}").stat().st_size > 1000

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    tab.corpus.load(bad)
    qtbot.waitUntil(lambda: "not UTF-8" in tab.corpus.message.text(), timeout=WAIT)


def test_live_counts_export(qtbot: QtBot, tab: TokenizersTab, tmp_path: Path) -> None:
    assert tab.export_filters() == ""
    tab.set_text("hello world")
    _wait_for(qtbot, tab, "hello world")
    assert tab.export_filters() == "CSV table (*.csv)"
    out = tmp_path / "counts.csv"
    tab.export_to(out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[1][:5] == ["WordPiece", "bert-base-uncased", "2", "11", "2"]


def test_state_round_trip(qtbot: QtBot, tab: TokenizersTab, built_store: Path) -> None:
    tab.set_text("Zoë 🙂")
    tab.pages.setCurrentIndex(3)
    tab.train_panel.vocab.setValue(777)
    settings = QSettings("bert-lab-test", "tokenizers")
    settings.beginGroup(TokenizersTab.SETTINGS_GROUP)
    tab.save_state(settings)
    other = TokenizersTab(built_store)
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: other.loaded, timeout=WAIT)
    other.restore_state(settings)
    settings.endGroup()
    assert other.text() == "Zoë 🙂"
    assert other.pages.currentIndex() == 3
    assert other.train_panel.vocab.value() == 777
    _wait_for(qtbot, other, "Zoë 🙂")
    assert other.shutdown(10_000)
    _wait_for(qtbot, tab, "Zoë 🙂")


def test_every_control_is_named_and_reachable(tab: TokenizersTab) -> None:
    kinds = (QPushButton, QPlainTextEdit, QLineEdit, QComboBox, QSpinBox, QSlider, QListWidget,
             QTableWidget, QTextBrowser, ChipView)  # fmt: skip

    def controls() -> list[QWidget]:
        return [
            w for kind in kinds for w in tab.findChildren(kind)
            if not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
        ]  # fmt: skip

    at_open = len(controls())
    tab.show()
    for page in range(tab.pages.count()):  # the training and notes pages are made when shown
        tab.pages.setCurrentIndex(page)
    assert len(controls()) > max(30, at_open)
    for w in controls():
        assert w.accessibleName(), f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, w.accessibleName()


def test_the_tab_loads_tokenizers_built_after_it_opened(
    qtbot: QtBot, tmp_path: Path, built_store_dir: Path
) -> None:
    import shutil

    widget = TokenizersTab(tmp_path)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.banner.isVisibleTo(widget), timeout=WAIT)
    shutil.copytree(built_store_dir / "tokenizers", tmp_path / "tokenizers")  # the build ran
    widget.store_changed()
    qtbot.waitUntil(lambda: widget.loaded, timeout=WAIT)
    assert not widget.banner.isVisibleTo(widget)
    assert widget.shutdown(5000)
