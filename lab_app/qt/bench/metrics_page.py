"""The text-metrics page: BLEU, chrF, ROUGE and METEOR for several candidates against their
references, beside SBERT's similarity, with the classic traps one click away and the details
behind the chosen metric's score for the selected candidate."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.bench.jobs import metrics_job
from lab_app.core.bench.metrics_run import MetricsRun, as_lines, parse_candidates
from lab_app.core.bench.textmetrics import METRICS, TRAPS, Trap
from lab_app.qt.bench.metric_details import details_html
from lab_app.qt.bench.page import BenchPage, Rows, result_table, set_row
from lab_app.qt.shell.text_edit import GuardedTextEdit

TITLES = {"bleu": "BLEU", "chrf": "chrF", "rouge": "ROUGE-L F", "meteor": "METEOR"}
COLUMNS = ["Candidate", *(TITLES[m] for m in METRICS), "SBERT cosine"]


class MetricsPage(BenchPage):
    TITLE = "Text metrics"

    def __init__(self, store: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.metrics_run: MetricsRun | None = None
        self.trap: Trap = TRAPS[0]
        self.candidates = GuardedTextEdit(limit=100_000)
        self.candidates.setAccessibleName("Candidates, one a line")
        self.candidates.setPlaceholderText("candidates (hypotheses), one a line")
        self.candidates.preferred_lines = 3
        self.references = GuardedTextEdit(limit=100_000)
        self.references.setAccessibleName("References, one a line")
        self.references.setPlaceholderText("reference(s), one a line")
        self.references.preferred_lines = 3
        texts = QHBoxLayout()
        texts.addWidget(self.candidates, 1)
        texts.addWidget(self.references, 1)
        self.traps = QComboBox()
        self.traps.setAccessibleName("Trap")
        for trap in TRAPS:
            self.traps.addItem(trap.title, trap.key)
        self.trap_button = QPushButton("Load the trap")
        self.trap_button.setToolTip("Put the trap's candidates and references in the boxes")
        self.detail_metric = QComboBox()
        self.detail_metric.setAccessibleName("Details of")
        for m in METRICS:
            self.detail_metric.addItem(TITLES[m].split()[0], m)
        self.run_button = QPushButton("Score")
        self.run_button.setToolTip("Every metric for every candidate (Ctrl+Enter)")
        row = QHBoxLayout()
        row.addWidget(self.traps, 1)
        row.addWidget(self.trap_button)
        row.addWidget(QLabel("Details of"))
        row.addWidget(self.detail_metric)
        row.addWidget(self.run_button)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.table = result_table("Scores", COLUMNS)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("How to read the scores")
        self.details = QTextBrowser()
        self.details.setAccessibleName("Details of the score")
        results = QHBoxLayout()
        results.addWidget(self.table, 3)
        results.addWidget(self.details, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(texts)
        layout.addLayout(row)
        layout.addLayout(self.job_bar)
        layout.addWidget(self.error)
        layout.addWidget(self.explanation)
        layout.addLayout(results, 1)
        layout.addWidget(self.notes)
        self.trap_button.clicked.connect(self.load_trap)
        self.run_button.clicked.connect(self.run)
        self.detail_metric.currentIndexChanged.connect(lambda _: self._show_details())
        self.table.currentCellChanged.connect(lambda *_: self._show_details())
        self.runner.result_ready.connect(self.show_run)
        self.load_trap()

    def load_trap(self) -> None:
        key = str(self.traps.currentData())
        self.trap = next(t for t in TRAPS if t.key == key)
        cands, refs = as_lines(self.trap.candidates)
        self.candidates.setPlainText(cands)
        self.references.setPlainText(refs)
        self.explanation.setText(f"<b>{html.escape(self.trap.title)}.</b> "
                                 f"{html.escape(self.trap.explanation)}")  # fmt: skip

    def choose(self, choice: str) -> None:
        index = self.detail_metric.findData(choice)
        if index >= 0:
            self.detail_metric.setCurrentIndex(index)

    def fill_example(self) -> None:
        self.traps.setCurrentIndex(0)
        self.load_trap()

    def run(self) -> None:
        try:
            candidates = parse_candidates(self.candidates.toPlainText(),
                                          self.references.toPlainText())  # fmt: skip
        except Exception as exc:  # a calm line, as a job's failure would give
            self.show_error(exc)
            return
        self.start(metrics_job, self._store, candidates)

    def show_run(self, run: MetricsRun) -> None:
        self.metrics_run = run
        labels = {c.hypothesis: c.label for c in self.trap.candidates}
        self.table.setRowCount(len(run.rows))
        for r, s in enumerate(run.rows):
            name = labels.get(s.candidate.hypothesis, s.candidate.hypothesis)
            cells = [name, *(f"{s.results[m].score:.3g}" for m in METRICS)]
            cells.append("—" if s.similarity is None else f"{s.similarity:.2f}")
            set_row(self.table, r, cells, tip=s.candidate.hypothesis)
        notes = []
        if run.corpus_bleu is not None:
            notes.append(f"corpus BLEU {run.corpus_bleu:.1f} vs mean of sentence BLEUs "
                         f"{run.mean_sentence_bleu:.1f}")  # fmt: skip
        notes.append(f"similarity: {run.similarity_model}" if run.similarity_model
                     else f"no similarity: {run.similarity_note}")  # fmt: skip
        notes.append("BLEU, chrF 0–100; ROUGE, METEOR 0–1; METEOR with exact and stem matches "
                     "only (no WordNet synonyms on this machine)")  # fmt: skip
        self.notes.setText("<i>" + html.escape(" · ".join(notes)) + "</i>")
        self.table.selectRow(0)
        self._show_details()
        self.done(f"{len(run.rows)} candidate(s) scored by four metrics")

    def _show_details(self) -> None:
        run = self.metrics_run
        row = self.table.currentRow()
        if run is None or not 0 <= row < len(run.rows):
            return
        metric = str(self.detail_metric.currentData())
        self.details.setHtml(details_html(metric, run.rows[row].results[metric].result, run))

    def csv_rows(self) -> Rows:
        header = ("hypothesis", *METRICS, "similarity")
        if self.metrics_run is None:
            return header, []
        return header, [
            [s.candidate.hypothesis, *(s.results[m].score for m in METRICS), s.similarity]
            for s in self.metrics_run.rows
        ]

    def state(self) -> dict[str, str]:
        return {
            "candidates": self.candidates.toPlainText(),
            "references": self.references.toPlainText(),
            "trap": str(self.traps.currentData()),
            "metric": str(self.detail_metric.currentData()),
        }

    def restore(self, state: dict[str, str]) -> None:
        index = self.traps.findData(state.get("trap", ""))
        if index >= 0:
            self.traps.setCurrentIndex(index)
            self.trap = TRAPS[index]
        self.choose(state.get("metric", "bleu"))
        if "candidates" not in state:  # a lesson that names only a trap: its texts
            self.load_trap()
            return
        self.candidates.set_text_guarded(state["candidates"])
        self.references.set_text_guarded(state.get("references", ""))
        self.explanation.setText(f"<b>{html.escape(self.trap.title)}.</b> "
                                 f"{html.escape(self.trap.explanation)}")  # fmt: skip
