"""``bert-lab lesson list|check``: the lessons a class can be given, and whether a file is one.

- ``lesson list [--folder DIR] [--json]``: the built-in lessons (and the ``.yaml`` lessons in DIR):
  name, title, steps, the labs each uses, and any problem a step has;
- ``lesson check FILE|NAME``: exit 0 with a summary if every step can run on this store; else exit
  2 with one line naming the first problem (a malformed file, an unknown lab, a state from a newer
  version, a missing model). ``bert-lab lesson render`` (PNGs and the PDF handouts) needs the
  window's code and is registered by the window's package.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json


def register(sub: Any) -> None:
    p = sub.add_parser("lesson", help="lessons: list the built-in ones, check a lesson file")
    actions = p.add_subparsers(dest="lesson_command", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="the built-in lessons (and those in --folder)")
    ls.add_argument("--folder", action="append", default=[], help="also list lessons in DIR")
    ls.add_argument("--json", action="store_true", help="print the list as JSON")
    ls.set_defaults(func=run_list)
    ck = actions.add_parser("check", help="can every step of a lesson run on this store?")
    ck.add_argument("lesson", metavar="FILE|NAME", help="a lesson file, or a built-in's name")
    ck.add_argument("--json", action="store_true", help="print the verdict as JSON")
    ck.set_defaults(func=run_check)


def run_list(args: argparse.Namespace) -> int:
    from lab_app.core.lessons.library import list_lessons

    found = list_lessons([Path(f) for f in args.folder])
    rows = []
    for item in found:
        row: dict[str, Any] = {"name": item.name, "path": str(item.path), "builtin": item.builtin}
        if item.lesson is None:
            row["error"] = item.error
        else:
            row.update(
                title=item.lesson.title,
                steps=len(item.lesson.steps),
                labs=item.lesson.labs(),
                problems=[str(p) for p in item.lesson.problems],
            )
        rows.append(row)
    if args.json:
        emit_json({"lessons": rows})
        return 0
    for row in rows:
        where = "built-in" if row["builtin"] else row["path"]
        if "error" in row:
            print(f"{row['name']} ({where}): cannot be read: {row['error']}")
            continue
        print(f"{row['name']} ({where}): {row['title']} — {row['steps']} steps; "
              f"labs: {', '.join(row['labs'])}")  # fmt: skip
        for problem in row["problems"]:
            print(f"  {problem}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from lab_app.core.errors import UserError
    from lab_app.core.lessons.library import check, find_lesson
    from lab_app.core.models.store import open_store

    lesson = find_lesson(args.lesson)
    problems = check(lesson, open_store(args.store))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UserError(f"{lesson.title}: {problems[0]}{more}")
    if args.json:
        emit_json({"lesson": lesson.title, "steps": len(lesson.steps), "labs": lesson.labs(),
                   "ok": True})  # fmt: skip
    else:
        print(f"{lesson.title}: {len(lesson.steps)} steps, every one can run "
              f"(labs: {', '.join(lesson.labs())})")  # fmt: skip
    return 0
