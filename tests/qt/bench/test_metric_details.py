"""The details behind every metric render for every trap's candidates (no model needed)."""

from __future__ import annotations

import pytest

from lab_app.core.bench.metrics_run import as_lines, parse_candidates, score_candidates
from lab_app.core.bench.textmetrics import METRICS, TRAPS
from lab_app.qt.bench.metric_details import details_html

HEADLINE = {
    "bleu": "BLEU {:.1f}",
    "chrf": "chrF {:.1f}",
    "rouge": "ROUGE-L F {:.2f}",
    "meteor": "METEOR {:.3f}",
}


@pytest.mark.parametrize("trap", TRAPS, ids=[t.key for t in TRAPS])
def test_every_metric_explains_every_candidate(trap: object) -> None:
    cands, refs = as_lines(trap.candidates)  # type: ignore[attr-defined]
    parsed = parse_candidates(cands, refs)
    assert [c.hypothesis for c in parsed] == [c.hypothesis for c in trap.candidates]  # type: ignore[attr-defined]
    run = score_candidates(parsed)
    for row in run.rows:
        for metric in METRICS:
            text = details_html(metric, row.results[metric].result, run)
            assert HEADLINE[metric].format(row.results[metric].score) in text
    if len(parsed) > 1:
        assert run.corpus_bleu is not None and "Corpus BLEU" in details_html(
            "bleu", run.rows[0].results["bleu"].result, run
        )
