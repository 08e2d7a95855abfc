"""The SQuAD benchmark: its totals equal the official SQuAD v1.1 evaluation of its own answers,
the overlap explains each F1, it can be cancelled, and a bad file is refused calmly, unchanged."""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from progress_recorder import Recorder

from lab_app.core.bench.squad_bench import (
    HELDOUT_NAME,
    TRAINED_ON,
    SquadRun,
    heldout_path,
    open_qa_model,
    run_squad,
    sample_path,
    score_answer,
)
from lab_app.core.errors import Cancelled, UserError
from lab_app.core.models.build.builtin_tasks import available_tasks

needs_qa = pytest.mark.skipif(
    "bert-lab-qa" not in available_tasks(), reason="the QA model's weights are not trained"
)

# --- the reference: the official evaluate-v1.1.py's logic, written here from its description ----
# Normalise: lower-case; remove every character of string.punctuation; replace the whole words
# a/an/the by a space; join the whitespace-split words with single spaces. EM: the normalised
# strings are equal. F1: bags of normalised words; 0 without a shared word, else 2PR/(P+R). A
# question scores the max over its ground truths; the totals are 100 × the sum over every
# question of the dataset (an unanswered one scores 0) divided by the number of questions.


def ref_normalize(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def ref_f1(prediction: str, truth: str) -> float:
    pred, gold = ref_normalize(prediction).split(), ref_normalize(truth).split()
    same = sum((Counter(pred) & Counter(gold)).values())
    if same == 0:
        return 0
    precision = 1.0 * same / len(pred)
    recall = 1.0 * same / len(gold)
    return (2 * precision * recall) / (precision + recall)


def ref_em(prediction: str, truth: str) -> bool:
    return ref_normalize(prediction) == ref_normalize(truth)


def ref_max(metric: Any, prediction: str, truths: list[str]) -> Any:
    return max(metric(prediction, t) for t in truths)


def ref_evaluate(dataset: list[dict[str, Any]], predictions: dict[str, str]) -> dict[str, float]:
    em = f1 = total = 0
    for article in dataset:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                total += 1
                if qa["id"] not in predictions:
                    continue
                truths = [a["text"] for a in qa["answers"]]
                em += ref_max(ref_em, predictions[qa["id"]], truths)
                f1 += ref_max(ref_f1, predictions[qa["id"]], truths)
    return {"exact_match": 100.0 * em / total, "f1": 100.0 * f1 / total}


# --- the scores of one answer, without a model ---------------------------------------------------

CASES = [
    ("in 1889", ["1889"]),
    ("The Denver Broncos!", ["Denver Broncos", "Broncos"]),
    ("Broncos, Denver", ["denver broncos"]),
    ("a tower of iron", ["the Eiffel Tower", "iron tower", "tower"]),
    ("the the", ["the"]),
    ("the cat the cat sat", ["cat cat cat", "a cat sat"]),
    ("Paris", ["London", "Rome"]),
    ("", ["something"]),
]


@pytest.mark.parametrize(("prediction", "golds"), CASES)
def test_one_answer_scores_as_the_official_script(prediction: str, golds: list[str]) -> None:
    em, f1, overlap = score_answer(prediction, golds)
    assert em == ref_max(ref_em, prediction, golds)
    assert f1 == pytest.approx(ref_max(ref_f1, prediction, golds), abs=1e-12)
    assert overlap.gold in golds and ref_f1(prediction, overlap.gold) == pytest.approx(f1)
    assert overlap.prediction_tokens == tuple(ref_normalize(prediction).split())
    assert overlap.gold_tokens == tuple(ref_normalize(overlap.gold).split())


def test_the_overlap_shows_why_f1_is_partial() -> None:
    em, f1, overlap = score_answer("the cat the cat sat", ["cat cat cat", "a cat sat"])
    assert not em and f1 == pytest.approx(0.8)  # P 2/3, R 1 (the other gold: 2/3)
    assert overlap.gold == "a cat sat" and overlap.gold_tokens == ("cat", "sat")
    assert overlap.prediction_tokens == ("cat", "cat", "sat")
    assert overlap.common == (("cat", 1), ("sat", 1))  # "cat" once: the gold has it once
    assert overlap.precision == pytest.approx(2 / 3) and overlap.recall == 1.0
    with pytest.raises(ValueError):
        score_answer("x", [])


# --- the store's QA model on the built-in sample -------------------------------------------------


@pytest.fixture(scope="module")
def qa_model(built_store_dir: Path) -> Any:
    return open_qa_model(str(built_store_dir))


@pytest.fixture(scope="module")
def sample_run(qa_model: Any) -> SquadRun:
    recorder = Recorder()
    run = run_squad(qa_model, progress=recorder)
    seen = recorder.ticks
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]  # it ticked, up to the last batch
    return run


@needs_qa
def test_the_totals_equal_the_official_evaluation(sample_run: SquadRun) -> None:
    dataset = json.loads(heldout_path().read_text(encoding="utf-8"))["data"]
    official = ref_evaluate(dataset, sample_run.predictions())
    n = sum(len(p["qas"]) for a in dataset for p in a["paragraphs"])
    assert len(sample_run.questions) == n and sample_run.source == HELDOUT_NAME
    assert TRAINED_ON not in sample_run.notes
    assert sample_run.model == "bert-lab-qa"
    assert sample_run.exact_match == pytest.approx(official["exact_match"], rel=1e-12)
    assert sample_run.f1 == pytest.approx(official["f1"], rel=1e-12)
    # the comparison means something: the model is right often, but not always nor exactly
    assert 50 < sample_run.exact_match < sample_run.f1 < 100
    assert any(0 < q.f1 < 1 for q in sample_run.questions)


@needs_qa
def test_every_question_and_its_overlap(sample_run: SquadRun) -> None:
    for q in sample_run.questions:
        truths = list(q.golds)
        assert q.exact_match == ref_max(ref_em, q.prediction, truths)
        assert q.f1 == pytest.approx(ref_max(ref_f1, q.prediction, truths), abs=1e-12)
        o = q.overlap
        assert o.gold in q.golds and ref_f1(q.prediction, o.gold) == pytest.approx(q.f1)
        assert dict(o.common) == dict(Counter(o.prediction_tokens) & Counter(o.gold_tokens))
        p, r = o.precision, o.recall
        assert (2 * p * r / (p + r) if p + r else 0.0) == pytest.approx(q.f1)


@needs_qa
def test_to_json(sample_run: SquadRun) -> None:
    data = json.loads(json.dumps(sample_run.to_json()))
    assert set(data) == {
        "model",
        "source",
        "questions",
        "exact_match",
        "f1",
        "notes",
        "per_question",
    }
    assert data["questions"] == len(data["per_question"]) == len(sample_run.questions)
    first = data["per_question"][0]
    assert set(first) == {"id", "question", "prediction", "golds", "exact_match", "f1", "overlap"}
    assert set(first["overlap"]) == {
        "gold", "prediction_tokens", "gold_tokens", "common", "precision", "recall"
    }  # fmt: skip
    assert data["f1"] == sample_run.f1


@needs_qa
def test_cancel_stops_between_batches(qa_model: Any) -> None:
    calls: list[int] = []

    class StopAfterOneBatch:
        def __call__(self, done: int, total: int, message: str = "") -> bool:
            calls.append(done)
            return done < 1

        def cancelled(self) -> bool:
            return False

    with pytest.raises(Cancelled):
        run_squad(qa_model, max_questions=70, progress=StopAfterOneBatch())
    assert calls == [0, 1]  # read, one batch of windows, then stopped


BAD = {
    "not JSON": ("{'data': []", "not valid JSON"),
    "no data": ('{"version": "1.1"}', "'data' is missing"),
    "a wrong answer_start": (
        json.dumps({"data": [{"title": "T", "paragraphs": [{"context": "Paris is big.", "qas": [
            {"id": "q1", "question": "Where?", "answers": [{"text": "Paris", "answer_start": 3}]}
        ]}]}]}),
        "does not start at character 3",
    ),
    "nothing to score": (
        json.dumps({"data": [{"title": "T", "paragraphs": [{"context": "Paris is big.", "qas": [
            {"id": "q1", "question": "Where?", "is_impossible": True, "answers": []}
        ]}]}]}),
        "no question has a gold answer",
    ),
}  # fmt: skip


@needs_qa
@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_calmly_and_not_changed(
    qa_model: Any, tmp_path: Path, case: str
) -> None:
    text, words = BAD[case]
    path = tmp_path / "my_squad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        run_squad(qa_model, path)
    message = str(e.value)
    assert message.startswith("my_squad.json: ") and words in message and "\n" not in message
    assert "Traceback" not in message and path.read_text(encoding="utf-8") == text
    with pytest.raises(UserError, match="cannot read"):
        run_squad(qa_model, tmp_path / "missing.json")


@needs_qa
def test_a_model_of_another_task_is_refused(built_store_dir: Path) -> None:
    with pytest.raises(UserError, match="not a question-answering model"):
        run_squad(open_qa_model(str(built_store_dir), "bert-lab-ner"), max_questions=3)


@needs_qa
def test_a_run_on_the_training_sample_says_so(qa_model: Any) -> None:
    run = run_squad(qa_model, sample_path(), max_questions=3)
    assert run.notes[0] == TRAINED_ON and len(run.questions) == 3
