"""`bert-lab similarity`: the JSON contract equals core's result; bad input ends in exit 2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lab_app.core.models.store import ModelStore
from lab_app.core.pretrain.similarity import sentence_similarity

pytestmark = pytest.mark.usefixtures("built_store")

TEXTS = ("The dog bit the man.", "The man bit the dog.", "Stocks fell 🙂", "مرحبا بالعالم")


def test_json_equals_core(cli, built_store_dir: Path) -> None:
    r = cli("similarity", *TEXTS, "--method", "mean", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) == {"method", "model", "sentences", "similarity", "note"}
    assert (data["method"], data["model"], data["sentences"]) == ("mean", "bert-lab-mlm", [*TEXTS])
    core = sentence_similarity(ModelStore(built_store_dir), TEXTS, "mean")
    np.testing.assert_allclose(np.array(data["similarity"]), core.similarity, atol=1e-6)
    assert data["note"] == core.note


def test_table_with_the_note(cli) -> None:
    r = cli("similarity", *TEXTS[:3])
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "sbert similarity (all-MiniLM-L6-v2)"
    assert any(line.strip().startswith("1   1.000") for line in lines)
    assert lines[-1].startswith("SBERT was trained")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["only one"], "at least 2"),
        (["a", ""], "sentence 2 is empty"),
        (["x"] * 201, "at most 200"),
        (["a", "b", "--method", "sbert", "--model", "bert-lab-mlm"], "sentence-transformers"),
        (["a", "b", "--method", "static", "--model", "bert-lab-mlm"], "does not apply"),
        (["a", "b", "--model", "nope"], "unknown model 'nope'"),
    ],
)
def test_bad_input_is_exit_2(cli, argv: list[str], needle: str) -> None:
    cli("similarity", *argv).assert_user_error(needle)
