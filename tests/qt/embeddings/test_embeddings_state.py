"""The Embeddings tab remembers its state, and makes its hidden pages only when they are shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings

from lab_app.qt.embeddings.plot import POINT_SIZE
from lab_app.qt.embeddings.tab import EmbeddingsTab

pytestmark = pytest.mark.usefixtures("gui_thread_gc")  # collect cycles on the GUI thread only


def test_state_is_saved_and_restored(make_tab: Callable[[], EmbeddingsTab], tmp_path: Path) -> None:
    first = make_tab()
    first.controls.picker.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2")
    first.controls.picker.set_pooling("cls")
    first.controls.picker.layer_slider.setValue(2)
    first.controls.method_combo.setCurrentIndex(1)
    first.controls.k_spin.setValue(7)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first.save_state(settings)
    second = make_tab()
    second.restore_state(settings)
    picker = second.controls.picker
    assert (picker.model_combo.currentText(), picker.pooling(), picker.layer()) == (
        "paraphrase-MiniLM-L3-v2",
        "cls",
        2,
    )
    assert second.controls.method() == "umap" and second.controls.k_spin.value() == 7


def test_hidden_pages_are_made_when_first_shown(
    make_tab: Callable[[], EmbeddingsTab], tmp_path: Path
) -> None:
    """Opening the tab makes no plot (the map waits for the first result, under the empty page);
    configuration B, saved from a Compare page that was opened, reaches one made only after the
    restore, and survives a save in between; a zoom set before a page exists reaches it."""
    first = make_tab()
    assert len(first.findChildren(pg.PlotWidget)) == 0
    first.compare.picker.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2")
    first.compare.picker.set_pooling("cls")
    first.compare.picker.layer_slider.setValue(2)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first.save_state(settings)
    second = make_tab()
    second.set_zoom(1.5)
    second.restore_state(settings)
    again = QSettings(str(tmp_path / "again.ini"), QSettings.Format.IniFormat)
    second.save_state(again)  # B was never shown: what was restored is saved again
    assert len(second.findChildren(pg.PlotWidget)) == 0
    second.ui.pages.setCurrentIndex(2)
    b = second.compare.picker
    assert (b.model_combo.currentText(), b.pooling(), b.layer()) == (
        "paraphrase-MiniLM-L3-v2",
        "cls",
        2,
    )
    assert second.compare.map_a.scatter.opts["size"] == pytest.approx(1.5 * POINT_SIZE)
    assert second.map.scatter.opts["size"] == pytest.approx(1.5 * POINT_SIZE)
    third = make_tab()
    third.restore_state(again)
    assert third.compare.picker.layer() == 2
