"""Read sentence pairs for the Fine-tuning lab's pair task: ``a<TAB>b<TAB>label`` per line.

A pair task (paraphrase identification, next-sentence prediction) judges two texts together, fed
to BERT as ``[CLS] A [SEP] B [SEP]`` with token types 0 and 1. The file is UTF-8 (or UTF-16 with a
BOM) text; a first line ``a<TAB>b<TAB>label`` (any column names) is a header and skipped; blank
lines are skipped. Every other line must have exactly three tab-separated fields, none empty.
The file is only ever opened for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError
from lab_app.core.io.text_input import read_text_file, sample_dataset_path

MAX_PAIRS = 20_000
EXPECTED = "a tab-separated file of a<TAB>b<TAB>label lines"
HEADERS = frozenset({"label", "labels", "class", "is_next", "quality", "y"})


@dataclass(frozen=True)
class PairData:
    """Pairs of texts with a label each, and remarks the user should see."""

    first: tuple[str, ...]
    second: tuple[str, ...]
    labels: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.labels)


def builtin_pairs(kind: str = "paraphrase") -> Path:
    """The built-in samples: ``paraphrase`` (paraphrase / different) or ``nsp`` (IsNext /
    NotNext), written for BERT Lab (``resources/datasets/README.md``)."""
    name = {"paraphrase": "pairs_sample.tsv", "nsp": "nsp_sample.tsv"}[kind]
    return sample_dataset_path().with_name(name)


def parse_pairs(text: str, name: str = "the pairs", max_pairs: int = MAX_PAIRS) -> PairData:
    """Pairs from the text of a TSV file; every problem is a ``UserError`` naming its line."""
    first: list[str] = []
    second: list[str] = []
    labels: list[str] = []
    notes: list[str] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")]
        if number == 1 and len(fields) == 3 and fields[2].lower() in HEADERS:
            continue  # a header
        if len(fields) != 3:
            raise UserError(
                f"{name}, line {number}: expected 3 tab-separated fields (a, b, label), found "
                f"{len(fields)}; a pair file has one pair per line"
            )
        a, b, label = fields
        if not a or not b:
            side = "first" if not a else "second"
            raise UserError(f"{name}, line {number}: the {side} text is empty; a pair needs both")
        if not label:
            raise UserError(f"{name}, line {number}: the label is empty")
        if len(labels) >= max_pairs:
            notes.append(f"kept the first {max_pairs:,} pairs of {name}")
            break
        first.append(a)
        second.append(b)
        labels.append(label)
    if not labels:
        raise UserError(f"{name} has no pairs; write one a<TAB>b<TAB>label per line")
    kinds = sorted(set(labels))
    if len(kinds) < 2:
        raise UserError(
            f"every pair in {name} is labelled '{kinds[0]}': a pair classifier needs two or more "
            "labels (for example paraphrase and different)"
        )
    return PairData(tuple(first), tuple(second), tuple(labels), tuple(notes))


def read_pairs(path: Path, max_pairs: int = MAX_PAIRS) -> PairData:
    """Read a pair file (see the module's docstring)."""
    return parse_pairs(read_text_file(path, EXPECTED), f"'{path.name}'", max_pairs)
