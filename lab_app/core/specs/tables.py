"""The lecture notes' model tables, each cell with its source and, where the slide slipped, the
slide's value beside the correct one.

The data lives in ``resources/specs/*.json`` (format in ``resources/specs/README.md``); this module
only reads it into frozen dataclasses and writes it back out as JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

Scalar: TypeAlias = str | int | float | None
CellValue: TypeAlias = Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Reference:
    """A work cited by the tables: a short form for cells and the full citation."""

    key: str
    short: str
    full: str
    url: str | None = None


@dataclass(frozen=True)
class SpecCell:
    """One cell: the correct value, how to show it, where it comes from, and the slide's slip."""

    value: CellValue
    display: str
    source: str
    slide_value: str | None = None
    note: str | None = None

    @property
    def corrected(self) -> bool:
        """True where the slide shows something else than the source."""
        return self.slide_value is not None

    def teaching_note(self) -> str | None:
        """``the slide says 12888; Brown et al. 2020 (GPT-3), Table 2.1 says 12,288``."""
        if self.slide_value is None:
            return None
        return f"the slide says {self.slide_value}; {self.source} says {self.display}"


@dataclass(frozen=True)
class SpecTable:
    """A table as the notes lay it out; the first column holds the row labels."""

    id: str
    title: str
    slide: str
    columns: tuple[str, ...]
    rows: tuple[tuple[SpecCell, ...], ...]
    note: str | None = None

    def corrections(self) -> list[tuple[int, int, SpecCell]]:
        """``(row, column, cell)`` of every cell where the slide differs from the source."""
        return [
            (r, c, cell)
            for r, row in enumerate(self.rows)
            for c, cell in enumerate(row)
            if cell.corrected
        ]


def _default_display(value: CellValue) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(_default_display(v) for v in value)
    return value


def _parse_cell(raw: Mapping[str, Any], refs: Mapping[str, Reference], where: str) -> SpecCell:
    try:
        ref = refs[raw["ref"]]
    except KeyError as exc:
        raise ValueError(f"{where}: missing or unknown reference {exc}") from None
    at = str(raw.get("at", "")).strip()
    value: CellValue = raw.get("value")
    if isinstance(value, list):
        value = tuple(value)
    display = raw.get("display")
    slide = raw.get("slide")
    return SpecCell(
        value=value,
        display=str(display) if display is not None else _default_display(value),
        source=f"{ref.short}, {at}" if at else ref.short,
        slide_value=None if slide is None else str(slide),
        note=raw.get("note"),
    )


def _parse_table(raw: Mapping[str, Any], refs: Mapping[str, Reference]) -> SpecTable:
    table_id = str(raw["id"])
    columns = tuple(str(c) for c in raw["columns"])
    rows: list[tuple[SpecCell, ...]] = []
    for i, raw_row in enumerate(raw["rows"]):
        where = f"{table_id} row {i}"
        label = raw_row["label"]
        if isinstance(label, str):  # a row heading of the slide: the slide is its source
            label = {"value": label, "ref": "notes", "at": f"'{raw['slide']}' (row label)"}
        cells = [_parse_cell(label, refs, where)]
        cells += [
            _parse_cell(c, refs, f"{where} col {j + 1}") for j, c in enumerate(raw_row["cells"])
        ]
        if len(cells) != len(columns):
            raise ValueError(f"{where}: {len(cells)} cells for {len(columns)} columns")
        rows.append(tuple(cells))
    return SpecTable(
        id=table_id,
        title=str(raw["title"]),
        slide=str(raw["slide"]),
        columns=columns,
        rows=tuple(rows),
        note=raw.get("note"),
    )


def specs_dir() -> Path:
    """``resources/specs``."""
    return resources_dir() / "specs"


def load_references(folder: Path | None = None) -> dict[str, Reference]:
    """The works the cells cite, by key."""
    folder = specs_dir() if folder is None else folder
    raw = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    return {
        key: Reference(key=key, short=r["short"], full=r["full"], url=r.get("url"))
        for key, r in raw.items()
    }


def load_tables(folder: Path | None = None) -> list[SpecTable]:
    """Every table, in the order of ``index.json`` (the order of the notes)."""
    folder = specs_dir() if folder is None else folder
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    refs = load_references(folder)
    tables = []
    for table_id in index["tables"]:
        raw = json.loads((folder / f"{table_id}.json").read_text(encoding="utf-8"))
        tables.append(_parse_table(raw, refs))
    return tables


def find_table(name: str, tables: Sequence[SpecTable] | None = None) -> SpecTable:
    """The table whose id is ``name`` (case-insensitive, ``-`` or ``_``)."""
    tables = load_tables() if tables is None else tables
    key = name.strip().lower().replace("-", "_")
    for table in tables:
        if table.id == key:
            return table
    raise UserError(f"no table {name!r}; tables: {', '.join(t.id for t in tables)}")


def _value_to_json(value: CellValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def cell_to_dict(cell: SpecCell) -> dict[str, Any]:
    """One cell as plain JSON types."""
    return {
        "value": _value_to_json(cell.value),
        "display": cell.display,
        "source": cell.source,
        "slide_value": cell.slide_value,
        "note": cell.note,
    }


def table_to_dict(table: SpecTable) -> dict[str, Any]:
    """One table as plain JSON types."""
    return {
        "id": table.id,
        "title": table.title,
        "slide": table.slide,
        "note": table.note,
        "columns": list(table.columns),
        "rows": [[cell_to_dict(c) for c in row] for row in table.rows],
    }


def tables_to_dict(
    tables: Sequence[SpecTable] | None = None,
    references: Mapping[str, Reference] | None = None,
) -> dict[str, Any]:
    """All tables plus the full citations, the document ``bert-lab specs --json`` prints."""
    tables = load_tables() if tables is None else tables
    references = load_references() if references is None else references
    return {
        "tables": [table_to_dict(t) for t in tables],
        "references": {
            k: {"short": r.short, "full": r.full, "url": r.url} for k, r in references.items()
        },
    }


def tables_to_json(
    tables: Sequence[SpecTable] | None = None,
    references: Mapping[str, Reference] | None = None,
    indent: int | None = 2,
) -> str:
    """:func:`tables_to_dict` as a JSON string."""
    return json.dumps(tables_to_dict(tables, references), ensure_ascii=False, indent=indent)


def table_to_csv(table: SpecTable, sources: bool = False) -> str:
    """The displayed values as CSV; with ``sources`` each column is followed by its sources.

    Corrected cells show the correct value; the slide's value is in the source column.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not sources:
        writer.writerow(table.columns)
        writer.writerows([cell.display for cell in row] for row in table.rows)
        return buffer.getvalue()
    header: list[str] = []
    for column in table.columns:
        name = column or "row"
        header += [name, f"{name} (source)"]
    writer.writerow(header)
    for row in table.rows:
        line: list[str] = []
        for cell in row:
            source = cell.source
            if cell.slide_value is not None:
                source += f" [the slide says {cell.slide_value}]"
            line += [cell.display, source]
        writer.writerow(line)
    return buffer.getvalue()
