"""Read word-level entity tags for token classification (named-entity recognition).

Two layouts are accepted, both turned into :class:`TaggedData`: sentences of words, each word
with one IOB2 tag (``O`` outside any entity, ``B-LOC`` the first word of a location, ``I-LOC``
the words after it).

- **CoNLL columns** (``.conll``, ``.iob``, ``.tsv``, and ``.txt`` that looks like it): one word
  per line, columns separated by spaces or tabs, the word first and its tag last (so both the
  two-column layout ``Madrid B-LOC`` and CoNLL-2003's four columns ``Madrid NNP B-NP B-LOC`` are
  read); a blank line ends a sentence; ``-DOCSTART-`` lines (document breaks in CoNLL-2003) are
  skipped and end a sentence. A line that starts with ``#`` and whose last column is not a tag
  is a comment (CoNLL-U's ``# text = …``) and is skipped; ``# O`` is the word ``#`` tagged ``O``.
- **Inline marks** (``.md``, ``.yml``, ``.inline``, and ``.txt`` that looks like it): one sentence
  per line, entities marked as chatbot courses write them for Rasa, ``[Maria](PER) flew to
  [Madrid](LOC)`` or ``[Madrid]{"entity": "LOC"}``. A Rasa ``nlu.yml`` is read from its
  ``examples: |`` blocks under ``- intent:`` items; in a Rasa Markdown file, lines starting with
  ``#`` are headings and ``## synonym:``/``## lookup:``/``## regex:`` sections are skipped.

The IOB tag syntax itself (what a tag may look like, where ``I-`` may stand, converting the
older IOB1 scheme) lives here because the readers enforce it; :mod:`lab_app.core.taskmodels.iob`
builds the entity spans and scores on top of it. Reading never writes anything.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError

SCHEMES = ("iob2", "iob1")
CONLL_SUFFIXES = (".conll", ".iob", ".tsv", ".bio")
INLINE_SUFFIXES = (".md", ".yml", ".yaml", ".inline")
_MARK = re.compile(r"\[[^\]\n]+\](?:\(|\{)")


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence: its words and one IOB2 tag per word."""

    words: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class TaggedData:
    """Tagged sentences, the entity types found in them (sorted), and remarks for the user."""

    sentences: tuple[TaggedSentence, ...]
    types: tuple[str, ...]
    notes: tuple[str, ...]


# --- the tag syntax -----------------------------------------------------------------------------


def split_tag(tag: str) -> tuple[str, str]:
    """``"B-LOC"`` → ``("B", "LOC")``, ``"O"`` → ``("O", "")``; ValueError for anything else."""
    if tag == "O":
        return "O", ""
    prefix, dash, kind = tag.partition("-")
    if prefix in ("B", "I") and dash and kind and not any(c.isspace() for c in kind):
        return prefix, kind
    raise ValueError(f"not an IOB tag: {tag!r}")


def check_tag(tag: str, where: str) -> None:
    """A UserError naming ``where`` (``"line 17"``) unless ``tag`` is ``O``, ``B-X`` or ``I-X``."""
    try:
        split_tag(tag)
    except ValueError:
        hint = ""
        if (tag.upper() != tag and tag[:2].upper() in ("B-", "I-")) or tag in ("o", "0"):
            hint = " (tags are case-sensitive: write O, B-… and I-…)"
        elif tag[:2] in ("E-", "S-", "L-", "U-"):
            hint = " (that is the IOBES/BILOU scheme; convert the file to IOB2 first)"
        raise UserError(
            f"{where}: '{tag}' is not a tag; a tag is O, or B- or I- followed by the entity "
            f"type, like B-LOC{hint}"
        ) from None


def first_orphan(tags: Sequence[str]) -> int | None:
    """The index of the first ``I-X`` that neither a ``B-X`` nor an ``I-X`` comes right before
    (not allowed in IOB2, where every entity starts with ``B-``), or None."""
    prev = "O"
    for i, tag in enumerate(tags):
        prefix, kind = split_tag(tag)
        if prefix == "I" and prev not in (f"B-{kind}", f"I-{kind}"):
            return i
        prev = tag
    return None


def check_iob2(tags: Sequence[str], where: str) -> None:
    """A UserError naming ``where`` when ``tags`` (checked with :func:`check_tag`) break IOB2."""
    for i, tag in enumerate(tags):
        check_tag(tag, f"{where}, word {i + 1}")
    orphan = first_orphan(tags)
    if orphan is not None:
        raise UserError(f"{where}, word {orphan + 1}: {_orphan_message(tags, orphan)}")


def _orphan_message(tags: Sequence[str], i: int) -> str:
    kind = split_tag(tags[i])[1]
    before = f"'{tags[i - 1]}'" if i else "the start of the sentence"
    return (
        f"'{tags[i]}' follows {before} with no 'B-{kind}' before it; IOB2 starts every entity "
        "with B-. If the file uses the older IOB1 scheme (as the original CoNLL-2003 files do), "
        "read it with --scheme iob1"
    )


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """IOB1 (``I-`` everywhere, ``B-`` only between two touching entities of one type) to IOB2:
    an ``I-X`` that does not continue an ``X`` entity becomes ``B-X``."""
    out: list[str] = []
    prev_kind = ""
    for tag in tags:
        prefix, kind = split_tag(tag)
        out.append(f"B-{kind}" if prefix == "I" and kind != prev_kind else tag)
        prev_kind = kind
    return out


def _types(sentences: Sequence[TaggedSentence]) -> tuple[str, ...]:
    return tuple(sorted({split_tag(t)[1] for s in sentences for t in s.tags} - {""}))


def _finish(sentences: list[TaggedSentence], notes: list[str], layout: str) -> TaggedData:
    if not sentences:
        raise UserError(f"no tagged sentences found: {layout}")
    types = _types(sentences)
    if not types:
        raise UserError(
            f"the {len(sentences)} sentences have no entities (every word is tagged O); "
            "a tagger needs examples of what to find"
        )
    return TaggedData(tuple(sentences), types, tuple(notes))


# --- CoNLL columns ------------------------------------------------------------------------------

_CONLL_LAYOUT = (
    "expected one word per line, its tag last (Madrid B-LOC), a blank line between sentences"
)


def _is_tag(text: str) -> bool:
    try:
        split_tag(text)
    except ValueError:
        return False
    return True


def parse_conll(text: str, scheme: str = "iob2") -> TaggedData:
    """Sentences from CoNLL columns (see the module's description); ``scheme="iob1"`` converts
    IOB1 tags to IOB2, ``"iob2"`` rejects an ``I-`` that starts an entity."""
    if scheme not in SCHEMES:
        raise UserError(f"the tag scheme is iob2 or iob1, not '{scheme}'")
    rows: list[tuple[int, list[str]] | None] = []  # None: a sentence break
    skipped = Counter[str]()
    for n, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        cols = line.split()
        if not cols:
            rows.append(None)
        elif cols[0] == "-DOCSTART-":
            skipped["-DOCSTART- line"] += 1
            rows.append(None)
        elif cols[0].startswith("#") and not _is_tag(cols[-1]):
            skipped["comment line"] += 1
        else:
            rows.append((n, cols))
    counts = Counter(len(r[1]) for r in rows if r is not None)
    if not counts:
        raise UserError(f"no tagged words found: {_CONLL_LAYOUT}")
    width = counts.most_common(1)[0][0]
    sentences: list[TaggedSentence] = []
    words: list[str] = []
    tags: list[str] = []
    lines: list[int] = []
    for row in [*rows, None]:
        if row is not None:
            n, cols = row
            if len(cols) != width:
                raise UserError(
                    f"line {n} has {len(cols)} column{'s' * (len(cols) != 1)}, the file's other "
                    f"lines have {width}; {_CONLL_LAYOUT}"
                )
            if width < 2:
                raise UserError(f"line {n} has a word but no tag; {_CONLL_LAYOUT}")
            check_tag(cols[-1], f"line {n}")
            words.append(cols[0])
            tags.append(cols[-1])
            lines.append(n)
        elif words:
            if scheme == "iob1":
                tags = iob1_to_iob2(tags)
            i = first_orphan(tags)
            if i is not None:
                raise UserError(f"line {lines[i]}: {_orphan_message(tags, i)}")
            sentences.append(TaggedSentence(tuple(words), tuple(tags)))
            words, tags, lines = [], [], []
    notes = [f"skipped {k} {what}{'s' * (k > 1)}" for what, k in sorted(skipped.items())]
    if scheme == "iob1":
        notes.append("converted the IOB1 tags to IOB2")
    return _finish(sentences, notes, _CONLL_LAYOUT)


# --- inline marks -------------------------------------------------------------------------------


def _is_punct(ch: str) -> bool:
    """Punctuation as BERT's pre-tokenizer sees it: ASCII symbols and Unicode's P* classes."""
    return (ch.isascii() and not ch.isalnum() and not ch.isspace()) or unicodedata.category(
        ch
    ).startswith("P")


def split_words(text: str) -> list[str]:
    """Words as BERT's pre-tokenizer splits them: at whitespace, and every punctuation mark a
    word of its own (``"Madrid."`` → ``["Madrid", "."]``); emoji and letters of any script stay
    in their words."""
    words: list[str] = []
    current = ""
    for ch in text:
        if ch.isspace() or _is_punct(ch):
            if current:
                words.append(current)
            current = ""
            if not ch.isspace():
                words.append(ch)
        else:
            current += ch
    if current:
        words.append(current)
    return words


def _label(raw: str, closing: str, where: str) -> str:
    if closing == "}":
        try:
            data = json.loads("{" + raw + "}")
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("entity"), str):
            raise UserError(
                f'{where}: {{{raw}}} is not an entity mark; write {{"entity": "LOC"}}'
            ) from None
        raw = data["entity"]
    label = raw.split(":", 1)[0].strip()  # Rasa's [NYC](city:New York) names a synonym
    if not label or any(c.isspace() for c in label):
        raise UserError(f"{where}: '{raw}' is not an entity type; write one word, like LOC")
    return label


def parse_marked_line(line: str, where: str) -> TaggedSentence:
    """One sentence with ``[words](TYPE)`` / ``[words]{"entity": "TYPE"}`` marks: its words,
    tagged ``B-TYPE`` then ``I-TYPE`` inside a mark and ``O`` outside."""
    words: list[str] = []
    tags: list[str] = []
    pos = 0
    while pos < len(line):
        open_at = line.find("[", pos)
        stray = line.find("]", pos)
        if stray != -1 and (open_at == -1 or stray < open_at):
            raise UserError(f"{where}: a ']' at character {stray + 1} closes no '['")
        plain = line[pos:] if open_at == -1 else line[pos:open_at]
        for w in split_words(plain):
            words.append(w)
            tags.append("O")
        if open_at == -1:
            break
        close = line.find("]", open_at)
        inner_open = line.find("[", open_at + 1)
        if close == -1 or (inner_open != -1 and inner_open < close):
            raise UserError(f"{where}: the '[' at character {open_at + 1} is not closed by ']'")
        after = line[close + 1 : close + 2]
        if after not in ("(", "{"):
            raise UserError(
                f"{where}: [{line[open_at + 1 : close]}] needs its entity type right after it, "
                "like [Madrid](LOC)"
            )
        closing = ")" if after == "(" else "}"
        end = line.find(closing, close + 2)
        if end == -1:
            raise UserError(f"{where}: the '{after}' at character {close + 2} is not closed")
        label = _label(line[close + 2 : end], closing, where)
        marked = split_words(line[open_at + 1 : close])
        if not marked:
            raise UserError(f"{where}: the mark at character {open_at + 1} has no words in it")
        for i, w in enumerate(marked):
            words.append(w)
            tags.append(f"{'I' if i else 'B'}-{label}")
        pos = end + 1
    return TaggedSentence(tuple(words), tuple(tags))


_YAML_ITEM = re.compile(r"^\s*-\s*(intent|synonym|regex|lookup|responses?)\s*:")
_YAML_EXAMPLES = re.compile(r"^(\s*)(?:-\s*)?examples\s*:\s*[|>]")
_MD_SECTION = re.compile(r"^#+\s*(intent|synonym|regex|lookup)\s*:")


def _inline_lines(text: str) -> list[tuple[int, str]]:
    """The (line number, sentence) pairs of an inline file, Rasa YAML and Markdown included."""
    lines = text.removeprefix("\ufeff").splitlines()
    if any(_YAML_EXAMPLES.match(ln) for ln in lines):  # Rasa nlu.yml
        out = []
        kind, block = "", -1
        for n, ln in enumerate(lines, 1):
            item, examples = _YAML_ITEM.match(ln), _YAML_EXAMPLES.match(ln)
            if item:
                kind, block = item.group(1), -1
            elif examples:
                block = len(examples.group(1))
            elif block >= 0 and ln.strip():
                if len(ln) - len(ln.lstrip()) <= block:
                    block = -1
                elif kind == "intent" and ln.strip().startswith("-"):
                    out.append((n, ln.strip()[1:].strip()))
        return out
    out, reading = [], True
    for n, ln in enumerate(lines, 1):
        stripped = ln.strip()
        if stripped.startswith("#"):  # a Markdown heading: ## intent:greet, ## lookup:city
            section = _MD_SECTION.match(stripped)
            reading = section is None or section.group(1) == "intent"
        elif stripped and reading and not stripped.startswith("<!--"):
            out.append((n, re.sub(r"^[-*]\s+", "", stripped)))
    return out


def parse_inline(text: str) -> TaggedData:
    """Sentences from inline marks (see the module's description), one per non-empty line."""
    sentences = []
    for n, line in _inline_lines(text):
        sentence = parse_marked_line(line, f"line {n}")
        if sentence.words:
            sentences.append(sentence)
    return _finish(sentences, [], "expected one sentence per line with marks like [Madrid](LOC)")


# --- files --------------------------------------------------------------------------------------


def looks_like_conll(text: str) -> bool:
    """Most non-blank lines have two or more columns and end in a tag, and none has a mark."""
    lines = [ln.split() for ln in text.splitlines() if ln.strip()]
    lines = [c for c in lines if c[0] != "-DOCSTART-" and not c[0].startswith("#")]
    if not lines or _MARK.search(text):
        return False
    tagged = sum(len(c) >= 2 and _is_tag(c[-1]) for c in lines)
    return tagged >= 0.8 * len(lines)


def read_tagged(path: Path, scheme: str = "iob2", max_sentences: int = 10_000) -> TaggedData:
    """Read a tagged file (format by its extension, by its content for ``.txt`` and others),
    keeping at most ``max_sentences`` sentences. Only reads: the file is never written."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(f"cannot read '{path.name}': {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(
            f"'{path.name}' is not UTF-8 text (byte {err.start + 1} cannot be read); save it "
            "from your editor as UTF-8"
        ) from None
    if not text.strip():
        raise UserError(f"'{path.name}' is empty")
    suffix = path.suffix.lower()
    if suffix in CONLL_SUFFIXES:
        conll = True
    elif suffix in INLINE_SUFFIXES:
        conll = False
    elif looks_like_conll(text):
        conll = True
    elif _MARK.search(text):
        conll = False
    else:
        raise UserError(
            f"'{path.name}' is neither CoNLL columns (one word and its tag per line: "
            "Madrid B-LOC) nor sentences with marks ([Madrid](LOC) is nice)"
        )
    try:
        data = parse_conll(text, scheme) if conll else parse_inline(text)
    except UserError as err:
        raise UserError(f"'{path.name}', {err}") from None
    if len(data.sentences) <= max_sentences:
        return data
    kept = data.sentences[:max_sentences]
    note = f"kept the first {max_sentences:,} of {len(data.sentences):,} sentences"
    return TaggedData(kept, _types(kept), (*data.notes, note))
