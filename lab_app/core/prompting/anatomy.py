"""A few-shot prompt built from its parts, as on the lecture's in-context learning slide.

    Translate English to French:        ← task description
    sea otter => loutre de mer          ← examples
    peppermint => menthe poivrée
    cheese =>                           ← prompt (the query)

:func:`assemble` returns the text and where each part sits in it, so a view can colour the parts
and a tokenizer can count them. Examples may be switched off without being deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from lab_app.core.errors import UserError

# name -> (before the input, between input and output); the answer follows after one space.
FORMATS: dict[str, tuple[str, str]] = {
    "=>": ("", " =>"),
    ":": ("", ":"),
    "Q:/A:": ("Q: ", "\nA:"),
    "Review/Sentiment": ("Review: ", "\nSentiment:"),
}
EXAMPLE_SEPARATORS: dict[str, str] = {"new line": "\n", "blank line": "\n\n"}
MAX_EXAMPLES = 64  # a prompt a class can read; 10,000 pasted examples are refused, not run
PartKind = Literal["task", "example", "query"]


@dataclass(frozen=True)
class Example:
    input: str
    output: str
    enabled: bool = True


@dataclass(frozen=True)
class PromptParts:
    """What the user typed: a task line, examples, and the query whose answer is wanted."""

    task: str = ""
    examples: tuple[Example, ...] = ()
    query: str = ""
    format: str = "=>"
    example_separator: str = "new line"

    def active(self) -> list[Example]:
        return [e for e in self.examples if e.enabled]


# The lecture's in-context learning slide, as it is written there.
LECTURE_SLIDE = PromptParts(
    task="Translate English to French:",
    examples=(
        Example("sea otter", "loutre de mer"),
        Example("peppermint", "menthe poivrée"),
        Example("plush girafe", "girafe peluche"),
    ),
    query="cheese",
)


@dataclass(frozen=True)
class Span:
    kind: PartKind
    start: int
    end: int
    index: int = 0  # which example


@dataclass(frozen=True)
class Assembled:
    text: str
    spans: tuple[Span, ...] = field(default_factory=tuple)

    @property
    def shots(self) -> int:
        return sum(s.kind == "example" for s in self.spans)


def line(fmt: str, text: str, answer: str | None = None) -> str:
    """One example (with its answer) or the query (without), in the chosen format."""
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    before, between = FORMATS[fmt]
    out = f"{before}{text}{between}"
    return out if answer is None else f"{out} {answer}"


def check(parts: PromptParts) -> None:
    """Refuse what cannot make a prompt, with a message that says what to fix."""
    if not parts.query.strip():
        raise UserError("the query is empty: type the input whose answer you want")
    if len(parts.examples) > MAX_EXAMPLES:
        raise UserError(f"{len(parts.examples)} examples are too many; use at most {MAX_EXAMPLES}")
    for n, e in enumerate(parts.examples, 1):
        if e.enabled and (not e.input.strip() or not e.output.strip()):
            raise UserError(f"example {n} needs both an input and an output (or switch it off)")
    if parts.example_separator not in EXAMPLE_SEPARATORS:
        raise UserError(f"unknown example separator {parts.example_separator!r}")
    line(parts.format, "")


def assemble(parts: PromptParts) -> Assembled:
    """The prompt text and the span of every part in it (the query ends without an answer)."""
    check(parts)
    sep = EXAMPLE_SEPARATORS[parts.example_separator]
    pieces: list[tuple[PartKind, str, int]] = []
    if parts.task.strip():
        pieces.append(("task", parts.task.strip(), 0))
    for i, e in enumerate(parts.examples):
        if e.enabled:
            pieces.append(("example", line(parts.format, e.input.strip(), e.output.strip()), i))
    pieces.append(("query", line(parts.format, parts.query.strip()), 0))
    text, spans = "", []
    for n, (kind, piece, index) in enumerate(pieces):
        if n:
            text += "\n" if pieces[n - 1][0] == "task" else sep
        spans.append(Span(kind, len(text), len(text) + len(piece), index))
        text += piece
    return Assembled(text, tuple(spans))


def prefix_and_query(
    task: str, examples: Sequence[tuple[str, str]], query: str, fmt: str
) -> tuple[str, str]:
    """A prompt split where the shots experiment shares work: the task line and the examples
    (run once per draw) and the query (run once per item). ``prefix + query`` is the prompt."""
    parts = PromptParts(task, tuple(Example(i, o) for i, o in examples), query, fmt)
    full = assemble(parts)
    start = full.spans[-1].start
    return full.text[:start], full.text[start:]
