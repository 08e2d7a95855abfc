"""Read character vectors out of an R package's lazy-load data base (``data/Rdata.rdb``).

Debian ships public-domain texts inside R packages (Jane Austen's novels in r-cran-janeaustenr,
the Harvard sentences in r-cran-stringr). Their data sits in R's own serialisation format; this
small reader keeps the corpus recipe free of an R installation or an extra PyPI dependency.
Only what those packages use is understood: vectors, pairlists, symbols, strings and references.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path
from typing import Any

_NIL, _REF, _GLOBAL, _UNBOUND, _MISSING, _BASENS = 254, 255, 253, 252, 251, 250
_EMPTYENV, _BASEENV = 242, 241
_PAIR_TYPES = {2, 3, 5, 6, 17, 239, 240}


class _Reader:
    """A cursor over one XDR-serialised R object (format 2 or 3)."""

    def __init__(self, data: bytes) -> None:
        if data[:2] != b"X\n":
            raise ValueError("only XDR-serialised R data is supported")
        self.data, self.pos = data, 2
        version = self.int()
        self.int(), self.int()
        if version == 3:
            skip = self.int()  # length of the native encoding's name
            self.pos += skip
        self.refs: list[Any] = []

    def int(self) -> int:
        (value,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return int(value)

    def length(self) -> int:
        n = self.int()
        if n == -1:
            hi, lo = self.int(), self.int()
            n = (hi << 32) + lo
        return n

    def item(self) -> Any:
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (_NIL, _GLOBAL, _UNBOUND, _MISSING, _BASENS, _EMPTYENV, _BASEENV):
            return None
        if kind == _REF:
            index = flags >> 8 or self.int()
            return self.refs[index - 1]
        if kind == 1:  # symbol
            name = self.item()
            self.refs.append(name)
            return name
        if kind in _PAIR_TYPES:
            out: dict[str, Any] = {}
            items: list[Any] = []
            while True:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                value = self.item()
                items.append(value)
                if tag is not None:
                    out[str(tag)] = value
                flags = self.int()
                kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
                if kind not in _PAIR_TYPES:
                    self.pos -= 4
                    self.item()  # the list's terminator (usually NULL)
                    return out or items
        if kind == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None
            text = self.data[self.pos : self.pos + n].decode("utf-8", errors="replace")
            self.pos += n
            return text
        if kind in (10, 13):  # logical, integer
            n = self.length()
            values = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.pos += 4 * n
            result: Any = values
        elif kind == 14:  # double
            n = self.length()
            result = list(struct.unpack_from(f">{n}d", self.data, self.pos))
            self.pos += 8 * n
        elif kind in (16, 19, 20):  # character vector, list, expression
            result = [self.item() for _ in range(self.length())]
        elif kind == 24:  # raw
            n = self.length()
            result = self.data[self.pos : self.pos + n]
            self.pos += n
        else:
            raise ValueError(f"R object type {kind} is not supported by this reader")
        if has_attr:
            attrs = self.item()
            if isinstance(attrs, dict) and "names" in attrs and kind == 19:
                return dict(zip(attrs["names"], result, strict=False))
        return result


def _unserialize(data: bytes) -> Any:
    return _Reader(data).item()


def read_lazyload(data_dir: Path) -> dict[str, Any]:
    """Every object in ``data_dir/Rdata.rdb`` by name (character vectors become lists of str)."""
    index = _unserialize(gzip.decompress((data_dir / "Rdata.rdx").read_bytes()))
    blob = (data_dir / "Rdata.rdb").read_bytes()
    out: dict[str, Any] = {}
    for name, (offset, size) in index["variables"].items():
        chunk = blob[offset : offset + size]
        out[name] = _unserialize(zlib.decompress(chunk[4:]))
    return out
