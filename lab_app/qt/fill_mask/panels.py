"""The fill-mask tab's teaching panels (pre-training masking, the lecture's explanation) and export.

The masking panel replays Devlin et al.'s procedure on the student's own sentence: one seeded
draw at a time ("draw again" steps the seed), and the tallies of the first 1,000 draws, which
is where 80/10/10 becomes visible. Exported images carry a caption saying what made them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.io.export import csv_text
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.qt.fill_mask.widgets import Chip, ChipView

if TYPE_CHECKING:
    from lab_app.core.fill_mask.predict import FillMaskResult
    from lab_app.core.fill_mask.text import TokenView
    from lab_app.core.mlm.masking import MaskingDraw, MaskingTally, ReplacementVocab

# Okabe–Ito: yellow as for the [MASK] chips above, orange, bluish green.
ACTION_COLOURS = {"mask": "#F0E442", "random": "#E69F00", "keep": "#009E73"}
ACTION_NAMES = {"mask": "[MASK]", "random": "random token", "keep": "unchanged"}

NO_MODEL = (
    "<h3>No masked-LM model is installed yet</h3><p>Filling a [MASK] needs a model with BERT's "
    "masked-LM head. BERT Lab's own small one, bert-lab-mlm, is a built-in: "
    "<b>Models → Model manager → Build / repair built-ins</b> makes it (or "
    "<code>bert-lab models build</code>).</p>"
    "<p>Or import one: <b>Models → Model manager → Import folder</b>, or in a terminal "
    "<code>bert-lab models import FOLDER</code>, where FOLDER holds a BERT checkpoint saved from "
    "<code>BertForMaskedLM</code> (config.json, model.safetensors and its tokenizer).</p>"
)
MASK_CHIP = "#F0E442"  # Okabe–Ito yellow: the blanks stand out among the WordPiece chips
SPECIAL_CHIP = "#D9D9D9"  # [CLS] and [SEP]: added by the model, not typed
CHIP_LIMIT = 600  # past BERT's 512 tokens anyway; a pasted book must not stall the window
EMPTY = (
    "<h3>Type a sentence with [MASK], or click an example above.</h3>"
    "<p>BERT will list its guesses for each blank with their probabilities. Then click any word "
    "chip to mask that word instead, and open <i>Layers</i> to see at which layer the answer "
    "forms.</p>"
)
EXPLANATION = (
    "<p><b>Masked LM.</b> BERT reads the whole sentence at once, left and right context "
    "together, and the final hidden vector at each [MASK] is fed into a softmax over its "
    "WordPiece vocabulary: the bars are that distribution. A word that WordPiece cuts into "
    "pieces (<code>##</code> chips) cannot come back from a single [MASK].</p>"
    "<p><b>Pre-training</b> masked 15% of all WordPiece tokens in each sequence at random; of "
    "those, 80% became [MASK], 10% a random word, and 10% stayed unchanged, “to bias the "
    "representation towards the actual observed word”. BERT's second task, Next Sentence "
    "Prediction (IsNext / NotNext), needs the NSP head, which the models in this store do not "
    "carry, so it is not shown.</p>"
    "<p><i>Source: Devlin, Chang, Lee &amp; Toutanova (2019), “BERT: Pre-training of Deep "
    "Bidirectional Transformers for Language Understanding”, §3.1 (lecture notes: BERT "
    "Pre-Training).</i></p>"
)


class MaskingPanel(QWidget):
    """A seeded draw of pre-training masking on the sentence, and tallies over 1,000 draws."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: tuple[str, ...] = ()
        self._filled: tuple[str, ...] = ()
        self._vocab: ReplacementVocab | None = None
        self.draw: MaskingDraw | None = None
        intro = QLabel(
            "Pre-training chooses 15% of the tokens; of those, 80% become [MASK], 10% a random "
            "token and 10% stay unchanged. Each draw below is one training example."
        )
        intro.setWordWrap(True)
        self.seed = QSpinBox()
        self.seed.setRange(0, GUI_SEED_MAX)
        self.seed.setAccessibleName("Seed")
        self.seed.setPrefix("seed ")
        self.again = QPushButton("Draw &again")
        self.again.setAccessibleName("Draw again")
        self.legend = QLabel(
            " ".join(
                # Black on the three light swatches: in a dark theme the text colour was white.
                f'<span style="background:{ACTION_COLOURS[a]}; color:#000000">'
                f"&nbsp;{ACTION_NAMES[a]}&nbsp;</span>"
                for a in ("mask", "random", "keep")
            )
        )
        self.chips = ChipView(clickable=False)
        self.chips.setAccessibleName("Tokens after masking")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.counts = QTableWidget(0, 4)
        self.counts.setAccessibleName("Counts over 1,000 draws")
        self.counts.setHorizontalHeaderLabels(["chosen", "[MASK]", "random", "unchanged"])
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        row = QHBoxLayout()
        row.addWidget(self.seed)
        row.addWidget(self.again)
        row.addWidget(self.legend, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.chips)
        layout.addWidget(self.outcome)
        layout.addWidget(QLabel("Counts over the first 1,000 draws (seeds 0–999):"))
        layout.addWidget(self.counts, 1)
        self.again.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.seed.valueChanged.connect(self.redraw)

    def set_source(
        self,
        tokens: Sequence[str],
        vocab: ReplacementVocab | None,
        counts: Sequence[MaskingTally],
        filled: Sequence[str] = (),
    ) -> None:
        """The sentence's tokens (no [CLS]/[SEP]; a typed [MASK] as the model's guess, ``filled``)
        and their 1,000-draw tallies."""
        self._tokens, self._vocab = tuple(tokens), vocab
        self._filled = tuple(filled)
        self.counts.setRowCount(len(counts))
        self.counts.setVerticalHeaderLabels([f"after {c.draws:,} draws" for c in counts])
        for r, tally in enumerate(counts):
            fr = tally.fractions()
            cells = [
                f"{tally.chosen:,}",
                f"{tally.mask:,} ({fr['mask']:.1%})",
                f"{tally.random:,} ({fr['random']:.1%})",
                f"{tally.keep:,} ({fr['keep']:.1%})",
            ]
            for c, text in enumerate(cells):
                self.counts.setItem(r, c, QTableWidgetItem(text))
        self.counts.resizeColumnsToContents()
        self.redraw()

    def redraw(self) -> None:
        from lab_app.core.mlm.masking import draw_masking

        if not self._tokens or self._vocab is None:
            self.draw = None
            self.chips.clear()
            self.outcome.setText("Type a sentence to see how pre-training would mask it.")
            return
        draw = draw_masking(self._tokens, self.seed.value(), self._vocab)
        self.draw = draw
        chips: list[tuple[str, int | None, str, str | None]] = []
        for i, (before, after) in enumerate(zip(draw.original, draw.masked, strict=True)):
            action = draw.action_at(i)
            if action is None:
                chips.append((before, None, "not chosen", None))
            elif action == "random":
                chips.append((f"{after} (was {before})", None, "random", ACTION_COLOURS[action]))
            elif action == "keep":
                chips.append((f"{before} (kept)", None, "unchanged", ACTION_COLOURS[action]))
            else:
                chips.append((after, None, f"was {before}", ACTION_COLOURS[action]))
        self.chips.set_chips(chips[:CHIP_LIMIT], " ".join(draw.masked[:CHIP_LIMIT]))
        chosen = ", ".join(
            f"{draw.original[i]} → {ACTION_NAMES[a]}"
            for i, a in zip(draw.chosen, draw.actions, strict=True)
        )
        filled = (
            f" Your [MASK] became the model's top guess ({', '.join(self._filled)}) so the "
            "sentence stays whole."
            if self._filled
            else ""
        )
        self.outcome.setText(
            f"Seed {draw.seed}: {len(draw.chosen)} of {len(draw.original)} tokens chosen "
            f"(15%, at least one): {chosen}. The model must predict the original token at "
            f"every chosen position, even the unchanged ones.{filled}"
        )


def caption_height(widget: QWidget, caption: str) -> int:
    return widget.fontMetrics().height() * (caption.count("\n") + 2)


def _paint(painter: QPainter, widget: QWidget, caption: str, size: QSize) -> None:
    top = caption_height(widget, caption)
    painter.fillRect(QRect(QPoint(0, 0), size), widget.palette().color(widget.backgroundRole()))
    painter.setPen(widget.palette().color(widget.foregroundRole()))
    painter.setFont(widget.font())
    pad = widget.fontMetrics().height() // 2
    painter.drawText(
        QRect(pad, 0, size.width() - 2 * pad, top), Qt.AlignmentFlag.AlignVCenter, caption
    )
    widget.render(painter, QPoint(0, top))


def export_image(widget: QWidget, caption: str, path: Path) -> None:
    """Write ``widget`` with ``caption`` above it as PNG or SVG (by the suffix)."""
    content = widget.size()
    size = QSize(content.width(), content.height() + caption_height(widget, caption))
    if path.suffix.lower() == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(QRect(QPoint(0, 0), size))
        gen.setTitle(caption.splitlines()[0] if caption else "BERT Lab")
        gen.setDescription(caption)
        painter = QPainter(gen)
        _paint(painter, widget, caption, size)
        painter.end()
        return
    image = QImage(size * 2, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2.0)  # crisp on a projector
    image.fill(QColor("white"))
    painter = QPainter(image)
    _paint(painter, widget, caption, size)
    painter.end()
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")


def result_caption(result: FillMaskResult) -> str:
    """What made an exported image: model, settings and the sentence."""
    order = "left to right" if result.sequential else "independent masks"
    return f"{result.model} · fill-mask · top {result.top_k} · {order}\n“{result.text.strip()}”"


def result_csv(result: FillMaskResult, layers: bool = False) -> str:
    """The guesses (one row per mask and rank), or with ``layers`` the logit lens."""
    if layers:
        return csv_text(
            ("mask", "index", "answer", "layer", "rank", "probability", "layer_top"),
            [
                (n + 1, lens.index, lens.token, g.layer, g.rank, g.probability, g.top_token)
                for n, lens in enumerate(result.per_layer or ())
                for g in lens.layers
            ],
        )
    return csv_text(
        ("mask", "index", "rank", "token", "id", "probability"),
        [
            (n + 1, m.index, r + 1, p.token, p.id, p.probability)
            for n, m in enumerate(result.masks)
            for r, p in enumerate(m.predictions)
        ],
    )


def guesses_panels(
    result: FillMaskResult,
) -> tuple[list[tuple[str, list[tuple[str, float]]]], str]:
    """The bar lists, one per mask, and the sentence filled with the top guesses."""
    panels = [
        (f"[MASK] {i + 1} (token {m.index})", [(p.token, p.probability) for p in m.predictions])
        for i, m in enumerate(result.masks)
    ]
    order = "left to right" if result.sequential else "independently"
    filled = (
        f"With the top guesses, predicted {order}: <b>{' '.join(result.filled_tokens[1:-1])}</b>"
    )
    if result.truncated:
        filled += " <i>(the text was cut to the model's token limit)</i>"
    return panels, filled


def export_with_dialog(parent: QWidget, filters: str, export: Callable[[Path], None]) -> str:
    """The tab's own Export button: ask for a file, write it, and say what happened."""
    from lab_app.core.errors import UserError
    from lab_app.qt.shell.file_dialogs import save_path

    if not filters:
        return "Nothing to export yet: predict a sentence first."
    path = save_path(parent, "fill_mask", filters)
    if path is None:
        return ""
    try:
        export(path)
    except (OSError, UserError) as exc:
        return f"Could not export: {exc}"
    return f"Exported {path}"


def sentence_chips(view: TokenView) -> list[Chip]:
    """The sentence's chips: words clickable (all pieces of one word mask together), the
    [MASK]s in yellow, [CLS]/[SEP] grey, and no more than :data:`CHIP_LIMIT` of them."""
    chips: list[Chip] = []
    for t in view.tokens[:CHIP_LIMIT]:
        word = None if t.mask else t.word
        hint = " · click to mask this word" if word is not None else ""
        fill = MASK_CHIP if t.mask else SPECIAL_CHIP if t.special else None
        chips.append((t.text, word, f"id {t.id}{hint}", fill))
    if len(view.tokens) > CHIP_LIMIT:
        more = len(view.tokens) - CHIP_LIMIT
        chips.append((f"… {more:,} more tokens", None, "not shown", SPECIAL_CHIP))
    return chips
