"""The QApplication every window shares: logging to a file, a readable font, the icon, the GC.

:mod:`lab_app.qt.app` starts the main window on it; ``preview`` starts one tab on it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger("lab_app")
LOG_BYTES = 1_000_000


def log_file() -> Path:
    """Where details for a bug report go (Help → Log file); never shown as a stack trace."""
    import platformdirs

    folder = Path(platformdirs.user_log_dir("bert-lab", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "bert-lab.log"


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    # A classroom machine runs the lab for years: keep the log to 1 MB and three old ones.
    handler = RotatingFileHandler(log_file(), maxBytes=LOG_BYTES, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def excepthook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        # An unexpected error in a slot goes to the log; the window stays open.
        log.error("unhandled exception", exc_info=(kind, exc, tb))  # type: ignore[arg-type]

    sys.excepthook = excepthook


def store_summary(store: str | None) -> tuple[str, bool]:
    """A status-bar line about the store, and whether it holds any model at all."""
    from lab_app.core.errors import UserError
    from lab_app.core.models.store import open_store

    st = open_store(store)
    try:
        n_models, n_toks = len(st.models()), len(st.tokenizers())
    except UserError as exc:  # a damaged manifest must not stop the window from opening
        return f"Model store {st.root}: {exc}", True
    if n_models == 0 and n_toks == 0:
        return f"Model store {st.root} is empty.", False
    return f"Model store {st.root}: {n_models} models, {n_toks} tokenizers.", True


def make_app(argv: list[str] | None = None) -> object:
    from PySide6.QtWidgets import QApplication

    from lab_app.qt.shell.style import BASE_POINT_SIZE_BOOST

    existing = QApplication.instance()
    if existing is not None:
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("BERT Lab")
    app.setOrganizationName("bert-lab")
    app.setOrganizationDomain("bert-lab.invalid")
    _set_icon(app)
    font = app.font()
    font.setPointSizeF(font.pointSizeF() + BASE_POINT_SIZE_BOOST)
    app.setFont(font)
    _collect_garbage_on_gui_thread(app)
    return app


def _set_icon(app: object) -> None:
    from PySide6.QtGui import QIcon

    from lab_app.core.resources import resources_dir

    icon = resources_dir() / "icons" / "bert-lab.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))  # type: ignore[attr-defined]
    if sys.platform.startswith("linux"):  # matches StartupWMClass in the .desktop entry
        app.setDesktopFileName("bert-lab")  # type: ignore[attr-defined]


def _collect_garbage_on_gui_thread(app: object) -> None:
    """Run Python's cyclic GC on a GUI-thread timer only (pyqtgraph's GarbageCollector recipe,
    written out here so the start path does not import pyqtgraph).

    Otherwise the collector may run inside a worker thread and delete QObjects there while the
    GUI thread deletes widgets' children: a deadlock on Qt's object mutex, seen in testing.
    """
    import gc

    from PySide6.QtCore import QTimer

    threshold = gc.get_threshold()
    gc.disable()

    def check() -> None:
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= threshold[generation]:
                break
            gc.collect(generation)

    timer = QTimer(app)  # type: ignore[arg-type]
    timer.setInterval(1000)
    timer.timeout.connect(check)
    timer.start()
    app._bert_lab_gc = timer  # type: ignore[attr-defined]
