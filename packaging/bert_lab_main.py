"""The bundle's entry point: `bert-lab` with a subcommand runs the CLI; with none, the window.

A windowed executable on Windows has no console, so ``sys.stdout``/``sys.stderr`` are ``None`` and
the first ``print`` (``--version``, argparse's usage) would raise; they go to a null stream then.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def _guard_missing_streams() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main() -> int:
    multiprocessing.freeze_support()  # joblib/loky may start workers from the frozen executable
    _guard_missing_streams()
    from lab_app.launch import main as launch

    return launch()


if __name__ == "__main__":
    sys.exit(main())
