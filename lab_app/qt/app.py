"""Start the GUI: the application, the main window, and the first-start build."""

from __future__ import annotations

import logging
import os
import sys

from lab_app.qt.shell.application import make_app, setup_logging, store_summary

log = logging.getLogger(__name__)


def main(store: str | None = None, argv: list[str] | None = None) -> int:
    setup_logging()
    app = make_app(argv)

    from lab_app.qt.main_window import MainWindow

    line, has_models = store_summary(store)
    window = MainWindow(store, line)
    window.show()
    if not has_models:
        from PySide6.QtCore import QTimer

        # After the first paint: the window is up before the build dialog asks anything.
        QTimer.singleShot(0, lambda: window.open_build_dialog(first_start=True))
    code = int(app.exec())  # type: ignore[attr-defined]
    if not window.stop_all_work(wait_ms=0):
        # Work that cannot stop at a tick (a tokenizer training inside Rust) would hold the
        # process at exit while Qt joins its threads: the window has saved what it keeps, so
        # leave now (closing exits within 2 s). Its half-written store folders, if any, are
        # removed by the next build or import (lab_app.core.models.store_lock).
        log.info("exiting with work still running in the thread pool")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
