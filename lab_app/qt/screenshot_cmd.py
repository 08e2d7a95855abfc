"""``bert-lab screenshot OUTDIR [--size 1280x800] [--zoom 1.5] [--state after-run|start]``:
PNGs of every tab, no screen needed, and (``--json``) what in each does not fit.

A command of the window, not of :mod:`lab_app.cli` (which imports only core):
:mod:`lab_app.launch` adds it to the command line. Importing this module imports no Qt.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("screenshot", help="render every tab offscreen to OUTDIR/<tab>.png")
    p.add_argument("outdir", help="folder for the PNG files")
    p.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    p.add_argument("--zoom", default="1.0", help="classroom zoom, 0.5 to 3 (default 1.0)")
    p.add_argument(
        "--state", default="after-run", choices=("after-run", "start"),
        help="after-run (default): each lab's example has run; start: as the lab opens",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the written paths as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.qt.screenshot import parse_size, parse_zoom, render_all

    size, zoom = parse_size(args.size), parse_zoom(args.zoom)
    shots = render_all(Path(args.outdir), size, args.store, zoom=zoom, state=args.state)
    if args.json:
        doc = {"files": [str(s.path) for s in shots], "tabs": [s.to_json() for s in shots]}
        print(json.dumps(doc, ensure_ascii=False), file=sys.stdout, flush=True)
    else:
        for s in shots:
            print(s.path)
    return 0
