"""`bert-lab screenshot`: every tab rendered offscreen, at a size and a classroom zoom, as it
starts or after its example has run (``--state after-run``: the predictions shown, the map
plotted, the charts drawn), with a report of what does not fit (``lab_app.qt.shell.fit``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lab_app.core.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from lab_app.qt.shell.fit import FitReport
    from lab_app.qt.shell.tab import LabTab

STATES = ("after-run", "start")


@dataclass(frozen=True)
class Shot:
    """One tab's PNG, and whether its example's answer arrived before it was taken."""

    tab: str
    path: Path
    answered: bool  # the example's result arrived before the timeout
    fit: FitReport

    def to_json(self) -> dict[str, object]:
        return {"tab": self.tab, "file": str(self.path), "answered": self.answered,
                "fit": self.fit.to_json()}  # fmt: skip


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size must look like 1280x800, not '{text}'") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise UserError("--size must be between 320x240 and 7680x4320")
    return w, h


def parse_zoom(text: str) -> float:
    try:
        zoom = float(text)
    except ValueError:
        raise UserError(f"--zoom must be a number such as 1.5, not '{text}'") from None
    if not 0.5 <= zoom <= 3.0:
        raise UserError("--zoom must be between 0.5 and 3")
    return zoom


def render_all(
    outdir: Path,
    size: tuple[int, int],
    store: str | None,
    timeout_ms: int = 60000,
    *,
    zoom: float = 1.0,
    state: str = "after-run",
) -> list[Shot]:
    """Show each tab (running its example for ``after-run``, bounded), and save a PNG."""
    if state not in STATES:
        raise UserError(f"--state must be one of {', '.join(STATES)}, not '{state}'")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lab_app.qt.main_window import MainWindow
    from lab_app.qt.shell.application import make_app, store_summary
    from lab_app.qt.shell.fit import fit_report

    outdir.mkdir(parents=True, exist_ok=True)
    make_app()
    window = MainWindow(store, store_summary(store)[0], remember=False)  # defaults, always
    window.resize(*size)
    window.show()
    window.set_zoom(zoom)  # always: an earlier window in this process may have zoomed the app
    window.resize(*size)
    written: list[Shot] = []
    try:
        for i, page in enumerate(window.pages):
            # One lab after another, as a class meets them: each is made when it is shown (a lab
            # made early, hidden, would load its models meanwhile) and gives them back when the
            # next one is shown.
            window.tabs.setCurrentIndex(i)
            tab = page.ensure()
            answered = _run_example(tab, timeout_ms) if state == "after-run" else _settle(300)
            name = tab.objectName().removeprefix("tab_")
            path = outdir / f"{name}.png"
            if not window.grab().save(str(path)):
                raise UserError(f"could not write {path}")
            fit = fit_report(window, tab, tab.result_widget())
            written.append(Shot(name, path, answered, fit))
            if state == "after-run":
                written += _variants(window, tab, outdir, timeout_ms)
    finally:
        window.stop_all_work(3000)
        for made in window.made_tabs():  # the last lab shown gives its models back too
            made.release()
        window.set_zoom(1.0)  # the app font and style are the process's, not this window's
        window.close()
    return written


def _variants(window: QWidget, tab: LabTab, outdir: Path, timeout_ms: int) -> list[Shot]:
    """The tab's further examples, a PNG each."""
    from lab_app.qt.shell.fit import fit_report

    shots = []
    for name, start in tab.example_variants().items():
        answered = _run_example(tab, timeout_ms, start)
        path = outdir / f"{name}.png"
        if not window.grab().save(str(path)):
            raise UserError(f"could not write {path}")
        shots.append(Shot(name, path, answered, fit_report(window, tab, tab.result_widget())))
    return shots


def _settle(ms: int) -> bool:
    """Let queued layout and painting happen (the window is offscreen: nothing else does)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    return False


def _run_example(tab: LabTab, timeout_ms: int, start: Callable[[], None] | None = None) -> bool:
    """Run ``tab``'s example (or ``start``) and wait for its result (or the timeout); True if
    it came."""
    from PySide6.QtCore import QEventLoop, QTimer

    answered: list[bool] = []
    loop = QEventLoop()

    def shown() -> None:
        answered.append(True)
        loop.quit()

    tab.result_shown.connect(shown)
    QTimer.singleShot(timeout_ms, loop.quit)
    QTimer.singleShot(0, start or tab.run_example)
    loop.exec()
    tab.result_shown.disconnect(shown)
    _settle(200)  # the result's layout and painting
    return bool(answered)
