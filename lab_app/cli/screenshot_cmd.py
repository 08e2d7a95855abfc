"""``bert-lab screenshot OUTDIR [--size 1280x800]``: PNGs of every tab, no screen needed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json


def register(sub: Any) -> None:
    p = sub.add_parser("screenshot", help="render every tab offscreen to OUTDIR/<tab>.png")
    p.add_argument("outdir", help="folder for the PNG files")
    p.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    p.add_argument("--json", action="store_true", help="print the written paths as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.qt.screenshot import parse_size, render_all

    shots = render_all(Path(args.outdir), parse_size(args.size), args.store)
    if args.json:
        emit_json(
            {
                "files": [str(s.path) for s in shots],
                "tabs": [
                    {
                        "tab": s.tab,
                        "file": str(s.path),
                        "placeholder": s.placeholder,
                        "answered": s.answered,
                    }
                    for s in shots
                ],
            }
        )
    else:
        for s in shots:
            print(s.path)
    return 0
