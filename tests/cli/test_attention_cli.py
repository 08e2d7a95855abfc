"""`bert-lab attention` and `bert-lab positions`: the JSON contracts and one-line user errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest


def test_attention_json_nests_layers_heads_tokens(cli: Any, built_store: Path) -> None:
    full = cli("attention", "how are you ?", "--model", "all-MiniLM-L6-v2", "--json").json()
    assert full["model"] == "all-MiniLM-L6-v2"
    assert full["tokens"] == ["[CLS]", "how", "are", "you", "?", "[SEP]"]
    assert np.array(full["attentions"]).shape == (6, 12, 6, 6)
    cut = cli("attention", "how are you ?", "--model", "all-MiniLM-L6-v2", "--layer", "3",
              "--head", "2", "--json").json()  # fmt: skip
    assert np.array(cut["attentions"]).shape == (1, 1, 6, 6)
    np.testing.assert_allclose(cut["attentions"][0][0], full["attentions"][2][1], atol=1e-6)


def test_attention_text_and_pair(cli: Any, built_store: Path) -> None:
    res = cli("attention", "the cat sat", "--pair", "it slept")
    assert res.code == 0, res.err
    assert "[SEP]" in res.out and "→" in res.out


def test_positions_json(cli: Any, built_store: Path) -> None:
    data = cli("positions", "--kind", "sinusoidal", "--length", "10", "--json").json()
    assert data["kind"] == "sinusoidal" and np.array(data["table"]).shape == (10, 384)
    rope = cli("positions", "--kind", "rope", "--length", "8", "--json").json()
    assert rope["model"] == "SmolLM2-135M-Instruct" and np.array(rope["table"]).shape == (8, 64)
    res = cli("positions", "--kind", "learned")
    assert res.code == 0 and "bert-lab-mlm" in res.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("attention", "hi", "--layer", "9"), "choose 1 to 6"),
        (("attention", "hi", "--head", "0"), "choose 1 to 12"),
        (("attention", "   "), "type a sentence"),
        (("attention", "hi", "--model", "SmolLM2-135M-Instruct"), "decoder"),
        (("positions", "--kind", "learned", "--length", "9999"), "length from 1"),
    ],
)
def test_user_errors(cli: Any, built_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli(*args).assert_user_error(needle)


def test_nsp_json(cli: Any, built_store: Path) -> None:
    data = cli("nsp", "The man went to the store.", "He bought a gallon of milk.", "--json").json()
    assert set(data) == {"model", "is_next", "not_next"} and data["model"] == "bert-lab-nsp"
    assert data["is_next"] + data["not_next"] == pytest.approx(1.0, abs=1e-5)
    cli("nsp", "a sentence", " ").assert_user_error("both")
    assert "not Google's" in cli("nsp", "It rained.", "The streets were wet.").out
