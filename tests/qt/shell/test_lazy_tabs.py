"""Pages and widgets made when first shown: made once, at the first show or ask, never before."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from lab_app.qt.shell.lazy_tabs import LazyTabs, made_on_show


def test_a_lazy_page_is_made_when_shown_and_calls_wait_for_it(qtbot: QtBot, show: Any) -> None:
    made: list[str] = []

    def factory() -> QLabel:
        made.append("page")
        return QLabel("page two")

    tabs = LazyTabs()
    tabs.addTab(QLabel("page one"), "One")
    page = tabs.add_lazy("Two", factory)
    seen: list[str] = []
    page.when_made(lambda label: seen.append(label.text()))
    show(tabs)
    assert made == [] and page.peek() is None and not page.made
    tabs.setCurrentIndex(1)
    assert made == ["page"] and seen == ["page two"]
    label = page.peek()
    assert label is not None and label.isVisible()
    page.when_made(lambda label: seen.append("again"))  # made: called at once
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(1)
    assert made == ["page"] and seen == ["page two", "again"] and page.get() is label


def test_the_first_lazy_page_is_made_when_the_tab_widget_shows(qtbot: QtBot, show: Any) -> None:
    tabs = LazyTabs()
    page = tabs.add_lazy("Only", lambda: QLabel("only"))
    assert not page.made
    show(tabs)
    assert page.made


def test_a_widget_is_made_when_its_place_is_shown(qtbot: QtBot, show: Any) -> None:
    parent = QWidget()
    deferred = made_on_show(lambda: QLabel("plot"))
    QVBoxLayout(parent).addWidget(deferred.holder)
    deferred.holder.hide()
    show(parent)
    assert not deferred.made
    deferred.holder.show()
    made = deferred.peek()
    assert made is not None and made.isVisible() and made.text() == "plot"


def test_asking_makes_a_widget_in_a_hidden_place_that_shows_with_it(qtbot: QtBot) -> None:
    deferred = made_on_show(lambda: QLabel("asked"))
    label = deferred.get()
    assert deferred.made and label.parent() is deferred.holder
    qtbot.addWidget(deferred.holder)
    deferred.holder.show()
    assert label.isVisible()
