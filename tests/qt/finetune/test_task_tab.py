"""The Fine-tuning tab's other set-ups, driven as a student would: choose tagging, QA or pairs,
run a method on the built-in sample, see the per-label table, try the run just trained and save
it; the window stays responsive throughout."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lab_app.qt.finetune.tab import FineTuneTab

TIMEOUT = 180_000
pytestmark = pytest.mark.usefixtures("gui_thread_gc")  # collect cycles on the GUI thread only


@pytest.fixture
def store_copy(tmp_path: Path, built_store_dir: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(built_store_dir / "models" / "bert-lab-mlm", root / "models" / "bert-lab-mlm")
    return root


@pytest.fixture
def tab(show: Any, store_copy: Path) -> Iterator[FineTuneTab]:
    widget = show(FineTuneTab(store=str(store_copy)))
    yield widget
    widget.shutdown()
    widget.release()


def _train(qtbot: QtBot, tab: FineTuneTab, task: str, method: str, epochs: int = 1) -> None:
    tab.settings.choose_task(task)
    tab.choose_method(method)
    tab.settings.epochs.setValue(epochs)
    qtbot.waitUntil(tab.run_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_button.click()


def _try(qtbot: QtBot, tab: FineTuneTab) -> None:
    qtbot.waitUntil(tab.try_panel.button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(tab.try_panel.shown, timeout=TIMEOUT):
        tab.try_panel.button.click()


def test_tagging_runs_shows_labels_and_the_alignment(
    qtbot: QtBot, tab: FineTuneTab, heartbeat: Any
) -> None:
    heartbeat.watch()
    _train(qtbot, tab, "tag", "features", epochs=2)
    assert "tag" in tab.rows[-1][0] and "entity F1" in tab.rows[-1][5]
    assert tab.body.tabText(tab.body.indexOf(tab.confusion)) == "Per label"
    labels = {tab.confusion.item(r, 0).text() for r in range(tab.confusion.rowCount())}
    assert labels <= {"PER", "ORG", "LOC", "MISC"} and labels
    assert not tab.curve_button.isEnabled()  # the learning curve is the classifier's
    assert tab.try_panel.model_combo.currentText().startswith("this run")
    _try(qtbot, tab)
    table = tab.try_panel.tag_view.table
    pieces = [table.item(r, 1).text() for r in range(table.rowCount())]
    labels_row = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert pieces[0] == "[CLS]" and pieces[-1] == "[SEP]"
    # "Lufthansa" is cut into pieces: its first carries the label, the others are masked.
    assert any(label.startswith("−100") for label in labels_row)
    # Alone this stays under 100 ms; late in the whole suite a worker's Python loops (reading and
    # aligning the data) have starved the GUI thread of the GIL for up to 0.3-0.5 s, which no
    # run alone shows (see the session note). This bound still fails a freeze.
    assert heartbeat.longest_ms < 1000


def test_qa_and_pairs_run_try_and_save(qtbot: QtBot, tab: FineTuneTab, store_copy: Path) -> None:
    _train(qtbot, tab, "qa", "features")
    assert "F1" in tab.rows[-1][5]
    _try(qtbot, tab)
    view = tab.try_panel.answer_view
    assert view.result is not None and view.result.answer
    passage = tab.try_panel.passage.toPlainText()
    assert passage[view.result.start : view.result.end] == view.result.answer
    assert len(view.result.p_start) == len(view.result.pieces) > 10
    _train(qtbot, tab, "pair", "features")
    _try(qtbot, tab)
    assert {t for t, _ in tab.try_panel.bars.rows} == {"paraphrase", "different"}
    with qtbot.waitSignal(tab.store_modified, timeout=TIMEOUT):
        tab.save_as("my-pairs")
    assert (store_copy / "models" / "my-pairs" / "model.onnx").is_file()
    assert tab.try_panel.model_combo.findText("my-pairs") >= 0
    tab.pair_sample.setCurrentIndex(1)  # the next-sentence sample
    tab.pair_sample.activated.emit(1)
    _train(qtbot, tab, "pair", "features")
    assert tab.trained is not None and tab.trained.result.labels == ("IsNext", "NotNext")


def test_a_bad_file_says_why_and_changes_nothing(
    qtbot: QtBot, tab: FineTuneTab, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("Maria B-PER\nflew I-LOC\n", encoding="utf-8")
    tab.settings.choose_task("tag")
    tab.path = bad
    with qtbot.waitSignal(tab.runner.failed, timeout=TIMEOUT):
        tab.run_button.click()
    assert "line 2" in tab.error.text() and tab.error.isVisible()
    assert bad.read_text(encoding="utf-8") == "Maria B-PER\nflew I-LOC\n"
    assert not tab.rows


def test_the_dataset_file_is_part_of_the_saved_state(tab: FineTuneTab, tmp_path: Path) -> None:
    """A lesson step (or the next session) trains on the same file; a file that is gone
    leaves the sample and says so, changing nothing else."""
    from lab_app.qt.shell.lesson_state import DictSettings

    data = tmp_path / "pairs.tsv"
    data.write_text("a\tb\tlabel\nx y\tz w\tparaphrase\n", encoding="utf-8")
    tab.settings.choose_task("pair")
    tab.use_dataset(data)
    saved = DictSettings()
    tab.save_state(saved)
    tab.settings.choose_task("classify")
    assert tab.path is None
    tab.restore_state(saved)
    assert tab.settings.task() == "pair" and tab.path == data
    assert data.name in tab.dataset_label.text()
    data.unlink()
    messages: list[str] = []
    tab.status_changed.connect(messages.append)
    tab.settings.choose_task("classify")
    tab.restore_state(saved)
    assert tab.path is None and "not there" in messages[-1]
