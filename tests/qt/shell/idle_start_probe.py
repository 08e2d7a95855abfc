"""Start the window as a user does, leave it alone, and report the GUI thread's longest stall.

Run in a fresh interpreter by ``test_idle_start.py`` (``python idle_start_probe.py STORE``), so the
libraries the background warm-up imports are not already loaded by other tests: the stalls it
measures are the ones a teacher meets who starts typing at once. A 10 ms heartbeat runs from the
first paint until the warm-up is done and one more second has passed (at most ``LIMIT_S``); the
longest gap between two beats, when it happened and how long the warm-up took are printed as JSON.

Each gap over 50 ms also says whose CPU time it was, in milliseconds (where the platform can read
a thread's CPU clock): the warm-up thread's (a long hold of the GIL there), the GUI thread's (work
or garbage collection on it) or neither (the machine gave the process no core), so that a failure
on a busy CI machine says which of the three to look at.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable

LIMIT_S = 40.0
STARTED = [0.0]  # the first paint's time, for a caller that lines other events up with the beats
AFTER_WARMUP_S = 1.0
REPORT_MS = 50


def _cpu_clock(ident: int) -> Callable[[], float]:
    """Seconds of CPU the running thread ``ident`` has used; where that cannot be read, 0.0, and
    once the thread has ended, the last reading (its clock is gone with it)."""
    try:
        clock = time.pthread_getcpuclockid(ident)
        last = [time.clock_gettime(clock)]
    except (AttributeError, OSError):
        return lambda: 0.0

    def read() -> float:
        with contextlib.suppress(OSError):
            last[0] = time.clock_gettime(clock)
        return last[0]

    return read


def main(store: str) -> int:
    from PySide6.QtCore import QTimer

    from lab_app.qt.shell.application import make_app, store_summary

    app = make_app([])
    from lab_app.qt.main_window import MainWindow

    line, _ = store_summary(store)
    window = MainWindow(store, line)
    window.show()
    start = STARTED[0] = time.perf_counter()
    gui_cpu = _cpu_clock(threading.get_ident())
    warm_cpu: list[Callable[[], float]] = []
    beats: list[tuple[float, float, float]] = []  # time, GUI thread CPU, warm-up thread CPU
    finished: dict[str, float] = {}

    def beat() -> None:
        now = time.perf_counter()
        ident = window.prewarm.ident
        if not warm_cpu and ident is not None and not window.prewarm.done.is_set():
            warm_cpu.append(_cpu_clock(ident))  # asked once, while the thread surely runs
        beats.append((now, gui_cpu(), warm_cpu[0]() if warm_cpu else 0.0))
        done = window.prewarm.done.is_set()
        if done and "warm" not in finished:
            finished["warm"] = now - start
        if (done and now - start - finished["warm"] > AFTER_WARMUP_S) or now - start > LIMIT_S:
            timer.stop()
            app.quit()

    timer = QTimer(interval=10)
    timer.timeout.connect(beat)
    QTimer.singleShot(0, timer.start)  # from the first paint on
    app.exec()
    gaps = [
        (round((b[0] - a[0]) * 1000, 1), round(b[0] - start, 2), b[1] - a[1], b[2] - a[2])
        for a, b in itertools.pairwise(beats)
    ]
    worst = max(gaps, default=(0.0, 0.0, 0.0, 0.0))
    print(
        json.dumps(
            {
                "max_gap_ms": worst[0],
                "at_s": worst[1],
                "warmup_s": round(finished.get("warm", -1.0), 2),
                "beats": len(beats),
                # [gap ms, when (s), GUI thread CPU ms, warm-up thread CPU ms]
                "over_50_ms": [
                    [round(g), at, round(gui * 1000), round(warm * 1000)]
                    for g, at, gui, warm in gaps
                    if g > REPORT_MS
                ],
            }
        )
    )
    window.stop_all_work(wait_ms=2000)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
