"""BPE merge replay: one word, from single bytes to its final tokens, one merge at a time.

Sennrich et al. (2016) learn an ordered list of merges; encoding a word applies them in that
order: among the neighbouring pairs of the word, merge the one learned first, and repeat until
no pair is in the list. The replay records every state so a slider can step through them. It
works for any byte-level BPE in ``tokenizer.json`` form: GPT-2's (its merge list follows from
the tiktoken ranks) or one the student trained.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from tokenizers import Tokenizer, models

from lab_app.core.errors import UserError
from lab_app.core.models.tokenizer_json import loads_in_pieces, merge_pairs, release

MAX_REPLAY_CHARS = 40

Pieces = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, eq=False)
class MergeTable:
    """What the replay needs from a BPE tokenizer."""

    tokenizer: Tokenizer = field(repr=False)
    ranks: dict[tuple[str, str], int] = field(repr=False)
    vocab: frozenset[str] = field(repr=False)
    ignore_merges: bool
    specials: frozenset[str]

    @property
    def n_merges(self) -> int:
        return len(self.ranks)


_TABLES: dict[int, tuple[Tokenizer, MergeTable]] = {}  # by id(tokenizer), which it keeps alive
_TABLES_LOCK = threading.Lock()
_MOST_TABLES = 8


def merge_table(tok: Tokenizer) -> MergeTable:
    """The merges of a byte-level BPE, read once per tokenizer object.

    Reading them serialises the model (15–35 ms holding the GIL for GPT-2's 50k merges) and
    decodes the JSON member by member (``loads_in_pieces``: ~20 ms per call at most), ~65 ms of
    CPU in all: the Tokenizers tab's prewarm reads GPT-2's before anyone asks.
    """
    with _TABLES_LOCK:
        hit = _TABLES.get(id(tok))
    if hit is not None:
        return hit[1]
    table = _read_merge_table(tok)
    with _TABLES_LOCK:
        if len(_TABLES) >= _MOST_TABLES:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[id(tok)] = (tok, table)
    return table


def _read_merge_table(tok: Tokenizer) -> MergeTable:
    """Read the merges of a byte-level BPE (``"a b"`` strings or ``["a", "b"]`` pairs).

    The model alone is serialised, not the whole tokenizer, its JSON is decoded in pieces and
    what is not kept is freed in slices: one ``json.loads`` of the whole tokenizer held the GIL
    for 30–60 ms (after 20–40 ms serialising it), and dropping its 50k merges at once would hold
    it for tens of milliseconds too (issue 29).
    """
    if not isinstance(tok.model, models.BPE) or tok.pre_tokenizer is None:
        raise UserError("Merge replay needs a byte-level BPE tokenizer (GPT-2 or a trained BPE).")
    model = loads_in_pieces(tok.model.__getstate__().decode("utf-8"))
    pairs = merge_pairs(model.get("merges", []))
    ranks: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(pairs):
        ranks.setdefault(pair, i)
    vocab = frozenset(model.get("vocab", {}))
    release(pairs, model.get("vocab"))
    specials = frozenset(t.content for t in tok.get_added_tokens_decoder().values())
    return MergeTable(tok, ranks, vocab, bool(model.get("ignore_merges")), specials)


@dataclass(frozen=True)
class ReplayStep:
    """One state of the word; ``merged``/``rank`` say which merge led here (None at the start)."""

    pieces: Pieces  # the current parts of each pre-token, in byte-level spelling
    merged: tuple[str, str] | None
    rank: int | None
    note: str

    @property
    def tokens(self) -> list[str]:
        return [part for piece in self.pieces for part in piece]


@dataclass(frozen=True)
class Replay:
    word: str
    steps: list[ReplayStep]

    @property
    def final_tokens(self) -> list[str]:
        return self.steps[-1].tokens


def _best_pair(pieces: list[list[str]], ranks: dict[tuple[str, str], int]) -> tuple[int, int, int]:
    """(rank, piece, position) of the earliest-learned neighbouring pair; rank -1 if none."""
    best = (-1, -1, -1)
    for p, parts in enumerate(pieces):
        for i in range(len(parts) - 1):
            r = ranks.get((parts[i], parts[i + 1]))
            if r is not None and (best[0] < 0 or r < best[0]):
                best = (r, p, i)
    return best


def replay(word: str, table: MergeTable) -> Replay:
    """Every state of ``word`` from single bytes to the tokens the tokenizer gives it.

    The word is first split into pre-tokens (GPT-2 keeps ``'t`` and a leading space apart);
    merges never cross them. With ``ignore_merges`` (GPT-2, as in tiktoken) a pre-token that
    is a vocabulary entry is taken whole, shown as a last step when the merges stop short of it.
    """
    if not word.strip():
        raise UserError("Type a word to replay, for example 'tokenization'.")
    if len(word) > MAX_REPLAY_CHARS:
        raise UserError(
            f"Merge replay takes one word of up to {MAX_REPLAY_CHARS} characters; "
            f"this one has {len(word)}."
        )
    for special in table.specials:
        if special in word:
            raise UserError(f"{special} is a special token: it is matched whole, never merged.")
    pre = table.tokenizer.pre_tokenizer
    assert pre is not None  # merge_table checked it
    pieces = [list(piece) for piece, _ in pre.pre_tokenize_str(word)]
    steps = [ReplayStep(_freeze(pieces), None, None, "start: one symbol per byte")]
    while True:
        rank, p, i = _best_pair(pieces, table.ranks)
        if rank < 0:
            break
        a, b = pieces[p][i], pieces[p][i + 1]
        pieces[p][i : i + 2] = [a + b]
        steps.append(ReplayStep(_freeze(pieces), (a, b), rank, f"merge #{rank:,}"))
    if table.ignore_merges:
        whole = [
            ["".join(parts)] if len(parts) > 1 and "".join(parts) in table.vocab else parts
            for parts in pieces
        ]
        if whole != pieces:
            note = "the whole pre-token is in the vocabulary: taken as one token"
            steps.append(ReplayStep(_freeze(whole), None, None, note))
    return Replay(word, steps)


def _freeze(pieces: list[list[str]]) -> Pieces:
    return tuple(tuple(parts) for parts in pieces)
