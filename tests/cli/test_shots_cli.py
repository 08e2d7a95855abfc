"""`bert-lab shots`: the JSON contract, the same figures as the core, one-line user errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def test_json_equals_the_core_function(cli: Any, built_store: Path, decoder: Any) -> None:
    from lab_app.core.prompting.shots import run_shots
    from lab_app.core.prompting.tasks import builtin_task

    data = cli(
        "shots", "capitals", "--shots", "0,2", "--draws", "1", "--seed", "4", "--json"
    ).json()
    assert data["task"] == "capitals" and data["model"] == "SmolLM2-135M-Instruct"
    assert [r["shots"] for r in data["results"]] == [0, 2]
    assert set(data["results"][0]) == {"shots", "accuracy", "mean_prob", "draws"}
    core = run_shots(decoder, builtin_task("capitals"), (0, 2), draws=1, seed=4).to_json()
    for ours, theirs in zip(data["results"], core["results"], strict=True):
        assert ours["accuracy"] == theirs["accuracy"]
        assert ours["mean_prob"] == pytest.approx(theirs["mean_prob"], abs=1e-6)


def test_a_users_csv_runs_and_the_table_prints(cli: Any, built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "opposites.csv"
    path.write_text("".join(f"{a},{b}\n" for a, b in [
        ("hot", "cold"), ("up", "down"), ("big", "small"), ("wet", "dry"), ("fast", "slow"),
        ("old", "new"), ("rich", "poor"), ("early", "late"), ("full", "empty"), ("left", "right"),
    ]), encoding="utf-8")  # fmt: skip
    res = cli("shots", str(path), "--shots", "0,1", "--draws", "1")
    assert res.code == 0, res.err
    assert "shots" in res.out and "accuracy" in res.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("shots", "antonyms", "--shots", "a,b"), "whole numbers"),
        (("shots", "antonyms", "--shots", "0,40"), "too few"),
        (("shots", "antonyms", "--draws", "0"), "draws"),
        (("shots", "no-such-task"), "built-in task"),
    ],
)
def test_user_errors(cli: Any, built_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli(*args).assert_user_error(needle)


def test_a_one_row_csv_is_refused(cli: Any, built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("input,output\nhot,cold\n", encoding="utf-8")
    cli("shots", str(path)).assert_user_error("1 row")
