"""The Pre-training tab: from word2vec to BERT, the lecture's first slide made runnable.

Four pages: the lineage (the slide, corrected: only BERT is trained with MLM), static word
vectors (neighbours, analogies, a map, and training new ones for the session), one word in many
contexts (a store encoder's contextual vectors), and sentence similarity three ways. Every load,
training run and encoder call happens in the pages' runners; the pages after the first are made
when first shown, so the tab opens at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lab_app.core.errors import UserError
from lab_app.core.io.export import csv_text
from lab_app.core.pretrain import jobs
from lab_app.core.settings import load_state, read, save_state
from lab_app.qt.pretrain.context_page import ContextPage
from lab_app.qt.pretrain.lineage_page import LineagePage
from lab_app.qt.pretrain.live_page import LivePage, LossPlot
from lab_app.qt.pretrain.sentences_page import SentencesPage
from lab_app.qt.pretrain.views import WordMap
from lab_app.qt.pretrain.words_page import WordsPage
from lab_app.qt.shell.lazy_tabs import Deferred, LazyTabs
from lab_app.qt.shell.plot_export import PLOT_FILTERS
from lab_app.qt.shell.tab import LabTab, preview
from lab_app.qt.shell.tab_header import export_via_dialog, lab_header

PAGES = ("lineage", "words", "context", "sentences", "live")
CSV_FILTER = "CSV table (*.csv)"

QueryPage = WordsPage | ContextPage | SentencesPage | LivePage


@dataclass
class PretrainSettings:
    """What the tab remembers between sessions (QSettings group "pretrain", schema 1)."""

    page: str = "lineage"
    words: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    sentences: dict[str, str] = field(default_factory=dict)
    live: dict[str, str] = field(default_factory=dict)


class PretrainTab(LabTab):
    """Lineage, word vectors, words in context, sentence similarity: one page each."""

    SETTINGS_GROUP = "pretrain"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._state = PretrainSettings()
        self._zoom = 1.0
        intro = QLabel(
            "From word2vec to BERT: one fixed vector per word, then a vector per word in its "
            "sentence, then vectors for whole sentences."
        )
        intro.setWordWrap(True)
        # Short: at a classroom zoom the whole analogy on the button pushed the tab past the window.
        header = lab_header(
            intro, "Example: king", "The neighbours of king, and man : king :: woman : ?",
            "This page's table as CSV, or its map as PNG or SVG",
        )  # fmt: skip
        self.example_button, self.export_button = header.example_button, header.export_button
        self.message = header.message
        self.example_button.clicked.connect(self.run_example)
        self.export_button.clicked.connect(self._export_dialog)

        self.pages = LazyTabs()
        self.pages.setAccessibleName("Pre-training pages")
        self.lineage = LineagePage()
        self.lineage.open_page.connect(self.open_page)
        self.pages.addTab(self.lineage, "Lineage")
        self._words: Deferred[WordsPage] = self.pages.add_lazy("Word vectors", self._make_words)
        self._context: Deferred[ContextPage] = self.pages.add_lazy(
            "One word, many contexts", self._make_context
        )
        self._sentences: Deferred[SentencesPage] = self.pages.add_lazy(
            "Sentence similarity", self._make_sentences
        )
        self._live: Deferred[LivePage] = self.pages.add_lazy("Pre-train live", self._make_live)
        self.pages.currentChanged.connect(lambda _: self.message.hide())
        layout = QVBoxLayout(self)
        layout.addLayout(header.layout)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.run_page)

    # -- pages made on first show --------------------------------------------------------------
    def _wire(self, page: QueryPage) -> None:
        page.answered.connect(self.result_shown)
        page.status.connect(self.status_changed)
        if isinstance(page, WordsPage | ContextPage):
            page.set_zoom(self._zoom)

    def _make_words(self) -> WordsPage:
        page = WordsPage()
        if self._state.words:
            page.restore(self._state.words)
        self._wire(page)
        return page

    def _make_context(self) -> ContextPage:
        page = ContextPage(self._store)
        if self._state.context:
            page.restore(self._state.context)
        self._wire(page)
        return page

    def _make_sentences(self) -> SentencesPage:
        page = SentencesPage(self._store)
        if self._state.sentences:
            page.restore(self._state.sentences)
        self._wire(page)
        return page

    def _make_live(self) -> LivePage:
        page = LivePage(self._store)
        if self._state.live:
            page.restore(self._state.live)
        self._wire(page)
        return page

    @property
    def live(self) -> LivePage:
        return self._live.get()

    @property
    def words(self) -> WordsPage:
        return self._words.get()

    @property
    def context(self) -> ContextPage:
        return self._context.get()

    @property
    def sentences(self) -> SentencesPage:
        return self._sentences.get()

    def page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def open_page(self, name: str) -> None:
        self.pages.setCurrentIndex(PAGES.index(name))

    def current(self) -> QueryPage | LineagePage:
        page = self.page()
        if page == "words":
            return self.words
        if page == "context":
            return self.context
        if page == "live":
            return self.live
        return self.sentences if page == "sentences" else self.lineage

    def run_page(self) -> None:
        """Ctrl+Enter: the current page's query (the lineage opens its selected row's page)."""
        page = self.current()
        if isinstance(page, LineagePage):
            page.open_row(page.table.currentRow())
        else:
            page.run()

    def run_current(self) -> None:
        """The page shown now, on what it holds (Ctrl+Enter's query; Train on the live page,
        which takes a while). The lineage is a table with nothing to compute."""
        page = self.current()
        if isinstance(page, LineagePage):
            self.result_shown.emit()
        else:
            page.run()

    # -- hooks ---------------------------------------------------------------------------------
    def run_example(self) -> None:
        """Every page back to its defaults; the word-vectors page computes "king" and
        man : king :: woman : ?"""
        self._state = PretrainSettings(page="words")
        for deferred in (self._context, self._sentences, self._live):
            made = deferred.peek()
            if made is not None:
                made.fill_example()
        self.open_page("words")
        self.words.fill_example()
        self.words.run()

    def example_variants(self) -> dict[str, Callable[[], None]]:
        """The bank example in context, and the three sentence similarities."""
        return {
            "pretrain_context": self._context_example,
            "pretrain_sentences": self._sentences_example,
            "pretrain_live": self._live_example,
        }

    def _context_example(self) -> None:
        self.open_page("context")
        self.context.fill_example()
        self.context.run()

    def _sentences_example(self) -> None:
        self.open_page("sentences")
        self.sentences.fill_example()
        self.sentences.run()

    def _live_example(self) -> None:
        self.open_page("live")
        self.live.fill_example()
        self.live.run()

    def current_plot(self) -> WordMap | LossPlot | None:
        page = self.page()
        if page == "words":
            return self.words.word_map
        if page == "live":
            return self.live.loss_plot
        return self.context.word_map if page == "context" else None

    def export_filters(self) -> str:
        return CSV_FILTER if self.current_plot() is None else f"{PLOT_FILTERS};;{CSV_FILTER}"

    def export_to(self, path: Path) -> None:
        """CSV: the table on this page; PNG/SVG: the map on this page."""
        suffix = path.suffix.lower()
        if suffix == ".csv":
            header, rows = self.current().csv_rows()
            if not rows:
                raise UserError("this page has no table yet: compute something first")
            path.write_text(csv_text(header, rows), encoding="utf-8")
        elif suffix in (".png", ".svg"):
            plot = self.current_plot()
            if plot is None:
                raise UserError("this page has no map: export it as CSV")
            plot.export(path)
        else:
            raise UserError(f"export as .csv, .png or .svg, not '{suffix or path.name}'")
        self.status_changed.emit(f"Exported {path}")

    def _export_dialog(self) -> None:
        filters = self.export_filters()
        export_via_dialog(self, f"pretrain_{self.page()}", filters, self.export_to, self.message)

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._words.when_made(lambda page: page.set_zoom(factor))
        self._context.when_made(lambda page: page.set_zoom(factor))

    def store_changed(self) -> None:
        self._context.when_made(lambda page: page.reload_models())

    def release(self) -> None:
        jobs.release()

    def settings(self) -> PretrainSettings:
        words, context, sentences, live = (
            d.peek() for d in (self._words, self._context, self._sentences, self._live)
        )
        base = self._state
        return PretrainSettings(
            page=self.page(),
            words=words.state() if words is not None else dict(base.words),
            context=context.state() if context is not None else dict(base.context),
            sentences=sentences.state() if sentences is not None else dict(base.sentences),
            live=live.state() if live is not None else dict(base.live),
        )

    def apply_settings(self, state: PretrainSettings) -> None:
        """Restore ``state``; a page not made yet takes its part when it is made."""
        self._state = state
        for deferred, part in ((self._words, state.words), (self._context, state.context),
                               (self._sentences, state.sentences),
                               (self._live, state.live)):  # fmt: skip
            made = deferred.peek()
            if made is not None and part:
                made.restore(part)
        if state.page in PAGES:
            self.open_page(state.page)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        save_state(settings, self.settings())

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) == self.SCHEMA:
            self.apply_settings(load_state(PretrainSettings, settings))


if __name__ == "__main__":  # pragma: no cover - manual preview
    sys.exit(preview(PretrainTab))
