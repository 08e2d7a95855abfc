"""The Reading (SQuAD) page: the store's QA model answers SQuAD-format questions, scored by
exact match and F1 with the official normalisation; a question's row shows the words behind its
F1 (what the prediction and the best gold answer share)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.jobs import squad_job
from lab_app.core.bench.squad_bench import sample_path
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.file_dialogs import open_path

PARTIAL = QColor(255, 230, 150)
WRONG = QColor(250, 200, 200)


def overlap_html(q: Any) -> str:
    """The prediction's and the gold answer's normalised words, the shared ones in bold."""
    o = q.overlap
    shared = {w for w, _ in o.common}

    def words(tokens: Any) -> str:
        shown = [f"<b><u>{escape(w)}</u></b>" if w in shared else escape(w) for w in tokens]
        return " ".join(shown) or "<i>(no word)</i>"

    return (
        f"<p><b>Q:</b> {escape(q.question)}</p>"
        f"<p><b>Predicted:</b> {escape(q.prediction) or '<i>(no answer)</i>'} · "
        f"<b>Gold:</b> {' | '.join(escape(g) for g in q.golds)}</p>"
        f"<p>After normalising (lower case, no punctuation, no a/an/the):<br>"
        f"prediction: {words(o.prediction_tokens)}<br>best gold: {words(o.gold_tokens)}</p>"
        f"<p>{o.shared} shared word(s): precision {o.shared}/{len(o.prediction_tokens)} = "
        f"{o.precision:.2f}, recall {o.shared}/{len(o.gold_tokens)} = {o.recall:.2f}, "
        f"<b>F1 {q.f1:.2f}</b>, exact match {'yes' if q.exact_match else 'no'}.</p>"
    )


class SquadPage(BenchPage):
    TITLE = "Reading (SQuAD)"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.path = ""  # "": the QA model's held-out test questions
        self.squad_run: Any = None
        self.order: list[int] = []
        intro = QLabel(
            "Each answer is a span of its passage. <b>Exact match</b> asks whether the answer "
            "equals a gold answer after normalising; <b>F1</b> gives credit for the words they "
            "share. Both take the best of the gold answers."
        )
        intro.setWordWrap(True)
        self.heldout_button = QPushButton("Held-out questions")
        self.heldout_button.setToolTip("bert-lab-qa's 120 test questions, never trained on")
        self.sample_button = QPushButton("Training sample")
        self.sample_button.setToolTip(
            "The Fine-tuning lab's sample, which bert-lab-qa was trained on: memory, not reading"
        )
        self.open_button = QPushButton("Open a SQuAD file…")
        self.open_button.setToolTip("A SQuAD v1.1 JSON file (only read)")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.heldout_button)
        row.addWidget(self.sample_button)
        row.addWidget(self.open_button)
        row.addWidget(self.summary, 1)
        self.table = result_table("Questions", ["Question", "Predicted", "EM", "F1"])
        self.overlap = QTextBrowser()
        self.overlap.setAccessibleName("Why this F1")
        results = QHBoxLayout()
        results.addWidget(self.table, 3)
        results.addWidget(self.overlap, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addLayout(self.job_bar)
        layout.addWidget(self.error)
        layout.addLayout(results, 1)
        self.heldout_button.clicked.connect(self._heldout)
        self.sample_button.clicked.connect(self._sample)
        self.open_button.clicked.connect(self._open)
        self.table.currentCellChanged.connect(lambda r, *_: self._show_question(r))
        self.runner.result_ready.connect(self.show_run)

    def _heldout(self) -> None:
        self.path = ""
        self.run()

    def _sample(self) -> None:
        self.path = str(sample_path())
        self.run()

    def _open(self) -> None:
        path = open_path(self, "Open a SQuAD file", "SQuAD JSON (*.json);;All files (*)")
        if path is not None:
            self.path = str(path)
            self.run()

    def fill_example(self) -> None:
        self.path = ""

    def run(self) -> None:
        self.start(squad_job, self._store, self.path)

    def show_run(self, run: Any) -> None:
        self.squad_run = run
        self.summary.setText(
            f"<b>EM {run.exact_match:.1f}</b> · <b>F1 {run.f1:.1f}</b> over "
            f"{len(run.questions)} questions of {escape(run.source)} ({run.model})"
            + "".join(f"<br><i>{escape(n)}</i>" for n in run.notes)
        )
        # Partial answers first (where EM and F1 part ways), then wrong ones, then exact ones.
        qs = run.questions
        order = sorted(range(len(qs)), key=lambda i: (qs[i].exact_match, qs[i].f1 == 0, -qs[i].f1))
        self.order = order
        self.table.setRowCount(len(order))
        for r, i in enumerate(order):
            q = run.questions[i]
            cells = (q.question, q.prediction, "✓" if q.exact_match else "✗", f"{q.f1:.2f}")
            colour = None if q.exact_match else (PARTIAL if q.f1 > 0 else WRONG)
            set_row(self.table, r, cells, colour=colour)
        if order:
            self.table.selectRow(0)
            self._show_question(0)
        self.done(f"SQuAD: EM {run.exact_match:.1f}, F1 {run.f1:.1f} ({run.model})")

    def _show_question(self, row: int) -> None:
        if self.squad_run is not None and 0 <= row < len(self.order):
            self.overlap.setHtml(overlap_html(self.squad_run.questions[self.order[row]]))

    def csv_rows(self) -> Rows:
        header = ("id", "question", "prediction", "golds", "exact_match", "f1")
        if self.squad_run is None:
            return header, []
        return header, [
            [q.id, q.question, q.prediction, " | ".join(q.golds), q.exact_match, q.f1]
            for q in self.squad_run.questions
        ]

    def state(self) -> dict[str, str]:
        return {"path": self.path}

    def restore(self, state: dict[str, str]) -> None:
        self.path = state.get("path", "")
