"""How tokens are shown (byte-level BPE symbols as readable text) and how a wrong source file
for a tokenizer builder is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_app.core.errors import StoreError
from lab_app.core.models.build.tokenizer_build import (
    GPT2_EOT,
    build_gpt2_bpe,
    build_llama2_sentencepiece,
    build_wordpiece,
)
from lab_app.core.tokenizers.tokenize import display_token


@pytest.mark.parametrize(
    ("kind", "token", "shown"),
    [
        ("bpe", "Ġhello", "␣hello"),
        ("bpe", "ĠcafÃ©", "␣café"),
        ("bpe", "Ċ", "↵"),
        ("bpe", "ðŁ", "<0xF0><0x9F>"),
        ("bpe", "ĠðŁĻĤ", "␣🙂"),
        ("bpe", GPT2_EOT, GPT2_EOT),
        ("wordpiece", "##ization", "##ization"),
        ("sentencepiece", "▁how", "▁how"),
        ("sentencepiece", "<0xE2>", "<0xE2>"),
    ],
)
def test_display_token(kind: str, token: str, shown: str) -> None:
    assert display_token(kind, token) == shown


def test_bad_sources_are_store_errors(
    tmp_path: Path, gpt2_tiktoken_path: Path, llama2_source_json: Path, wordpiece_source_json: Path
) -> None:
    ranks = gpt2_tiktoken_path.read_text().splitlines()
    short = tmp_path / "short.tiktoken"
    short.write_text("\n".join(ranks[:1000]))
    with pytest.raises(StoreError):
        build_gpt2_bpe(short)
    with pytest.raises(StoreError):
        build_wordpiece(llama2_source_json)
    with pytest.raises(StoreError):
        build_llama2_sentencepiece(wordpiece_source_json)
