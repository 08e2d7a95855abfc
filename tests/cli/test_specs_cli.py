"""``bert-lab specs``: the tables as JSON or one as CSV."""

from __future__ import annotations

import json

import pytest

from lab_app.launch import main


def test_specs_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = [t["id"] for t in doc["tables"]]
    assert "llm_landscape" in ids and "gpt_models" in ids
    cells = [c for t in doc["tables"] for row in t["rows"] for c in row]
    assert all(c["source"] for c in cells)
    assert any(c["slide_value"] == "12888" and c["value"] == 12288 for c in cells)


def test_specs_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "--csv", "llama31_hyperparameters"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",8B,70B,405B"
    assert "53,248" in out


def test_specs_unknown_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "--csv", "nope"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
