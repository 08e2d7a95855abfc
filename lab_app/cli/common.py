"""Small helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.seeds import check_seed


def emit_json(obj: Any) -> None:
    """Print one JSON document on stdout (the machine-readable contract of ``--json``)."""
    json.dump(obj, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


def seed_arg(text: str) -> int:
    """The ``type=`` of every ``--seed``: core's one seed rule, refused by argparse (exit 2).

    Checking while parsing refuses a bad seed before any model loads, with the rule's own words;
    ``"1.5"`` and ``"abc"`` are refused by the same rule rather than argparse's "invalid int".
    """
    try:
        value: object = int(text)
    except ValueError:
        value = text
    try:
        return check_seed(value)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
