"""The text metrics' traps (what each one shows, as relations between scores) and the one entry
point the command line uses, :func:`score`: its JSON, empty hypotheses, and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lab_app.core.bench import textmetrics as tm
from lab_app.core.errors import UserError

# --- the traps ------------------------------------------------------------------------------


def _trap(key: str) -> tm.Trap:
    return next(trap for trap in tm.TRAPS if trap.key == key)


def _scores(metric: str, trap: tm.Trap) -> list[float]:
    return [tm.score(metric, c.hypothesis, c.references).score for c in trap.candidates]


def test_traps_are_complete_data() -> None:
    assert [t.key for t in tm.TRAPS] == [
        "paraphrase",
        "copied_input",
        "non_latin",
        "sentence_vs_corpus",
    ]
    for trap in tm.TRAPS:
        assert trap.title and trap.candidates and set(trap.metrics) <= set(tm.METRICS)
        assert trap.explanation.endswith(".") and ". " not in trap.explanation  # one sentence
        for metric in trap.metrics:
            _scores(metric, trap)


def test_trap_paraphrase() -> None:
    trap = _trap("paraphrase")
    for metric in trap.metrics:
        paraphrase, opposite = _scores(metric, trap)
        assert opposite > 2 * paraphrase, metric


def test_trap_copied_input() -> None:
    trap = _trap("copied_input")
    lead, faithful, whole = trap.candidates
    assert lead.hypothesis in trap.source and whole.hypothesis == trap.source
    for kind in tm.ROUGE_TYPES:
        scores = [
            tm.rouge(c.hypothesis, c.references).scores[kind].fmeasure
            for c in (lead, faithful, whole)
        ]
        assert scores[0] > scores[1] and scores[2] > scores[1], kind
    bleu = _scores("bleu", trap)
    assert bleu[0] > bleu[1] and bleu[2] > bleu[1]


def test_trap_non_latin() -> None:
    trap = _trap("non_latin")
    copy, _ = trap.candidates
    assert copy.hypothesis == copy.references[0]
    for candidate in trap.candidates:
        result = tm.rouge(candidate.hypothesis, candidate.references)
        assert result.hyp_tokens == () and result.ref_tokens == ((),)
        assert all(s.fmeasure == 0 for s in result.scores.values())
    chrf_copy, chrf_wrong = _scores("chrf", trap)
    assert chrf_copy == pytest.approx(100) and chrf_wrong < chrf_copy / 2


def test_trap_sentence_vs_corpus() -> None:
    trap = _trap("sentence_vs_corpus")
    assert trap.corpus
    hyps = [c.hypothesis for c in trap.candidates]
    refs = [c.references for c in trap.candidates]
    sentence = [tm.sentence_bleu(h, r).score for h, r in zip(hyps, refs, strict=True)]
    corpus = tm.corpus_bleu(hyps, refs).score
    assert sum(sentence) / len(sentence) > 1.5 * corpus > 0  # "about twice"


# --- score() and bad input ------------------------------------------------------------------


@pytest.mark.parametrize("metric", tm.METRICS)
def test_score_is_json(metric: str) -> None:
    result = tm.score(metric.upper(), "The cat sat on the mat.", ["A cat sat on a mat."])
    as_json = result.as_json()
    assert json.loads(json.dumps(as_json)) == as_json
    assert as_json["metric"] == metric and as_json["score"] > 0
    assert as_json["details"]["scale"] in ("0-100", "0-1")


@pytest.mark.parametrize("metric", tm.METRICS)
def test_empty_hypothesis_scores_zero(metric: str) -> None:
    assert tm.score(metric, "", ["Some reference."]).score == 0


def test_score_headlines() -> None:
    rouge = tm.score("rouge", "the cat", ["the cat sat"])
    assert rouge.score == rouge.details["scores"]["rougeL"]["fmeasure"]
    assert tm.score("bleu", "x", "x").score == pytest.approx(100)  # a bare string: one reference


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tm.score("bleurt", "a", ["a"]), "unknown metric 'bleurt'"),
        (lambda: tm.score("bleu", "a", []), "give at least one reference"),
        (lambda: tm.score("rouge", "a", []), "give at least one reference"),
        (lambda: tm.score("chrf", "a" * (tm.MAX_CHARS + 1), ["a"]), "limit is 20,000"),
        (lambda: tm.score("meteor", "a", ["b", "a" * (tm.MAX_CHARS + 1)]), "reference has"),
        (lambda: tm.corpus_bleu(["a", "b"], [["a"]]), "2 hypotheses but 1 reference"),
        (lambda: tm.corpus_chrf([], []), "at least one hypothesis"),
        (lambda: tm.corpus_bleu(["a"], [[]]), "give at least one reference"),
    ],
)
def test_bad_input_is_a_user_error(call: Any, message: str) -> None:
    with pytest.raises(UserError, match=message):
        call()


def test_texts_at_the_limit_are_scored() -> None:
    text = ("word " * tm.MAX_CHARS)[: tm.MAX_CHARS]
    for metric in tm.METRICS:
        assert tm.score(metric, text, [text]).score > 0
