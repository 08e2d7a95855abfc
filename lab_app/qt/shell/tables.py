"""Read-only tables filled from rows of text: what several labs show their figures in."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A header and rows as CSV text (what File → Export writes for a table)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Header row first, then the cells (read-only)."""
    table.clear()
    table.setColumnCount(len(rows[0]) if rows else 0)
    table.setRowCount(max(len(rows) - 1, 0))
    if rows:
        table.setHorizontalHeaderLabels(list(rows[0]))
    for r, row in enumerate(rows[1:]):
        for c, cell in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(cell))
