"""The main window: one tab per lab, menus, classroom zoom, remembered state, clean shutdown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSettings, QThreadPool, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from lab_app import __version__
from lab_app.qt.tab_base import LabTab
from lab_app.qt.tabs import TABS, make_tab

log = logging.getLogger(__name__)

ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
SETTINGS_SCHEMA = 1


T = TypeVar("T", int, float, str)


def _setting(s: QSettings, key: str, default: T) -> T:
    """A typed value from QSettings (INI files give back strings); the default if unreadable."""
    value: Any = s.value(key, default)
    try:
        return type(default)(value)
    except (TypeError, ValueError):
        return default


def _unzoomed_font() -> QFont:
    """The app font before any classroom zoom, remembered on the app (windows come and go)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return QFont()
    saved = app.property("bert_lab_unzoomed_font")
    if isinstance(saved, QFont):
        return QFont(saved)
    app.setProperty("bert_lab_unzoomed_font", QFont(app.font()))
    return QFont(app.font())


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
        self._base_font = _unzoomed_font()
        self.zoom = 1.0

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.lab_tabs: list[LabTab] = []
        for i, spec in enumerate(TABS):
            tab = make_tab(spec, store)
            tab.setObjectName(spec.object_name)
            tab.setAccessibleName(spec.title)
            tab.status_changed.connect(self._show_status)
            self.lab_tabs.append(tab)
            self.tabs.addTab(tab, spec.title)
            self.tabs.setTabToolTip(i, f"{spec.blurb} (Ctrl+{i + 1})")
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.statusBar().showMessage(store_line)
        self.resize(1200, 800)
        if remember:
            self._restore()

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
        return self.lab_tabs[self.tabs.currentIndex()]

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def open_dataset(self) -> None:
        for i, tab in enumerate(self.lab_tabs):
            opener = getattr(tab, "open_dataset", None)
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
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(Path.home()), filters)
        if path:
            try:
                tab.export_to(Path(path))
            except Exception as exc:  # an export failure is the user's disk, not a crash
                log.exception("export failed")
                self._show_status(f"Could not export: {exc}")
            else:
                self._show_status(f"Exported {path}")

    def open_model_manager(self) -> None:
        from lab_app.qt.model_manager import ModelManagerDialog

        dialog = ModelManagerDialog(self.store, self)
        dialog.store_changed.connect(self.notify_store_changed)
        dialog.open()

    def open_build_dialog(self, *, first_start: bool = False) -> None:
        from lab_app.qt.build_dialog import BuildDialog

        dialog = BuildDialog(self.store, self, first_start=first_start)
        dialog.store_changed.connect(self.notify_store_changed)
        dialog.open()

    def notify_store_changed(self) -> None:
        from lab_app.qt.app import store_summary

        self.statusBar().showMessage(store_summary(self.store)[0])
        for tab in self.lab_tabs:
            tab.store_changed()

    def open_notes(self) -> None:
        from lab_app.qt.notes_dialog import LectureNotesDialog

        LectureNotesDialog(self).open()

    def open_log(self) -> None:
        from lab_app.qt.app import log_file

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
        i = min(range(len(ZOOM_STEPS)), key=lambda k: abs(ZOOM_STEPS[k] - self.zoom))
        self.set_zoom(ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, i + direction))])

    def set_zoom(self, factor: float) -> None:
        """Classroom zoom: one app font for every widget, then each tab scales its plots."""
        self.zoom = factor
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * factor)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setFont(font)
        for tab in self.lab_tabs:
            tab.set_zoom(factor)
        self._show_status(f"Zoom {round(factor * 100)}%")

    # -- state -------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = QSettings()
        if _setting(s, "window/schema", 0) != SETTINGS_SCHEMA:
            return
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.tabs.setCurrentIndex(_setting(s, "window/tab", 0))
        zoom = _setting(s, "window/zoom", 1.0)
        if zoom != 1.0:
            self.set_zoom(zoom)
        for tab in self.lab_tabs:
            s.beginGroup(f"tabs/{tab.SETTINGS_GROUP}")
            if _setting(s, "schema", 0) == tab.SCHEMA:
                tab.restore_state(s)
            s.endGroup()

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/schema", SETTINGS_SCHEMA)
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("window/zoom", self.zoom)
        for tab in self.lab_tabs:
            s.beginGroup(f"tabs/{tab.SETTINGS_GROUP}")
            s.setValue("schema", tab.SCHEMA)
            tab.save_state(s)
            s.endGroup()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.remember:
            self.save_settings()
        for tab in self.lab_tabs:
            tab.shutdown(2000)
        QThreadPool.globalInstance().waitForDone(3000)
        super().closeEvent(event)
