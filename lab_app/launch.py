"""``bert-lab``: with no subcommand the window, with one the command line.

The one module above both :mod:`lab_app.cli` (core only) and :mod:`lab_app.qt`: it adds the
window and its ``screenshot`` command to the CLI's parser. Nothing here imports Qt until the
window or a Qt command actually runs, so ``bert-lab tokenize …`` starts as fast as before.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def open_window(store: str | None) -> int:
    from lab_app.qt.app import main as gui_main

    return gui_main(store=store)


def main(argv: Sequence[str] | None = None) -> int:
    from lab_app.core import netguard

    netguard.install_if_asked()  # BERT_LAB_NO_NETWORK=1: the test suite's subprocesses
    from lab_app.cli import main as cli_main
    from lab_app.qt import screenshot_cmd

    commands = (screenshot_cmd.register, screenshot_cmd.register_lesson_render)
    return cli_main(argv, extra_commands=commands, open_window=open_window)


if __name__ == "__main__":
    sys.exit(main())
