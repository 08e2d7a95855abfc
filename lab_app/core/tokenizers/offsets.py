"""Convert between code-point indices (Python, token offsets) and UTF-16 positions (Qt).

Qt's text cursors count UTF-16 code units, so an emoji or a rare CJK character counts twice
there but once in ``str``; a hover over the input must be mapped before it can highlight chips.
"""

from __future__ import annotations


def utf16_to_index(text: str, pos: int) -> int:
    """The code-point index at UTF-16 position ``pos`` (inside a surrogate pair: its character).

    Encoding in C keeps this fast on a 1 MB text, where a Python loop would stall the GUI.
    """
    units = text.encode("utf-16-le", "surrogatepass")[: 2 * max(0, pos)]
    head = units.decode("utf-16-le", "surrogatepass")
    n = len(head)
    if n and "\ud800" <= head[-1] <= "\udbff" and n <= len(text) and ord(text[n - 1]) > 0xFFFF:
        return n - 1  # cut between the two halves of an astral character
    return min(n, len(text))


def index_to_utf16(text: str, index: int) -> int:
    """The UTF-16 position of code-point ``index``."""
    return len(text[: max(0, index)].encode("utf-16-le", "surrogatepass")) // 2


def covering(offsets: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indices of the tokens whose span overlaps ``[start, end)``; an empty range is the one
    character at ``start`` (a hover or a bare cursor). Empty token spans never match."""
    if end <= start:
        end = start + 1
    return [i for i, (s, e) in enumerate(offsets) if s < end and e > start]
