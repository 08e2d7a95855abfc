"""``bert-lab params``: JSON on stdout, one-line errors and exit 2 on bad input."""

from __future__ import annotations

import json

import pytest

from lab_app.launch import main


def _run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["params", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_preset_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _run_json(capsys, "--preset", "bert-base")
    assert doc["total"] == 109_482_240
    assert sum(doc["breakdown"].values()) == doc["total"]
    assert doc["breakdown"]["pooler"] == 768 * 768 + 768


def test_explicit_flags_override_the_preset(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _run_json(capsys, "--arch", "bert", "--preset", "bert-base", "--no-pooler")
    assert doc["total"] == 109_482_240 - (768 * 768 + 768)
    doc = _run_json(capsys, "--preset", "llama-3.1-8b", "--tied")
    assert doc["total"] == 8_030_261_248 - 128_256 * 4096
    doc = _run_json(capsys, "--preset", "gpt-2", "--untied")
    assert doc["breakdown"]["heads"] == 50257 * 768


def test_custom_llama(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _run_json(
        capsys,
        *("--arch", "llama", "--layers", "32", "--hidden", "4096", "--heads", "32"),
        *("--kv-heads", "8", "--ffn", "14336", "--vocab", "128256"),
    )
    assert doc["total"] == 8_030_261_248


def test_mlm_head(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _run_json(capsys, "--preset", "bert-base", "--no-pooler", "--mlm-head")
    assert doc["breakdown"]["heads"] == 768 * 768 + 768 + 2 * 768 + 30522


def test_list_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--list-presets", "--json"]) == 0
    rows = {r["name"]: r["total"] for r in json.loads(capsys.readouterr().out)}
    assert rows["llama-3.1-405b"] == 405_853_388_800
    assert main(["params", "--list-presets"]) == 0
    assert "gpt-2-xl" in capsys.readouterr().out


def test_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--preset", "gpt-1"]) == 0
    out = capsys.readouterr().out
    assert "116,534,784" in out and "embeddings" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--arch", "bert", "--preset", "bert-base", "--hidden", "100", "--heads", "3"],
         "not divisible"),
        (["--preset", "llama-3.1-8b", "--kv-heads", "5"], "key/value heads"),
        (["--preset", "gpt-2", "--layers", "0"], "layers must be at least 1"),
        (["--preset", "gpt-2", "--hidden", "100000000"], "absurd"),
        (["--preset", "bert-base", "--kv-heads", "2"], "bert takes no --kv-heads"),
        (["--preset", "gpt-9"], "unknown preset"),
        (["--arch", "gpt", "--layers", "2"], "gpt needs"),
        (["--arch", "bert", "--preset", "gpt-2"], "is a gpt model"),
        ([], "say which model"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    assert main(["params", *argv, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("bert-lab: error: ")
    assert needle in lines[0]
