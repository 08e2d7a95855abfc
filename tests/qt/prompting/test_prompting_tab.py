"""The Prompting tab, driven as a teacher would: edit the prompt, generate, run the shots, ask
three ways. Every figure on screen comes from the same core functions as the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from lab_app.core.prompting.shots import run_shots
from lab_app.core.prompting.tasks import builtin_task
from lab_app.qt.prompting.tab import PromptingTab

TIMEOUT = 60_000


@pytest.fixture
def tab(qtbot: QtBot, built_store_dir: Path) -> Iterator[PromptingTab]:
    widget = PromptingTab(store=str(built_store_dir))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _example(qtbot: QtBot, tab: PromptingTab) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()


def test_the_example_shows_the_prompt_its_parts_and_the_next_token(
    qtbot: QtBot, tab: PromptingTab
) -> None:
    _example(qtbot, tab)
    assert tab.next is not None
    assert tab.next.prompt.text.endswith("tall =>")
    assert [s.kind for s in tab.next.prompt.spans] == [
        "task",
        "example",
        "example",
        "example",
        "query",
    ]
    assert tab.bars.rows[0][0] == " short" and tab.bars.rows[0][1] > 0.5
    assert "3-shot prompt" in tab.builder.count.text() and "tokens" in tab.builder.count.text()
    assert "short" in tab.answer_line.text() and "no. 1" in tab.answer_line.text()
    html = tab.builder.preview.toHtml()
    assert "#2ca02c" in html and "#d62728" in html  # examples and query in their colours


def test_switching_an_example_off_changes_the_prompt(qtbot: QtBot, tab: PromptingTab) -> None:
    _example(qtbot, tab)
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.builder.examples.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert tab.next is not None and tab.next.prompt.shots == 2
    assert "hot => cold" not in tab.next.prompt.text


def test_an_empty_query_is_a_calm_inline_message(qtbot: QtBot, tab: PromptingTab) -> None:
    _example(qtbot, tab)
    tab.builder.query.setText("")
    assert tab.error.isVisible() and "query is empty" in tab.error.text()
    tab.builder.query.setText("tall")
    assert not tab.error.isVisible()


def test_generate_streams_tokens_with_their_confidence(qtbot: QtBot, tab: PromptingTab) -> None:
    _example(qtbot, tab)
    tab.stop_newline.setChecked(False)
    tab.max_new.setValue(6)
    with qtbot.waitSignal(
        tab.gen_runner.busy_changed, timeout=TIMEOUT, check_params_cb=lambda b: not b
    ):
        tab.generate()
    steps = tab.stream_view.steps
    assert len(steps) == 6 and steps[0].text == " short"
    assert tab.stream_view.text() == "".join(s.text for s in steps)
    assert "top choices" in tab.stream_view.tooltip_for(0)
    assert tab.generate_button.isEnabled() and not tab.stop_button.isEnabled()


def test_stop_ends_a_long_generation(qtbot: QtBot, tab: PromptingTab) -> None:
    _example(qtbot, tab)
    tab.stop_newline.setChecked(False)
    tab.max_new.setValue(256)
    tab.generate()
    qtbot.waitUntil(lambda: len(tab.stream_view.steps) >= 2, timeout=TIMEOUT)
    with qtbot.waitSignal(tab.gen_runner.busy_changed, timeout=TIMEOUT):
        tab.stop_button.click()
    assert len(tab.stream_view.steps) < 256


def test_the_shots_plot_shows_what_the_cli_prints(
    qtbot: QtBot, tab: PromptingTab, decoder: Any, tmp_path: Path
) -> None:
    tab.pages.setCurrentIndex(1)
    page = tab.shots
    page.task_combo.setCurrentIndex(page.task_combo.findData("antonyms"))
    page.shots_edit.setText("0,4")
    page.draws.setValue(1)
    with qtbot.waitSignal(page.result_shown, timeout=TIMEOUT):
        page.run_button.click()
    assert page.report is not None
    core = run_shots(decoder, builtin_task("antonyms"), (0, 4), draws=1, seed=0)
    assert [r.accuracy for r in page.report.results] == [r.accuracy for r in core.results]
    assert page.table.rowCount() == 2
    assert page.report.results[1].mean_prob > page.report.results[0].mean_prob  # few-shot helps
    assert "opposite" in page.task_note.text()
    assert "PNG" in tab.export_filters()
    png, table = tmp_path / "shots.png", tmp_path / "shots.csv"
    tab.export_to(png)
    tab.export_to(table)
    assert png.stat().st_size > 1000
    assert table.read_text(encoding="utf-8").splitlines()[0] == "shots,draw,accuracy,mean_prob"


def test_a_bad_csv_is_refused_inline_and_left_alone(
    qtbot: QtBot, tab: PromptingTab, tmp_path: Path
) -> None:
    path = tmp_path / "one.csv"
    path.write_text("input,output\nhot,cold\n", encoding="utf-8")
    before = path.read_bytes()
    tab.pages.setCurrentIndex(1)
    tab.shots.load_csv(path)
    assert tab.shots.error.isVisible() and "1 row" in tab.shots.error.text()
    assert path.read_bytes() == before
    tab.shots.shots_edit.setText("zero")
    tab.shots.task_combo.setCurrentIndex(0)
    tab.shots.run()
    assert "whole numbers" in tab.shots.error.text()


def test_instruct_vs_chat_shows_the_template_and_three_answers(
    qtbot: QtBot, tab: PromptingTab
) -> None:
    tab.pages.setCurrentIndex(2)
    chat = tab.chat
    chat.request.setText("What is the capital of France?")
    with qtbot.waitSignal(chat.result_shown, timeout=TIMEOUT):
        chat.ask_button.click()
    prompts = [p.toPlainText() for p in chat.modes.prompts]
    assert prompts[0] == "What is the capital of France?\n"
    assert prompts[1].startswith("<|im_start|>system") and "<|im_start|>assistant" in prompts[1]
    assert chat.system.text() in prompts[2] and chat.earlier_answer.text() in prompts[2]
    assert prompts[2].count("<|im_start|>user") == 2  # the earlier turn, then the request
    assert all(a.toPlainText() for a in chat.modes.answers)
    assert "Paris" in chat.modes.answers[1].toPlainText()


def test_exports_and_state(qtbot: QtBot, tab: PromptingTab, tmp_path: Path) -> None:
    _example(qtbot, tab)
    out = tmp_path / "prompt.txt"
    tab.export_to(out)
    assert out.read_text(encoding="utf-8").startswith("Give the opposite")
    assert "PNG" not in tab.export_filters()  # no experiment yet: only the prompt
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    tab.save_state(settings)
    tab.builder.set_parts(tab.builder.parts().__class__(query="x"))
    tab.restore_state(settings)
    assert tab.builder.query.text() == "tall" and tab.builder.examples.rowCount() == 3


def test_the_tab_opens_on_a_prompt_and_runs_it_when_first_shown(
    qtbot: QtBot, built_store_dir: Path
) -> None:
    widget = PromptingTab(store=str(built_store_dir))
    qtbot.addWidget(widget)
    assert (
        widget.builder.query.text() == "tall" and "tall =>" in widget.builder.preview.toPlainText()
    )
    with qtbot.waitSignal(widget.result_shown, timeout=TIMEOUT):
        widget.show()
    assert widget.next is not None and widget.bars.rows
    widget.shutdown()
