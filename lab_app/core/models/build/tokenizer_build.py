"""Build the store's three built-in tokenizers as ``tokenizers.Tokenizer`` objects, without PyTorch.

The sources are files that ship inside registry packages (what each tokenizer is, for the labs:
:mod:`lab_app.core.models.tokenizer_specs`); the download code fetches and checks them, this module
only turns a local file into a tokenizer (``BUILDERS``). Every result is a plain HF
``tokenizer.json`` tokenizer, so the app needs only ``tokenizers``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

from lab_app.core.errors import StoreError
from lab_app.core.models.tokenizer_specs import bytes_to_unicode

GPT2_EOT = "<|endoftext|>"
GPT2_EOT_ID = 50256
GPT2_N_RANKS = 50256
# GPT-2's pre-tokenizer regex as tiktoken spells it; HF's ByteLevel(use_regex=True) uses the same.
GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def _byte_level(token: bytes) -> str:
    table = bytes_to_unicode()
    return "".join(table[b] for b in token)


def load_tiktoken_ranks(path: Path) -> dict[bytes, int]:
    """Read a tiktoken ``base64 rank`` file (the format tiktoken's ``load_tiktoken_bpe`` reads)."""
    ranks: dict[bytes, int] = {}
    try:
        lines = Path(path).read_bytes().splitlines()
        for line in lines:
            if not line.strip():
                continue
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
    except (OSError, ValueError, binascii.Error) as exc:
        raise StoreError(f"Cannot read the BPE ranks file {path}: {exc}") from exc
    return ranks


def _last_merge(token: bytes, rank: int, ranks: dict[bytes, int]) -> tuple[bytes, bytes]:
    """Run byte-level BPE on ``token`` with only the merges older than it; the two parts left
    are the merge that created it (the merge list is implicit in the ranks)."""
    parts = [token[i : i + 1] for i in range(len(token))]
    while len(parts) > 2:
        best_rank, best_i = rank, -1
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < best_rank:
                best_rank, best_i = r, i
        if best_i < 0:
            break
        parts[best_i : best_i + 2] = [parts[best_i] + parts[best_i + 1]]
    if len(parts) != 2:
        raise StoreError(f"BPE ranks are inconsistent: token {token!r} (rank {rank}) has no merge")
    return parts[0], parts[1]


def gpt2_merges(ranks: dict[bytes, int]) -> list[tuple[bytes, bytes]]:
    """The merge list implied by the ranks, ordered by the rank of the token each merge makes."""
    ordered = sorted(ranks.items(), key=lambda kv: kv[1])
    return [_last_merge(tok, rank, ranks) for tok, rank in ordered if len(tok) > 1]


def build_gpt2_bpe(tiktoken_path: Path) -> Tokenizer:
    """GPT-2's byte-level BPE from tiktoken ranks: 50,256 ranked tokens + ``<|endoftext|>``.

    ``ignore_merges=True`` mirrors tiktoken, which looks a whole pre-token up in the vocab before
    it runs BPE. ``<|endoftext|>`` is an added special token, so it is matched in the raw text
    exactly as tiktoken's ``encode(text, allowed_special="all")`` does.
    """
    ranks = load_tiktoken_ranks(tiktoken_path)
    if len(ranks) != GPT2_N_RANKS or sorted(ranks.values()) != list(range(GPT2_N_RANKS)):
        raise StoreError(
            f"{tiktoken_path} is not GPT-2's rank file: expected ranks 0..{GPT2_N_RANKS - 1}, "
            f"found {len(ranks)} tokens"
        )
    if {t for t, r in ranks.items() if r < 256} != {bytes([b]) for b in range(256)}:
        raise StoreError(f"{tiktoken_path}: the first 256 ranks are not the 256 single bytes")
    vocab = {_byte_level(tok): rank for tok, rank in ranks.items()}
    merges = [(_byte_level(a), _byte_level(b)) for a, b in gpt2_merges(ranks)]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(GPT2_EOT, special=True, normalized=False)])
    if tok.token_to_id(GPT2_EOT) != GPT2_EOT_ID:
        raise StoreError(f"{GPT2_EOT} did not get id {GPT2_EOT_ID}")
    return tok


def _read_tokenizer_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"Cannot read tokenizer file {path}: {exc}") from exc
    return data


def _load(path: Path) -> Tokenizer:
    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception on a bad file
        raise StoreError(f"Cannot load tokenizer file {path}: {exc}") from exc
    # Labs show every token of the text: no truncation, no padding to a fixed length.
    tok.no_truncation()
    tok.no_padding()
    return tok


def build_wordpiece(source_json: Path) -> Tokenizer:
    """bert-base-uncased WordPiece, taken from all-MiniLM-L6-v2's tokenizer.json as it is.

    That file pads and truncates to 128 for the sentence encoder; both are switched off.
    """
    model = _read_tokenizer_json(source_json).get("model", {})
    if model.get("type") != "WordPiece" or len(model.get("vocab", {})) != 30522:
        raise StoreError(f"{source_json} is not the bert-base-uncased WordPiece tokenizer")
    return _load(source_json)


def build_llama2_sentencepiece(source_json: Path) -> Tokenizer:
    """Llama 2's SentencePiece BPE (32,000 pieces, byte fallback) from wordllama's tokenizer.json.

    Kept as it is: its normalizer prepends ``▁`` and turns spaces into ``▁`` (SentencePiece's
    dummy prefix), and its post-processor adds ``<s>`` only when special tokens are requested.
    """
    data = _read_tokenizer_json(source_json)
    model = data.get("model", {})
    if (
        model.get("type") != "BPE"
        or not model.get("byte_fallback")
        or len(model.get("vocab", {})) != 32000
    ):
        raise StoreError(f"{source_json} is not the Llama 2 SentencePiece BPE tokenizer")
    return _load(source_json)


#: How each of :data:`~lab_app.core.models.tokenizer_specs.BUILTIN_TOKENIZERS` is built from its
#: source file.
BUILDERS: dict[str, Callable[[Path], Tokenizer]] = {
    "wordpiece": build_wordpiece,
    "bpe": build_gpt2_bpe,
    "sentencepiece": build_llama2_sentencepiece,
}
