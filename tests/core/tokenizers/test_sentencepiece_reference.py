"""The SentencePiece pipeline against the ``sentencepiece`` library, on a real ``.model``.

Llama 2's own ``.model`` ships in no registry package, so its ids cannot be compared
with ``sentencepiece`` directly. What can be checked, and is, is everything about the built-in
Llama 2 tokenizer except its table of pieces: its normalizer (the ``▁`` dummy prefix, spaces to
``▁``), its BPE options (byte fallback, fused unknowns, no pre-tokenizer) and its decoder. The test
keeps all of that from the Llama 2 ``tokenizer.json`` and swaps in the pieces and merges of
Mistral 7B's real SentencePiece BPE ``.model`` (32,000 pieces, byte fallback, the same layout as
Llama 2's), then compares ids and decoded text with ``sentencepiece`` loading that ``.model``.

Merges are derived from the ``.model``'s scores the way SentencePiece applies them: a pair whose
merged piece scores higher merges first.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from lab_app.core.models.build.artifacts import Artifact, extract_member, fetch

MISTRAL_MODEL = "mistral_common/data/tokenizer.model.v1"
MISTRAL = Artifact(
    key="mistral-spm",
    package="mistral-common",
    version="1.13.1",
    filename="mistral_common-1.13.1-py3-none-any.whl",
    sha256="98b4d0755b8d90bf4691fa8f1b70cb3b4a8cd4dc1653c4ed08ef3d1c7d2c29af",
    license="Apache-2.0",
    members={MISTRAL_MODEL: "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"},
)
# Typed special tokens are one token to Hugging Face tokenizers (and transformers) but plain text
# to sentencepiece; the lab follows the former, so the comparison leaves them out of its texts.
SPECIALS = ("<s>", "</s>", "<unk>")


@pytest.fixture(scope="module")
def spm_model(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch(MISTRAL, artifact_cache)
    dest = tmp_path_factory.mktemp("mistral") / "tokenizer.model"
    return extract_member(MISTRAL, artifact_cache, MISTRAL_MODEL, dest)


@cache
def _processor(model: Path) -> Any:
    spm = pytest.importorskip("sentencepiece")
    return spm.SentencePieceProcessor(model_file=str(model))


def _merges(sp: Any) -> tuple[dict[str, int], list[list[str]]]:
    """Pieces and score-ranked merges of a SentencePiece BPE model."""
    vocab = {sp.id_to_piece(i): i for i in range(sp.vocab_size())}
    ranked = []
    for piece, i in vocab.items():
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i) or sp.is_unused(i):
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                ranked.append((-sp.get_score(i), i, vocab[left], vocab[right], left, right))
    ranked.sort()
    return vocab, [[left, right] for *_, left, right in ranked]


@cache
def _llama2_pipeline_with(model: Path, llama2_json: Path) -> Tokenizer:
    data = json.loads(llama2_json.read_text("utf-8"))
    vocab, merges = _merges(_processor(model))
    data["model"]["vocab"], data["model"]["merges"] = vocab, merges
    tok = Tokenizer.from_str(json.dumps(data))
    tok.no_padding()
    tok.no_truncation()
    return tok


@pytest.fixture
def pair(spm_model: Path, built_store_dir: Path) -> tuple[Any, Tokenizer]:
    """The lab's own built tokenizer file (what the Tokenizers tab loads), pieces swapped."""
    built = built_store_dir / "tokenizers" / "sentencepiece" / "tokenizer.json"
    return _processor(spm_model), _llama2_pipeline_with(spm_model, built)


def _same(pair: tuple[Any, Tokenizer], text: str) -> None:
    sp, tok = pair
    expected = sp.encode(text)
    got = tok.encode(text, add_special_tokens=False).ids
    assert got == expected, (text, got[:30], expected[:30])
    assert tok.decode(got) == sp.decode(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Paris is the capital of France.",
        "Hello  world,   three spaces",
        "  leading spaces and trailing  ",
        "3.14159 and 175,000,000,000 parameters",
        "emoji 🙂 👩‍👩‍👧 🇫🇷 fall back to bytes",
        "مرحبا بالعالم and שלום עולם",
        "東京は日本の首都です。",
        "tabs\tand\r\nnew\nlines\n\n",
        "naïve café, e\u0301 and a\u0308\u0323",
        "\u200b\u200f\ufeff\u00a0\u3000",
        "▁ already a meta symbol",
        "x" * 300,
        "",
    ],
)
def test_ids_and_text_equal_sentencepiece(pair: tuple[Any, Tokenizer], text: str) -> None:
    _same(pair, text)


_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(text=st.text(max_size=60).filter(lambda t: not any(s in t for s in SPECIALS)))
def test_any_text_equals_sentencepiece(pair: tuple[Any, Tokenizer], text: str) -> None:
    _same(pair, text)


def test_a_typed_special_token_is_one_token_in_the_lab(pair: tuple[Any, Tokenizer]) -> None:
    """The one documented difference: sentencepiece spells ``<s>`` out, the lab reads it as BOS."""
    sp, tok = pair
    assert tok.encode("<s>", add_special_tokens=False).ids[-1] == sp.bos_id()
    assert sp.bos_id() not in sp.encode("<s>")
