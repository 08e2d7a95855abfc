"""SQuAD v1.1 reading and metrics: the metrics equal the official evaluation script's, the reader
says where a file is wrong, and reading never changes the file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import squad_v11_reference as official

from lab_app.core.errors import UserError
from lab_app.core.taskmodels.squad import (
    Answer,
    QaExample,
    exact_match,
    f1,
    normalize_answer,
    parse_squad,
    read_squad,
    squad_scores,
)

STRINGS = [
    "",
    " ",
    "The Eiffel Tower",
    "the eiffel tower.",
    "Eiffel Tower",
    "an apple a day",
    "A",
    "the",
    "theatre",
    "then an answer",
    "anatomy of a thing",
    "Denver Broncos",
    "denver    broncos!!!",
    "Broncos, Denver",
    "24–10",
    "24-10",
    "$1.5 million",
    "1.5 million dollars",
    "Saint Bernadette Soubirous",
    "St. Bernadette",
    "«The» café",
    "Café au lait",
    "CAFÉ",
    "naïve ÜBER straße",
    "İstanbul",
    "The\u00a0Beatles",
    "the\tbeatles\n",
    "مرحبا بالعالم",
    "東京 タワー",
    "emoji 😀 the end",
    "a-the-an",
    "(a) (the) [an]",
    "x_the_y",
    "don't stop",
    "dont stop",
    "Σίσυφος the ΣΊΣΥΦΟΣ",
    "the the the the",
    "one two two three",
    "two one three two",
]


def test_normalize_matches_the_official_script() -> None:
    for s in STRINGS:
        assert normalize_answer(s) == official.normalize_answer(s), s


def test_exact_match_and_f1_match_the_official_script_on_every_pair() -> None:
    for pred in STRINGS:
        for gold in STRINGS:
            assert exact_match(pred, gold) == official.exact_match_score(pred, gold)
            assert f1(pred, gold) == pytest.approx(official.f1_score(pred, gold), abs=1e-12)


def _random_text(rng: random.Random) -> str:
    words = ["the", "a", "an", "cat", "Cat", "sat,", "on", "mat.", "é", "Ünï", "—", "!", "'s", "😀"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(0, 7)))


def test_squad_scores_match_the_official_evaluation() -> None:
    rng = random.Random(0)
    examples, predictions = [], {}
    for n in range(300):
        golds = [_random_text(rng) or "cat" for _ in range(rng.randint(1, 3))]
        context = " ".join(golds)
        answers, at = [], 0
        for g in golds:
            answers.append(Answer(g, at))
            at += len(g) + 1
        examples.append(QaExample(f"q{n}", "t", "?", context, tuple(answers)))
        if n % 10:  # one in ten unanswered: scores 0, as the official script
            predictions[f"q{n}"] = _random_text(rng)
    em_sum = f1_sum = 0.0
    for ex in examples:
        if ex.id in predictions:
            golds = [a.text for a in ex.answers]
            p = predictions[ex.id]
            em_sum += official.metric_max_over_ground_truths(official.exact_match_score, p, golds)
            f1_sum += official.metric_max_over_ground_truths(official.f1_score, p, golds)
    ours = squad_scores(predictions, examples)
    assert ours["exact_match"] * 100 == pytest.approx(100.0 * em_sum / len(examples), abs=1e-9)
    assert ours["f1"] * 100 == pytest.approx(100.0 * f1_sum / len(examples), abs=1e-9)
    assert 0 < ours["f1"] < 1


def _doc(qas: list[dict[str, object]], context: str = "Denver beat Carolina 24–10.") -> str:
    paragraph = {"context": context, "qas": qas}
    return json.dumps(
        {"version": "1.1", "data": [{"title": "Super_Bowl", "paragraphs": [paragraph]}]}
    )


def _qa(qid: str, question: str, answers: list[tuple[str, object]]) -> dict[str, object]:
    return {
        "id": qid,
        "question": question,
        "answers": [{"text": t, "answer_start": s} for t, s in answers],
    }


def test_a_good_file_is_read() -> None:
    data = parse_squad(_doc([_qa("a1", "Who won?", [("Denver", 0), ("Denver", 0)])]))
    (ex,) = data.examples
    assert (ex.id, ex.title, ex.question) == ("a1", "Super_Bowl", "Who won?")
    assert ex.answers == (Answer("Denver", 0), Answer("Denver", 0))
    assert data.notes == ()


def test_a_wrong_answer_start_names_the_question_and_is_not_repaired() -> None:
    with pytest.raises(UserError) as e:
        parse_squad(_doc([_qa("q-42", "Who lost?", [("Carolina", 11)])]))
    message = str(e.value)
    assert "'q-42'" in message and "Super_Bowl" in message
    assert "character 11" in message and "first occurs at character 12" in message
    with pytest.raises(UserError, match="past the context's end"):
        parse_squad(_doc([_qa("q-43", "Who lost?", [("Carolina", 400)])]))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "'data' is missing"),
        ('{"data": [{"paragraphs": []}]}', "article 1: the key 'title'"),
        (_doc([_qa("e1", "   ", [("Denver", 0)])]), "question 'e1'"),
        (_doc([_qa("e2", "Who?", [("Denver", 0)])], context="  "), "context is empty"),
        (_doc([]), "no questions"),
        (_doc([_qa("d", "Who?", []), _qa("d", "Who?", [])]), "id 'd' .* is used twice"),
        (_doc([{"id": "m", "question": "Who?"}]), "question 'm'"),
        (
            _doc([_qa("s", "Who?", [("Denver", "0")])]),
            "'answer_start' should be a whole number, not \"0\"",
        ),
    ],
)
def test_malformed_files_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(UserError, match=words):
        parse_squad(text)


def test_questions_without_answers_are_kept_for_prediction_with_a_note() -> None:
    data = parse_squad(_doc([_qa("n", "Who?", []), _qa("y", "Who?", [("Denver", 0)])]))
    assert [len(e.answers) for e in data.examples] == [0, 1]
    assert any("1 question has no answer" in n for n in data.notes)
    # and they are not scored: only the answerable question counts
    assert squad_scores({"n": "x", "y": "Denver"}, data.examples)["exact_match"] == 1.0


def test_the_number_of_questions_is_capped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(_doc([_qa(f"q{i}", "Who?", [("Denver", 0)]) for i in range(12)]), "utf-8")
    data = read_squad(path, max_questions=5)
    assert len(data.examples) == 5 and "first 5 of 12" in data.notes[0]


def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_bytes(_doc([_qa("a", "Who?", [("Denver", 0)])]).encode())
    bad.write_bytes(_doc([_qa("b", "Who?", [("Carolina", 3)])]).encode())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (good, bad)}
    read_squad(good)
    with pytest.raises(UserError, match=r"bad\.json: .*'b'"):
        read_squad(bad)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (good, bad)} == before
    assert sorted(tmp_path.iterdir()) == [bad, good]


def test_non_utf8_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(
        _doc([_qa("a", "Où?", [("Denver", 0)])]).replace("\\u00f9", "ù").encode("latin-1")
    )
    with pytest.raises(UserError, match=r"latin1\.json is not UTF-8"):
        read_squad(path)
    with pytest.raises(UserError, match=r"cannot read missing\.json"):
        read_squad(tmp_path / "missing.json")
