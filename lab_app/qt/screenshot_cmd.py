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


def register_lesson_render(sub: Any) -> None:
    """``bert-lab lesson render FILE|NAME OUTDIR``: added to the core's ``lesson`` command."""
    lesson = sub.choices.get("lesson")
    if lesson is None:
        return
    actions = next(a for a in lesson._actions if isinstance(a, argparse._SubParsersAction))
    p = actions.add_parser("render", help="one PNG per step (answer shown) and the PDF handouts")
    p.add_argument("lesson", metavar="FILE|NAME", help="a lesson file, or a built-in's name")
    p.add_argument("outdir", help="folder for step-NN.png, worksheet.pdf and answers.pdf")
    p.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    p.add_argument("--zoom", default="1.0", help="classroom zoom, 0.5 to 3 (default 1.0)")
    p.add_argument("--json", action="store_true", help="print the written paths as JSON")
    p.set_defaults(func=run_lesson_render)


def run_lesson_render(args: argparse.Namespace) -> int:
    from lab_app.core.lessons.library import find_lesson
    from lab_app.qt.lesson_render import render_lesson
    from lab_app.qt.screenshot import parse_size, parse_zoom

    size, zoom = parse_size(args.size), parse_zoom(args.zoom)
    lesson = find_lesson(args.lesson)
    done = render_lesson(lesson, Path(args.outdir), size, args.store, zoom=zoom)
    files = [*map(str, done.pictures), str(done.worksheet), str(done.answers)]
    if args.json:
        doc = {"lesson": lesson.title, "files": files, "answered": done.answered}
        print(json.dumps(doc, ensure_ascii=False), file=sys.stdout, flush=True)
    else:
        print("\n".join(files))
    late = [i + 1 for i, ok in enumerate(done.answered) if not ok]
    if late:
        print(f"bert-lab: note: steps {late} were captured before their result came",
              file=sys.stderr)  # fmt: skip
    return 0


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
