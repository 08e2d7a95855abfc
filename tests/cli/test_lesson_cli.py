"""`bert-lab lesson list|check`: the built-in lessons listed, a broken file refused in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lab_app.core.lessons.labs import LAB_TITLES


def test_list_shows_the_builtin_lesson(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "title: Mine\nsteps:\n  - lab: specs\n  - lab: astrology\n", encoding="utf-8"
    )
    (tmp_path / "broken.yaml").write_text("steps: [", encoding="utf-8")
    doc = cli("lesson", "list", "--folder", str(tmp_path), "--json").json()
    rows = {row["name"]: row for row in doc["lessons"]}
    lecture = next(row for row in doc["lessons"] if row["builtin"])
    assert lecture["steps"] >= 8 and lecture["problems"] == []
    assert sorted(lecture["labs"]) == sorted(LAB_TITLES)  # the built-in lesson uses every lab
    assert rows["mine"]["steps"] == 1 and rows["mine"]["problems"][0].startswith("step 2:")
    assert "not valid YAML" in rows["broken"]["error"]
    text = cli("lesson", "list").out
    assert "built-in" in text and "steps; labs:" in text


def test_check_passes_the_builtin_lesson(cli: Any, built_store: Path) -> None:
    from lab_app.core.lessons.library import builtin_lessons

    name = builtin_lessons()[0].stem
    r = cli("lesson", "check", name, "--json")
    assert r.code == 0, r.err
    assert r.json()["ok"] is True


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("steps: [", "not valid YAML"),
        ("title: T\nsteps:\n  - lab: specs\n  - lab: astrology\n", "step 2: unknown lab"),
        ("title: T\nsteps:\n  - {lab: fill_mask, schema: 5}\n", "step 1: its fill_mask state"),
        ("title: T\nsteps:\n  - {lab: specs, models: [nope-model]}\n", "lacks"),
    ],
)
def test_check_refuses_in_one_line(
    cli: Any, built_store: Path, tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text(content, encoding="utf-8")
    cli("lesson", "check", str(path)).assert_user_error(needle)
    assert path.read_text(encoding="utf-8") == content  # never written


def test_check_of_an_unknown_name(cli: Any) -> None:
    cli("lesson", "check", "no-such-lesson").assert_user_error("no lesson file or built-in")


@pytest.mark.usefixtures("built_store", "qapp", "gui_thread_gc")
def test_render_writes_a_png_per_step_and_both_handouts(cli: Any, tmp_path: Path) -> None:
    lesson = tmp_path / "short.yaml"
    lesson.write_text(
        "title: Short\nsteps:\n"
        "  - {lab: specs, state: {page: calculator, preset: bert-base, tokens: 128B},"
        " question: {text: 'How many parameters?', choices: [66M, 110M], answer: 110M},"
        " explanation: 'About 110M.'}\n"
        "  - {lab: tokenizers, state: {text: 'tokenization', page: 0}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = cli("lesson", "render", str(lesson), str(out), "--size", "1024x640", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["answered"] == [True, True]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["answers.pdf", "step-01.png", "step-02.png", "worksheet.pdf"]
    for pdf in ("answers.pdf", "worksheet.pdf"):
        assert (out / pdf).read_bytes().startswith(b"%PDF")
    assert (out / "answers.pdf").stat().st_size > (out / "worksheet.pdf").stat().st_size  # pictures
    assert lesson.read_text(encoding="utf-8").startswith("title: Short")  # never written
