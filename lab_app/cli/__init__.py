"""The `bert-lab` command: the same core functions as the GUI, with JSON on stdout.

Each subcommand lives in its own ``*_cmd.py`` module exposing ``register(subparsers)``, which adds
its parser and sets ``func`` to a ``run(args) -> int``. User errors are raised as
:class:`lab_app.core.errors.UserError`; ``main`` prints them as one line on stderr and exits 2.

This package imports only :mod:`lab_app.core`. The window and the commands that need it
(``screenshot``) come in through :mod:`lab_app.launch`, which is what ``bert-lab`` runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from lab_app import __version__
from lab_app.core.errors import UserError


def _command_modules() -> list[str]:
    """Every ``*_cmd`` module of this package, found on its path (a new command is a new file;
    the bundle's spec collects them all): ``models`` first, the store being where one starts,
    then alphabetical, which is the order ``--help`` lists them in."""
    import pkgutil

    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd")]
    return sorted(names, key=lambda name: (name != "models_cmd", name))


Register = Callable[[Any], None]


def build_parser(extra_commands: Sequence[Register] = ()) -> argparse.ArgumentParser:
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
    for name in _command_modules():
        importlib.import_module(f"{__name__}.{name}").register(sub)
    for register in extra_commands:
        register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    extra_commands: Sequence[Register] = (),
    open_window: Callable[[str | None], int] | None = None,
) -> int:
    """Run one command; with none, ``open_window(store)`` (the launcher passes the GUI's)."""
    parser = build_parser(extra_commands)
    args = parser.parse_args(argv)
    if args.command is None:
        if open_window is None:
            parser.error("a command is needed (the window starts from `bert-lab` itself)")
        return open_window(args.store)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"bert-lab: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `bert-lab … --json | head`: the reader has all it wanted
        _silence_stdout()
        return 0
    except OSError as exc:  # an unwritable --out, an unreadable input, a full disk
        print(f"bert-lab: error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bert-lab: interrupted", file=sys.stderr)
        return 130


def _os_error(exc: OSError) -> str:
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f": {exc.filename}" if exc.filename else ""
    return f"{what[0].lower()}{what[1:]}{where}"


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests capture stdout)
        pass


if __name__ == "__main__":
    sys.exit(main())
