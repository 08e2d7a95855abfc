"""The Fine-tuning tab, driven as a student would: answer the chart, run methods, compare them,
save the fine-tuned encoder. The figures are the core function's (the same as the CLI's)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from pytestqt.qtbot import QtBot

from lab_app.core.finetune.methods import FineTuneConfig, finetune
from lab_app.core.io.text_input import read_utterances, sample_dataset_path
from lab_app.core.models.store import ModelStore
from lab_app.qt.finetune.chart import recommend
from lab_app.qt.finetune.tab import FineTuneTab

TIMEOUT = 120_000


@pytest.fixture
def store_copy(tmp_path: Path, built_store_dir: Path) -> Path:
    root = tmp_path / "store"
    for name in ("paraphrase-MiniLM-L3-v2", "bert-lab-mlm"):
        shutil.copytree(built_store_dir / "models" / name, root / "models" / name)
    return root


@pytest.fixture
def tab(show: Any, store_copy: Path) -> Iterator[FineTuneTab]:
    widget = show(FineTuneTab(store=str(store_copy)))
    yield widget
    widget.shutdown()


def test_the_chart_recommends_each_leaf(qtbot: QtBot, tab: FineTuneTab) -> None:
    assert recommend(False, True, True, True)[0] == "full"
    assert recommend(True, False, False, False)[0] == "features"
    assert recommend(True, True, True, False)[0] == "lora"
    assert recommend(True, True, False, True)[0] == "full"
    assert recommend(True, True, False, False)[0] == "partial"
    tab.chart.boxes["large"].setChecked(True)
    assert tab.chart.recommended == "lora" and tab.chart.leaves["lora"].isChecked()
    assert "adapters" in tab.chart.why.text()
    tab.chart.leaves["partial"].click()
    assert tab.settings.method_combo.currentData() == "partial"


def _run(qtbot: QtBot, tab: FineTuneTab, model: str, method: str, **spins: int) -> None:
    tab.settings.model_combo.setCurrentText(model)
    tab.choose_method(method)
    for name, value in spins.items():
        getattr(tab.settings, name).setValue(value)
    qtbot.waitUntil(tab.run_button.isEnabled, timeout=TIMEOUT)  # the last run has finished
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_button.click()


def test_runs_compare_side_by_side_and_match_the_core(
    qtbot: QtBot, tab: FineTuneTab, store_copy: Path, heartbeat: Any
) -> None:
    assert not tab.findChildren(pg.PlotWidget)  # each plot is made when it has something to draw
    heartbeat.watch()
    _run(qtbot, tab, "paraphrase-MiniLM-L3-v2", "features")
    _run(qtbot, tab, "paraphrase-MiniLM-L3-v2", "partial", layers=1, epochs=3)
    assert tab.results.rowCount() == 2
    assert len(tab.loss_plot.epochs) == 3  # drawn live, one point per epoch
    # Training runs off the GUI thread: the window stays responsive (generous for a loaded CI).
    assert heartbeat.longest_ms < 250
    x, y = tab.loss_plot.test.getData()
    assert list(x) == [1.0, 2.0, 3.0]
    data = read_utterances(sample_dataset_path())
    core = finetune(
        ModelStore(store_copy),
        data.texts,
        data.labels,
        FineTuneConfig("paraphrase-MiniLM-L3-v2", "partial", layers=1, epochs=3),
    )
    assert tab.results.item(1, 5).text() == f"accuracy {core.accuracy:.1%}"
    assert list(y) == pytest.approx([e.test_loss for e in core.epochs], rel=1e-5)
    assert tab.confusion.rowCount() == 14
    assert f"{core.accuracy:.1%}" in tab.summary.text()
    assert tab.save_button.isEnabled()


def test_a_saved_model_reaches_the_store(qtbot: QtBot, tab: FineTuneTab, store_copy: Path) -> None:
    _run(qtbot, tab, "paraphrase-MiniLM-L3-v2", "lora", epochs=1, rank=2)
    qtbot.waitUntil(tab.save_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(tab.store_modified, timeout=TIMEOUT):
        tab.save_as("l3-intents")
    entry = ModelStore(store_copy).model("l3-intents")
    assert entry.manifest.extra["fine_tuned"]["method"] == "lora"
    assert "l3-intents" in [
        tab.settings.model_combo.itemText(i) for i in range(tab.settings.model_combo.count())
    ]
    qtbot.waitUntil(tab.save_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(tab.save_runner.failed, timeout=TIMEOUT):
        tab.save_as("l3-intents")
    assert "already in the store" in tab.error.text()


def test_bad_settings_are_a_calm_message(qtbot: QtBot, tab: FineTuneTab) -> None:
    tab.settings.lr_edit.setText("fast")
    tab.run_button.click()
    assert "must be a number" in tab.error.text() and tab.error.isVisible()
    tab.settings.lr_edit.setText("1e6")
    tab.settings.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2")
    tab.choose_method("partial")
    with qtbot.waitSignal(tab.runner.failed, timeout=TIMEOUT):
        tab.run_button.click()
    assert "too large" in tab.error.text()
    assert tab.results.rowCount() == 0


def test_settings_are_remembered(qtbot: QtBot, tab: FineTuneTab) -> None:
    from lab_app.qt.finetune.controls import TabState

    state = TabState("paraphrase-MiniLM-L3-v2", "partial", "mean", 3, 4, 7, 11, "2e-4")
    tab.settings.apply(state)
    assert tab.settings.state() == state
    config = tab.settings.config()
    assert (config.method, config.pooling, config.layers, config.lr) == ("partial", "mean", 3, 2e-4)


def test_cancel_stops_training_and_keeps_what_was_shown(qtbot: QtBot, tab: FineTuneTab) -> None:
    tab.settings.model_combo.setCurrentText("bert-lab-mlm")
    tab.choose_method("full")
    tab.settings.epochs.setValue(20)
    tab.run_button.click()
    qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=TIMEOUT)
    tab.cancel_button.click()
    assert tab.runner.shutdown(2000)  # the job stops at its next step
    assert tab.results.rowCount() == 0 and tab.run_button.isEnabled()


def test_ctrl_return_starts_no_training_while_how_much_data_runs(
    qtbot: QtBot, tab: FineTuneTab
) -> None:
    from PySide6.QtCore import Qt

    def ctrl_return() -> None:
        qtbot.keyClick(tab, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    tab.settings.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2")
    tab.choose_method("partial")
    ctrl_return()  # idle, the key starts a run: it reaches the tab
    assert tab.runner.busy
    tab.cancel_button.click()
    assert tab.runner.shutdown(TIMEOUT)
    qtbot.waitUntil(tab.curve_button.isEnabled, timeout=TIMEOUT)
    tab.curve_button.click()
    assert tab.curve_runner.busy and not tab.run_button.isEnabled()
    ctrl_return()  # busy: refused, as the disabled Run button says
    tab.run_example()
    assert not tab.runner.busy and tab.curve_runner.busy
    tab.cancel_button.click()
    assert tab.curve_runner.shutdown(TIMEOUT)
    assert tab.results.rowCount() == 0
