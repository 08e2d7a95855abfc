"""The Perplexity page: each token of a text coloured by how sure the model was of it, the
perplexity and bits per byte, and the same for shuffled words, random characters and a language
the model barely knows. A masked LM gives pseudo-perplexity instead."""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.jobs import Compared, perplexity_job
from lab_app.core.bench.perplexity import ENGLISH_SAMPLE
from lab_app.core.seeds import GUI_SEED_MAX
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.tab import spin
from lab_app.qt.shell.text_edit import GuardedTextEdit

KINDS = (
    ("SmolLM2 (decoder): perplexity", "decoder"),
    ("bert-lab-mlm (masked LM): pseudo-perplexity", "masked"),
)
SURPRISES = 8  # the most surprising tokens listed


def colour(logprob: float) -> str:
    """Green for a token the model was sure of, through yellow, to red for a surprise."""
    p = math.exp(logprob)
    t = min(1.0, max(0.0, (math.log10(max(p, 1e-6)) + 6) / 6))  # 1e-6 → 0, 1 → 1
    red, green = (255, int(80 + 175 * t / 0.5)) if t < 0.5 else (int(255 * (1 - t) * 2), 220)
    return f"#{min(red, 255):02x}{min(green, 255):02x}70"


def token_html(tokens: Any, context: str = "") -> str:
    """The tokens as coloured spans; the unscored context token in grey."""
    parts = [f'<span style="color:#777">{html.escape(context)}</span>'] if context else []
    for t in tokens:
        text = html.escape(t.text).replace("\n", "↵<br>")
        parts.append(f'<span style="background:{colour(t.logprob)}">{text}</span>')
    return "".join(parts)


class PerplexityPage(BenchPage):
    TITLE = "Perplexity"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.compared: Compared | None = None
        self.text = GuardedTextEdit(limit=200_000)
        self.text.setAccessibleName("Text to score")
        self.text.preferred_lines = 4
        self.text.setPlainText(ENGLISH_SAMPLE)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Model")
        for label, kind in KINDS:
            self.kind.addItem(label, kind)
        self.seed = spin(0, GUI_SEED_MAX, 0, "Seed of the shuffled and random variants")
        self.seed.setToolTip("The seed that shuffles the words and draws the random characters")
        self.run_button = QPushButton("Score")
        self.run_button.setToolTip("Score the text and its variants (Ctrl+Enter)")
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(QLabel("Seed"))
        row.addWidget(self.seed)
        row.addStretch(1)
        row.addWidget(self.run_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.note = QLabel(
            "<i>Perplexity is per token, so it depends on how the tokenizer cuts the text: random "
            "characters fall into many short, easy-to-guess pieces and can look less surprising "
            "than shuffled words. Bits per byte counts the whole text's cost and ranks them as a "
            "reader would. Pseudo-perplexity (masked LM) sees both sides of each piece: compare "
            "it only with itself.</i>"
        )
        self.note.setWordWrap(True)
        self.tokens = QTextBrowser()
        self.tokens.setAccessibleName("Tokens coloured by probability")
        self.tokens.setToolTip("Green: the model expected this token; red: it was surprised")
        self.compare = result_table(
            "Perplexity of the variants", ["Text", "Perplexity", "Bits/byte", "Tokens"]
        )
        self.surprises = result_table("Most surprising tokens", ["Token", "log P", "P"])
        tables = QHBoxLayout()
        tables.addWidget(self.compare, 3)
        tables.addWidget(self.surprises, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addLayout(self.job_bar)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.tokens, 2)
        layout.addLayout(tables, 2)
        layout.addWidget(self.note)
        self.run_button.clicked.connect(self.run)
        self.runner.result_ready.connect(self.show_compared)

    def fill_example(self) -> None:
        self.text.setPlainText(ENGLISH_SAMPLE)
        self.kind.setCurrentIndex(0)
        self.seed.setValue(0)

    def choose(self, choice: str) -> None:
        index = self.kind.findData(choice)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def run(self) -> None:
        kind = str(self.kind.currentData())
        self.start(perplexity_job, self._store, self.text.toPlainText(), kind, self.seed.value())

    def show_compared(self, compared: Compared) -> None:
        self.compared = compared
        r = compared.result
        name = "Perplexity" if compared.kind == "decoder" else "Pseudo-perplexity"
        parts = [f"<b>{name} {r.perplexity:,.1f}</b> over {r.count} tokens ({r.model})"]
        if compared.kind == "decoder":
            parts.append(f"<b>{r.bits_per_byte:.2f} bits per byte</b>")
            parts.append(f"the first token ('{html.escape(r.context)}') has no context: not scored")
        if r.cut:
            parts.append(f"the text was cut: {r.dropped} tokens at its end were not scored")
        self.summary.setText(" · ".join(parts))
        self.tokens.setHtml(token_html(r.tokens, getattr(r, "context", "")))
        self.compare.setRowCount(len(compared.rows))
        for i, (label, value, bpb, count) in enumerate(compared.rows):
            cells = (label, f"{value:,.1f}", "—" if bpb is None else f"{bpb:.2f}", str(count))
            set_row(self.compare, i, cells)
        worst = sorted(r.tokens, key=lambda t: t.logprob)[:SURPRISES]
        self.surprises.setRowCount(len(worst))
        for i, t in enumerate(worst):
            set_row(
                self.surprises, i, (repr(t.text), f"{t.logprob:.2f}", f"{math.exp(t.logprob):.2g}")
            )
        self.done(f"{name} {r.perplexity:,.1f} ({r.model})")

    def csv_rows(self) -> Rows:
        if self.compared is None:
            return ("token", "logprob"), []
        return ("token", "logprob"), [[t.text, t.logprob] for t in self.compared.result.tokens]

    def state(self) -> dict[str, str]:
        return {
            "text": self.text.toPlainText(),
            "kind": str(self.kind.currentData()),
            "seed": str(self.seed.value()),
        }

    def restore(self, state: dict[str, str]) -> None:
        self.text.set_text_guarded(state.get("text") or ENGLISH_SAMPLE)
        self.choose(state.get("kind", "decoder"))
        if state.get("seed", "").isdigit():
            self.seed.setValue(min(int(state["seed"]), GUI_SEED_MAX))
