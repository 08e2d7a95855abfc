"""The Fill-mask tab: type a sentence with [MASK] and watch BERT fill it, layer by layer.

Input on top (model, sentence, examples, WordPiece chips), the answer below it (bars per mask,
the logit lens, pre-training masking), the lecture's explanation at the bottom. Every prediction
runs on the tab's runner (newest request wins); typing refreshes after a short pause, Enter or
Ctrl+Enter at once. The model's session is created inside the first job that needs it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lab_app.core.errors import UserError
from lab_app.core.fill_mask.jobs import (
    FillMaskState,
    Outcome,
    SessionCache,
    describe_error,
    mlm_entries,
    model_card,
    predict_job,
    top_guesses,
)
from lab_app.core.models.store import Entry, open_store
from lab_app.core.settings import read
from lab_app.qt.fill_mask.answers import AnswerPages
from lab_app.qt.fill_mask.inputs import InputRows
from lab_app.qt.fill_mask.panels import (
    EXPLANATION,
    export_image,
    export_with_dialog,
    guesses_panels,
    result_caption,
    result_csv,
    sentence_chips,
)
from lab_app.qt.shell.flow import ROOM_LINES, Fold
from lab_app.qt.shell.tab import LabTab, preview

log = logging.getLogger(__name__)

EXAMPLES = ("how are [MASK] today?", "she opened the [MASK].", "paris is the capital of [MASK].")
DEBOUNCE_MS = 250
PAGE_GUESSES, PAGE_LAYERS, PAGE_MASKING = range(3)


class FillMaskTab(LabTab):
    SETTINGS_GROUP = "fill_mask"
    RESULT = "stack"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store_override = store
        self._sessions = SessionCache()
        self._entries: dict[str, Entry] = {}
        self.outcome: Outcome | None = None
        self._pending = False
        self._zoom = 1.0
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.predict_now)
        self._build()
        self.reload_models()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        rows = InputRows(EXAMPLES, lambda t: self.set_text(t, now=True))
        self.model_combo, self.model_card = rows.model_combo, rows.model_card
        self.export_button, self.card_fold = rows.export_button, rows.card_fold
        self.sentence, self.predict_button = rows.sentence, rows.predict_button
        self.example_buttons, self.error_label = rows.example_buttons, rows.error_label
        self.chips, self.top_k, self.sequential = rows.chips, rows.top_k, rows.sequential
        self.busy, self.busy_label = rows.busy, rows.busy_label

        self.stack = AnswerPages(self._store_override)
        ui = self.stack
        self.guesses, self.layer_view, self.masking = ui.guesses, ui.layer_view, ui.masking
        self.nsp, self.results, self.empty, self.no_model = (
            ui.nsp,
            ui.results,
            ui.empty,
            ui.no_model,
        )
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setAccessibleName("About masked language modelling")
        self.explanation_fold = Fold(
            "What is masked language modelling?", explanation, room_lines=ROOM_LINES
        )

        layout = QVBoxLayout(self)
        rows.add_to(layout)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.explanation_fold)

        self.export_button.clicked.connect(self._export_dialog)
        self.sentence.long_text_pasted.connect(self._long_text)
        self.sentence.textChanged.connect(self._schedule)
        self.sentence.submitted.connect(self.predict_now)
        self.predict_button.clicked.connect(self.predict_now)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.predict_now)
        self.chips.word_clicked.connect(self.mask_word)
        self.top_k.valueChanged.connect(self._schedule)
        self.sequential.toggled.connect(self.predict_now)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.runner.result_ready.connect(self._show_outcome)
        self.runner.failed.connect(self._show_failure)
        self.runner.busy_changed.connect(self._set_busy)
        self.runner.message_changed.connect(self.busy_label.setText)

    # -- models ------------------------------------------------------------------------------
    def reload_models(self) -> None:
        """List the store's models that have a masked-LM head (cheap: manifests only)."""
        current = self.model_combo.currentText()
        try:
            entries = mlm_entries(open_store(self._store_override))
        except UserError as exc:
            entries = []
            self.status_changed.emit(str(exc))
        self._entries = {e.name: e for e in entries}
        self._sessions.clear()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for entry in entries:
            _line, tip = model_card(entry)
            self.model_combo.addItem(entry.name)
            self.model_combo.setItemData(
                self.model_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        if current in self._entries:
            self.model_combo.setCurrentText(current)
        self.model_combo.blockSignals(False)
        self.model_combo.setEnabled(bool(entries))
        self._model_changed()

    def store_changed(self) -> None:
        self.reload_models()

    def release(self) -> None:
        self._sessions.release()
        self.nsp.release()

    def _model_changed(self) -> None:
        entry = self._entries.get(self.model_combo.currentText())
        if entry is None:
            self.model_card.setText("")
            self.model_combo.setToolTip("")
            self._clear_answer(self.no_model)
            return
        line, tip = model_card(entry)
        self.model_card.setText(line)
        self.model_combo.setToolTip(tip)
        self.predict_now()

    # -- requests ----------------------------------------------------------------------------
    def set_text(self, text: str, now: bool = False) -> None:
        self.sentence.setPlainText(text)
        if now:
            self.predict_now()

    def _schedule(self) -> None:
        self._debounce.start()

    def predict_now(self) -> None:
        """Start a prediction of the current text (the runner drops any older one)."""
        self._debounce.stop()
        model = self.model_combo.currentText()
        if model not in self._entries:
            self._clear_answer(self.no_model)
            return
        text = self.sentence.toPlainText()
        if not text.strip():
            self.runner.cancel()
            self._clear_answer(self.empty)
            return
        if not self.isVisible():
            self._pending = True  # e.g. restored text at start-up: wait until the tab is seen
            return
        self._pending = False
        self.runner.start(
            predict_job,
            self._sessions,
            open_store(self._store_override),
            model,
            text,
            self.top_k.value(),
            self.sequential.isChecked(),
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending:
            QTimer.singleShot(0, self.predict_now)

    def mask_word(self, word: int) -> None:
        """Replace every WordPiece piece of ``word`` with one [MASK] and predict it."""
        from lab_app.core.fill_mask.text import mask_word

        if self.outcome is None or self.outcome.view is None:
            return
        try:
            self.set_text(mask_word(self.outcome.view, word), now=True)
        except UserError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()

    def _long_text(self, text: str) -> None:
        self.error_label.setText(
            f"That paste is {len(text):,} characters long: far more than one sentence, and BERT "
            f"reads at most 512 tokens. Paste a sentence or a short paragraph (up to "
            f"{self.sentence.limit:,} characters); the box keeps what it had."
        )
        self.error_label.show()

    def run_example(self) -> None:
        if not self._entries:
            self._clear_answer(self.no_model)
            self.result_shown.emit()
            return
        self.set_text(EXAMPLES[0], now=True)

    def run_current(self) -> None:
        """Predict the sentence in the box now (Enter, Ctrl+Enter, Predict). Without a model or
        a sentence the page saying so is the result."""
        runnable = self.model_combo.currentText() in self._entries and bool(
            self.sentence.toPlainText().strip()
        )
        self.predict_now()
        if not runnable:
            self.result_shown.emit()

    # -- drawing -----------------------------------------------------------------------------
    def _clear_answer(self, page: QWidget) -> None:
        self.outcome = None
        self.error_label.hide()
        self.chips.clear()
        self.stack.setCurrentWidget(page)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if not busy:
            self.busy_label.setText("")

    def _show_failure(self, exc: object) -> None:
        log.error("fill-mask failed", exc_info=exc if isinstance(exc, BaseException) else None)
        self.error_label.setText(describe_error(exc))
        self.error_label.show()
        self.result_shown.emit()

    def _show_outcome(self, outcome: Outcome) -> None:
        self.outcome = outcome
        view = outcome.view
        if view is not None:
            self._draw_chips()
            from lab_app.core.fill_mask.text import training_tokens

            fills = top_guesses(outcome.result)
            tokens = training_tokens(view, fills)
            self.masking.set_source(tokens, outcome.vocab, outcome.counts, filled=fills)
        self.error_label.setText(outcome.error or "")
        self.error_label.setVisible(outcome.error is not None)
        result = outcome.result
        self.stack.setCurrentWidget(self.results)
        if result is None:
            self.guesses.set_guesses([], "")
            self.layer_view.set_lenses((), 1)
            self.result_shown.emit()
            return
        order = "left to right" if result.sequential else "independently"
        self.guesses.set_guesses(*guesses_panels(result))
        vocab = len(outcome.vocab.tokens) if outcome.vocab else 30522
        self.layer_view.set_lenses(result.per_layer or (), vocab)
        self.status_changed.emit(
            f"{result.model}: {len(result.masks)} mask(s) predicted {order} "
            f"in {outcome.seconds * 1000:.0f} ms"
        )
        self.result_shown.emit()

    def _draw_chips(self) -> None:
        view = self.outcome.view if self.outcome else None
        if view is None:
            self.chips.clear()
            return
        self.chips.set_chips(sentence_chips(view), " ".join(t.text for t in view.tokens))

    # -- hooks -------------------------------------------------------------------------------
    def caption(self) -> str:
        result = self.outcome.result if self.outcome else None
        return result_caption(result) if result else "BERT Lab · fill-mask"

    def export_filters(self) -> str:
        if self.outcome is None or self.outcome.result is None:
            return ""
        return "PNG image (*.png);;SVG image (*.svg);;CSV table (*.csv)"

    def export_to(self, path: Path) -> None:
        """The current answer page: the bars, the layer view or the masking panel."""
        if self.outcome is None or self.outcome.result is None:
            raise UserError("nothing to export yet: predict a sentence first")
        page = self.results.currentIndex()
        if path.suffix.lower() == ".csv":
            csv = result_csv(self.outcome.result, layers=page == PAGE_LAYERS)
            path.write_bytes(csv.encode("utf-8"))
            return
        widget = {PAGE_GUESSES: self.guesses.bars_box, PAGE_LAYERS: self.layer_view}.get(
            page, self.masking
        )
        export_image(widget, self.caption(), path)

    def _export_dialog(self) -> None:
        message = export_with_dialog(self, self.export_filters(), self.export_to)
        self.status_changed.emit(message)

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self.chips.zoom = self.masking.chips.zoom = factor
        self._draw_chips()
        self.masking.redraw()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        FillMaskState(
            model=self.model_combo.currentText(),
            text=self.sentence.toPlainText(),
            top_k=self.top_k.value(),
            sequential=self.sequential.isChecked(),
            seed=self.masking.seed.value(),
            page=self.results.currentIndex(),
        ).save(settings)

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) != self.SCHEMA:
            return
        state = FillMaskState.load(settings)
        widgets = (self.model_combo, self.sentence, self.top_k, self.sequential, self.masking.seed)
        for w in widgets:
            w.blockSignals(True)
        if state.model in self._entries:
            self.model_combo.setCurrentText(state.model)
        self.sentence.setPlainText(state.text)
        self.top_k.setValue(state.top_k)
        self.sequential.setChecked(state.sequential)
        self.masking.seed.setValue(state.seed)
        self.results.setCurrentIndex(state.page)
        for w in widgets:
            w.blockSignals(False)
        self._model_changed()


if __name__ == "__main__":
    sys.exit(preview(FillMaskTab))
