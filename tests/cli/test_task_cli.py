"""`bert-lab tag | answer | pair | finetune --task`: the JSON contracts, offsets into the user's
text, and one-line user errors for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lab_app.core.models.build.builtin_tasks import available_tasks

TEXT = "Maria flew from Madrid to Berlin with Lufthansa."
PASSAGE = "The Eiffel Tower is in Paris. It was finished in 1889 and is about 330 metres tall."
trained = pytest.mark.skipif(
    len(available_tasks()) < 3, reason="the task models' weights are not trained"
)


@trained
def test_tag_json_offsets_point_into_the_text(cli: Any, built_store: Path) -> None:
    data = cli("tag", TEXT, "--json").json()
    assert set(data) == {"model", "tokens", "entities"} and data["model"] == "bert-lab-ner"
    assert data["tokens"][0] == "[CLS]"
    for e in data["entities"]:
        assert set(e) == {"text", "label", "start", "end", "score"}
        assert TEXT[e["start"] : e["end"]] == e["text"] and e["label"] in {
            "PER",
            "ORG",
            "LOC",
            "MISC",
        }
    found = {(e["text"], e["label"]) for e in data["entities"]}
    assert ("Madrid", "LOC") in found and ("Berlin", "LOC") in found


@trained
def test_answer_json_and_a_file_context(cli: Any, built_store: Path, tmp_path: Path) -> None:
    data = cli("answer", "When was the tower finished?", "--context", PASSAGE, "--json").json()
    assert set(data) == {"model", "answer", "start", "end", "score", "candidates"}
    assert PASSAGE[data["start"] : data["end"]] == data["answer"]
    assert "1889" in data["answer"] and len(data["candidates"]) == 5
    passage = tmp_path / "passage.txt"
    passage.write_text(PASSAGE, encoding="utf-8")
    res = cli("answer", "How tall is it?", "--context", f"@{passage}", "--top-k", "2")
    assert res.code == 0 and "330" in res.out
    assert passage.read_text(encoding="utf-8") == PASSAGE  # only read


@trained
def test_pair_json(cli: Any, built_store: Path) -> None:
    data = cli("pair", "The man went to the store.", "He bought a gallon of milk.", "--json").json()
    assert data["model"] == "bert-lab-nsp" and data["label"] == "IsNext"
    assert set(data["probs"]) == {"IsNext", "NotNext"}


@trained
def test_models_list_shows_every_task(cli: Any, built_store: Path) -> None:
    models = {m["name"]: m for m in cli("models", "list", "--json").json()["models"]}
    assert all("task" in m for m in models.values())
    assert models["bert-lab-ner"]["task"] == "tag" and models["bert-lab-qa"]["task"] == "qa"
    assert models["bert-lab-nsp"]["labels"] == ["IsNext", "NotNext"]
    assert models["bert-lab-mlm"]["task"] == "fill-mask"
    assert models["SmolLM2-135M-Instruct"]["task"] == "generate"


@trained
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("tag", "   "), "type a sentence"),
        (("tag", "x" * 6000), "at most"),
        (("answer", " ", "--context", PASSAGE), "type a question"),
        (("answer", "Why?", "--context", ""), "paste a passage"),
        (("answer", "Why?", "--context", "@/no/such/file.txt"), "not found"),
        (("answer", "Why?", "--context", PASSAGE, "--top-k", "0"), "1 to 50"),
        (("pair", "a sentence", " "), "both"),
        (("tag", TEXT, "--model", "bert-lab-nsp"), "not a tagger"),
        (("tag", TEXT, "--model", "no-such-model"), "unknown model"),
    ],
)
def test_user_errors(cli: Any, built_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli(*args).assert_user_error(needle)


def test_finetune_task_json(cli: Any, built_store: Path, tmp_path: Path) -> None:
    data = tmp_path / "tags.md"
    data.write_text(
        "\n".join(f"[{p}](PER) visited [{c}](LOC) ." for p in ("Ana", "Bo", "Cy", "Di", "Ed")
                  for c in ("Oslo", "Rome", "Lima", "Kyiv")),
        encoding="utf-8",
    )  # fmt: skip
    out = cli("finetune", str(data), "--task", "tag", "--model", "bert-lab-mlm", "--method",
              "features", "--epochs", "1", "--json").json()  # fmt: skip
    assert out["task"] == "tag" and {"entity_f1", "precision", "recall"} <= set(out)
    bad = tmp_path / "bad.conll"
    bad.write_text("Maria B-PER\nflew I-LOC\n", encoding="utf-8")
    cli("finetune", str(bad), "--task", "tag", "--model", "bert-lab-mlm", "--method",
        "features").assert_user_error("line 2")  # fmt: skip
    cli("finetune", str(data), "--task", "qa", "--model", "bert-lab-mlm", "--method",
        "features").assert_user_error("JSON")  # fmt: skip
