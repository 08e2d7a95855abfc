"""`bert-lab screenshot`: every tab rendered offscreen after running its example input."""

from __future__ import annotations

import os
from pathlib import Path

from lab_app.core.errors import UserError


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size must look like 1280x800, not '{text}'") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise UserError("--size must be between 320x240 and 7680x4320")
    return w, h


def render_all(
    outdir: Path, size: tuple[int, int], store: str | None, timeout_ms: int = 60000
) -> list[Path]:
    """Show each tab, run its example, wait for its result (bounded), and save a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from lab_app.qt.app import make_app, store_summary
    from lab_app.qt.main_window import MainWindow
    from lab_app.qt.tabs import PlaceholderTab

    outdir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    window = MainWindow(store, store_summary(store)[0])
    window.resize(*size)
    window.show()
    written: list[Path] = []
    try:
        for i, tab in enumerate(window.lab_tabs):
            window.tabs.setCurrentIndex(i)
            if not isinstance(tab, PlaceholderTab):
                loop = QEventLoop()
                tab.result_shown.connect(loop.quit)
                QTimer.singleShot(timeout_ms, loop.quit)
                QTimer.singleShot(0, tab.run_example)
                loop.exec()
                tab.result_shown.disconnect(loop.quit)
            app.processEvents()  # type: ignore[attr-defined]
            path = outdir / f"{tab.objectName().removeprefix('tab_')}.png"
            if not window.grab().save(str(path)):
                raise UserError(f"could not write {path}")
            written.append(path)
    finally:
        window.close()
    return written
