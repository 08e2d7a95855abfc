"""Lesson files: read with yaml.safe_load, bad steps named and kept out, the rest usable;
written back as the same lesson; checked against a store's models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lab_app.core.errors import UserError
from lab_app.core.lessons.lesson import (
    MAX_STEPS,
    Lesson,
    ModelRef,
    Question,
    Step,
    parse_lesson,
    read_lesson,
    to_yaml,
    write_lesson,
)
from lab_app.core.lessons.library import builtin_lessons, check, find_lesson, list_lessons

GOOD = """
bert_lab_lesson: 1
title: A short class
steps:
  - title: BERT fills in a blank
    lab: fill_mask
    schema: 1
    state: {text: "how are [MASK] today?"}
    question:
      text: Which word will BERT put in the blank?
      choices: [you, they, we]
      answer: you
    explanation: Masked-LM pre-training is this guess, billions of times.
    models: [{name: bert-lab-mlm}]
  - lab: tokenizers
    state: {text: "Tokenization ✨ مرحبا"}
"""


def write(tmp_path: Path, text: str, name: str = "lesson.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_lesson_reads_and_writes_back(tmp_path: Path) -> None:
    lesson = read_lesson(write(tmp_path, GOOD))
    assert lesson.title == "A short class" and not lesson.problems
    first, second = lesson.steps
    assert first.lab == "fill_mask" and first.state == {"text": "how are [MASK] today?"}
    assert first.question == Question(
        "Which word will BERT put in the blank?", ("you", "they", "we"), "you"
    )
    assert first.hides_answer and not second.hides_answer
    assert first.models == (ModelRef("bert-lab-mlm"),)
    assert second.schema == 1 and second.heading(2) == "2. Tokenizers"
    assert lesson.labs() == ["fill_mask", "tokenizers"]
    again = tmp_path / "again.yaml"
    write_lesson(lesson, again)
    assert read_lesson(again).steps == lesson.steps
    with pytest.raises(UserError, match="already exists"):
        write_lesson(lesson, again)  # never overwrites unless asked


@pytest.mark.parametrize(
    ("step", "needle"),
    [
        ({"lab": "astrology"}, "unknown lab 'astrology'"),
        ({"lab": "fill_mask", "schema": 99}, "newer BERT Lab"),
        ({"lab": "fill_mask", "schema": -1}, "whole number"),
        ({"lab": "fill_mask", "state": [1, 2]}, "state must be a mapping"),
        ({"lab": "fill_mask", "question": {"text": "?", "choices": ["a"]}}, "at least two"),
        ({"lab": "fill_mask", "question": {"text": "?", "choices": ["a", "b"], "answer": "c"}},
         "not one of the choices"),
        ({"lab": "fill_mask", "models": [{"name": "m", "sha256": "xyz"}]}, "not a sha256"),
        ("just text", "must be a mapping"),
    ],
)  # fmt: skip
def test_a_bad_step_is_named_and_the_rest_stays_usable(step: Any, needle: str) -> None:
    data = {"title": "t", "steps": [{"lab": "tokenizers"}, step, {"lab": "specs"}]}
    lesson = parse_lesson(data, "x.yaml")
    assert [s.lab for s in lesson.steps] == ["tokenizers", "specs"]
    (problem,) = lesson.problems
    assert problem.step == 2 and needle in problem.message
    assert str(problem).startswith("step 2: ")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "not a BERT Lab lesson"),
        (b"title: no steps\n", "not a BERT Lab lesson"),
        (b"steps: []\n", "has no steps"),
        (b"steps: [\n  - lab: [unclosed\n", "not valid YAML at line"),
        (b"\xff\xfe\x00t\x00i", "binary"),
        (b"title: caf\xe9\nsteps: []\n", "not UTF-8"),
        (b"bert_lab_lesson: 7\nsteps: [{lab: specs}]\n", "format 7"),
        (b"!!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ],
)
def test_a_file_that_is_not_a_lesson_is_one_message(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(UserError, match=needle):
        read_lesson(path)


def test_too_many_steps_and_a_missing_file(tmp_path: Path) -> None:
    data = {"steps": [{"lab": "specs"}] * 500}
    lesson = parse_lesson(data)
    assert len(lesson.steps) == MAX_STEPS
    (problem,) = lesson.problems
    assert problem.step == MAX_STEPS + 1 and f"at most {MAX_STEPS}" in problem.message
    with pytest.raises(UserError, match="is not a file"):
        read_lesson(tmp_path / "missing.yaml")


def test_yaml_is_human_readable_and_keeps_unicode() -> None:
    lesson = Lesson("Émile's class", (Step("tokenizers", {"text": "👋 مرحبا"}),))
    text = to_yaml(lesson)
    assert "👋 مرحبا" in text and text.startswith("bert_lab_lesson: 1\n")
    assert yaml.safe_load(text)["steps"][0]["state"] == {"text": "👋 مرحبا"}


def test_model_check_names_missing_and_different_models(built_store_dir: Path) -> None:
    from lab_app.core.models.store import open_store

    store = open_store(str(built_store_dir))
    sha = store.model("bert-lab-mlm", verify=False).manifest.files["model.onnx"]
    steps = (
        Step("fill_mask", {}, models=(ModelRef("bert-lab-mlm", sha),)),
        Step("fill_mask", {}, models=(ModelRef("no-such-model"),)),
        Step("fill_mask", {}, models=(ModelRef("bert-lab-mlm", "0" * 64),)),
    )
    problems = check(Lesson("t", steps), store)
    assert [p.step for p in problems] == [2, 3]
    assert "lacks" in problems[0].message and "another 'bert-lab-mlm'" in problems[1].message


def test_builtin_lessons_read_cleanly_and_use_every_lab(built_store_dir: Path) -> None:
    from lab_app.core.lessons.labs import LAB_SCHEMAS
    from lab_app.core.models.store import open_store

    paths = builtin_lessons()
    assert paths, "no built-in lesson"
    listed = list_lessons()
    assert all(item.lesson is not None and not item.lesson.problems for item in listed)
    lecture = find_lesson(paths[0].stem)
    assert set(lecture.labs()) == set(LAB_SCHEMAS)  # every lab at least once
    assert sum(s.question is not None for s in lecture.steps) >= len(lecture.steps) // 2
    assert check(lecture, open_store(str(built_store_dir))) == []
    with pytest.raises(UserError, match="no lesson file or built-in lesson"):
        find_lesson("not-a-lesson")
