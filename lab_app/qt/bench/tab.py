"""The Benchmarks tab: what GLUE, SQuAD, HellaSwag, BLEU, ROUGE, METEOR and perplexity measure,
by running them on the lab's own models.

The first page is the lecture's table; each row opens the page that runs it. Pages after the
first are made when first shown, so the tab opens at once, and every model call happens in the
pages' runners.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lab_app.core.bench import jobs
from lab_app.core.bench.overview import PAGE_TITLES
from lab_app.core.errors import UserError
from lab_app.core.io.export import csv_text
from lab_app.core.settings import load_state, read, save_state
from lab_app.qt.bench.choice_page import ChoicePage
from lab_app.qt.bench.glue_page import GluePage
from lab_app.qt.bench.metrics_page import MetricsPage
from lab_app.qt.bench.overview_page import OverviewPage
from lab_app.qt.bench.page import BenchPage
from lab_app.qt.bench.perplexity_page import PerplexityPage
from lab_app.qt.bench.squad_page import SquadPage
from lab_app.qt.shell.lazy_tabs import Deferred, LazyTabs
from lab_app.qt.shell.plot_export import PLOT_FILTERS
from lab_app.qt.shell.tab import LabTab, preview
from lab_app.qt.shell.tab_header import export_via_dialog, lab_header

CSV_FILTER = "CSV table (*.csv)"
#: The pages after the overview, in order, and how each is made.
FACTORIES: dict[str, Callable[[str | None], BenchPage]] = {
    "perplexity": PerplexityPage,
    "metrics": MetricsPage,
    "choice": ChoicePage,
    "squad": SquadPage,
    "glue": GluePage,
}
PAGES = ("overview", *FACTORIES)


@dataclass
class BenchSettings:
    """What the tab remembers between sessions (QSettings group "bench", schema 1): the page
    shown and each page's own inputs."""

    page: str = "overview"
    pages: dict[str, dict[str, str]] = field(default_factory=dict)


class BenchTab(LabTab):
    """The overview table and one page per benchmark or metric."""

    SETTINGS_GROUP = "bench"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._state = BenchSettings()
        intro = QLabel("Benchmarks and metrics, run: what a score counts, and how to fool it.")
        intro.setWordWrap(True)
        header = lab_header(
            intro, "Example", "This page's example, run",
            "This page's table as CSV, or its plot as PNG or SVG",
        )  # fmt: skip
        self.example_button, self.export_button = header.example_button, header.export_button
        self.message = header.message
        self.example_button.clicked.connect(self.run_example)
        self.export_button.clicked.connect(self._export_dialog)

        self.pages = LazyTabs()
        self.pages.setAccessibleName("Benchmark pages")
        self.overview = OverviewPage()
        self.overview.open_page.connect(self.open_page)
        self.pages.addTab(self.overview, PAGE_TITLES["overview"])
        self._deferred: dict[str, Deferred[BenchPage]] = {}
        for name in FACTORIES:
            self._deferred[name] = self.pages.add_lazy(PAGE_TITLES[name], partial(self._make, name))
        self.pages.currentChanged.connect(lambda _: self.message.hide())
        layout = QVBoxLayout(self)
        layout.addLayout(header.layout)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.run_current)

    def _make(self, name: str) -> BenchPage:
        page = FACTORIES[name](self._store)
        saved = self._state.pages.get(name)
        if saved:
            page.restore(saved)
        page.answered.connect(self.result_shown)
        page.status.connect(self.status_changed)
        return page

    def page_widget(self, name: str) -> BenchPage:
        """The page ``name``, made now if it was not yet."""
        return self._deferred[name].get()

    def page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def open_page(self, name: str, choice: str = "") -> None:
        if name not in PAGES:
            return
        self.pages.setCurrentIndex(PAGES.index(name))
        if name != "overview" and choice:
            self.page_widget(name).choose(choice)

    def open_target(self, target: str) -> None:
        """``target``: a row of the benchmark table by name (``SQuAD``, ``BLEU``…)."""
        names = [row.name.lower() for row in self.overview.rows]
        if target.lower() in names:
            index = names.index(target.lower())
            self.overview.table.selectRow(index)
            self.overview.open_row(index)

    def current(self) -> BenchPage | None:
        name = self.page()
        return None if name == "overview" else self.page_widget(name)

    def run_current(self) -> None:
        """The page shown now, on what it holds; on the overview, the selected row's page."""
        page = self.current()
        if page is None:
            self.overview.open_row(self.overview.table.currentRow())
            self.result_shown.emit()
        else:
            page.run()

    # -- hooks ---------------------------------------------------------------------------------
    def run_example(self) -> None:
        """The page shown's example (on the overview, perplexity's), run."""
        if self.page() == "overview":
            self.open_page("perplexity")
        page = self.current()
        assert page is not None
        page.fill_example()
        page.run()

    def example_variants(self) -> dict[str, Callable[[], None]]:
        """Every page but perplexity's, which the tab's own example shows."""
        return {
            f"bench_{name}": partial(self._variant, name)
            for name in FACTORIES
            if name != "perplexity"
        }

    def _variant(self, name: str) -> None:
        self.open_page(name)
        self.run_example()

    def export_filters(self) -> str:
        page = self.current()
        has_plot = page is not None and page.plot() is not None
        return f"{PLOT_FILTERS};;{CSV_FILTER}" if has_plot else CSV_FILTER

    def export_to(self, path: Path) -> None:
        """CSV: this page's table; PNG/SVG: its plot."""
        suffix = path.suffix.lower()
        page = self.current()
        if suffix == ".csv":
            header, rows = page.csv_rows() if page is not None else self.overview.csv_rows()
            if not rows:
                raise UserError("this page has no table yet: run something first")
            path.write_text(csv_text(header, rows), encoding="utf-8")
        elif suffix in (".png", ".svg"):
            plot = page.plot() if page is not None else None
            if plot is None:
                raise UserError("this page has no plot: export it as CSV")
            plot.export(path)
        else:
            raise UserError(f"export as .csv, .png or .svg, not '{suffix or path.name}'")
        self.status_changed.emit(f"Exported {path}")

    def _export_dialog(self) -> None:
        filters = self.export_filters()
        export_via_dialog(self, f"bench_{self.page()}", filters, self.export_to, self.message)

    def release(self) -> None:
        jobs.release()

    def store_changed(self) -> None:
        """Models were built or imported: load afresh, and list the new pair models."""
        jobs.release()
        glue = self._deferred["glue"].peek()
        if isinstance(glue, GluePage):  # a page made later lists the store as it is then
            glue.reload_models()

    def settings(self) -> BenchSettings:
        pages = dict(self._state.pages)
        for name, deferred in self._deferred.items():
            made = deferred.peek()
            if made is not None:
                pages[name] = made.state()
        return BenchSettings(page=self.page(), pages=pages)

    def apply_settings(self, state: BenchSettings) -> None:
        """Restore ``state``; a page not made yet takes its part when it is made."""
        self._state = state
        for name, deferred in self._deferred.items():
            made = deferred.peek()
            part = state.pages.get(name)
            if made is not None and part:
                made.restore(part)
        if state.page in PAGES:
            self.open_page(state.page)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        save_state(settings, self.settings())

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) == self.SCHEMA:
            self.apply_settings(load_state(BenchSettings, settings))


if __name__ == "__main__":  # pragma: no cover - manual preview
    sys.exit(preview(BenchTab))
