"""BPE merge replay: a slider steps one word from single bytes to its final tokens.

The merge table (50,000 merges for GPT-2) is read once per tokenizer on the panel's runner and
kept; every word after that replays in well under a frame, so the slider itself does no work.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.progress import Progress
from lab_app.core.tokenizers.bpe_replay import (
    MAX_REPLAY_CHARS,
    MergeTable,
    Replay,
    merge_table,
    replay,
)
from lab_app.core.tokenizers.stats import LabTokenizer, token_bytes
from lab_app.core.tokenizers.tokenize import display_token
from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Runner
from lab_app.qt.shell.style import TOKENIZER_COLOURS
from lab_app.qt.tokenizers.chips import Chip, ChipView

DEFAULT_WORD = "tokenization"


@dataclass(frozen=True)
class ReplayResult:
    tokenizer: LabTokenizer
    table: MergeTable
    replay: Replay
    real_tokens: list[str]


def _replay_job(report: Progress, tok: LabTokenizer, word: str) -> ReplayResult:
    table = merge_table(tok.tokenizer)  # read once per tokenizer
    return ReplayResult(tok, table, replay(word, table), tok.cut(word).tokens)


def step_chips(tok: LabTokenizer, word: str, tokens: list[str]) -> list[Chip]:
    """Chips for one replay state; spans are found by walking the word's UTF-8 bytes."""
    char_of_byte = [i for i, ch in enumerate(word) for _ in ch.encode("utf-8")]
    chips, pos = [], 0
    for t in tokens:
        raw = token_bytes("bpe", t)
        end = pos + len(raw)
        span = (char_of_byte[pos], char_of_byte[end - 1] + 1) if raw else (0, 0)
        tid = tok.tokenizer.token_to_id(t)
        chips.append(Chip(display_token("bpe", t), t, -1 if tid is None else tid, span, raw))
        pos = end
    return chips


class ReplayPanel(QWidget):
    shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = Runner(self)
        self._sources: list[LabTokenizer | None] = [None, None]
        self.result: ReplayResult | None = None

        self.word = QLineEdit(DEFAULT_WORD)
        self.word.setMaxLength(MAX_REPLAY_CHARS)
        self.word.setAccessibleName("Word to replay")
        self.source = QComboBox()
        self.source.addItems(["GPT-2's merges", "your trained BPE (train one first)"])
        self.source.model().item(1).setEnabled(False)  # type: ignore[attr-defined]
        self.source.setAccessibleName("Merges to replay")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Merge step")
        self.slider.setRange(0, 0)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.step_label.setAccessibleName("Merge step description")
        self.view = ChipView(TOKENIZER_COLOURS["bpe"])
        self.view.setAccessibleName("Word at this merge step")
        self.final_label = QLabel()
        self.final_label.setWordWrap(True)
        self.final_label.setAccessibleName("The tokenizer's own tokens")
        self.message = QLabel()
        self.message.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(QLabel("Word"))
        row.addWidget(self.word, 1)
        row.addWidget(QLabel("merges of"))
        row.addWidget(self.source)
        intro = QLabel(
            "BPE cuts a word by applying its learned merges in the order it learned them. "
            "Drag the slider (or use the arrow keys on it) from single bytes to the tokens."
        )
        intro.setWordWrap(True)  # unwrapped, it made the tab wider than a 1280 px projector
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(row)
        lay.addWidget(self.slider)
        lay.addWidget(self.step_label)
        lay.addWidget(self.view)
        lay.addWidget(self.final_label)
        lay.addWidget(self.message)
        lay.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run)
        self.word.textChanged.connect(lambda _: self._timer.start())
        self.source.currentIndexChanged.connect(lambda _: self.run())
        self.slider.valueChanged.connect(self._show_step)
        self.runner.result_ready.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)

    def set_tokenizers(self, gpt2: LabTokenizer | None, trained: LabTokenizer | None) -> None:
        changed = self._sources != [gpt2, trained]
        self._sources = [gpt2, trained]
        item = self.source.model().item(1)  # type: ignore[attr-defined]
        item.setEnabled(trained is not None)
        item.setText("your trained BPE" if trained else "your trained BPE (train one first)")
        if trained is None and self.source.currentIndex() == 1:
            self.source.setCurrentIndex(0)
        elif changed:
            self.run()

    def run(self) -> None:
        self._timer.stop()
        tok = self._sources[self.source.currentIndex()]
        if tok is None:
            return
        self.runner.start(_replay_job, tok, self.word.text())

    def _on_failed(self, exc: object) -> None:
        text = describe(exc, "The merge replay")
        self.message.setText(f"<span style='color:#C0392B'>{text}</span>")

    def _on_result(self, result: object) -> None:
        assert isinstance(result, ReplayResult)
        self.result = result
        self.message.setText("")
        steps = result.replay.steps
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(steps) - 1)
        self.slider.setValue(len(steps) - 1)
        self.slider.blockSignals(False)
        shown = " | ".join(display_token("bpe", t) for t in result.real_tokens)
        self.final_label.setText(f"The tokenizer itself gives: <b>{shown}</b>")
        self._show_step(len(steps) - 1)
        self.shown.emit()

    def _show_step(self, k: int) -> None:
        if self.result is None:
            return
        steps = self.result.replay.steps
        step = steps[max(0, min(k, len(steps) - 1))]
        self.view.set_chips(
            step_chips(self.result.tokenizer, self.result.replay.word, step.tokens),
            self.result.replay.word,
        )
        what = ""
        if step.merged is not None:
            a, b = (display_token("bpe", t) for t in step.merged)
            what = f": “{a}” + “{b}” → “{a}{b}”"
        self.step_label.setText(
            f"Step {k} of {len(steps) - 1} · {step.note}{what} · {len(step.tokens)} tokens"
        )
