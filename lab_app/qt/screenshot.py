"""`bert-lab screenshot`: every tab rendered offscreen after running its example input."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError


@dataclass(frozen=True)
class Shot:
    """One tab's PNG, and whether its example's answer arrived before it was taken."""

    tab: str
    path: Path
    answered: bool  # the example's result arrived before the timeout


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
) -> list[Shot]:
    """Show each tab, run its example, wait for its result (bounded), and save a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from lab_app.qt.main_window import MainWindow
    from lab_app.qt.shell.application import make_app, store_summary

    outdir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    window = MainWindow(store, store_summary(store)[0], remember=False)  # defaults, always
    window.resize(*size)
    window.show()
    written: list[Shot] = []
    try:
        for i, tab in enumerate(window.lab_tabs):
            window.tabs.setCurrentIndex(i)
            answered: list[bool] = []
            loop = QEventLoop()

            def shown(loop: QEventLoop = loop, answered: list[bool] = answered) -> None:
                answered.append(True)
                loop.quit()

            tab.result_shown.connect(shown)
            QTimer.singleShot(timeout_ms, loop.quit)
            QTimer.singleShot(0, tab.run_example)
            loop.exec()
            tab.result_shown.disconnect(shown)
            app.processEvents()  # type: ignore[attr-defined]
            name = tab.objectName().removeprefix("tab_")
            path = outdir / f"{name}.png"
            if not window.grab().save(str(path)):
                raise UserError(f"could not write {path}")
            written.append(Shot(name, path, bool(answered)))
    finally:
        window.close()
    return written
