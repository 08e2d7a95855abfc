"""One lab's link to another: a benchmark's row in Model specs opens the Benchmarks lab's page
that runs it."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from lab_app.qt.main_window import MainWindow
from lab_app.qt.registry import TABS


def _index(key: str) -> int:
    return [spec.object_name for spec in TABS].index(f"tab_{key}")


def test_a_benchmark_row_in_model_specs_opens_its_page(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(_index("specs"))
    specs: Any = window.pages[_index("specs")].ensure()
    specs.select_table("benchmarks")
    assert "Double-click a row" in specs.table_note.text()
    model = specs.view.model()
    labels = [specs.view.cell_at(model.index(r, 0)).value for r in range(model.rowCount())]
    for name, page, choice in (("SQuAD", "squad", ""), ("RACE", "choice", "race"),
                               ("METEOR", "metrics", "meteor")):  # fmt: skip
        window.tabs.setCurrentIndex(_index("specs"))
        specs.view.doubleClicked.emit(model.index(labels.index(name), 1))
        assert window.tabs.currentIndex() == _index("bench")
        bench: Any = window.pages[_index("bench")].tab
        assert bench.page() == page
        if choice == "race":
            assert bench.page_widget("choice").sets.currentData() == "race"
        if choice == "meteor":
            assert bench.page_widget("metrics").detail_metric.currentData() == "meteor"
    # Another table's rows lead nowhere.
    specs.select_table("gpt_models")
    window.tabs.setCurrentIndex(_index("specs"))
    specs.view.doubleClicked.emit(specs.view.model().index(0, 0))
    assert window.tabs.currentIndex() == _index("specs")
