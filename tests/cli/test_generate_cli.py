"""`bert-lab generate` and `bert-lab score` on the built-in decoder: the JSON contract, errors."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

CAPITALS = "France: Paris\nJapan: Tokyo\nItaly:"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_the_lecture_prompt_from_standard_input_answers_rome(
    cli: Any, built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(CAPITALS.encode()))
    data = cli("generate", "-", "--max-new-tokens", "3", "--json").json()
    assert data["model"] == "SmolLM2-135M-Instruct"
    assert data["text"].startswith(" Rome")
    assert data["prompt_tokens"] == 10
    tokens = data["tokens"]
    assert len(tokens) == 3 and set(tokens[0]) == {"id", "text", "prob"}
    assert data["text"] == "".join(t["text"] for t in tokens)
    assert all(0 < t["prob"] <= 1 for t in tokens)


def test_plain_output_streams_the_text(cli: Any, built_store: Path) -> None:
    res = cli("generate", CAPITALS, "--max-new-tokens", "1")
    assert res.code == 0 and res.out == " Rome\n"


def test_chat_wraps_the_prompt_in_the_template(cli: Any, built_store: Path) -> None:
    data = cli("generate", "What is the capital of France?", "--chat", "--json").json()
    assert "Paris" in data["text"] and data["stop"] == "eos"
    assert data["prompt_tokens"] > 20  # the template's default system message came along


def test_sampling_with_a_seed_repeats(cli: Any, built_store: Path) -> None:
    args = (
        "generate",
        "Once upon a time",
        "--temperature",
        "0.9",
        "--top-k",
        "40",
        "--top-p",
        "0.95",
        "--seed",
        "5",
        "--max-new-tokens",
        "6",
        "--json",
    )
    assert cli(*args).json()["tokens"] == cli(*args).json()["tokens"]


def test_score_gives_each_tokens_log_probability(cli: Any, built_store: Path) -> None:
    data = cli("score", CAPITALS, " Rome", "--json").json()
    assert data["total_logprob"] == pytest.approx(sum(t["logprob"] for t in data["tokens"]))
    assert -1.0 < data["total_logprob"] < 0 and data["tokens"][0]["rank"] == 1
    madrid = cli("score", CAPITALS, " Madrid", "--json").json()
    assert madrid["total_logprob"] < data["total_logprob"]
    text = cli("score", CAPITALS, " Rome").out
    assert "log P" in text and "Rome" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("generate", "x", "--temperature", "0"), "temperature"),
        (("generate", "x", "--temperature", "-2"), "temperature"),
        (("generate", "x", "--top-p", "1.5"), "top-p"),
        (("generate", "x", "--top-p", "0"), "top-p"),
        (("generate", "x", "--max-new-tokens", "0"), "max new tokens"),
        (("generate", "x", "--max-new-tokens", "100000000"), "max new tokens"),
        (("generate", "   "), "empty"),
        (("generate", "x", "--model", "nope"), "unknown model"),
        (("generate", "x", "--model", "all-MiniLM-L6-v2"), "encoder"),
        (("score", CAPITALS, ""), "empty"),
        (("score", "", " Rome"), "empty"),
    ],
)
def test_user_errors(cli: Any, built_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli(*args).assert_user_error(needle)


def test_bytes_that_are_not_utf8_are_refused(
    cli: Any, built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"caf\xe9 \xff"))
    cli("generate", "-").assert_user_error("not UTF-8")


def test_a_damaged_model_file_says_how_to_repair_it(
    cli: Any, built_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = built_store_dir / "models" / "SmolLM2-135M-Instruct"
    dst = tmp_path / "store" / "models" / src.name
    shutil.copytree(src, dst)
    with (dst / "model.onnx").open("r+b") as fh:
        fh.truncate(1000)
    monkeypatch.setenv("BERT_LAB_STORE", str(tmp_path / "store"))
    cli("generate", CAPITALS).assert_user_error("damaged", "--repair")


def test_no_decoder_in_the_store_says_how_to_add_one(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BERT_LAB_STORE", str(tmp_path / "empty"))
    cli("generate", CAPITALS).assert_user_error("models build")
