"""The `bert-lab` command: the same core functions as the GUI, with JSON on stdout.

Each subcommand lives in its own ``*_cmd.py`` module exposing ``register(subparsers)``, which adds
its parser and sets ``func`` to a ``run(args) -> int``. User errors are raised as
:class:`lab_app.core.errors.UserError`; ``main`` prints them as one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lab_app import __version__
from lab_app.core.errors import UserError

_COMMAND_MODULES = (
    "models_cmd",
    "tokenize_cmd",
    "embed_cmd",
    "cluster_cmd",
    "fill_mask_cmd",
    "params_cmd",
    "specs_cmd",
    "screenshot_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="bert-lab",
        description="BERT Lab: an offline teaching lab. With no subcommand, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"bert-lab {__version__}")
    parser.add_argument(
        "--store", metavar="DIR", help="model store folder (default: $BERT_LAB_STORE or per-user)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"lab_app.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand still being written on another branch
            if exc.name != f"lab_app.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from lab_app.qt.app import main as gui_main

        return gui_main(store=args.store)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"bert-lab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bert-lab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
