"""The window: a tab per lab, keyboard, zoom, remembered state, build dialog, model manager."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from lab_app.core.models.build import artifacts
from lab_app.qt.main_window import MainWindow
from lab_app.qt.registry import TABS
from lab_app.qt.shell.build_dialog import BuildDialog
from lab_app.qt.shell.model_manager import COLUMNS, ModelManagerDialog
from lab_app.qt.shell.style import ERROR_COLOUR, ERROR_STYLE, OKABE_ITO, TOKENIZER_COLOURS


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(str(tmp_path / "store"), "Model store /tmp/x: 2 models, 3 tokenizers.")
    qtbot.addWidget(w)
    w.show()
    return w


def test_window_has_a_tab_per_lab(window: MainWindow) -> None:
    names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
    assert names == [
        "tab_fill_mask",
        "tab_tokenizers",
        "tab_specs",
        "tab_embeddings",
        "tab_prompting",
        "tab_finetune",
        "tab_inside",
        "tab_pretrain",
        "tab_bench",
    ]
    assert [window.tabs.tabText(i) for i in range(len(TABS))] == [t.title for t in TABS]
    assert "2 models" in window.statusBar().currentMessage()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&View", "&Models", "&Lesson", "&Help"]


def test_ctrl_number_switches_tabs(window: MainWindow) -> None:
    by_key = {a.shortcut().toString(): a for a in window.actions()}
    assert {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+0", "Ctrl+="} <= set(by_key)
    by_key["Ctrl+3"].trigger()
    assert window.tabs.currentWidget().objectName() == "tab_specs"


def test_the_lab_left_behind_is_asked_to_give_back_its_models(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    released: list[str] = []
    for tab in window.lab_tabs:
        monkeypatch.setattr(tab, "release", lambda t=tab: released.append(t.objectName()))
    window.tabs.setCurrentIndex(2)
    assert released == ["tab_fill_mask"]
    window.tabs.setCurrentIndex(1)
    window.tabs.setCurrentIndex(1)
    assert released == ["tab_fill_mask", "tab_specs"]


def test_zoom_scales_the_app_font_and_resets(window: MainWindow) -> None:
    base = QApplication.font().pointSizeF()
    window.step_zoom(+1)
    window.step_zoom(+1)
    assert window.zoom == 1.3
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.3)
    window.set_zoom(1.0)
    assert QApplication.font().pointSizeF() == pytest.approx(base)


@pytest.mark.parametrize("zoom", [1.5, 2.0])
def test_every_tab_fits_a_1280_px_projector(window: MainWindow, zoom: float) -> None:
    assert len(window.lab_tabs) == len(TABS)  # made now: a page not yet built would measure nothing
    window.set_zoom(zoom)
    QApplication.processEvents()
    widths = {
        window.tabs.tabText(i): window.tabs.widget(i).minimumSizeHint().width()
        for i in range(window.tabs.count())
    }
    assert max(widths.values()) <= 1280 - 24, widths  # room for the window frame
    window.set_zoom(1.0)


def test_state_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    first = MainWindow(str(tmp_path))
    qtbot.addWidget(first)
    first.tabs.setCurrentIndex(2)
    first.set_zoom(1.5)
    first.close()
    second = MainWindow(str(tmp_path))
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 2
    assert second.zoom == 1.5
    second.set_zoom(1.0)


def test_build_dialog_reports_an_unreachable_registry(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BERT_LAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(artifacts, "_run_pip", lambda cmd, progress: (1, "network unreachable"))
    dialog = BuildDialog(str(tmp_path / "store"), first_start=True)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.runner.result_ready, timeout=20000):
        dialog.start_button.click()
    assert "could not be built" in dialog.status.text()
    assert "network unreachable" in dialog.status.text()
    assert dialog.start_button.isEnabled()


def test_build_dialog_on_a_built_store_is_quick_and_idempotent(
    qtbot: QtBot, built_store_dir: Path
) -> None:
    dialog = BuildDialog(str(built_store_dir))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.runner.result_ready, timeout=20000):
        dialog.start()
    assert dialog.status.text() == "Done: nothing new."


def test_model_manager_lists_the_store(qtbot: QtBot, built_store_dir: Path) -> None:
    dialog = ModelManagerDialog(str(built_store_dir))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 11, timeout=20000)
    state = COLUMNS.index("State")
    names = {dialog.table.item(r, 0).text(): dialog.table.item(r, state).text() for r in range(11)}
    assert names == {
        "SmolLM2-135M-Instruct": "ok",
        "all-MiniLM-L6-v2": "ok",
        "all-MiniLM-L6-v2-int8": "ok",
        "bert-lab-mlm": "ok",
        "bert-lab-ner": "ok",
        "bert-lab-qa": "ok",
        "bert-lab-nsp": "ok",
        "paraphrase-MiniLM-L3-v2": "ok",
        "wordpiece": "ok",
        "bpe": "ok",
        "sentencepiece": "ok",
    }
    dialog.close()


def test_model_manager_import_error_is_inline(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ModelManagerDialog(str(tmp_path / "store"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=5000)
    with qtbot.waitSignal(dialog.runner.failed, timeout=5000):
        dialog.start_import(str(tmp_path / "no-such-folder"))
    assert "not a folder" in dialog.message.text()


def test_zoom_base_survives_a_second_window(qtbot: QtBot, tmp_path: Path) -> None:
    base = QApplication.font().pointSizeF()
    first = MainWindow(str(tmp_path))
    qtbot.addWidget(first)
    first.set_zoom(1.5)
    second = MainWindow(str(tmp_path))  # made while the app font is zoomed
    qtbot.addWidget(second)
    second.set_zoom(1.0)
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_lecture_notes_open_and_find(qtbot: QtBot) -> None:
    from lab_app.qt.shell.notes_dialog import LectureNotesDialog

    dialog = LectureNotesDialog()
    qtbot.addWidget(dialog)
    assert "Pre-Training, Fine Tuning" in dialog.pages[0].toPlainText()
    assert "12288" in dialog.pages[1].toPlainText()
    for page in dialog.pages:  # rendered Markdown: no raw markers, tables as tables
        assert "**" not in page.toPlainText()
    assert any(page.document().rootFrame().childFrames() for page in dialog.pages), (
        "a pipe table became a table"
    )
    dialog.search.setText("BERT")
    assert dialog.find_next()
    assert dialog.pages[0].textCursor().selectedText() == "BERT"
    dialog.search.setText("no such words here")
    assert not dialog.find_next()
    assert dialog.status.text() == "not found"


def test_inline_messages_share_one_colour_that_no_tokenizer_uses(window: MainWindow) -> None:
    assert len(window.lab_tabs) == len(TABS)  # every tab made (they are built on first show)
    coloured = [
        label
        for label in window.findChildren(QLabel)
        if label.styleSheet().replace(" ", "").startswith("color:")
    ]
    assert len(coloured) >= 5  # fill-mask, calculator fields, attention, embeddings
    assert {label.styleSheet() for label in coloured} == {ERROR_STYLE}
    assert ERROR_COLOUR not in {*TOKENIZER_COLOURS.values(), *OKABE_ITO}


def test_tabs_are_built_on_first_show_with_the_window_zoom(window: MainWindow) -> None:
    assert [p.tab is not None for p in window.pages] == [True] + [False] * (len(TABS) - 1)
    window.set_zoom(1.5)
    window.tabs.setCurrentIndex(2)
    specs = window.pages[2].tab
    assert specs is not None and window.current_tab() is specs
    assert specs.sizes_chart.zoom == pytest.approx(1.5)  # type: ignore[attr-defined]
    assert [p.tab is not None for p in window.pages] == [True, False, True] + [False] * (
        len(TABS) - 3
    )
    window.set_zoom(1.0)


def test_a_tab_never_opened_keeps_its_saved_state(qtbot: QtBot, tmp_path: Path) -> None:
    first = MainWindow(str(tmp_path))
    qtbot.addWidget(first)
    first.tabs.setCurrentIndex(2)
    first.close()  # saves the Specs tab's state
    s = QSettings()
    saved = {k: s.value(k) for k in s.allKeys() if k.startswith("tabs/specs/")}
    assert saved
    again = MainWindow(str(tmp_path))
    qtbot.addWidget(again)
    again.tabs.setCurrentIndex(0)  # Specs is never shown in this session
    again.close()
    s = QSettings()
    assert {k: s.value(k) for k in s.allKeys() if k.startswith("tabs/specs/")} == saved


def test_settings_are_written_when_they_change_not_only_on_close(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from lab_app.qt import main_window

    window = MainWindow(str(tmp_path))
    qtbot.addWidget(window)
    window.set_zoom(1.5)
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(
        lambda: QSettings().value("window/zoom") is not None, timeout=main_window.SAVE_DELAY_MS * 4
    )
    s = QSettings()
    assert float(s.value("window/zoom")) == 1.5 and int(s.value("window/tab")) == 2
    window.set_zoom(1.0)


def test_the_status_bar_shows_only_the_current_tab_s_message(window: MainWindow) -> None:
    fill_mask = window.current_tab()
    fill_mask.status_changed.emit("Predicted in 12 ms")
    assert window.statusBar().currentMessage() == "Predicted in 12 ms"
    window.tabs.setCurrentIndex(2)
    specs = window.current_tab()
    assert "Predicted" not in window.statusBar().currentMessage()
    fill_mask.status_changed.emit("a late message from a tab not shown")
    assert "late message" not in window.statusBar().currentMessage()
    specs.status_changed.emit("Tokens: 20")
    window.tabs.setCurrentIndex(0)
    assert window.statusBar().currentMessage() == "a late message from a tab not shown"
