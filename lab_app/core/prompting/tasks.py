"""Labelled tasks for the shots experiment: the built-in ones in ``resources/prompting`` and a
user's own CSV of ``input,output`` pairs.

The user's file is only ever read. Every problem with it (not CSV, not two columns, too few rows,
an empty cell) is a :class:`UserError` that names the file and the line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

MIN_ITEMS = 10  # enough for 8 shots and a couple of test items
MAX_ITEMS = 5000  # more than a lesson needs; a 10,000-row paste is refused, not slowly scored


@dataclass(frozen=True)
class Task:
    """Input/output pairs and how to write them in a prompt."""

    name: str
    title: str
    description: str
    items: tuple[tuple[str, str], ...]
    format: str = "=>"  # a key of anatomy.FORMATS
    labels: tuple[str, ...] = ()  # for a choice between fixed answers (sentiment)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "items": len(self.items)}


def tasks_dir() -> Path:
    return resources_dir() / "prompting"


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tasks_dir() / "tasks.json").read_text(encoding="utf-8"))
    return data


def builtin_names() -> list[str]:
    return list(_index())


def builtin_task(name: str) -> Task:
    spec = _index().get(name)
    if spec is None:
        raise UserError(f"unknown task {name!r}; built-in tasks: {', '.join(_index())}")
    items = _pairs(tasks_dir() / spec["file"])
    return Task(
        name=name,
        title=spec["title"],
        description=spec["description"],
        items=items,
        format=spec.get("format", "=>"),
        labels=tuple(spec.get("labels", ())),
        note=spec.get("note", ""),
    )


def load_task(name_or_path: str) -> Task:
    """A built-in task by name, or a CSV file of input,output rows (its name: the file's stem)."""
    if name_or_path in _index():
        return builtin_task(name_or_path)
    path = Path(name_or_path)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt") and not path.exists():
        raise UserError(
            f"{name_or_path!r} is neither a built-in task ({', '.join(_index())}) nor a CSV file"
        )
    items = _pairs(path)
    outputs = sorted({o for _, o in items})
    labels = tuple(outputs) if len(outputs) <= 4 and len(items) >= 2 * len(outputs) else ()
    return Task(path.stem, path.stem, "", items, "=>", labels)


def _pairs(path: Path) -> tuple[tuple[str, str], ...]:
    from lab_app.core.io.text_input import read_text_file  # here: every command's help lists tasks

    text = read_text_file(path, "a CSV file of input,output rows")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[str, str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise UserError(
                    f"'{path.name}' line {reader.line_num} has {len(row)} column(s); each row "
                    "needs two: input,output (put quotes around texts with commas)"
                )
            inp, out = row[0].strip(), row[1].strip()
            if not inp or not out:
                raise UserError(
                    f"'{path.name}' line {reader.line_num} has an empty input or output"
                )
            rows.append((inp, out))
            if len(rows) > MAX_ITEMS + 1:
                raise UserError(f"'{path.name}' has more than {MAX_ITEMS} rows; use a smaller set")
    except csv.Error as err:
        raise UserError(f"'{path.name}' is not valid CSV (line {reader.line_num}: {err})") from None
    if rows and [c.lower() for c in rows[0]] == ["input", "output"]:
        rows = rows[1:]
    if len(rows) < MIN_ITEMS:
        raise UserError(
            f"'{path.name}' has {len(rows)} row(s); the shots experiment needs at least "
            f"{MIN_ITEMS} input,output pairs (8 examples and a few to test on)"
        )
    return tuple(rows)
