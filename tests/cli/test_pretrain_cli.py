"""`bert-lab pretrain`: the JSON contract, the text report, --compare, and one-line user errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from farm_text import write_farm_text


def test_json_contract(cli: Any, tmp_path: Path) -> None:
    corpus = write_farm_text(tmp_path, 400)
    r = cli("pretrain", str(corpus), "--objective", "clm", "--steps", "40", "--seed", "2",
            "--probe", "the cat sees a dog and the pig", "--json")  # fmt: skip
    assert r.code == 0, r.err
    doc = r.json()
    assert {"steps", "loss", "baseline_loss", "tokens_seen", "flops"} <= set(doc)
    assert doc["steps"] == 40 and len(doc["loss"]) == 40
    assert doc["tokens_seen"] == 40 * 16 * 32 and doc["flops"] == 6 * doc["params"] * 40 * 512
    assert doc["objective"] == "clm" and doc["corpus"] == "farm.txt"
    assert doc["bert_base_flops"] > 1e19
    assert doc["checkpoints"][-1]["probe"].startswith("the cat sees a →")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["farm.txt"]  # nothing written
    again = cli("pretrain", str(corpus), "--objective", "clm", "--steps", "40", "--seed", "2",
                "--probe", "the cat sees a dog and the pig", "--json")  # fmt: skip
    assert again.json()["loss"] == doc["loss"]


def test_text_report(cli: Any, tmp_path: Path) -> None:
    r = cli("pretrain", str(write_farm_text(tmp_path, 400)), "--steps", "20")
    assert r.code == 0, r.err
    assert r.out.startswith("mlm: 20 steps on farm.txt")
    assert "unigram baseline" in r.out and "BERT-base" in r.out
    assert "held-out" in r.out and "[" in r.out  # the probe's gaps


def test_compare_reads_the_probe_with_the_builtin_mlm(cli: Any, built_store: Path,
                                                      tmp_path: Path) -> None:  # fmt: skip
    doc = cli(
        "pretrain", str(write_farm_text(tmp_path, 400)), "--steps", "5", "--compare", "--json"
    ).json()
    assert doc["builtin"]["model"] == "bert-lab-mlm"
    words = doc["builtin"]["probe"].split()
    assert words[0] == "she" and words[1].startswith("[") and words[1].endswith("]")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--steps", "0"), "steps must be from 1"),
        (("--lr", "-1"), "learning rate"),
        (("--probe", "too short"), "probe needs"),
        (("--objective", "clm", "MISSING"), "is not a file"),
    ],
)
def test_user_errors(cli: Any, tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    argv = [a.replace("MISSING", str(tmp_path / "missing.txt")) for a in args]
    if not any(a.endswith(".txt") for a in argv):
        argv.insert(0, str(write_farm_text(tmp_path, 400)))
    cli("pretrain", *argv).assert_user_error(needle)


def test_binary_and_empty_corpora(cli: Any, tmp_path: Path) -> None:
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    cli("pretrain", str(binary)).assert_user_error("binary")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    cli("pretrain", str(empty)).assert_user_error("no words")
