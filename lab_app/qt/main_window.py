"""The main window: one tab per lab, menus, classroom zoom, remembered state, clean shutdown."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QThreadPool, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from lab_app import __version__
from lab_app.core.errors import UserError
from lab_app.core.settings import read
from lab_app.qt.lessons import LessonController
from lab_app.qt.registry import TABS, make_tab, warm_tasks
from lab_app.qt.shell.file_dialogs import save_path
from lab_app.qt.shell.hidden_labs import HiddenLabs
from lab_app.qt.shell.lazy_page import LazyPage
from lab_app.qt.shell.prewarm import HEAVY_MODULES, Prewarm
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import LabTab
from lab_app.qt.shell.zoom import next_zoom, unzoomed_font, zoom_app_font

if TYPE_CHECKING:
    from lab_app.qt.shell.present import Presenter

log = logging.getLogger(__name__)

SETTINGS_SCHEMA = 1
PREWARM_DELAY_MS = 300  # after the first paint
SAVE_DELAY_MS = 1500  # settings are written this long after the last change
_USER_INPUT = (QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease, QEvent.Type.Wheel)


class MainWindow(QMainWindow):
    def __init__(
        self, store: str | None = None, store_line: str = "", *, remember: bool = True
    ) -> None:
        """``remember=False`` (screenshots) neither reads nor writes the user's saved state."""
        super().__init__()
        self.store = store
        self.remember = remember
        self.setWindowTitle(f"BERT Lab {__version__}")
        self.setObjectName("main_window")
        self._base_font = unzoomed_font()
        self.zoom = 1.0
        self.presenter: Presenter | None = None
        self.popped: list[QWidget] = []

        # Settings are written a moment after the user changes something, not only on close:
        # a crash, a killed process or a flat battery loses nothing they chose.
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_settings)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.pages: list[LazyPage] = []
        for i, spec in enumerate(TABS):
            page = LazyPage(
                spec.object_name, spec.title, partial(make_tab, spec, store), self._tab_made
            )
            self.pages.append(page)
            self.tabs.addTab(page, spec.title)
            self.tabs.setTabToolTip(i, f"{spec.blurb} (Ctrl+{i + 1})")
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.lessons = LessonController(self)  # the Lesson menu and panel
        self._store_line = store_line
        self._last_status: dict[LabTab, str] = {}
        self.statusBar().showMessage(store_line)
        self.resize(1200, 800)
        if remember:
            self._restore()
        # Only the visible lab is built now; each other one on its first show. Their modules
        # and the heavy libraries are imported in the background once the window is idle.
        self.tabs.currentChanged.connect(self._page_shown)
        self._page_shown(self.tabs.currentIndex())
        self.hidden_labs = HiddenLabs(self.tabs, lambda i: self.pages[i].tab)
        self.prewarm = Prewarm([*HEAVY_MODULES, *(spec.module for spec in TABS)], warm_tasks(store))
        QTimer.singleShot(PREWARM_DELAY_MS, self.prewarm.start)
        self.tabs.currentChanged.connect(self.schedule_save)
        self.tabs.currentChanged.connect(self._status_for_page)
        app = QApplication.instance()
        if remember and app is not None:
            app.installEventFilter(self)

    def schedule_save(self, *_: object) -> None:
        if self.remember:
            self._save_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _USER_INPUT:  # whatever the user changed, it came as input
            self.schedule_save()
        return False

    # -- tabs --------------------------------------------------------------------------------
    @property
    def lab_tabs(self) -> list[LabTab]:
        """Every lab tab, each made now if it was not yet (screenshots, tests)."""
        return [page.ensure() for page in self.pages]

    def made_tabs(self) -> list[LabTab]:
        return [page.tab for page in self.pages if page.tab is not None]

    def _page_shown(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.pages[index].ensure()

    def _tab_made(self, tab: LabTab) -> None:
        # What building a tab made (modules, widgets) lives as long as the window: keep it out of
        # the collector's full passes, which otherwise scan it every time (70 ms, measured).
        gc.freeze()
        tab.status_changed.connect(partial(self._tab_status, tab))
        tab.store_modified.connect(self.notify_store_changed)
        tab.open_lab.connect(self.open_lab)
        if self.zoom != 1.0:
            tab.set_zoom(self.zoom)
        if self.remember:
            s = QSettings()
            if read(s, "window/schema", 0) == SETTINGS_SCHEMA:
                s.beginGroup(f"tabs/{tab.SETTINGS_GROUP}")
                if read(s, "schema", 0) == tab.SCHEMA:
                    tab.restore_state(s)
                s.endGroup()

    def show_lab(self, lab: str) -> LabTab | None:
        """Show lab ``lab`` (its registry key) and return its tab, made if need be; None for a
        key no lab has."""
        for i, spec in enumerate(TABS):
            if spec.object_name == f"tab_{lab}":
                self.tabs.setCurrentIndex(i)
                return self.pages[i].ensure()
        return None

    def open_lab(self, lab: str, target: str) -> None:
        """One lab's link to another: show lab ``lab`` (its registry key) at ``target``."""
        tab = self.show_lab(lab)
        if tab is not None:
            tab.open_target(target)

    # -- menus -------------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = self._action(
            "&Open dataset…", self.open_dataset, QKeySequence.StandardKey.Open
        )
        self.export_action = self._action("&Export…", self.export_current, "Ctrl+E")
        file_menu.addActions([self.open_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        view = bar.addMenu("&View")
        view.addAction(
            self._action("Zoom &in", lambda: self.step_zoom(+1), QKeySequence.StandardKey.ZoomIn)
        )
        self._action("", lambda: self.step_zoom(+1), "Ctrl+=")
        view.addAction(
            self._action("Zoom &out", lambda: self.step_zoom(-1), QKeySequence.StandardKey.ZoomOut)
        )
        view.addAction(self._action("&Reset zoom", lambda: self.set_zoom(1.0), "Ctrl+0"))
        view.addSeparator()
        present = self._action("&Present the result (Esc returns)", self.toggle_present, "F11")
        view.addAction(present)
        self.leave_action = self._action("", self.leave_present, "Esc")
        self.leave_action.setEnabled(False)  # only while presenting: Esc means "back"
        view.addAction(self._action("&Pop out the plot", self.pop_out, "Ctrl+Shift+P"))
        view.addSeparator()
        for i, spec in enumerate(TABS):
            view.addAction(
                self._action(spec.title, partial(self.tabs.setCurrentIndex, i), f"Ctrl+{i + 1}")
            )

        models = bar.addMenu("&Models")
        models.addAction(self._action("&Model manager…", self.open_model_manager))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("Lecture &notes", self.open_notes, "F1"))
        help_menu.addAction(self._action("&Log file", self.open_log))
        help_menu.addAction(self._action("&About BERT Lab", self.about))

    # -- actions -----------------------------------------------------------------------------
    def current_tab(self) -> LabTab:
        return self.pages[self.tabs.currentIndex()].ensure()

    def _tab_status(self, tab: LabTab, message: str) -> None:
        """A tab's message shows while it is the current tab, and again when it is shown next;
        another tab's message never stays on screen."""
        self._last_status[tab] = message
        if tab is self.pages[self.tabs.currentIndex()].tab:
            self._show_status(message)

    def _status_for_page(self, index: int) -> None:
        page = self.pages[index] if 0 <= index < len(self.pages) else None
        message = self._last_status.get(page.tab) if page is not None and page.tab else None
        if message:
            self._show_status(message)
        else:
            self.statusBar().showMessage(self._store_line)

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def open_dataset(self) -> None:
        for i, page in enumerate(self.pages):
            opener = getattr(page.ensure(), "open_dataset", None)
            if callable(opener):
                self.tabs.setCurrentIndex(i)
                opener()
                return
        self._show_status("Opening a dataset arrives with the Embeddings tab.")

    def export_current(self) -> None:
        tab = self.current_tab()
        filters = tab.export_filters()
        if not filters:
            self._show_status("This tab has nothing to export yet.")
            return
        path = save_path(self, tab.objectName().removeprefix("tab_"), filters)
        if path is not None:
            try:
                later = tab.export_to(Path(path))
            except Exception as exc:  # an export failure is the user's disk, not a crash
                log.exception("export failed")
                self._show_status(f"Could not export: {exc}")
            else:
                if not later:  # else the tab reports when its background writing is done
                    self._show_status(f"Exported {path}")

    # -- presenting ----------------------------------------------------------------------------
    def toggle_present(self) -> None:
        from lab_app.qt.shell.present import Presenter

        if self.presenter is not None and self.presenter.active:
            self.leave_present()
            return
        self.presenter = self.presenter or Presenter(self)
        tab = self.current_tab()
        try:
            # An open lesson's panel stays beside the answer: its question and Reveal.
            keep = [self.statusBar(), *self.lessons.visible_panel()]
            self.presenter.enter(tab.result_widget(), keep)
        except UserError as exc:
            self._show_status(str(exc))
            return
        self.leave_action.setEnabled(True)

    def leave_present(self) -> None:
        if self.presenter is not None:
            self.presenter.leave()
        self.leave_action.setEnabled(False)

    def pop_out(self) -> None:
        """The current lab's plot, live, in a window of its own."""
        from lab_app.qt.shell.present import PopOut, first_plot

        tab = self.current_tab()
        plot = first_plot(tab.result_widget()) or first_plot(tab)
        if plot is None:
            self._show_status("This lab shows no plot to pop out here.")
            return
        window = PopOut(plot, f"{self.tabs.tabText(self.tabs.currentIndex())} — BERT Lab")
        self.popped.append(window)
        window.destroyed.connect(lambda *_: self.popped.remove(window))
        window.show()

    def open_model_manager(self) -> None:
        from lab_app.qt.shell.model_manager import ModelManagerDialog

        dialog = ModelManagerDialog(self.store, self)
        dialog.store_changed.connect(self.notify_store_changed)
        dialog.open()

    def open_build_dialog(self, *, first_start: bool = False) -> None:
        from lab_app.qt.shell.build_dialog import BuildDialog

        dialog = BuildDialog(self.store, self, first_start=first_start)
        dialog.store_changed.connect(self.notify_store_changed)
        dialog.open()

    def notify_store_changed(self) -> None:
        from lab_app.qt.shell.application import store_summary

        self._store_line = store_summary(self.store)[0]
        self.statusBar().showMessage(self._store_line)
        for tab in self.made_tabs():  # the others read the store when they are made
            tab.store_changed()

    def open_notes(self) -> None:
        from lab_app.qt.shell.notes_dialog import LectureNotesDialog

        LectureNotesDialog(self).open()

    def open_log(self) -> None:
        from lab_app.qt.shell.application import log_file

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file())))

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About BERT Lab",
            f"<h3>BERT Lab {__version__}</h3><p>An offline teaching lab for pre-training, "
            "fine-tuning and embeddings. Models run on the CPU with ONNX Runtime.</p>",
        )

    # -- zoom --------------------------------------------------------------------------------
    def step_zoom(self, direction: int) -> None:
        self.set_zoom(next_zoom(self.zoom, direction))

    def set_zoom(self, factor: float) -> None:
        """Classroom zoom: one app font for every widget, then each tab scales its plots."""
        self.zoom = factor
        zoom_app_font(self._base_font, factor)
        for tab in self.made_tabs():  # the others take the zoom when they are made
            tab.set_zoom(factor)
        self._show_status(f"Zoom {round(factor * 100)}%")
        self.schedule_save()

    # -- state -------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = QSettings()
        if read(s, "window/schema", 0) != SETTINGS_SCHEMA:
            return
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.tabs.setCurrentIndex(read(s, "window/tab", 0))
        zoom = read(s, "window/zoom", 1.0)
        if zoom != 1.0:
            self.set_zoom(zoom)

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/schema", SETTINGS_SCHEMA)
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("window/zoom", self.zoom)
        for tab in self.made_tabs():  # a tab never made keeps what it saved last time
            s.beginGroup(f"tabs/{tab.SETTINGS_GROUP}")
            s.setValue("schema", tab.SCHEMA)
            tab.save_state(s)
            s.endGroup()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.leave_present()  # never remember the full-screen presentation as the window
        for window in list(self.popped):  # a pop-out must not keep the app running
            window.close()
        self._save_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.remember:
            self.save_settings()
        self.stop_all_work()
        super().closeEvent(event)

    def stop_all_work(self, wait_ms: int = 1500) -> bool:
        """Cancel every job of every tab and dialog at once, then wait for them together
        (bounded): closing mid-computation takes one wait, not one per tab. True when the pool
        is idle; :func:`lab_app.qt.app.main` exits regardless once the window is gone."""
        for tab in self.made_tabs():
            tab.shutdown(0)  # stop timers and cancel; the wait is below, once for all
        for runner in self.findChildren(Runner):  # dialogs' runners too (a build, an import)
            runner.shutdown(0)
        return QThreadPool.globalInstance().waitForDone(wait_ms)
