"""BERT Lab's NSP head: its probabilities equal the same head on transformers' pooler output,
the card quotes the head's own figures, and bad input is refused calmly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.fill_mask.nsp import load_head, nsp
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore
from lab_app.core.resources import models_dir

A, B = "The man went to the store.", "He bought a gallon of milk."


@pytest.fixture(scope="module")
def minilm(built_store_dir: Path) -> Encoder:
    return Encoder(ModelStore(built_store_dir).model("all-MiniLM-L6-v2"))


def test_probabilities_equal_the_head_on_transformers_pooler(
    minilm: Encoder, minilm_hf_dir: Path
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    ours = nsp(minilm, A, B)
    assert ours.is_next + ours.not_next == pytest.approx(1.0, abs=1e-6)
    enc = minilm.tokenizer.encode(A, B)
    hf = transformers.BertModel.from_pretrained(str(minilm_hf_dir), local_files_only=True)
    with torch.no_grad():
        pooled = (
            hf(input_ids=torch.tensor([enc.ids]), token_type_ids=torch.tensor([enc.type_ids]))
            .pooler_output[0]
            .numpy()
        )
    head = load_head()
    logits = head.weight @ pooled + head.bias
    p = np.exp(logits) / np.exp(logits).sum()
    assert ours.is_next == pytest.approx(float(p[0]), abs=1e-4)


def test_the_card_quotes_the_heads_figures() -> None:
    head = load_head()
    card = (models_dir() / "bert-lab-nsp" / "README.md").read_text(encoding="utf-8")
    assert f"{head.heldout_accuracy:.1%}" in card and "not Google's head" in card
    assert head.weight.shape == (2, 384) and 0.5 < head.heldout_accuracy < 1


@pytest.mark.parametrize(("a", "b", "needle"), [("", B, "both"), (A, "  ", "both")])
def test_empty_sentences_are_refused(minilm: Encoder, a: str, b: str, needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        nsp(minilm, a, b)


def test_another_model_is_refused(built_store_dir: Path) -> None:
    other = Encoder(ModelStore(built_store_dir).model("bert-lab-mlm"))
    with pytest.raises(UserError, match="all-MiniLM-L6-v2"):
        nsp(other, A, B)
