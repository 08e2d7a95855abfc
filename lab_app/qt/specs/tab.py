"""The "Model specs" tab: the lecture's tables with a source for every cell and the slides'
slips corrected, a parameter calculator that recomputes them, model sizes on a log scale, and
why BERT trained mostly on short sequences.

Four views of one topic, each a page: tables, calculator (with training compute), sizes,
attention cost. Everything is instant, so nothing here needs the runner.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.io.export import csv_text
from lab_app.core.settings import load_state, read, save_state
from lab_app.core.specs.lab import describe_cell, model_sizes
from lab_app.core.specs.params import PRESETS
from lab_app.core.specs.tables import SpecTable, load_tables, table_to_csv
from lab_app.qt.shell.lazy_tabs import LazyTabs
from lab_app.qt.shell.tab import LabTab, preview
from lab_app.qt.shell.tab_header import export_via_dialog, lab_header
from lab_app.qt.specs.attention import AttentionPanel
from lab_app.qt.specs.calculator import CalculatorPanel
from lab_app.qt.specs.plots import LabPlot, SizesChart
from lab_app.qt.specs.table_view import CORRECTION_MARK, SpecTableView

PAGES = ("tables", "calculator", "sizes", "attention")
PLOT_FILTERS = "PNG image (*.png);;SVG image (*.svg);;CSV table (*.csv)"
TABLE_FILTERS = "CSV table (*.csv)"
EXAMPLE_TABLE = "llm_landscape"
EXAMPLE_PRESET = "bert-base"


@dataclass
class SpecsSettings:
    """What the tab remembers between sessions (QSettings group "specs", schema 1)."""

    page: str = "tables"
    table: str = EXAMPLE_TABLE
    preset: str = EXAMPLE_PRESET
    arch: str = "bert"
    custom: dict[str, Any] = field(default_factory=dict)
    """The form's fields when no preset matches them."""
    tokens: str = ""
    attention: dict[str, int] = field(default_factory=dict)

    def save(self, settings: QSettings) -> None:
        save_state(settings, self)

    @classmethod
    def load(cls, settings: QSettings) -> SpecsSettings:
        """Read back what :meth:`save` wrote; anything unreadable keeps its default."""
        return load_state(cls, settings)


class SpecsTab(LabTab):
    """Tables, calculator, sizes and attention cost, one page each."""

    SETTINGS_GROUP = "specs"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tables: list[SpecTable] = load_tables()
        self.current_table: SpecTable = self.tables[0]

        intro = QLabel(
            "The lecture's model tables with a source for every number, corrected where the "
            "slides slipped, and a calculator that recomputes the parameter counts."
        )
        intro.setWordWrap(True)
        # Named for what it shows (it said "BERT-base vs GPT-3" and showed no comparison).
        header = lab_header(
            intro,
            "Example: a slip on the slide",
            "The LLM landscape table with the slide's GPT-3 slip selected and its source; "
            "BERT-base loaded in the calculator",
            "This page's plot as PNG or SVG, or its table as CSV",
        )
        self.example_button, self.export_button = header.example_button, header.export_button
        self.message = header.message
        self.example_button.clicked.connect(self.run_example)
        self.export_button.clicked.connect(self._export_dialog)

        # The plot pages are made when first shown (three plots cost ~60 ms on the GUI thread);
        # until then ``_state`` holds what they would show.
        self._state = SpecsSettings()
        self._zoom = 1.0
        self.pages = LazyTabs()
        self.pages.setAccessibleName("Model specs views")
        self.pages.addTab(self._build_tables_page(), "Tables")
        self._calculator = self.pages.add_lazy("Parameters && compute", self._make_calculator)
        self._sizes = self.pages.add_lazy("Model sizes", self._make_sizes)
        self._attention = self.pages.add_lazy("Attention cost", self._make_attention)
        self.pages.currentChanged.connect(lambda _: self._clear_message())

        layout = QVBoxLayout(self)
        layout.addLayout(header.layout)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        self.message.hide()

        self.table_list.setCurrentRow(0)
        self.result_shown.emit()

    # -- pages made on first show ------------------------------------------------------------------
    @property
    def calculator(self) -> CalculatorPanel:
        return self._calculator.get()

    @property
    def sizes_chart(self) -> SizesChart:
        return self._sizes.get()

    @property
    def attention(self) -> AttentionPanel:
        return self._attention.get()

    def _make_calculator(self) -> CalculatorPanel:
        calc = CalculatorPanel()
        _restore_calculator(calc, self._state)
        calc.set_zoom(self._zoom)
        calc.recomputed.connect(self._calculated)
        return calc

    def _make_sizes(self) -> SizesChart:
        chart = SizesChart(model_sizes())
        chart.set_zoom(self._zoom)
        chart.highlight(self._preset())
        return chart

    def _make_attention(self) -> AttentionPanel:
        panel = AttentionPanel()
        if self._state.attention:
            panel.restore(self._state.attention)
        panel.set_zoom(self._zoom)
        return panel

    def _preset(self) -> str | None:
        calc = self._calculator.peek()
        return calc.current_preset() if calc is not None else (self._state.preset or None)

    def _build_tables_page(self) -> QWidget:
        self.table_list = QListWidget()
        self.table_list.setAccessibleName("Tables")
        self.table_list.setToolTip("Pick one of the lecture's tables")
        self.table_list.setWordWrap(True)  # long titles wrap: no sideways scroll
        self.table_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table_list.setResizeMode(QListView.ResizeMode.Adjust)
        for table in self.tables:
            fixes = len(table.corrections())
            suffix = f"  ({fixes} correction{'s' * (fixes != 1)})" if fixes else ""
            self.table_list.addItem(table.title + suffix)
        self.table_list.currentRowChanged.connect(self._table_chosen)
        self.table_title = QLabel()
        self.table_title.setWordWrap(True)
        self.view = SpecTableView()
        self.view.selectionModel().currentChanged.connect(self._cell_chosen)
        self.view.doubleClicked.connect(self._row_opened)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.legend = QLabel(
            f"Cells marked “{CORRECTION_MARK.strip()}” on an orange background were wrong on the "
            "slide: the correct value is shown. Click a column header to sort; Ctrl+C copies "
            "the selected cells."
        )
        self.legend.setWordWrap(True)
        self.cell_info = QLabel()
        self.cell_info.setWordWrap(True)
        self.cell_info.setAccessibleName("Selected cell and its source")
        self.cell_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table_title)
        column.addWidget(self.view, 1)
        column.addWidget(self.cell_info)
        column.addWidget(self.table_note)
        column.addWidget(self.legend)
        splitter = QSplitter()
        splitter.addWidget(self.table_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([330, 900])
        return splitter

    # -- tables --------------------------------------------------------------------------------
    def select_table(self, table_id: str) -> None:
        for i, table in enumerate(self.tables):
            if table.id == table_id:
                self.table_list.setCurrentRow(i)
                return

    def _table_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.tables):
            return
        table = self.current_table = self.tables[row]
        self.view.set_table(table)
        self.table_title.setText(f"<b>{table.title}</b> — slide “{table.slide}”")
        note = table.note or ""
        if table.id == "benchmarks":
            note += " Double-click a row to run it in the Benchmarks lab."
        self.table_note.setText(note.strip())
        self.table_note.setVisible(bool(note))
        self.cell_info.setText("Select a cell to see its value's source here.")

    def _cell_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        cell = self.view.cell_at(current)
        heading = self.view.model().headerData(current.column(), Qt.Orientation.Horizontal)
        label = self.view.cell_at(current.siblingAtColumn(0)).display
        self.cell_info.setText(f"{label} · {heading}: {describe_cell(cell)}")

    def _row_opened(self, index: QModelIndex) -> None:
        """A benchmark's row opens the Benchmarks lab's page that runs it."""
        if self.current_table.id == "benchmarks" and index.isValid():
            self.open_lab.emit("bench", str(self.view.cell_at(index.siblingAtColumn(0)).value))

    def select_cell(self, row: int, column: int) -> None:
        """Make a cell (in the shown order) current, so its source appears under the table."""
        index = self.view.model().index(row, column)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    # -- calculator ----------------------------------------------------------------------------
    def _calculated(self) -> None:
        chart = self._sizes.peek()  # a chart made later highlights the preset then
        if chart is not None:
            chart.highlight(self._preset())
        self.result_shown.emit()

    # -- hooks ---------------------------------------------------------------------------------
    def page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def run_example(self) -> None:
        """BERT-base in the calculator and the LLM landscape table with a correction selected."""
        self.calculator.set_preset(EXAMPLE_PRESET)
        self.select_table(EXAMPLE_TABLE)
        self.pages.setCurrentIndex(PAGES.index("tables"))
        fixes = self.current_table.corrections()
        if fixes:
            row, column, _ = fixes[0]
            self.select_cell(row, column)
        self.result_shown.emit()

    def run_current(self) -> None:
        """Show the page shown now for what its fields hold: the calculator and the attention
        cost are recomputed (instant), the tables and the sizes are drawn already."""
        page = self.page()
        if page == "calculator":
            self.calculator.recompute()  # its ``recomputed`` ends in result_shown
            return
        if page == "sizes":
            self.sizes_chart.highlight(self._preset())
        elif page == "attention":
            self.attention.recompute()
        self.result_shown.emit()

    def current_plot(self) -> LabPlot | None:
        page = self.page()
        if page == "calculator":
            return self.calculator.chart
        if page == "sizes":
            return self.sizes_chart
        return self.attention.plot if page == "attention" else None

    def export_filters(self) -> str:
        return TABLE_FILTERS if self.current_plot() is None else PLOT_FILTERS

    def export_to(self, path: Path) -> None:
        """CSV: the table shown on this page; PNG/SVG: the plot shown on this page."""
        suffix = path.suffix.lower()
        if suffix == ".csv":
            path.write_text(self._csv(), encoding="utf-8")
        elif suffix in (".png", ".svg"):
            plot = self.current_plot()
            if plot is None:
                raise UserError("the Tables page has no plot: export it as CSV, or open a plot")
            plot.export(path)
        else:
            raise UserError(f"export as .csv, .png or .svg, not '{suffix or path.name}'")
        self.status_changed.emit(f"Exported {path}")

    def _csv(self) -> str:
        page = self.page()
        if page == "calculator":
            return self.calculator.breakdown_csv()
        if page == "sizes":
            rows = [(s.label, s.arch, s.params) for s in self.sizes_chart.sizes]
            return csv_text(("model", "architecture", "parameters"), rows)
        if page == "attention":
            return self.attention.to_csv()
        return table_to_csv(self.current_table, sources=True)

    def _export_dialog(self) -> None:
        name = self.current_table.id if self.page() == "tables" else f"specs_{self.page()}"
        export_via_dialog(self, name, self.export_filters(), self.export_to, self.message)

    def _clear_message(self) -> None:
        self.message.hide()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        for page in (self._calculator, self._sizes, self._attention):
            made = page.peek()
            if made is not None:
                made.set_zoom(factor)
        self.view.resizeColumnsToContents()
        self.view.resizeRowsToContents()

    def settings(self) -> SpecsSettings:
        """The tab's state as a small typed object (saved, restored, tested)."""
        calc, panel, base = self._calculator.peek(), self._attention.peek(), self._state
        preset, arch, custom, tokens = base.preset, base.arch, dict(base.custom), base.tokens
        if calc is not None:
            preset, arch, tokens = calc.current_preset() or "", calc.arch(), calc.tokens.text()
            custom = {}
            if not preset:
                custom = {k: f.text() for k, f in calc.fields.items()}
                custom.update({k: b.isChecked() for k, b in calc.flags.items()})
        return SpecsSettings(
            page=self.page(),
            table=self.current_table.id,
            preset=preset,
            arch=arch,
            custom=custom,
            tokens=tokens,
            attention=panel.state() if panel is not None else dict(base.attention),
        )

    def apply_settings(self, state: SpecsSettings) -> None:
        """Restore ``state``; a page not made yet takes its part when it is made."""
        self._state = state
        calc, panel = self._calculator.peek(), self._attention.peek()
        if calc is not None:
            _restore_calculator(calc, state)
        if panel is not None and state.attention:
            panel.restore(state.attention)
        self.select_table(state.table)
        if state.page in PAGES:
            self.pages.setCurrentIndex(PAGES.index(state.page))

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        self.settings().save(settings)

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) == self.SCHEMA:
            self.apply_settings(SpecsSettings.load(settings))


def _restore_calculator(calc: CalculatorPanel, state: SpecsSettings) -> None:
    if state.preset in PRESETS:
        calc.set_preset(state.preset)
    elif state.arch in ("bert", "gpt", "llama"):
        calc.arch_combo.setCurrentIndex(calc.arch_combo.findData(state.arch))
        for key, value in state.custom.items():
            if key in calc.fields:
                calc.fields[key].setText(str(value))
            elif key in calc.flags:
                calc.flags[key].setChecked(value in (True, "true"))
    calc.tokens.setText(state.tokens)


if __name__ == "__main__":
    sys.exit(preview(SpecsTab))
