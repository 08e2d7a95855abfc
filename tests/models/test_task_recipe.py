"""The task models' recipe runs end to end on a few steps (``--quick``): generate the data,
train with the lab's trainer, export fp16 weights, build the entry and score it — writing
nothing into ``models/bert-lab-tasks/weights``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = ROOT / "models" / "bert-lab-tasks" / "weights"


@pytest.mark.parametrize("name", ["bert-lab-nsp", "bert-lab-ner"])
def test_the_recipe_runs_quick(built_store_dir: Path, name: str) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in WEIGHTS.glob("*")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "models/bert-lab-tasks/train.py"), name, "--quick",
         "--store", str(built_store_dir)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["name"] == name and report["quality"].startswith("Held-out")
    figures = next(iter(report["test"].values()))
    assert 0.0 <= figures.get("accuracy", figures.get("entity_f1", 0.0)) <= 1.0
    assert {p.name: p.stat().st_mtime_ns for p in WEIGHTS.glob("*")} == before
