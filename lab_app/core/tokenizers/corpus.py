"""Corpus mode: the three tokenizers' totals over a whole text file, and tokens per word.

A file is cut line by line (as the trainers read text), so a line is the unit of progress and of
cancelling; blank lines and the line breaks themselves are not counted. Reading refuses what the
student cannot fix silently: files that are not UTF-8 text, binaries, and files too large to be
useful in a classroom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError
from lab_app.core.io.text_input import decode_bytes
from lab_app.core.progress import Progress
from lab_app.core.tokenizers.stats import (
    HIST_BINS,
    Cancelled,
    LabTokenizer,
    TokenStats,
    cut_with_stats,
    histogram,
    stats_csv,
    word_spans,
)

MAX_CORPUS_BYTES = 20 * 1024 * 1024
PIECE_CHARS = 10_000
_BATCH_LINES = 500


def read_text_file(path: Path, max_bytes: int = MAX_CORPUS_BYTES) -> str:
    """A UTF-8 (or BOM-marked UTF-16) text file; every problem is a UserError saying what to do."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise UserError(f"'{path}' is not a file; pick a .txt file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise UserError(
            f"'{name}' is {size / 1e6:.1f} MB; this lab reads files up to "
            f"{max_bytes / 1e6:.0f} MB. Cut it into smaller files."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"'{name}' cannot be read ({exc.strerror or exc}).") from None
    try:
        text = decode_bytes(name, data, expected="a .txt file")
    except UnicodeError:
        raise UserError(
            f"'{name}' is not UTF-8 text; open it in a text editor and save it as UTF-8."
        ) from None
    if "\x00" in text:
        raise UserError(f"'{name}' is a binary file, not text; pick a .txt file.")
    if not text.strip():
        raise UserError(f"'{name}' is empty; pick a file with some text in it.")
    return text


@dataclass(frozen=True)
class CorpusResult:
    """Totals per tokenizer and the tokens-per-word histogram (:data:`HIST_BINS` bins)."""

    source: str
    tokenizers: list[LabTokenizer]
    totals: list[TokenStats]
    histograms: list[list[int]]
    lines: int

    def csv(self) -> str:
        return stats_csv(
            list(zip(self.tokenizers, self.totals, strict=True)), {"source": self.source}
        )


def corpus_stats(
    report: Progress, tokenizers: Sequence[LabTokenizer], text: str, source: str
) -> CorpusResult:
    """Cut every non-blank line with every tokenizer; each batch of lines is a cancel point.

    A line longer than :data:`PIECE_CHARS` is cut at a space into pieces first: one call on a
    1 MB line holds the GIL for ~0.1 s while its 140,000 tokens become Python objects (the window
    froze, measured), and the per-word counts do not change where words are not split.
    """
    nonblank = [line for line in text.splitlines() if line.strip()]
    lines = [piece for line in nonblank for piece in _pieces(line)]
    totals = [TokenStats(t.name, 0, 0, 0, 0, 0) for t in tokenizers]
    hists = [[0] * HIST_BINS for _ in tokenizers]
    for start in range(0, len(lines), _BATCH_LINES):
        if not report(start, len(lines)):
            raise Cancelled()
        for line in lines[start : start + _BATCH_LINES]:
            words = word_spans(line)
            for i, tok in enumerate(tokenizers):
                cut = cut_with_stats(tok, line, words)
                totals[i] = totals[i] + cut.stats
                for b, n in enumerate(histogram(cut.per_word)):
                    hists[i][b] += n
    report(len(lines), len(lines))
    return CorpusResult(source, list(tokenizers), totals, hists, len(nonblank))


def _pieces(line: str) -> list[str]:
    if len(line) <= PIECE_CHARS:
        return [line]
    out, start = [], 0
    while len(line) - start > PIECE_CHARS:
        cut = line.rfind(" ", start + PIECE_CHARS // 2, start + PIECE_CHARS)
        end = cut + 1 if cut >= 0 else start + PIECE_CHARS  # no space: cut the word itself
        out.append(line[start:end])
        start = end
    out.append(line[start:])
    return out
