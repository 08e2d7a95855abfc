"""Writing the Embeddings lab's results: map coordinates with intents and clusters as CSV.

Written beside the target under a temporary name and renamed into place (as ``export`` does), so
a failure never leaves half a file and the input file is never overwritten.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lab_app.core.errors import UserError
from lab_app.core.io.export import _atomic_write

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis

COORD_COLUMNS = ("text", "label", "cluster", "x", "y")


def check_csv_output(out: Path, inputs: Sequence[Path] = ()) -> None:
    if out.suffix.lower() != ".csv":
        raise UserError(f"--out must end in .csv, not '{out.suffix or out.name}'")
    for src in inputs:
        if out.resolve() == Path(src).resolve():
            raise UserError(f"{out} is the input file; choose another output name")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist")


def coords_csv(analysis: Analysis) -> str:
    """text, label (empty without intents), cluster, x, y: one row per utterance."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COORD_COLUMNS)
    labels = analysis.dataset.labels
    coords = analysis.projection.coords
    for i, text in enumerate(analysis.dataset.texts):
        label = labels[i] if labels is not None else ""
        x, y = coords[i]
        writer.writerow([text, label, int(analysis.clusters.labels[i]), f"{x:.6g}", f"{y:.6g}"])
    return buf.getvalue()


def write_coords_csv(out: Path, analysis: Analysis) -> Path:
    _atomic_write(out, coords_csv(analysis).encode("utf-8"))
    return out
