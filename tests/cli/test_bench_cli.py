"""`bert-lab perplexity | choice | bench`: the JSON contracts, and one-line errors for bad input."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest


def test_perplexity_json_is_the_mean_of_its_tokens(cli: Any, built_store: Path) -> None:
    data = cli("perplexity", "The cat sat on the mat.", "--json").json()
    assert {"model", "perplexity", "bits_per_byte", "tokens"} <= set(data)
    assert data["model"] == "SmolLM2-135M-Instruct"
    logprobs = [t["logprob"] for t in data["tokens"]]
    assert [t["text"] for t in data["tokens"]] == [" cat", " sat", " on", " the", " mat", "."]
    assert math.isclose(data["perplexity"], math.exp(-sum(logprobs) / len(logprobs)))
    # bits per byte: the same total in bits over the bytes " cat sat on the mat."
    assert math.isclose(data["bits_per_byte"], -sum(logprobs) / math.log(2) / 20)


def test_pseudo_perplexity_for_a_masked_lm_and_a_file(
    cli: Any, built_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "text.txt"
    path.write_text("The cat sat on the mat.", encoding="utf-8")
    data = cli("perplexity", f"@{path}", "--model", "bert-lab-mlm", "--json").json()
    assert data["model"] == "bert-lab-mlm" and data["pseudo"] is True
    assert [t["text"] for t in data["tokens"]] == ["the", "cat", "sat", "on", "the", "mat", "."]


def test_choice_json_and_acc_norm(cli: Any, built_store: Path) -> None:
    out = cli(
        "choice", "The capital of France is", "--option", "Paris", "--option", "Berlin", "--json"
    )
    data = out.json()
    assert set(data) == {"options", "acc_choice", "acc_norm_choice"}
    assert data["acc_choice"] == 0 and data["acc_norm_choice"] == 0
    for o in data["options"]:
        assert math.isclose(o["logprob_norm"], o["logprob"] / len(o["text"]))


def test_bench_runs_a_shipped_set(cli: Any, built_store: Path) -> None:
    data = cli("bench", "piqa", "--json").json()
    assert data["name"] == "piqa" and len(data["items"]) == 12
    assert data["chance"] == 0.5 and 0 <= data["acc"] <= 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("perplexity", "a"), "at least two tokens"),
        (("perplexity", "hello there", "--model", "bert-lab-ner"), "neither a decoder"),
        (("perplexity", "@/nonexistent/file.txt"), "file"),
        (("choice", "Q", "--option", "only"), "at least two options"),
        (("choice", "Q", "--option", "a", "--option", " "), "option 2 is empty"),
        (("bench", "mmlu"), "no item set"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Any, built_store: Path, argv: tuple[str, ...], message: str
) -> None:
    out = cli(*argv)
    assert out.code == 2 and message in out.err and out.out == ""
    assert len(out.err.strip().splitlines()) == 1


def test_non_utf8_file_is_refused(cli: Any, built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 au lait".encode("latin-1"))
    out = cli("perplexity", f"@{path}")
    assert out.code == 2 and "UTF-8" in out.err
    assert path.read_bytes() == "caf\xe9 au lait".encode("latin-1")


def test_metric_json_equals_the_reference_libraries(cli: Any) -> None:
    sacrebleu = pytest.importorskip("sacrebleu")
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    hyp, ref = "the cat sat on the mat", "the cat is on the mat"
    data = cli("metric", "bleu", "--hyp", hyp, "--ref", ref, "--json").json()
    assert set(data) == {"metric", "score", "details"}
    assert data["score"] == sacrebleu.sentence_bleu(hyp, [ref]).score
    chrf = cli("metric", "chrf", "--hyp", hyp, "--ref", ref, "--json").json()
    assert chrf["score"] == sacrebleu.sentence_chrf(hyp, [ref]).score
    rouge = cli("metric", "rouge", "--hyp", hyp, "--ref", ref, "--json").json()
    want = rouge_scorer.RougeScorer(["rougeL"]).score(ref, hyp)["rougeL"].fmeasure
    assert rouge["score"] == want
    meteor = cli("metric", "meteor", "--hyp", hyp, "--ref", ref, "--json").json()
    assert 0 < meteor["score"] < 1 and "no WordNet" in meteor["details"]["matching"]


def test_metric_without_a_reference_is_one_line(cli: Any) -> None:
    out = cli("metric", "bleu", "--hyp", "a text")
    assert out.code == 2 and "at least one reference" in out.err and out.out == ""


def test_bench_squad_and_nsp_reproduce_the_model_cards(cli: Any, built_store: Path) -> None:
    """The held-out figures each task model's card records (its recipe measured them with the
    Fine-tuning lab's evaluation), reproduced through the Benchmarks lab's own path."""
    import json

    from lab_app.core.models.build.builtin_tasks import available_tasks
    from lab_app.core.resources import models_dir

    if len(available_tasks()) < 3:
        pytest.skip("the task models' weights are not trained")

    def card(name: str) -> dict[str, Any]:
        path = models_dir() / "bert-lab-tasks" / "weights" / f"{name}.json"
        return dict(json.loads(path.read_text(encoding="utf-8"))["test"])

    squad = cli("bench", "squad", "--json").json()
    want = card("bert-lab-qa")["qa_test.json"]
    assert squad["questions"] == want["questions"] and squad["model"] == "bert-lab-qa"
    assert squad["exact_match"] == pytest.approx(100 * want["exact_match"], abs=1e-9)
    assert squad["f1"] == pytest.approx(100 * want["f1"], abs=1e-9)
    nsp = cli("bench", "nsp", "--json").json()
    want = card("bert-lab-nsp")["nsp_test.tsv"]
    assert nsp["n"] == want["pairs"] and nsp["accuracy"] == pytest.approx(want["accuracy"])
