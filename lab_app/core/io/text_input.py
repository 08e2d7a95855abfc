"""Read a student's utterance file (CSV/TSV, plain text, intents.json, Rasa nlu.yml) for embedding.

Students bring whatever their chatbot course gave them, saved by whatever editor they had, so the
reader accepts the common formats and encodings and turns every problem into a ``UserError`` that
names the file and says what to do. It only ever opens the file for reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.io.chatbot_formats import json_pairs, yaml_pairs
from lab_app.core.resources import resources_dir

TEXT_COLUMNS = ("text", "utterance", "sentence", "example", "pattern")
LABEL_COLUMNS = ("intent", "label", "tag", "class", "category")
UNLABELLED = "(unlabelled)"
MAX_FILE_BYTES = 100 * 1024 * 1024
_FORMATS = "a .csv, .tsv, .txt, .json (intents.json) or .yml (Rasa nlu.yml) file"
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Leading bytes of files students pick by mistake, with the way out.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive or an Excel/Word file; in Excel use Save As > CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Word file; in Excel use Save As > CSV UTF-8"),
    (b"%PDF", "a PDF; copy the texts into a .txt file, one per line"),
)
# Rasa entity annotations: [text](entity), [text]{"entity": ...}, [text][...]


@dataclass(frozen=True)
class Utterances:
    """Texts to embed, their intents when the file has them, and remarks the user should see."""

    texts: list[str]
    labels: list[str] | None
    source: str
    notes: list[str]

    def __post_init__(self) -> None:
        if self.labels is not None and len(self.labels) != len(self.texts):
            raise ValueError(f"{len(self.labels)} labels for {len(self.texts)} texts")


def sample_dataset_path() -> Path:
    """The built-in help-desk chatbot dataset, so the Embeddings lab works without a file."""
    return resources_dir() / "datasets" / "helpdesk_chatbot.csv"


def read_utterances(
    path: Path,
    *,
    text_column: str | None = None,
    label_column: str | None = None,
    max_rows: int | None = None,
) -> Utterances:
    """Read utterances (and intents, where the format carries them) from ``path``.

    The format follows the extension; an unknown extension is guessed from the content.
    ``text_column``/``label_column`` pick CSV columns by name (case-insensitive). ``max_rows`` keeps
    the first utterances only, with a note, so a huge file cannot stall the lab.
    """
    if max_rows is not None and max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, not {max_rows}")
    path = Path(path)
    text = read_text_file(path)
    kind = _kind(path, text)
    notes: list[str] = []
    pairs: Iterable[tuple[str, str | None]]
    if kind in ("csv", "tsv"):
        pairs = _csv_pairs(path, text, kind, text_column, label_column, notes)
    elif kind == "json":
        pairs = json_pairs(path, text, notes)
    elif kind == "yaml":
        pairs = yaml_pairs(path, text, notes)
    else:
        pairs = _txt_pairs(text, notes)
    texts, labels = _collect(path, pairs, max_rows, notes)
    return Utterances(texts=texts, labels=labels, source=str(path), notes=notes)


def csv_columns(path: Path) -> list[str]:
    """The header of a CSV/TSV file, for the dialog where the user picks the text column."""
    path = Path(path)
    text = read_text_file(path)
    kind = "tsv" if _kind(path, text) == "tsv" else "csv"
    header, _ = _csv_header(path, text, kind)
    return header


# --- bytes to text ---------------------------------------------------------------------------


def read_text_file(path: Path, expected: str = _FORMATS) -> str:
    """Decode the file by its BOM (UTF-8, UTF-16 LE/BE) or as UTF-8, refusing binary files.

    ``expected`` names the kind of file wanted, for the messages."""
    name = path.name
    if not path.exists():
        raise UserError(f"File not found: {path}. Check the name and folder, or pick it again.")
    if not path.is_file():
        raise UserError(f"{path} is a folder, not a file; pick {expected} inside it.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"'{name}' is {size // (1024 * 1024)} MB, too large for this lab; "
            f"use a file under {MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    with path.open("rb") as f:
        data = f.read()
    if not data.strip():
        raise UserError(f"'{name}' is empty; add one utterance per line or row and try again.")
    try:
        text = decode_bytes(name, data, expected)
    except UnicodeError:
        raise UserError(
            f"'{name}' is not UTF-8 or UTF-16 text; save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise UserError(f"'{name}' is a binary file, not text; pick {expected}.")
    if not text.strip():
        raise UserError(f"'{name}' is empty; add one utterance per line or row and try again.")
    return text


def decode_bytes(name: str, data: bytes, expected: str = _FORMATS) -> str:
    """Text from bytes by BOM, else strict UTF-8; UnicodeError means 'save it as UTF-8'.

    ``expected`` names the kind of file the caller wants, for the binary-file message.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnicodeError("UTF-32 is not supported")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UserError(f"'{name}' looks like {what}.")
    if b"\x00" in data[:8192]:
        if _looks_like_utf16(data):
            raise UnicodeError("UTF-16 without a BOM")
        raise UserError(f"'{name}' is a binary file, not text; pick {expected}.")
    return data.decode("utf-8")


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 saved without a BOM: every other byte is zero. Reported as 'not UTF-8'."""
    head = data[:4096]
    third = len(head) // 3
    return len(head) >= 4 and (head[1::2].count(0) > third or head[::2].count(0) > third)


def _kind(path: Path, text: str) -> str:
    """The format by extension, else by a look at the first characters."""
    suffix = path.suffix.lower()
    by_suffix = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "txt", ".json": "json"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    if suffix in (".yml", ".yaml"):
        return "yaml"
    head = text.lstrip()
    if head.startswith(("{", "[")):
        return "json"
    if re.match(r"(version|nlu)\s*:", head):
        return "yaml"
    first = head.splitlines()[0] if head else ""
    cells = [c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)]
    if len(cells) > 1 and any(c.rstrip("s") in TEXT_COLUMNS for c in cells):
        return "tsv" if "\t" in first else "csv"
    return "txt"


# --- formats -----------------------------------------------------------------------------------


def _txt_pairs(text: str, notes: list[str]) -> Iterator[tuple[str, str | None]]:
    """One utterance per line; blank lines are skipped and counted."""
    blank = 0
    for line in text.splitlines():
        if line.strip():
            yield line.strip(), None
        else:
            blank += 1
    if blank:
        notes.append(f"skipped {blank} empty line{'s' * (blank != 1)}")


def _csv_reader(text: str, kind: str) -> Any:
    """A strict reader, so unbalanced quotes are reported instead of swallowing the rest."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t"
    if kind == "csv":
        # Excel in many European locales writes ';'; some tools write tabs into a .csv.
        delimiter = next((d for d in ",;\t" if d in first), ",")
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def _csv_error(path: Path, line: int, err: Exception) -> UserError:
    return UserError(
        f"'{path.name}' is not valid CSV (line {line}: {err}). Put quotes around texts that "
        'contain commas, quotes or line breaks, double any " inside them, or save it again '
        "from a spreadsheet as CSV UTF-8."
    )


def _csv_header(path: Path, text: str, kind: str) -> tuple[list[str], Any]:
    reader = _csv_reader(text, kind)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                return [cell.strip() for cell in row], reader
    except csv.Error as err:
        raise _csv_error(path, reader.line_num, err) from None
    raise UserError(f"'{path.name}' has no rows; add a header and one utterance per row.")


def _find_column(header: list[str], wanted: str | None, known: tuple[str, ...]) -> int | None:
    """Index of the named column, else of the first known name (singular or plural)."""
    lowered = [h.lower() for h in header]
    if wanted is not None:
        return lowered.index(wanted.strip().lower()) if wanted.strip().lower() in lowered else None
    for name in known:
        for i, h in enumerate(lowered):
            if h in (name, name + "s", name + "es"):
                return i
    return None


def _csv_pairs(
    path: Path,
    text: str,
    kind: str,
    text_column: str | None,
    label_column: str | None,
    notes: list[str],
) -> Iterator[tuple[str, str | None]]:
    """Rows of a CSV/TSV with a header; the text column is named or recognised by its name."""
    header, reader = _csv_header(path, text, kind)
    found = ", ".join(repr(h) for h in header)
    t_idx = _find_column(header, text_column, TEXT_COLUMNS)
    if t_idx is None:
        what = f"has no column {text_column!r}" if text_column else "has no text column"
        raise UserError(
            f"'{path.name}' {what}. Columns found: {found}. Pick the column that holds the "
            f"utterances (or name it one of: {', '.join(TEXT_COLUMNS)})."
        )
    l_idx = _find_column(header, label_column, LABEL_COLUMNS)
    if label_column is not None and l_idx is None:
        raise UserError(
            f"'{path.name}' has no column {label_column!r}. Columns found: {found}. "
            "Pick the column that holds the intents, or none."
        )
    if l_idx == t_idx:
        l_idx = None
    shown = f"read column {header[t_idx]!r}"
    notes.append(shown + (f" with intents from {header[l_idx]!r}" if l_idx is not None else ""))
    empty = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if any(cell.strip() for cell in row[len(header) :]):
                extra = ValueError(f"{len(row)} fields but the header has {len(header)}")
                raise _csv_error(path, reader.line_num, extra)
            value = row[t_idx].strip() if t_idx < len(row) else ""
            if not value:
                empty += 1
                continue
            label = None
            if l_idx is not None:
                label = row[l_idx].strip() if l_idx < len(row) else ""
            yield value, label
    except csv.Error as err:
        raise _csv_error(path, reader.line_num, err) from None
    if empty:
        notes.append(f"skipped {empty} row{'s' * (empty != 1)} with an empty text")


def _collect(
    path: Path,
    pairs: Iterable[tuple[str, str | None]],
    max_rows: int | None,
    notes: list[str],
) -> tuple[list[str], list[str] | None]:
    """Strip and keep non-empty texts, apply ``max_rows``, fill missing labels, note duplicates."""
    texts: list[str] = []
    labels: list[str | None] = []
    truncated = False
    for text, label in pairs:
        text = text.strip()
        if not text:
            continue
        if max_rows is not None and len(texts) >= max_rows:
            truncated = True
            break
        texts.append(text)
        labels.append(label.strip() if label is not None else None)
    if not texts:
        raise UserError(
            f"'{path.name}' contains no utterances; add some texts (one per line or row) and "
            "try again."
        )
    if truncated:
        notes.append(f"read only the first {max_rows} utterances; the file has more")
    duplicates = len(texts) - len(set(texts))
    if duplicates:
        notes.append(f"{duplicates} text{'s' * (duplicates != 1)} appear more than once")
    if all(label is None for label in labels):
        return texts, None
    missing = sum(1 for label in labels if not label)
    if missing:
        notes.append(f"{missing} utterance{'s' * (missing != 1)} have no intent: {UNLABELLED}")
    return texts, [label or UNLABELLED for label in labels]
