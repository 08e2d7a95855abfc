"""The text static word vectors are trained on: a student's ``.txt`` or the built-in corpus.

A corpus is a list of sentences, each a list of lower-case words. Words are what the regex
``\\w+(?:'\\w+)?`` finds (letters, digits, and one inner apostrophe: ``don't``, ``king's``);
punctuation is dropped. Sentences end at a line break or after ``.``, ``!`` or ``?``: a training
window never reaches across them, which is what word2vec and GloVe do with their sentences too.

The built-in corpus (``read_corpus(None)``) is ``resources/vectors/corpus.txt.gz``: a compact
sample of the public-domain texts the default vectors were trained on (Jane Austen's novels and
State of the Union addresses; ``resources/vectors/README.md`` says where it comes from). It is
small enough that both training methods finish in seconds on a laptop.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

BUILTIN_CORPUS = "corpus.txt.gz"
BUILTIN_NAME = "built-in corpus (Austen + State of the Union sample)"
MIN_WORDS = 100  # fewer running words than this is too little text to learn anything from
MIN_DISTINCT = 20  # and so is a text that repeats a handful of words

_WORD = re.compile(r"\w+(?:'\w+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n")
_CURLY = ("\u2019", "\u2018", "\u02bc")  # apostrophes written as ’ ‘ ʼ


@dataclass(frozen=True, eq=False)
class Corpus:
    """Sentences of lower-case words, where they came from, and what reading them left out."""

    sentences: list[list[str]]
    name: str
    words: int  # running words (tokens) in ``sentences``
    notes: tuple[str, ...] = ()


def tokenize_words(text: str) -> list[list[str]]:
    """Split ``text`` into sentences of lower-case words; empty sentences are dropped."""
    # str.replace, not str.translate: translate holds the GIL for 0.2 s on the 3 MB built-in
    # text (the window stalls); three replaces take half a millisecond.
    for curly in _CURLY:
        text = text.replace(curly, "'")
    sentences = []
    # Line by line: one regex call over the whole 3 MB text held the GIL for 60-100 ms.
    for line in text.splitlines():
        for piece in _SENTENCE_END.split(line):
            words = _WORD.findall(piece.lower())
            if words:
                sentences.append(words)
    return sentences


def builtin_corpus_path() -> Path:
    """Where the built-in training text lies (gzip-compressed UTF-8, one sentence per line)."""
    return resources_dir() / "vectors" / BUILTIN_CORPUS


def _read_text(path: Path) -> str:
    """The file's text; a missing, binary or non-UTF-8 file is a :class:`UserError`."""
    if not path.is_file():
        raise UserError(f"{path} is not a file; choose a plain-text (.txt) file")
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError) as exc:
        raise UserError(f"{path} could not be read as gzip text ({exc})") from None
    if b"\x00" in raw[:65536]:
        raise UserError(f"{path} looks like a binary file, not text; choose a plain-text (.txt)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded); "
            "save it as UTF-8 and try again"
        ) from None


def read_corpus(path: Path | None, max_words: int = 2_000_000) -> Corpus:
    """Read a corpus to train on: ``path`` (``.txt``, or ``.txt.gz``) or, with ``None``, the
    built-in one. Text past ``max_words`` running words is left out, with a note saying so.

    Refused with a :class:`UserError`: a missing, empty, binary or non-UTF-8 file, and one with
    fewer than ``MIN_WORDS`` words or ``MIN_DISTINCT`` different words (too little to train on).
    """
    if max_words < 1:
        raise UserError(f"max_words must be at least 1, not {max_words}")
    if path is None:
        source = builtin_corpus_path()
        if not source.is_file():
            raise UserError(f"the built-in corpus is missing ({source}); reinstall BERT Lab")
        name = BUILTIN_NAME
    else:
        source = Path(path)
        name = source.name
    sentences = tokenize_words(_read_text(source))
    total = sum(len(s) for s in sentences)
    if total == 0:
        raise UserError(f"{name} has no words in it; choose a text file with some prose")
    notes: list[str] = []
    if total > max_words:
        kept, words = [], 0
        for sentence in sentences:
            if words + len(sentence) > max_words:
                break
            kept.append(sentence)
            words += len(sentence)
        notes.append(f"only the first {words:,} of {total:,} words are used (the limit)")
        sentences, total = kept, words
    distinct = len({w for s in sentences for w in s})
    if total < MIN_WORDS or distinct < MIN_DISTINCT:
        raise UserError(
            f"{name} has only {total} words ({distinct} different); training needs at least "
            f"{MIN_WORDS} words and {MIN_DISTINCT} different ones, and really many thousands"
        )
    return Corpus(sentences, name, total, tuple(notes))
