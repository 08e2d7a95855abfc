"""The Model specs tab, driven as a student would: presets, edits, bad input, sorting, copying,
exporting; every assertion is on what the tab shows (labels, model cells, plot data)."""

from __future__ import annotations

import csv
import io
import math
import xml.dom.minidom
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from lab_app.core.errors import UserError
from lab_app.core.specs.lab import attention_series
from lab_app.core.specs.params import PRESETS, count_params, encoder_params
from lab_app.qt.specs.fields import IntField
from lab_app.qt.specs.tab import SpecsTab

# corrections.md, "Exact parameter counts that a correct calculator reproduces"
EXPECTED = {
    "bert-base": 109_482_240,
    "bert-large": 335_141_888,
    "gpt-1": 116_534_784,
    "gpt-2-xl": 1_557_611_200,
    "llama-2-7b": 6_738_415_616,
    "llama-3.1-8b": 8_030_261_248,
    "llama-3.1-70b": 70_553_706_496,
    "llama-3.1-405b": 405_853_388_800,
}


@pytest.fixture
def tab(qtbot: QtBot) -> SpecsTab:
    widget = SpecsTab()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def choose_preset(tab: SpecsTab, name: str) -> None:
    """Pick the architecture, then the preset, in the two combos (as a user does)."""
    calc = tab.calculator
    calc.arch_combo.setCurrentIndex(calc.arch_combo.findData(PRESETS[name][0]))
    calc.preset_combo.setCurrentIndex(calc.preset_combo.findData(name))


def retype(qtbot: QtBot, field: IntField, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_starts_on_bert_base_and_the_landscape_table(tab: SpecsTab) -> None:
    assert tab.calculator.current_preset() == "bert-base"
    assert tab.calculator.total_label.text() == "109,482,240 parameters"
    assert tab.current_table.id == "llm_landscape"
    assert tab.view.model().rowCount() == len(tab.current_table.rows)


def test_presets_show_the_exact_counts_of_corrections_md(tab: SpecsTab) -> None:
    calc = tab.calculator
    for name, total in EXPECTED.items():
        choose_preset(tab, name)
        assert calc.total_label.text() == f"{total:,} parameters", name
        assert calc.current_preset() == name
    choose_preset(tab, "gpt-3")
    assert "174.6 billion" in calc.human_label.text()


def test_editing_a_field_recomputes_total_breakdown_and_chart(qtbot: QtBot, tab: SpecsTab) -> None:
    calc = tab.calculator
    retype(qtbot, calc.fields["layers"], "24")
    expected = encoder_params(layers=24, hidden=768, heads=12, ffn=3072, vocab=30522)
    assert calc.total_label.text() == f"{expected.total:,} parameters"
    assert calc.preset_combo.currentText() == "Custom"
    shown = {calc.breakdown.item(r, 0).text(): calc.breakdown.item(r, 1).text()
             for r in range(calc.breakdown.rowCount())}  # fmt: skip
    assert shown["Attention"] == f"{expected.breakdown['attention']:,}"
    widths = calc.chart.bars.opts["width"]
    assert list(widths) == pytest.approx([v / 1e6 for v in expected.breakdown.values() if v])
    assert len(calc.chart.bar_labels()) == len(widths)
    assert calc.chart.bar_labels()[0] == " 23.8M (12%)"  # embeddings: 23,835,648 of 194.5M
    calc.flags["mlm_head"].setChecked(True)
    with_head = encoder_params(
        layers=24, hidden=768, heads=12, ffn=3072, vocab=30522, mlm_head=True
    )
    assert calc.total_label.text() == f"{with_head.total:,} parameters"


@pytest.mark.parametrize(
    ("edits", "field", "words"),
    [
        ({"hidden": "100", "heads": "3"}, "heads", "not divisible"),
        ({"layers": "0"}, "layers", "at least 1"),
        ({"vocab": "lots"}, "vocab", "whole number"),
        ({"hidden": "100000000", "heads": "1"}, "hidden", "absurd"),
    ],
)
def test_invalid_input_shows_an_inline_message(
    qtbot: QtBot, tab: SpecsTab, edits: dict[str, str], field: str, words: str
) -> None:
    tab.pages.setCurrentIndex(1)
    calc = tab.calculator
    for key, text in edits.items():
        retype(qtbot, calc.fields[key], text)
    assert calc.errors[field].isVisibleTo(tab)
    assert words in calc.errors[field].text()
    assert calc.total_label.text() == "—"
    assert calc.breakdown.rowCount() == 0
    assert tab.isVisible()
    calc.set_preset("bert-base")  # recovers
    assert not calc.errors[field].isVisibleTo(tab)
    assert calc.total_label.text() == "109,482,240 parameters"


def test_compute_shows_flops_and_the_tables_figure(qtbot: QtBot, tab: SpecsTab) -> None:
    tab.pages.setCurrentIndex(1)
    calc = tab.calculator
    choose_preset(tab, "llama-3.1-405b")
    assert calc.tokens.text() == "15,600,000,000,000"
    text = calc.compute_label.text()
    assert "3.80 × 10²⁵ FLOPs" in text and "439,675 petaFLOP-days" in text
    assert "440,000 petaFLOP-days" in text and "LLaMA family" in text
    retype(qtbot, calc.tokens, "soon")
    assert calc.errors["tokens"].isVisibleTo(tab)
    retype(qtbot, calc.tokens, "1T")
    assert not calc.errors["tokens"].isVisibleTo(tab)
    assert "1 trillion" in calc.compute_label.text()
    choose_preset(tab, "gpt-1")  # no published token count: D is left for the student
    assert calc.tokens.text() == ""
    assert "Type the training tokens" in calc.compute_label.text()


def test_sorting_a_numeric_column_sorts_by_value(tab: SpecsTab) -> None:
    tab.select_table("llama_family")
    model = tab.view.model()
    cost = tab.current_table.columns.index("Training cost (petaFLOP-day)")
    context = tab.current_table.columns.index("Context length")

    def names() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    tab.view.sortByColumn(cost, Qt.SortOrder.DescendingOrder)
    assert names() == ["Llama 3.1", "Llama 3", "Llama 2", "LLaMA", "Code Llama"]  # blank last
    tab.view.sortByColumn(cost, Qt.SortOrder.AscendingOrder)
    assert names()[:4] == ["LLaMA", "Llama 2", "Llama 3", "Llama 3.1"]
    assert names()[-1] == "Code Llama"
    tab.view.sortByColumn(context, Qt.SortOrder.AscendingOrder)  # "128K (131,072)" is largest
    assert names() == ["LLaMA", "Llama 2", "Llama 3", "Code Llama", "Llama 3.1"]


def test_corrected_cells_are_marked_with_the_slide_value(tab: SpecsTab) -> None:
    table = tab.current_table
    model = tab.view.model()
    row = [r[0].display for r in table.rows].index("Embedding Size")
    col = table.columns.index("GPT-3")
    index = model.index(row, col)
    assert index.data() == "12,288 *"
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "the slide says 12888" in tip and "Brown et al. 2020" in tip
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    plain = model.index(0, 1)
    assert "source:" in plain.data(Qt.ItemDataRole.ToolTipRole)
    assert plain.data(Qt.ItemDataRole.BackgroundRole) is None
    tab.select_cell(row, col)  # nothing important in tooltips only: the label says it too
    assert "the slide says 12888" in tab.cell_info.text()
    assert "Embedding Size · GPT-3" in tab.cell_info.text()


def test_ctrl_c_copies_the_selected_cells_as_tsv(qtbot: QtBot, tab: SpecsTab) -> None:
    model = tab.view.model()
    selection = QItemSelection(model.index(4, 0), model.index(5, 2))
    tab.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(tab.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "Embedding Size\t768\t12,288\nContext Length\t512\t2,048\n"  # no "*" in the copy
    )


def test_export_csv_png_svg(tab: SpecsTab, tmp_path: Path) -> None:
    assert tab.export_filters() == "CSV table (*.csv)"
    tab.export_to(tmp_path / "landscape.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "landscape.csv").read_text("utf-8"))))
    assert rows[0][:4] == ["row", "row (source)", "BERT", "BERT (source)"]
    embedding = next(r for r in rows if r[0] == "Embedding Size")
    assert embedding[4] == "12,288" and "the slide says 12888" in embedding[5]
    with pytest.raises(UserError):
        tab.export_to(tmp_path / "table.png")

    tab.pages.setCurrentIndex(1)
    assert "*.svg" in tab.export_filters() and "*.png" in tab.export_filters()
    tab.export_to(tmp_path / "breakdown.png")
    png = (tmp_path / "breakdown.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    tab.export_to(tmp_path / "breakdown.svg")
    svg = xml.dom.minidom.parse(str(tmp_path / "breakdown.svg"))
    assert svg.documentElement.tagName == "svg"
    assert "BERT-base" in (tmp_path / "breakdown.svg").read_text("utf-8")  # the caption
    tab.export_to(tmp_path / "breakdown.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "breakdown.csv").read_text("utf-8"))))
    assert rows[-1][:2] == ["Total", "109482240"]

    tab.pages.setCurrentIndex(3)
    tab.export_to(tmp_path / "attention.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "attention.csv").read_text("utf-8"))))
    assert rows[0] == ["sequence_length", "quadratic_flops", "linear_flops", "total_flops"]
    with pytest.raises(UserError):
        tab.export_to(tmp_path / "attention.jpg")


def test_sizes_chart_is_log_scaled_and_follows_the_calculator(tab: SpecsTab) -> None:
    chart = tab.sizes_chart
    for arch, bar in chart.bars.items():
        sizes = [s for s in chart.sizes if s.arch == arch]
        expected = [math.log10(s.params) - chart.LOG_FLOOR for s in sizes]
        assert list(bar.opts["width"]) == pytest.approx(expected)
    assert chart.bar_labels()[-1] == " 405,853,388,800"
    assert [s.label for s in chart.sizes][:: len(chart.sizes) - 1] == [
        "BERT-base",
        "Llama 3.1 405B",
    ]
    choose_preset(tab, "gpt-3")
    gpt = [s.preset for s in chart.sizes if s.arch == "gpt"]
    widths = [p.widthF() for p in chart.bars["gpt"].opts["pens"]]
    assert widths[gpt.index("gpt-3")] > max(w for i, w in enumerate(widths) if gpt[i] != "gpt-3")


def test_attention_plot_marks_bert_schedule_and_its_saving(tab: SpecsTab) -> None:
    tab.pages.setCurrentIndex(3)
    panel = tab.attention
    xs, ys = panel.quadratic_curve.getData()
    series = attention_series(768, 12, max_len=1024, step=8)
    assert list(xs) == list(series.lengths)
    assert list(ys) == pytest.approx([q / 1e9 for q in series.quadratic])
    _, lin = panel.linear_curve.getData()
    assert list(lin) == pytest.approx([v / 1e9 for v in series.linear])
    assert (panel.short_line.value(), panel.long_line.value()) == (128, 512)
    assert "saving of <b>69.2%</b>" in panel.saving.text()
    assert "4,608 tokens" in panel.saving.text()
    panel.short_len.setValue(1024)  # longer than the long length: a calm message, no plot change
    assert panel.error.isVisibleTo(tab) and "must be below" in panel.error.text()
    panel.short_len.setValue(128)
    assert not panel.error.isVisibleTo(tab)


def test_run_example_and_state_round_trip(tab: SpecsTab, qtbot: QtBot, tmp_path: Path) -> None:
    choose_preset(tab, "llama-3.1-70b")
    tab.select_table("benchmarks")
    tab.pages.setCurrentIndex(2)
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    settings.beginGroup(SpecsTab.SETTINGS_GROUP)
    tab.save_state(settings)
    other = SpecsTab()
    qtbot.addWidget(other)
    other.restore_state(settings)
    assert other.calculator.current_preset() == "llama-3.1-70b"
    assert other.current_table.id == "benchmarks"
    assert other.page() == "sizes"
    with qtbot.waitSignal(other.result_shown, timeout=1000):
        other.run_example()
    assert other.calculator.current_preset() == "bert-base"
    assert other.current_table.id == "llm_landscape"
    assert "the slide says" in other.cell_info.text()


def test_custom_sizes_survive_a_restart(tab: SpecsTab, qtbot: QtBot, tmp_path: Path) -> None:
    retype(qtbot, tab.calculator.fields["layers"], "6")
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    tab.save_state(settings)
    other = SpecsTab()
    qtbot.addWidget(other)
    other.restore_state(settings)
    assert other.calculator.current_preset() is None
    assert other.calculator.total_label.text() == tab.calculator.total_label.text()


def test_plot_pages_are_made_when_first_shown(qtbot: QtBot, show: Any, tmp_path: Path) -> None:
    """Opening the tab builds no plot; a restored state reaches a page made later, and a page
    never opened saves what was restored."""
    saved = SpecsTab()
    qtbot.addWidget(saved)
    choose_preset(saved, "gpt-2-xl")
    saved.attention.short_len.setValue(256)
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    saved.save_state(settings)
    tab = show(SpecsTab())
    tab.set_zoom(1.5)
    tab.restore_state(settings)
    assert tab.findChildren(pg.PlotWidget) == []
    remembered = tab.settings()
    assert tab.findChildren(pg.PlotWidget) == []
    assert remembered.attention == saved.settings().attention
    assert remembered.attention["short_len"] == 256 and remembered.preset == "gpt-2-xl"
    tab.pages.setCurrentIndex(2)  # Model sizes: made now, highlighting the restored preset
    assert len(tab.findChildren(pg.PlotWidget)) == 1
    assert tab.sizes_chart.highlighted == "gpt-2-xl"
    assert tab.calculator.current_preset() == "gpt-2-xl"
    assert tab.attention.short_len.value() == 256
    zoomed = tab.sizes_chart.plot_item.getAxis("bottom").labelStyle["font-size"]
    assert zoomed == saved.sizes_chart.plot_item.getAxis("bottom").labelStyle["font-size"].replace(
        "11.0", "16.5"
    )  # the zoom set before it was made


def test_zoom_scales_plot_text(tab: SpecsTab) -> None:
    axis = tab.sizes_chart.plot_item.getAxis("bottom")
    before = axis.style["tickFont"].pointSizeF()
    tab.set_zoom(2.0)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(2 * before)
    assert axis.labelStyle["font-size"] == "22.0pt"


def test_every_control_is_reachable_and_named(tab: SpecsTab) -> None:
    kinds = (QComboBox, QCheckBox, QSpinBox, QPushButton, QAbstractItemView, IntField)
    for page in range(tab.pages.count()):
        tab.pages.setCurrentIndex(page)
        for widget in tab.findChildren(QWidget):
            if not isinstance(widget, kinds) or not widget.isVisibleTo(tab):
                continue
            if isinstance(widget, QHeaderView) or isinstance(widget.parent(), QComboBox):
                continue  # headers (reached through their view) and a combo's popup list
            assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget
            assert widget.accessibleName() or widget.text(), widget  # type: ignore[attr-defined]
            assert widget.toolTip() or isinstance(widget, QAbstractItemView), widget
    total = count_params("bert", layers=12, hidden=768, heads=12, ffn=3072, vocab=30522).total
    assert tab.calculator.total_label.text() == f"{total:,} parameters"
