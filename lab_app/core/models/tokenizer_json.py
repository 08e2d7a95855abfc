"""Read a ``tokenizer.json`` in short pieces, so that no single call holds the GIL for long.

``Tokenizer.from_file`` parses the JSON and builds the model in one Rust call that holds the GIL
throughout: 70–115 ms of CPU for a 50k-token BPE (GPT-2, Llama 2, SmolLM2) on the lab's 2-core
reference machine, and a window whose prewarm thread parses one freezes for that long (issue 29).
Here the same tokenizer costs about as much CPU in all, in steps that let other threads in:

- the file is decoded from UTF-8 a slice at a time (:func:`read_utf8`);
- its members are decoded one by one (:func:`loads_in_pieces`), the vocabulary and the merges
  being the largest (10–35 ms each);
- the merges become tuples in Python bytecode, which lets other threads run every 5 ms;
- the model is built from those (``models.BPE(vocab, merges)``): the longest step, 27–45 ms of CPU
  (up to ~65 ms while other processes share the two cores);
- the vocabulary and merges are freed a slice at a time (:func:`release`), not all at once;
- everything else comes from the file's JSON without its model, parsed in a millisecond.

The result is the tokenizer ``from_file`` would give, down to its ``to_str()``. For a model type
this module does not build (Unigram, WordLevel), or a file it does not expect, it falls back to
``from_str``/``from_file``, which also raise their usual errors for a broken file. The store's
files are read as they are: written compactly, with ``"a b"`` merges, they would cost ~30% less
CPU in all but shorten none of the steps above that matter.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Container
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Tokenizer, models

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
#: The model fields each builder takes (the rest of a known model is its ``type``, vocab, merges).
_BPE_OPTIONS = (
    "dropout",
    "unk_token",
    "continuing_subword_prefix",
    "end_of_word_suffix",
    "fuse_unk",
    "byte_fallback",
    "ignore_merges",
)
_WORDPIECE_OPTIONS = ("unk_token", "continuing_subword_prefix", "max_input_chars_per_word")
#: Bytes decoded per step by :func:`read_utf8` (about a millisecond's work).
_DECODE_STEP = 1 << 18
#: Entries freed per step by :func:`release` (about a millisecond's work).
_RELEASE_STEP = 2000
_ADDED_TOKEN_FLAGS = ("single_word", "lstrip", "rstrip", "normalized", "special")
#: What stands in for the model while the rest of the tokenizer is parsed.
_STUB_MODEL = {"type": "BPE", "vocab": {}, "merges": []}


def _skip(text: str, i: int) -> int:
    match = _WS.match(text, i)
    assert match is not None  # ``[…]*`` matches everywhere
    return match.end()


def _object(text: str, i: int, nested: Container[str]) -> tuple[dict[str, Any], int]:
    """The JSON object at ``text[i]``, each member decoded by its own call (and the members named
    in ``nested`` member by member, one level down); the index after it."""
    if text[i] != "{":
        raise ValueError(f"expected an object at {i}")
    out: dict[str, Any] = {}
    i = _skip(text, i + 1)
    if text[i] == "}":
        return out, i + 1
    while True:
        if text[i] != '"':
            raise ValueError(f"expected a key at {i}")
        key, i = scanstring(text, i + 1)
        i = _skip(text, i)
        if text[i] != ":":
            raise ValueError(f"expected ':' at {i}")
        i = _skip(text, i + 1)
        if key in nested and text[i] == "{":
            out[key], i = _object(text, i, ())
        else:
            out[key], i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == "}":
            return out, i + 1
        if text[i] != ",":
            raise ValueError(f"expected ',' or '}}' at {i}")
        i = _skip(text, i + 1)


def loads_in_pieces(text: str, nested: Container[str] = ()) -> dict[str, Any]:
    """``json.loads`` of a JSON object, with no single decoding call longer than its largest
    member's (or, for the members named in ``nested``, their largest member's).

    Raises ``ValueError`` (``json.JSONDecodeError`` is one) or ``IndexError`` on bad JSON.
    """
    data, end = _object(text, _skip(text, 0), nested)
    if _skip(text, end) != len(text):
        raise ValueError(f"extra data at {end}")
    return data


def merge_pairs(merges: list[Any]) -> list[tuple[str, str]]:
    """``merges`` turned into ``(a, b)`` pairs in place, from either spelling ``tokenizer.json``
    uses (``"a b"`` strings or ``[a, b]`` lists), and returned.

    A loop in Python, so it never holds the GIL long; in place, so that each ``[a, b]`` list is
    freed as its tuple replaces it: 100k containers alive at once would make the GUI thread's
    next garbage collection (``shell/application``) take twice as long.
    """
    for i, merge in enumerate(merges):
        a, b = merge.split(" ", 1) if isinstance(merge, str) else merge
        merges[i] = (a, b)
    return merges


def release(*containers: object) -> None:
    """Empty big lists and dicts a slice at a time.

    Dropping the last reference to a 50k-entry vocabulary or merge list frees every entry in
    one call, which holds the GIL for 10–50 ms (a function's return does it unseen); emptying
    them here first spreads that over many short steps.
    """
    for items in containers:
        if isinstance(items, list):
            while items:
                del items[-_RELEASE_STEP:]
        elif isinstance(items, dict):
            while items:
                for key in list(itertools.islice(items, _RELEASE_STEP)):
                    del items[key]


def _model(spec: dict[str, Any]) -> models.Model | None:
    """The model ``spec`` describes, built from Python objects; None for one not built here.

    ``spec``'s vocabulary and merges are emptied (:func:`release`) once the model holds them.
    """
    kind = spec.get("type")
    model: models.Model | None = None
    if kind == "BPE" and set(spec) <= {"type", "vocab", "merges", *_BPE_OPTIONS}:
        options = {k: spec[k] for k in _BPE_OPTIONS if spec.get(k) is not None}
        model = models.BPE(spec["vocab"], merge_pairs(spec["merges"]), **options)
        release(spec["merges"], spec["vocab"])
    elif kind == "WordPiece" and set(spec) <= {"type", "vocab", *_WORDPIECE_OPTIONS}:
        options = {k: spec[k] for k in _WORDPIECE_OPTIONS if spec.get(k) is not None}
        model = models.WordPiece(spec["vocab"], **options)
        release(spec["vocab"])
    return model


def tokenizer_from_str(text: str) -> Tokenizer:
    """``Tokenizer.from_str(text)``, built in short steps (see the module's docstring)."""
    try:
        data = loads_in_pieces(text, nested=("model",))
        spec = data["model"]
        model = _model(spec) if isinstance(spec, dict) else None
    except Exception:  # bad JSON, or a model tokenizers rejects (it raises a bare Exception)
        model = None
    if model is None:
        return Tokenizer.from_str(text)  # the tokenizer, or the error, that from_file gives
    added = data.get("added_tokens") or []
    rest = dict(data, model=_STUB_MODEL, added_tokens=[])
    tok = Tokenizer.from_str(json.dumps(rest))
    tok.model = model
    if added:
        tok.add_tokens(
            [
                AddedToken(t["content"], **{k: bool(t[k]) for k in _ADDED_TOKEN_FLAGS if k in t})
                for t in added
            ]
        )
        if any(tok.token_to_id(t["content"]) != t.get("id") for t in added):
            return Tokenizer.from_str(text)  # ids the file disagrees with: as from_file has them
    return tok


def read_utf8(path: Path) -> str:
    """The file's text, decoded a slice at a time: decoding 3.5 MB of mostly non-ASCII JSON in
    one call holds the GIL for 10–25 ms. Newlines stay as they are (JSON does not mind)."""
    data = memoryview(Path(path).read_bytes())
    decoder = codecs.getincrementaldecoder("utf-8")()
    parts = [decoder.decode(data[i : i + _DECODE_STEP]) for i in range(0, len(data), _DECODE_STEP)]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def tokenizer_from_file(path: Path) -> Tokenizer:
    """``Tokenizer.from_file(path)``, built in short steps (see the module's docstring)."""
    try:
        text = read_utf8(path)
    except (OSError, UnicodeDecodeError):
        return Tokenizer.from_file(str(path))  # its own error, naming the problem
    return tokenizer_from_str(text)
