"""The Inside tab: what attention and positions look like inside the encoder.

Type a sentence (or a pair A/B) and see every layer's attention: the head view (lines, hover a
token to isolate it), the model view (every layer × head; click one to open it), where one token
(the [MASK], say) looks across the layers, and BERT's bidirectional mask beside the decoder's
causal one for the same sentence. The Positions page draws sinusoidal, learned (BERT's table) and
rotary (the decoder's) positions as position × dimension heatmaps with their similarity. The
attentions come from the store graph's ``attentions`` output, computed off the GUI thread. The
tab remembers its inputs and page, not its results: they are computed again when asked for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.inside import jobs
from lab_app.core.inside.attention import token_list
from lab_app.core.inside.positions import Positions
from lab_app.core.models.store import open_store
from lab_app.core.settings import load_state, read, save_state
from lab_app.qt.inside.page_widgets import HeadPage, MasksPage, PositionsPage, TokenPage
from lab_app.qt.inside.state import (
    EXAMPLE_TEXT,
    PAGES,
    InsideSettings,
    apply_settings,
    current_settings,
)
from lab_app.qt.inside.views import Heatmap, ModelView, pages
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.lazy_tabs import LazyTabs
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.tab import LabTab, error_label, preview, set_choices

EXAMPLE = (EXAMPLE_TEXT, "")


class InsideTab(LabTab):
    SETTINGS_GROUP = "inside"
    RESULT = "pages"
    SCHEMA = 1

    def __init__(self, parent: QWidget | None = None, store: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.looked: jobs.Looked | None = None
        self.positions: Positions | None = None
        self.pos_runner = Runner(self)
        self._positions_key: tuple[str, str | None, int | None] | None = None
        self._announce_positions = False  # run_current on the Positions page waits for them
        self._build()
        self._connect()
        self.reload_models()

    def _build(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Model")
        self.text_a = QLineEdit(EXAMPLE[0])
        self.text_a.setAccessibleName("Sentence A")
        self.text_b = QLineEdit()
        self.text_b.setPlaceholderText("sentence B (optional: a pair)")
        self.text_b.setAccessibleName("Sentence B")
        self.hide_special = QCheckBox("Hide [CLS]/[SEP]")
        self.run_button = QPushButton("Look inside")
        self.run_button.setToolTip("Run the encoder and show its attention (Enter)")
        top = QGridLayout()
        top.addWidget(QLabel("Model"), 0, 0)
        top.addWidget(self.model_combo, 0, 1)
        top.addWidget(self.text_a, 0, 2, 1, 3)
        top.addWidget(self.hide_special, 1, 0, 1, 2)
        top.addWidget(self.text_b, 1, 2, 1, 2)
        top.addWidget(self.run_button, 1, 4)
        top.setColumnStretch(2, 1)
        self.error = error_label("Inside problem")
        self.pages = LazyTabs()
        self.pages.setAccessibleName("Inside pages")
        head, token, masks, pos_page = HeadPage(), TokenPage(), MasksPage(), PositionsPage()
        self.layer, self.head, self.head_view = head.layer, head.head, head.head_view
        self.window_combo, self.window_label = head.window_combo, head.window_label
        self.token_combo, self.token_map = token.token_combo, token.token_map
        self.encoder_mask, self.decoder_mask = masks.encoder_mask, masks.decoder_mask
        self.kind_combo, self.length = pos_page.kind_combo, pos_page.length
        self.pos_note = pos_page.pos_note
        self.table_map, self.sim_map = pos_page.table_map, pos_page.sim_map
        self.pages.addTab(head, "Head view")
        # Made when first shown: a plot and its colour map, ~40 ms that opening need not pay.
        self._model_view = self.pages.add_lazy("Model view", ModelView)
        self.pages.addTab(token, "From one token")
        self.pages.addTab(masks, "Bidirectional vs causal")
        self.pages.addTab(pos_page, "Positions")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.pages, 1)

    def _connect(self) -> None:
        self.run_button.clicked.connect(self.run)
        self.text_a.returnPressed.connect(self.run)
        self.text_b.returnPressed.connect(self.run)
        self.runner.result_ready.connect(self.show_attention)
        self.runner.failed.connect(self.fail)
        self.runner.message_changed.connect(self.status_changed)
        self.pos_runner.result_ready.connect(self.show_positions)
        self.pos_runner.failed.connect(self._positions_failed)
        for box in (self.layer, self.head):
            box.valueChanged.connect(self.draw_head)
        self.window_combo.currentIndexChanged.connect(self.draw_head)
        self.hide_special.toggled.connect(self.redraw)
        self.token_combo.currentIndexChanged.connect(self.draw_token)
        self._model_view.when_made(self._model_view_made)
        self.kind_combo.currentIndexChanged.connect(self.run_positions)
        self.length.editingFinished.connect(self.run_positions)

    # -- inputs ----------------------------------------------------------------------------
    def reload_models(self) -> None:
        try:
            names = [e.name for e in open_store(self._store).encoders()]
        except UserError as exc:
            names = []
            self.fail(exc)
        set_choices(self.model_combo, names, ["bert-lab-mlm"])
        self.run_button.setEnabled(bool(names))

    def store_changed(self) -> None:
        self.reload_models()

    def release(self) -> None:
        jobs.release()

    def run_example(self) -> None:
        self.text_a.setText(EXAMPLE[0])
        self.text_b.setText(EXAMPLE[1])
        self.run()

    def run_current(self) -> None:
        """The page shown now, for the inputs shown: the Positions page draws its kind and
        length (already drawn: at once; they do not depend on the sentence), every other page
        the sentence's attention (Look inside, Enter)."""
        if self.page() != "positions":
            self.run()
            return
        self._announce_positions = True
        self.run_positions()
        if not self.pos_runner.busy:
            self._announce_positions = False
            self.result_shown.emit()

    def page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def run(self) -> None:
        self.error.hide()
        b = self.text_b.text()
        self.runner.start(
            jobs.attention_job, self._store, self.model_combo.currentText(),
            self.text_a.text(), b if b.strip() else None,
        )  # fmt: skip
        self.run_positions()

    def run_positions(self) -> None:
        kind = self.kind_combo.currentText()
        length = self.length.value() if kind != "learned" else None
        model = self.model_combo.currentText() if kind != "rope" else None  # rope: the decoder's
        key = (kind, model or None, length)
        if key == self._positions_key:
            return  # positions do not depend on the sentence: drawn already
        self._positions_key = key
        self.pos_runner.start(jobs.positions_job, self._store, *key)

    def _positions_failed(self, exc: object) -> None:
        self._positions_key = None  # the same request may be tried again
        self.fail(exc)
        self._positions_shown()

    def _positions_shown(self) -> None:
        if self._announce_positions:
            self._announce_positions = False
            self.result_shown.emit()

    def fail(self, exc: object) -> None:
        self.error.setText(describe(exc, "Inside"))
        self.error.show()
        self.status_changed.emit(self.error.text())

    # -- drawing ---------------------------------------------------------------------------
    def shown(self) -> list[int]:
        assert self.looked is not None
        return token_list(self.looked.attention.tokens, self.hide_special.isChecked())

    def show_attention(self, looked: jobs.Looked) -> None:
        self.looked = looked
        a = looked.attention
        self.layer.setRange(1, a.layers)
        self.layer.setValue(a.layers)
        self.head.setRange(0, a.heads)
        self.token_combo.blockSignals(True)
        self.token_combo.clear()
        self.token_combo.addItems([f"{i}: {t}" for i, t in enumerate(a.tokens)])
        mask = next((i for i, t in enumerate(a.tokens) if t in ("[MASK]", "<mask>")), 0)
        self.token_combo.setCurrentIndex(mask)
        self.token_combo.blockSignals(False)
        self.redraw()
        m = looked.masks
        self.encoder_mask.show_matrix(m.encoder_mask, f"{a.model}: bidirectional", m.encoder_tokens,
                                      m.encoder_tokens, (0.0, 1.0))  # fmt: skip
        if m.decoder_mask is not None:
            self.decoder_mask.show_matrix(m.decoder_mask, f"{m.decoder}: causal", m.decoder_tokens,
                                          m.decoder_tokens, (0.0, 1.0))  # fmt: skip
        self.status_changed.emit(
            f"{a.model}: {len(a.tokens)} tokens, {a.layers} layers × {a.heads} heads"
            + (" (cut to the model's maximum length)" if a.truncated else "")
        )
        self.result_shown.emit()

    def redraw(self) -> None:
        if self.looked is None:
            return
        windows = pages(len(self.shown()))
        self.window_combo.blockSignals(True)
        self.window_combo.clear()
        self.window_combo.addItems([f"{a + 1}–{b} of {windows[-1][1]}" for a, b in windows])
        self.window_combo.blockSignals(False)
        for w in (self.window_combo, self.window_label):
            w.setVisible(len(windows) > 1)
        self.draw_head()
        if (view := self._model_view.peek()) is not None:
            self._draw_overview(view)
        self.draw_token()

    @property
    def model_view(self) -> ModelView:
        return self._model_view.get()

    def _model_view_made(self, view: ModelView) -> None:
        view.picked.connect(self.open_head)
        self._draw_overview(view)

    def _draw_overview(self, view: ModelView) -> None:
        if self.looked is not None:
            view.show_overview(self.looked.overviews[self.hide_special.isChecked()])

    def draw_head(self) -> None:
        if self.looked is None:
            return
        a, shown = self.looked.attention, self.shown()
        head = self.head.value() or None
        grid = a.cut(self.layer.value(), head).mean(axis=1)[0]
        windows = pages(len(shown))
        # The combo may still list the last input's pages while a new one is being drawn.
        start, end = windows[min(max(self.window_combo.currentIndex(), 0), len(windows) - 1)]
        idx = shown[start:end]
        sub = grid[idx][:, idx]
        who = f"head {head}" if head else "mean of all heads"
        caption = f"layer {self.layer.value()}, {who}"
        if len(windows) > 1:
            # Of the attention to the tokens shown at all (hidden [CLS]/[SEP] are not "pages").
            outside = 1.0 - float(sub.sum()) / max(float(grid[np.ix_(idx, shown)].sum()), 1e-9)
            caption += (
                f"; tokens {start + 1}–{end} of {len(shown)}: {outside:.0%} of their attention "
                "goes to tokens on other pages (not drawn)"
            )
        types = [a.token_types[i] for i in idx]
        self.head_view.set_data([a.tokens[i] for i in idx], sub, caption, types)

    def draw_token(self) -> None:
        if self.looked is None or self.token_combo.currentIndex() < 0:
            return
        a, idx = self.looked.attention, self.shown()
        i = self.token_combo.currentIndex()
        rows = a.from_token(i)[:, idx]
        labels = [str(n) for n in range(1, a.layers + 1)]
        title = f"where '{a.tokens[i]}' looks (mean of heads), by layer"
        cols = [a.tokens[j] for j in idx]
        self.token_map.show_matrix(rows, title, labels, cols, (0.0, float(rows.max())))

    def open_head(self, layer: int, head: int) -> None:
        self.layer.setValue(layer)
        self.head.setValue(head)
        self.pages.setCurrentIndex(0)

    def show_positions(self, result: Positions) -> None:
        self.positions = result
        n, d = result.table.shape
        what = f"{result.kind}" + (f" ({result.model})" if result.model else "")
        self.table_map.show_matrix(result.table, f"{what}: {n} positions × {d} dimensions")
        self.sim_map.show_matrix(
            result.similarity, "cosine similarity of positions", levels=(-1, 1)
        )
        self.pos_note.setText(result.note)
        self._positions_shown()

    # -- state -----------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("schema", self.SCHEMA)
        save_state(settings, current_settings(self))

    def restore_state(self, settings: QSettings) -> None:
        if read(settings, "schema", 0) == self.SCHEMA:
            apply_settings(self, load_state(InsideSettings, settings))

    # -- export ----------------------------------------------------------------------------
    def export_filters(self) -> str:
        return "PNG image (*.png);;SVG image (*.svg)" if self.looked is not None else ""

    def export_to(self, path: Path) -> bool | None:
        from lab_app.qt.shell.plot_export import export_plot

        page = self.pages.currentWidget()
        if path.suffix.lower() not in (".png", ".svg"):
            raise UserError(f"a view exports as .png or .svg, not '{path.suffix or path.name}'")
        if page.isAncestorOf(self.head_view):
            self.head_view.save(path)
            return None
        if page is self._model_view.holder:
            page = self.model_view  # made if it was never shown
        plots = [page] if isinstance(page, pg.PlotWidget) else page.findChildren(Heatmap)
        if not plots:
            raise UserError("this page has no picture to export")
        export_plot(plots[0].getPlotItem(), path)  # a page of two exports its first
        return None


if __name__ == "__main__":  # pragma: no cover - manual preview
    sys.exit(preview(InsideTab))
