"""The store's three built-in tokenizers as the labs know them, and GPT-2's byte table.

Building them from their source files is build-time work (:mod:`lab_app.core.models.build`); the
Tokenizers lab only needs their names and labels, and to read a byte-level vocabulary back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable char table, so that every byte has a visible vocab spelling."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


@lru_cache(maxsize=1)
def unicode_to_bytes() -> dict[str, int]:
    """Inverse of ``bytes_to_unicode``: turns a byte-level vocab string back into its bytes."""
    return {c: b for b, c in bytes_to_unicode().items()}


@dataclass(frozen=True)
class TokenizerSpec:
    """A built-in tokenizer: what it is, as the labs and the store's manifest name it.

    Where the source file ships (package, version, sha256) is pinned once, in
    :mod:`lab_app.core.models.build.artifacts`, and how it is built, in
    :mod:`lab_app.core.models.build.tokenizer_build`; ``build.builtin_build`` joins the three.
    """

    name: str  # store name
    algorithm: str  # label shown to students
    model: str  # the model family whose tokenizer this is
    vocab_size: int  # including added special tokens
    license: str


BUILTIN_TOKENIZERS: dict[str, TokenizerSpec] = {
    spec.name: spec
    for spec in (
        TokenizerSpec(
            name="wordpiece",
            algorithm="WordPiece",
            model="bert-base-uncased",
            vocab_size=30522,
            license="Apache-2.0 (bert-base-uncased vocabulary; package MIT/Apache-2.0)",
        ),
        TokenizerSpec(
            name="bpe",
            algorithm="Byte-level BPE",
            model="gpt2",
            vocab_size=50257,
            license="MIT",
        ),
        TokenizerSpec(
            name="sentencepiece",
            algorithm="SentencePiece BPE",
            model="llama-2",
            vocab_size=32000,
            # The package is MIT; the Llama 2 tokenizer itself comes under Meta's licence.
            license="Llama 2 Community License (tokenizer); package MIT",
        ),
    )
}
