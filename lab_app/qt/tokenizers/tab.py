"""The Tokenizers lab: WordPiece, BPE and SentencePiece cut the same text, side by side.

Input and examples on top; below, pages for the live comparison, corpus mode, training your own
tokenizers, BPE merge replay, and the explanations. The tokenizers load off the GUI thread;
typing is debounced and every cut runs on the tab's runner, so 1 MB of text keeps the window
responsive. Selecting (or hovering) part of the input lights up the chips in every column that
cover it; hovering a chip lights up its span in the input and in the other columns.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.models.store import ModelStore, open_store
from lab_app.core.models.tokenizer_specs import BUILTIN_TOKENIZERS
from lab_app.core.progress import Progress
from lab_app.core.settings import read
from lab_app.core.tokenizers.stats import (
    Comparison,
    Cut,
    LabTokenizer,
    load_lab_tokenizers,
    stats_csv,
)
from lab_app.core.tokenizers.train import TrainedTokenizers
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.lazy_tabs import LazyTabs
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.style import TOKENIZER_COLOURS
from lab_app.qt.shell.tab import LabTab, example_row, preview
from lab_app.qt.shell.text_edit import GuardedTextEdit
from lab_app.qt.tokenizers.bpe_replay_panel import ReplayPanel
from lab_app.qt.tokenizers.chips import Chip, LiveResult, TokenColumn, live_job
from lab_app.qt.tokenizers.corpus_panel import CorpusPanel
from lab_app.qt.tokenizers.highlight import SpanHighlighter
from lab_app.qt.tokenizers.notes import EXAMPLES, EXPLANATIONS_HTML
from lab_app.qt.tokenizers.train_panel import TrainPanel

PAGES = ("Compare", "Corpus", "Train your own", "Merge replay", "How they work")
_LONG_TEXT = 50_000  # characters from which the live cut shows a progress bar
_BANNER = "background:#FFF4D6; color:#5C4400; border:1px solid #E6C35C; padding:8px;"


def _notes() -> QTextBrowser:
    notes = QTextBrowser()
    notes.setAccessibleName("How the three tokenizers work")
    notes.setHtml(EXPLANATIONS_HTML)
    return notes


def _load_job(report: Progress, store: ModelStore) -> list[LabTokenizer]:
    return load_lab_tokenizers(store)


class TokenizersTab(LabTab):
    SETTINGS_GROUP = "tokenizers"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(
        self, store: ModelStore | Path | str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if isinstance(store, ModelStore):
            self._store = store
        else:
            self._store = open_store(None if store is None else str(store))
        self.tokenizers: list[LabTokenizer] = []
        self.trained: TrainedTokenizers | None = None
        self.comparison: Comparison | None = None
        self._cuts: tuple[list[Cut], list[Cut], str, list[list[Chip]]] = ([], [], "", [])
        self._vocab = 1000  # the training page's, until that page is made
        self._announcing: tuple[SignalInstance, Callable[[], None]] | None = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(_BANNER)
        self.banner.setAccessibleName("Tokenizers message")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)
        self.editor = GuardedTextEdit()
        self.editor.long_text_pasted.connect(self._long_text)
        self.editor.setAccessibleName("Text to tokenize")
        self.editor.setPlaceholderText("Type a sentence, or pick an example below.")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.editor.preferred_lines = 3  # the chips below get the room (a projector's zoom)
        self.highlight = SpanHighlighter(self.editor, self._all_columns, self)
        examples, self.example_buttons = example_row("Examples:", EXAMPLES, self.set_text)

        compare_page = QWidget()
        cols = QHBoxLayout()
        self.columns: list[TokenColumn] = []
        for name, spec in BUILTIN_TOKENIZERS.items():
            col = TokenColumn(name, TOKENIZER_COLOURS[name], f"{spec.algorithm} · {spec.model}")
            self.highlight.watch(col)
            cols.addWidget(col)
            self.columns.append(col)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Comparison note")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Tokenizing progress")
        self.progress.setVisible(False)
        page_lay = QVBoxLayout(compare_page)
        page_lay.addLayout(cols, 1)
        page_lay.addWidget(self.progress)
        page_lay.addWidget(self.note)

        self.corpus = CorpusPanel(lambda: list(self.tokenizers))
        self.replay = ReplayPanel()
        self.pages = LazyTabs()
        self.pages.setAccessibleName("Tokenizers lab pages")
        self.pages.addTab(compare_page, PAGES[0])
        self.pages.addTab(self.corpus, PAGES[1])
        # Made when first shown: its nine chip columns and lists cost ~25 ms at every first open.
        self._train = self.pages.add_lazy(PAGES[2], self._make_train_panel)
        self._train.when_made(lambda _: self.highlight.show_selection())  # its columns lit too
        self.pages.addTab(self.replay, PAGES[3])
        self.pages.add_lazy(PAGES[4], _notes)

        lay = QVBoxLayout(self)
        lay.addWidget(self.banner)
        lay.addWidget(self.editor)
        lay.addLayout(examples)
        lay.addWidget(self.pages, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.rerun)
        self.editor.textChanged.connect(self._timer.start)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.runner.progress_changed.connect(self._on_progress)
        self.runner.busy_changed.connect(self._on_busy)
        self.corpus.status_changed.connect(self.status_changed)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.run_current_page)

        self._loader = Runner(self)
        self._loader.result_ready.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)
        self._loader.start(_load_job, self._store)
        self._show_empty()

    @property
    def train_panel(self) -> TrainPanel:
        return self._train.get()

    def _make_train_panel(self) -> TrainPanel:
        panel = TrainPanel(self.editor.toPlainText)
        for col in panel.real + panel.trained:
            self.highlight.watch(col)
        panel.trained_changed.connect(self._on_trained)
        panel.vocab.setValue(self._vocab)
        panel.show_cuts(*self._cuts)
        return panel

    def _show_cuts(
        self, real: list[Cut], trained: list[Cut], text: str, chips: list[list[Chip]]
    ) -> None:
        """The training page's columns: drawn now if it is made, else when it first shows."""
        self._cuts = (real, trained, text, chips)
        if (panel := self._train.peek()) is not None:
            panel.show_cuts(*self._cuts)

    def store_changed(self) -> None:
        """Models were built or imported (the first-start build, say): load the tokenizers again,
        so "No tokenizers yet" never outlives the build that made them."""
        self.banner.setVisible(False)
        self._loader.start(_load_job, self._store)

    # -- text and runs ---------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        if self.editor.set_text_guarded(text):
            self.rerun()

    def _long_text(self, text: str) -> None:
        """A paste too long for the live view goes to corpus mode, which counts all of it."""
        self.pages.setCurrentWidget(self.corpus)
        self.corpus.load_text(text)
        self.status_changed.emit(
            f"A pasted text of {len(text):,} characters is too long for the live chips (up to "
            f"{self.editor.limit:,}, lines up to {self.editor.line_limit:,}): Corpus mode counts "
            "all of it. The text box is unchanged."
        )

    def text(self) -> str:
        return self.editor.toPlainText()

    def run_example(self) -> None:
        self.set_text(EXAMPLES[0][1])

    @property
    def loaded(self) -> bool:
        return bool(self.tokenizers)

    def rerun(self) -> None:
        """Cut the current text now (the debounce timer, Ctrl+Enter and the examples land here)."""
        self._timer.stop()
        if not self.tokenizers:
            return
        text = self.text()
        if not text:
            self.runner.cancel()
            self._show_empty()
            self.result_shown.emit()
            return
        extra = self.trained.tokenizers if self.trained else []
        self.runner.start(live_job, [*self.tokenizers, *extra], text)

    def run_current_page(self) -> None:
        page = self.pages.currentIndex()
        if page == 1:
            self.corpus.rerun()
        elif page == 2:
            self.train_panel.train()
        elif page == 3:
            self.replay.run()
        else:
            self.rerun()

    def run_current(self) -> None:
        """Ctrl+Enter's run of the page shown, ending in ``result_shown``: the panels' own
        ``shown`` is passed on once. The notes, and a corpus page with nothing loaded, have
        nothing to compute."""
        page = self.pages.currentIndex()
        if page == 1 and self.corpus.counted:
            self._announce_once(self.corpus.shown)
        elif page == 3:
            self._announce_once(self.replay.shown)
        elif page in (1, 4):
            self.result_shown.emit()
            return
        # Compare, and training (whose result re-cuts the text): the tab's own result_shown.
        self.run_current_page()

    def _announce_once(self, shown: SignalInstance) -> None:
        """Emit ``result_shown`` the next time a panel's ``shown`` fires (once: the panels' later
        redraws are not the tab's results)."""
        if self._announcing is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._announcing[0].disconnect(self._announcing[1])

        def fire() -> None:
            self._announcing = None
            with contextlib.suppress(RuntimeError, TypeError):
                shown.disconnect(fire)
            self.result_shown.emit()

        self._announcing = (shown, fire)
        shown.connect(fire)

    def _show_empty(self) -> None:
        self.comparison = None
        hint = "Type above or pick an example: the chips appear here."
        for col in self.columns:
            col.set_cut(None, "", hint)
        self._show_cuts([], [], "", [])
        self.note.setText("")

    # -- results ---------------------------------------------------------------------------------
    def _on_loaded(self, toks: object) -> None:
        assert isinstance(toks, list)
        self.tokenizers = toks
        for col, tok in zip(self.columns, toks, strict=True):
            col.set_title(f"{tok.label} · vocabulary {tok.vocab_size:,}")
        self.replay.set_tokenizers(toks[1], None)
        self.status_changed.emit("Tokenizers loaded.")
        self.rerun()

    def _on_load_failed(self, exc: object) -> None:
        msg = describe(exc, "Loading the tokenizers")
        self.banner.setText(msg)
        self.banner.setVisible(True)
        for col in self.columns:
            col.set_cut(None, "", "No tokenizers yet: run `bert-lab models build` once.")
        self.result_shown.emit()

    def _on_failed(self, exc: object) -> None:
        self.note.setText(f"<span style='color:#C0392B'>{describe(exc, 'Cutting the text')}</span>")

    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy and len(self.text()) > _LONG_TEXT)
        if busy:
            self.progress.setRange(0, 0)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_result(self, live: object) -> None:
        assert isinstance(live, LiveResult)
        self.comparison = result = live.comparison
        real, trained = result.cuts[:3], result.cuts[3:]
        for col, cut, chips in zip(self.columns, real, live.chips, strict=False):
            col.set_cut(cut, result.text, chips=chips)
        self._show_cuts(real, trained, result.text, live.chips)
        self.note.setText(" ".join(result.notes))
        self.highlight.show_selection()
        counts = " · ".join(f"{c.tokenizer.algorithm} {c.stats.tokens:,}" for c in real)
        self.status_changed.emit(f"Tokens: {counts}")
        self.result_shown.emit()

    def _on_trained(self, trained: object) -> None:
        assert isinstance(trained, TrainedTokenizers)
        self.trained = trained
        self.replay.set_tokenizers(
            self.tokenizers[1] if self.tokenizers else None, trained.tokenizers[1]
        )
        self.rerun()

    # -- highlighting ----------------------------------------------------------------------------
    def _all_columns(self) -> list[TokenColumn]:
        panel = self._train.peek()
        return self.columns + (panel.real + panel.trained if panel is not None else [])

    # -- LabTab hooks ----------------------------------------------------------------------------
    def export_filters(self) -> str:
        filters = []
        if self.comparison is not None or self.corpus.result is not None:
            filters.append("CSV table (*.csv)")
        if self.corpus.result is not None:
            filters += ["PNG image (*.png)", "SVG image (*.svg)"]
        return ";;".join(filters)

    def export_to(self, path: Path) -> None:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in (".png", ".svg"):
            if self.corpus.result is None:
                raise UserError("Load a text in corpus mode first: the histogram is exported.")
            self.corpus.export_image(path)
        elif suffix == ".csv":
            path.write_text(self.table_csv(), encoding="utf-8", newline="")
        else:
            raise UserError(f"Export as .csv, .png or .svg, not '{suffix or path.name}'.")

    def table_csv(self) -> str:
        """The corpus table on the corpus page (or when there is no live text), else the counts."""
        use_corpus = self.corpus.result is not None and (
            self.pages.currentIndex() == 1 or self.comparison is None
        )
        if use_corpus and self.corpus.result is not None:
            return self.corpus.result.csv()
        if self.comparison is None:
            raise UserError("Type a text or load a corpus first; there are no counts yet.")
        cuts: list[Cut] = self.comparison.cuts
        rows = [(c.tokenizer, c.stats) for c in cuts]
        return stats_csv(rows, {"text": self.comparison.text[:500]})

    def set_zoom(self, factor: float) -> None:
        self.corpus.set_zoom(factor)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        settings.setValue("text", self.text()[:20_000])
        settings.setValue("page", self.pages.currentIndex())
        panel = self._train.peek()
        settings.setValue("vocab_size", panel.vocab.value() if panel is not None else self._vocab)
        settings.setValue("replay_word", self.replay.word.text())

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) != self.SCHEMA:
            return
        self.pages.setCurrentIndex(read(settings, "page", 0))
        self._vocab = read(settings, "vocab_size", 1000)
        if (panel := self._train.peek()) is not None:
            panel.vocab.setValue(self._vocab)
        self.replay.word.setText(read(settings, "replay_word", "tokenization"))
        self.set_text(read(settings, "text", ""))


if __name__ == "__main__":
    sys.exit(preview(TokenizersTab))
