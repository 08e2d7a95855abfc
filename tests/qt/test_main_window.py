"""The window opens offscreen with a tab per lab, and the keyboard switches tabs."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from lab_app.qt.main_window import TABS, MainWindow


def test_window_has_a_tab_per_lab(qtbot: QtBot) -> None:
    window = MainWindow("Model store /tmp/x: 2 models, 3 tokenizers.")
    qtbot.addWidget(window)
    window.show()
    names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
    assert names == ["tab_fill_mask", "tab_tokenizers", "tab_specs", "tab_embeddings"]
    assert [window.tabs.tabText(i) for i in range(4)] == [t[1] for t in TABS]
    assert "2 models" in window.statusBar().currentMessage()


def test_ctrl_number_switches_tabs(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    by_key = {a.shortcut().toString(): a for a in window.actions()}
    assert {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"} <= set(by_key)
    by_key["Ctrl+3"].trigger()
    assert window.tabs.currentWidget().objectName() == "tab_specs"
