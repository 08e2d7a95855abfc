"""Time to first paint: BERT Lab's main window against a bare PySide6 window, same run.

Each start is a fresh Python process (imports are most of the cost); the parent times from
spawning it to the child's "painted" line, which the child prints from the window's first paint
event. Prints the median of each and the ratio.

    python benchmarks/startup_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CHILD = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
if sys.argv[1] == "bare":
    window = QMainWindow()
else:
    from lab_app.qt.shell.application import make_app, store_summary
    from lab_app.qt.main_window import MainWindow
    window = MainWindow(None, store_summary(None)[0])
    heavy = ("onnxruntime", "umap", "numba", "sklearn", "torch", "numpy")
    bad = [m for m in heavy if m in sys.modules]
    if bad:
        print("heavy imports before first paint:", ", ".join(bad), file=sys.stderr)
window.resize(1200, 800)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def one(kind: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, kind], capture_output=True, text=True, env=env, timeout=120
    )
    elapsed = time.perf_counter() - t0
    if "painted" not in proc.stdout:
        raise SystemExit(f"{kind} window never painted:\n{proc.stderr}")
    notes = [line for line in proc.stderr.splitlines() if "heavy imports" in line]
    for line in notes:
        print(f"  note ({kind}): {line}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one("bare"), one("lab")  # warm the OS file cache
    bare = statistics.median(one("bare") for _ in range(args.runs))
    lab = statistics.median(one("lab") for _ in range(args.runs))
    print(f"bare PySide6 window   {bare * 1000:7.0f} ms to first paint (median of {args.runs})")
    print(f"BERT Lab main window  {lab * 1000:7.0f} ms to first paint (median of {args.runs})")
    print(f"ratio: {lab / bare:.2f}x the bare window")


if __name__ == "__main__":
    main()
