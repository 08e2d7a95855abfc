"""A lesson's own files: ``lesson:`` names resolved in its folder or zip, a zip that carries the
files its steps use, and zips whose paths leave their folder refused member by member."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lab_app.core.errors import UserError
from lab_app.core.lessons.files import open_lesson, read_zip, write_zip
from lab_app.core.lessons.lesson import Lesson, Step
from lab_app.core.lessons.library import find_lesson, list_lessons

LESSON = """\
title: Scores of my predictions
steps:
  - lab: bench
    state: {page: glue, pages: {glue: {source: "lesson:data/preds.csv"}}}
  - lab: bench
    state: {page: glue, pages: {glue: {source: "lesson:data/missing.csv"}}}
  - lab: bench
    state: {page: glue, pages: {glue: {source: "lesson:../outside.csv"}}}
  - lab: specs
"""


def _glue_source(step: Step) -> str:
    return str(step.state["pages"]["glue"]["source"])


def test_files_beside_a_yaml_lesson(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "preds.csv").write_text("label,prediction\nyes,no\n", encoding="utf-8")
    (tmp_path / "outside.csv").write_text("x", encoding="utf-8")
    folder = tmp_path / "lesson"
    folder.mkdir()
    (folder / "data").mkdir()
    (folder / "data" / "preds.csv").write_text("label,prediction\nyes,no\n", encoding="utf-8")
    (folder / "mine.yaml").write_text(LESSON, encoding="utf-8")
    lesson = open_lesson(folder / "mine.yaml")
    assert [s.lab for s in lesson.steps] == ["bench", "specs"]  # the two bad steps left out
    assert _glue_source(lesson.steps[0]) == str(folder / "data" / "preds.csv")
    problems = {p.step: p.message for p in lesson.problems}
    assert "lacks" in problems[2] and "missing.csv" in problems[2]
    assert "outside the lesson's folder" in problems[3]


def test_a_zip_carries_the_files_its_steps_use(tmp_path: Path) -> None:
    a = tmp_path / "one" / "preds.csv"
    b = tmp_path / "two" / "preds.csv"
    for path, text in ((a, "label,prediction\nyes,yes\n"), (b, "label,prediction\nno,yes\n")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    steps = tuple(
        Step("bench", {"page": "glue", "pages": {"glue": {"source": str(p)}}}) for p in (a, b, a)
    )
    out = tmp_path / "shared.zip"
    carried = write_zip(Lesson("Shared", steps), out)
    assert carried == ["files/preds-2.csv", "files/preds.csv"]
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["files/preds-2.csv", "files/preds.csv", "lesson.yaml"]
        assert "lesson:files/preds.csv" in archive.read("lesson.yaml").decode("utf-8")
    opened = read_zip(out, tmp_path / "unpacked")
    sources = [_glue_source(s) for s in opened.steps]
    assert [Path(s).read_text(encoding="utf-8") for s in sources] == [
        a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8"),
        a.read_text(encoding="utf-8"),
    ]  # fmt: skip
    assert all(Path(s).is_relative_to(tmp_path / "unpacked") for s in sources)
    assert opened.source == str(out) and not opened.problems
    with pytest.raises(UserError, match="exists"):
        write_zip(Lesson("Shared", steps), out)  # never replaces a file unasked
    assert find_lesson(str(out)).title == "Shared"
    listed = {row.name: row for row in list_lessons([tmp_path])}
    assert listed["shared"].lesson is not None and len(listed["shared"].lesson.steps) == 3


def test_zip_members_that_leave_the_folder_are_not_unpacked(tmp_path: Path) -> None:
    out = tmp_path / "evil.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("lesson.yaml", LESSON)
        archive.writestr("data/preds.csv", "label,prediction\nyes,no\n")
        archive.writestr("../outside.csv", "escaped")
        archive.writestr("/etc/absolute.csv", "escaped")
        link = zipfile.ZipInfo("data/link.csv")
        link.external_attr = 0o120777 << 16  # a symbolic link
        archive.writestr(link, "/etc/passwd")
    into = tmp_path / "in" / "side"
    lesson = read_zip(out, into)
    assert (
        not (tmp_path / "in" / "outside.csv").exists() and not (into / "data" / "link.csv").exists()
    )
    assert lesson.problems[0].step == 0
    assert "leave the zip" in lesson.problems[0].message
    assert [s.lab for s in lesson.steps] == ["bench", "specs"]  # the rest still usable


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"data/preds.csv": "x"}, "one lesson"),
        ({"a.yaml": "steps: []", "b.yaml": "x"}, "one lesson"),
    ],
)
def test_zips_without_one_lesson(tmp_path: Path, members: dict[str, str], message: str) -> None:
    out = tmp_path / "bad.zip"
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(UserError, match=message):
        read_zip(out, tmp_path / "x")


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"\xff\xfenot a zip")
    with pytest.raises(UserError, match="not a readable zip"):
        open_lesson(fake)
    assert fake.read_bytes() == b"\xff\xfenot a zip"


def test_an_older_state_is_migrated_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lab whose state layout changed (schema 2 here, renaming a field) still opens a lesson
    saved at schema 1; a step older than any migration is a problem naming it."""
    from lab_app.core.lessons import labs
    from lab_app.core.lessons.lesson import parse_lesson

    monkeypatch.setitem(labs.LAB_SCHEMAS, "fill_mask", 2)
    monkeypatch.setitem(
        labs.MIGRATIONS, "fill_mask", {1: lambda s: {"text": s.pop("sentence", ""), **s}}
    )
    lesson = parse_lesson(
        {"steps": [{"lab": "fill_mask", "schema": 1, "state": {"sentence": "a [MASK] b"}},
                   {"lab": "fill_mask", "schema": 2, "state": {"text": "c [MASK] d"}}]}
    )  # fmt: skip
    assert [s.state for s in lesson.steps] == [{"text": "a [MASK] b"}, {"text": "c [MASK] d"}]
    assert {s.schema for s in lesson.steps} == {2}
    monkeypatch.setitem(labs.MIGRATIONS, "fill_mask", {})
    lesson = parse_lesson({"steps": [{"lab": "fill_mask", "schema": 1, "state": {}}]})
    assert not lesson.steps and "older than this BERT Lab" in lesson.problems[0].message
