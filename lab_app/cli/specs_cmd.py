"""``bert-lab specs``: the notes' model tables with a source for every cell."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.specs.tables import find_table, load_tables, table_to_csv, tables_to_dict


def register(sub: Any) -> None:
    """Add the ``specs`` subcommand."""
    p = sub.add_parser(
        "specs",
        help="the model tables of the notes, with sources",
        description="The lecture notes' tables, corrected where the slides slipped, each cell "
        "with its source and the slide's value where it differs.",
    )
    p.add_argument("--json", action="store_true", help="print every table as JSON")
    p.add_argument("--csv", metavar="NAME", help="print one table as CSV (see the list)")
    p.add_argument("--sources", action="store_true", help="with --csv: a source column per column")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the tables as JSON, one as CSV, or list them."""
    tables = load_tables()
    if args.csv:
        sys.stdout.write(table_to_csv(find_table(args.csv, tables), sources=args.sources))
        return 0
    if args.json:
        emit_json(tables_to_dict(tables))
        return 0
    for table in tables:
        fixes = len(table.corrections())
        marks = f"  ({fixes} slide correction{'s' * (fixes != 1)})" if fixes else ""
        print(f"{table.id:<26} {table.title}{marks}")
    return 0
