"""Writing results: vectors as .npy, or TSV + metadata TSV for TensorFlow's Embedding Projector.

Files are written beside the target under a temporary name and renamed into place, so a failure
never leaves half a file, and nothing is ever written over the input it came from.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lab_app.core.errors import UserError

if TYPE_CHECKING:
    import numpy as np

VECTOR_SUFFIXES = (".npy", ".tsv")


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A header and rows as CSV text (what every lab's table export writes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def check_output_path(out: Path, inputs: Sequence[Path] = ()) -> None:
    """Refuse an output that would overwrite an input or that has an unknown format."""
    if out.suffix.lower() not in VECTOR_SUFFIXES:
        raise UserError(f"--out must end in .npy or .tsv, not '{out.suffix or out.name}'")
    targets = [out, metadata_path(out)] if out.suffix.lower() == ".tsv" else [out]
    for src in inputs:
        for t in targets:
            if t.resolve() == src.resolve():
                raise UserError(f"{t} is the input file; choose another output name")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist")


def written_by(out: Path) -> list[Path]:
    """Every file an export to ``out`` writes: a .tsv writes ``metadata.tsv`` beside it too."""
    return [out, metadata_path(out)] if out.suffix.lower() == ".tsv" else [out]


def refuse_overwrite(out: Path, force: bool) -> None:
    """Without ``force`` (the CLI's ``--force``), an export never replaces an existing file."""
    taken = [p for p in written_by(out) if p.exists()]
    if taken and not force:
        names = " and ".join(str(p) for p in taken)
        raise UserError(
            f"{names} already exists; add --force to overwrite, or choose another --out"
        )


def metadata_path(out: Path) -> Path:
    return out.with_name("metadata.tsv")


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _tsv_cell(text: str) -> str:
    # The projector's format has no quoting: tabs and newlines inside a cell become spaces.
    return " ".join(text.replace("\t", " ").splitlines())


def write_vectors(
    out: Path, vectors: np.ndarray, texts: Sequence[str], labels: Sequence[str] | None = None
) -> list[Path]:
    """Write ``vectors`` to ``out`` (.npy or .tsv); a .tsv gets ``metadata.tsv`` beside it."""
    import numpy as np  # here, not at the top: the window's first paint imports this module

    vectors = np.asarray(vectors, dtype=np.float32)
    if out.suffix.lower() == ".npy":
        import io

        buf = io.BytesIO()
        np.save(buf, vectors)
        _atomic_write(out, buf.getvalue())
        return [out]
    # One %-format per row over Python floats: the same text as formatting each value, 4x faster.
    line = "\t".join(["%.7g"] * vectors.shape[1])
    rows = "".join(f"{line % tuple(row)}\n" for row in vectors.tolist()) if len(vectors) else "\n"
    if labels is not None:
        meta = "text\tlabel\n" + "".join(
            f"{_tsv_cell(t)}\t{_tsv_cell(lab)}\n" for t, lab in zip(texts, labels, strict=True)
        )
    else:  # a single column has no header in the projector's format
        meta = "".join(f"{_tsv_cell(t)}\n" for t in texts)
    _atomic_write(out, rows.encode("utf-8"))
    _atomic_write(metadata_path(out), meta.encode("utf-8"))
    return [out, metadata_path(out)]
