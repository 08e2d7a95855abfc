"""Pages of a lab that are made the first time they are shown (or asked for).

A pyqtgraph plot costs 10–15 ms to construct, and a lab with four or five of them on hidden
pages spent over 100 ms building what nobody was looking at yet (measured by
``tests/qt/shell/test_responsiveness.py::test_opening_each_tab``). A :class:`LazyTabs` page is an
empty holder until then; :class:`Deferred` is the lab's handle on it:

    self.pages = LazyTabs()
    self.pages.addTab(tables_page, "Tables")                      # made now: shown first
    self._calc = self.pages.add_lazy("Calculator", CalculatorPanel)
    ...
    self._calc.get()                         # the panel, made now if it was not yet
    self._calc.when_made(lambda c: c.set_zoom(z))   # now if made, else once it is

A hidden page that is never opened is never made, so code that only configures a page (zoom,
restored settings) goes through :meth:`Deferred.when_made`, not :meth:`Deferred.get`.

:func:`made_on_show` is the same for a widget inside a page (a plot under a table, say): its
holder stands in the layout, and the widget is made when the holder is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class Deferred(Generic[W]):
    """One lazily made page: :meth:`get` makes it, :meth:`when_made` waits for it."""

    def __init__(self, holder: QWidget, factory: Callable[[], W]) -> None:
        self.holder = holder
        self._factory = factory
        self._widget: W | None = None
        self._waiting: list[Callable[[W], object]] = []

    @property
    def made(self) -> bool:
        return self._widget is not None

    def get(self) -> W:
        if self._widget is None:
            widget = self._widget = self._factory()
            layout = self.holder.layout()
            assert layout is not None
            layout.addWidget(widget)
            widget.show()  # shown with its page (a layout would show it only later, queued)
            waiting, self._waiting = self._waiting, []
            for call in waiting:
                call(widget)
        return self._widget

    def peek(self) -> W | None:
        """The page if it has been made, else None (nothing is made)."""
        return self._widget

    def when_made(self, call: Callable[[W], object]) -> None:
        if self._widget is not None:
            call(self._widget)
        else:
            self._waiting.append(call)


class _Holder(QWidget):
    def __init__(self) -> None:
        super().__init__()
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.first_shown: Callable[[], object] | None = None

    def showEvent(self, event: QShowEvent) -> None:
        call, self.first_shown = self.first_shown, None
        if call is not None:
            call()
        super().showEvent(event)


def made_on_show(factory: Callable[[], W]) -> Deferred[W]:
    """``factory()`` made the first time its holder (``.holder``, to place in a layout) shows."""
    holder = _Holder()
    page: Deferred[W] = Deferred(holder, factory)
    holder.first_shown = page.get
    return page


class LazyTabs(QTabWidget):
    """A tab widget whose :meth:`add_lazy` pages are made when first shown (or asked for)."""

    def add_lazy(self, title: str, factory: Callable[[], W]) -> Deferred[W]:
        page = made_on_show(factory)
        self.addTab(page.holder, title)
        return page
