"""Presentation mode, pop-out plots, the theme's colours in plots, and colours for many groups."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lab_app.qt.main_window import MainWindow
from lab_app.qt.shell.plot_style import themed
from lab_app.qt.shell.style import OKABE_ITO, category_colours

TIMEOUT = 60_000
pytestmark = pytest.mark.usefixtures("gui_thread_gc")


def _run(qtbot: QtBot, window: MainWindow, index: int) -> None:
    window.tabs.setCurrentIndex(index)
    tab = window.current_tab()
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()


def _shown(window: MainWindow) -> set[str]:
    return {f"{type(w).__name__}:{w.objectName()}:{id(w)}" for w in window.findChildren(QWidget)
            if w.isVisible()}  # fmt: skip


def test_present_shows_the_result_alone_and_esc_brings_all_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    _run(qtbot, window, 0)  # fill-mask: the guesses
    before = _shown(window)
    result = window.current_tab().result_widget()
    assert result is not None
    by_key = {a.shortcut().toString(): a for a in window.actions()}
    by_key["F11"].trigger()
    assert window.presenter is not None and window.presenter.active
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.tabs.tabBar().isVisible() and not window.menuBar().isVisible()
    assert not window.current_tab().sentence.isVisible()  # the controls make way
    assert result.isVisible() and window.statusBar().isVisible()  # the answer and its caption
    qtbot.wait(50)
    assert result.width() >= 0.9 * window.width()
    assert by_key["Esc"].isEnabled()
    hidden = list(window.presenter._hidden)
    assert hidden and all(f"{type(w).__name__}:{w.objectName()}:{id(w)}" in before for w in hidden)
    by_key["Esc"].trigger()
    qtbot.wait(50)
    assert not window.presenter.active and not by_key["Esc"].isEnabled()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    assert all(w.isVisible() for w in hidden)  # exactly what it hid is back
    assert window.tabs.tabBar().isVisible() and window.menuBar().isVisible()


def test_present_without_a_result_is_a_calm_message(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(3)  # Embeddings before its first map: the empty page
    tab = window.current_tab()
    tab.ui.stack.hide()
    window.toggle_present()
    assert window.presenter is not None and not window.presenter.active
    assert "run it first" in window.statusBar().currentMessage()


def test_a_plot_pops_out_live(qtbot: QtBot, window: MainWindow) -> None:
    _run(qtbot, window, 3)  # the embeddings map
    window.pop_out()
    assert len(window.popped) == 1
    popped = window.popped[0]
    qtbot.waitExposed(popped)
    assert popped.view.scene() is popped.plot.scene()  # the same items, not a copy
    assert popped.plot is window.current_tab().map.plot
    assert not popped.view.isInteractive()  # pyqtgraph's hover belongs to the first view
    window.close()  # closing the window closes its pop-outs: nothing keeps the app running
    qtbot.waitUntil(lambda: not window.popped)


def test_plots_follow_a_dark_theme(qtbot: QtBot, qapp: QApplication) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    item = themed(plot, legend={"offset": (10, 10)})
    item.plot([0, 1], [0.16, 0.17], name="silhouette")
    original = QGuiApplication.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    try:
        qapp.setPalette(dark)
        qapp.processEvents()
        assert plot.backgroundBrush().color().name() == "#1e1e1e"
        assert item.getAxis("left").textPen().color().name() == "#f0f0f0"
        assert (
            pg.mkBrush(item.legend.opts["brush"]).color().lightness() < 60
        )  # a legend with a dark background
        assert not item.getAxis("left").autoSIPrefix  # 0.16 stays 0.16, never "(×0.001)"
    finally:
        qapp.setPalette(original)


def test_up_to_twenty_three_groups_get_distinct_colours() -> None:
    assert category_colours(5) == OKABE_ITO
    for n in (9, 14, 20, 23):
        colours = category_colours(n)
        assert len(colours) == n and len(set(colours)) == n
    assert len(category_colours(30)) == 23  # beyond, colours repeat; marker shapes tell apart


def test_zoom_scales_check_boxes_and_spin_arrows(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QSpinBox, QStyle, QStyleOptionSpinBox

    window = MainWindow(str(tmp_path / "store"), "", remember=False)
    qtbot.addWidget(window)
    style = QApplication.style()
    base = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.resize(120, 30)

    def arrow_width() -> int:
        option = QStyleOptionSpinBox()
        spin.initStyleOption(option)
        sub = QStyle.SubControl.SC_SpinBoxUp
        rect = QApplication.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, sub)
        return rect.width()

    before = arrow_width()
    try:
        window.set_zoom(1.5)
        zoomed = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        assert zoomed == round(base * 1.5)
        assert arrow_width() >= round(before * 1.4)
    finally:
        window.set_zoom(1.0)
    assert QApplication.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) == base
