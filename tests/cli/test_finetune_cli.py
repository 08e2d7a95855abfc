"""`bert-lab finetune`: the JSON contract, the same figures as the core, one-line user errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lab_app.core.io.text_input import sample_dataset_path

SAMPLE = str(sample_dataset_path())


def test_json_equals_the_core_function(cli: Any, built_store: Path) -> None:
    from lab_app.core.finetune.methods import FineTuneConfig, finetune
    from lab_app.core.io.text_input import read_utterances
    from lab_app.core.models.store import ModelStore

    args = ("--model", "all-MiniLM-L6-v2", "--method", "partial", "--layers", "1", "--epochs", "2")
    data = cli("finetune", SAMPLE, *args, "--json").json()
    assert {"method", "trainable_params", "total_params", "accuracy", "macro_f1", "epochs"} <= set(
        data
    )
    assert data["method"] == "partial" and len(data["epochs"]) == 2
    assert {"train_loss", "test_loss"} <= set(data["epochs"][0])
    texts = read_utterances(sample_dataset_path())
    core = finetune(
        ModelStore(built_store),
        texts.texts,
        texts.labels,
        FineTuneConfig("all-MiniLM-L6-v2", "partial", layers=1, epochs=2),
    )
    assert data["accuracy"] == round(core.accuracy, 6)
    assert data["trainable_params"] == core.trainable_params


def test_the_table_prints(cli: Any, built_store: Path) -> None:
    res = cli("finetune", SAMPLE, "--model", "paraphrase-MiniLM-L3-v2", "--method", "features")
    assert res.code == 0, res.err
    assert "held-out accuracy" in res.out and "trainable 5,390" in res.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--model", "bert-lab-mlm", "--method", "lora", "--lr", "0"), "above 0"),
        (("--model", "bert-lab-mlm", "--method", "partial", "--layers", "9"), "between 1 and 6"),
        (
            ("--model", "bert-lab-mlm", "--method", "lora", "--save", "bert-lab-mlm"),
            "already in the store",
        ),
        (("--model", "bert-lab-mlm", "--method", "features", "--save", "x"), "trains the encoder"),
        (("--model", "no-such-model", "--method", "full"), "unknown model"),
    ],
)
def test_user_errors(cli: Any, built_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli("finetune", SAMPLE, *args).assert_user_error(needle)


def test_a_file_without_intents_is_refused(cli: Any, built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("one\ntwo\nthree\n", encoding="utf-8")
    cli("finetune", str(path), "--model", "bert-lab-mlm", "--method", "full").assert_user_error(
        "no intent column"
    )
