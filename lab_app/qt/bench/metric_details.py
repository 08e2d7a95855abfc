"""What lies behind one metric's score, as HTML: BLEU's n-gram precisions, matched n-grams and
brevity penalty; chrF's character n-grams; ROUGE's tokens (what its tokenizer kept) and overlap;
METEOR's matches, chunks and fragmentation penalty."""

from __future__ import annotations

from html import escape
from typing import Any


def _table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"


def _tokens(tokens: Any) -> str:
    return escape(" · ".join(tokens)) if tokens else "<i>(none: nothing left to count)</i>"


def bleu_html(r: Any) -> str:
    rows = [
        [n + 1, f"{m}/{t}", f"{p:.1f}%"]
        for n, (m, t, p) in enumerate(zip(r.matched, r.totals, r.precisions, strict=True))
    ]
    matched = []
    for order in r.ngrams or ():
        for g in order:
            if g.matched:
                matched.append(" ".join(g.ngram))
    return (
        f"<b>BLEU {r.score:.1f}</b> = brevity penalty {r.brevity_penalty:.3f} × geometric mean "
        f"of the clipped n-gram precisions (hypothesis {r.sys_len} tokens, reference "
        f"{r.ref_len}).{_table(['n', 'matched / in hypothesis', 'precision (smoothed)'], rows)}"
        f"<p><b>Matched n-grams:</b> {escape(' | '.join(matched[:40])) or '<i>none</i>'}</p>"
        f"<p><b>Tokens (13a):</b> {_tokens(r.hyp_tokens)}</p>"
        "<p><i>BLEU counts exact word n-grams: a synonym or a new word order scores "
        "nothing.</i></p>"
    )


def chrf_html(r: Any) -> str:
    rows = [
        [o.n, o.matched, o.in_hypothesis, o.in_reference, f"{o.precision:.2f}", f"{o.recall:.2f}"]
        for o in r.orders
    ]
    return (
        f"<b>chrF {r.score:.1f}</b>: F-score (β = {r.beta}, recall weighted) of character "
        f"n-grams, spaces removed; precision {r.precision:.2f}, recall {r.recall:.2f}."
        f"{_table(['n', 'matched', 'in hyp.', 'in ref.', 'P', 'R'], rows)}"
        "<p><i>Characters survive where words differ a little (plural, a typo, a script "
        "ROUGE cannot read).</i></p>"
    )


def rouge_html(r: Any) -> str:
    rows = [
        [name, s.overlap, s.hyp_count, s.ref_count, f"{s.precision:.2f}", f"{s.recall:.2f}",
         f"{s.fmeasure:.2f}"]
        for name, s in r.scores.items()
    ]  # fmt: skip
    best = r.scores["rougeL"]
    common = best.common
    refs = r.ref_tokens[best.reference] if r.ref_tokens else ()
    return (
        f"<b>ROUGE-L F {r.scores['rougeL'].fmeasure:.2f}</b>: ROUGE-1/2 count shared words "
        "and word pairs, ROUGE-L the longest common subsequence."
        f"{_table(['type', 'overlap', 'hyp.', 'ref.', 'P', 'R', 'F'], rows)}"
        f"<p><b>Hypothesis tokens:</b> {_tokens(r.hyp_tokens)}</p>"
        f"<p><b>Reference tokens:</b> {_tokens(refs)}</p>"
        f"<p><b>Longest common subsequence:</b> {_tokens(common)}</p>"
        "<p><i>ROUGE's tokenizer keeps only a–z and 0–9: Greek, Arabic or Chinese text "
        "leaves no token at all.</i></p>"
    )


def meteor_html(r: Any) -> str:
    best = r.references[r.best_reference] if r.references else None
    if best is None:
        return f"<b>METEOR {r.score:.3f}</b>"
    pairs = [[r.hyp_tokens[m.hyp_index], best.tokens[m.ref_index], m.kind] for m in best.matches]
    return (
        f"<b>METEOR {r.score:.3f}</b> = F-mean {best.fmean:.3f} (precision {best.precision:.2f}, "
        f"recall {best.recall:.2f}, recall weighted) × (1 − penalty {best.penalty:.3f}); the "
        f"matches fall in {best.chunks} chunk(s): fewer chunks, a word order closer to the "
        f"reference.{_table(['hypothesis', 'reference', 'match'], pairs)}"
        f"<p><i>{escape(r.matching)}: nltk's METEOR, without WordNet's data.</i></p>"
    )


RENDER = {"bleu": bleu_html, "chrf": chrf_html, "rouge": rouge_html, "meteor": meteor_html}


def details_html(metric: str, result: Any, run: Any = None) -> str:
    """The HTML for ``metric``'s ``result``; with a run of several candidates, corpus BLEU."""
    text = RENDER[metric](result)
    if metric == "bleu" and run is not None and run.corpus_bleu is not None:
        text += (
            f"<p><b>Corpus BLEU {run.corpus_bleu:.1f}</b> (all candidates' counts pooled) vs the "
            f"mean of sentence BLEUs {run.mean_sentence_bleu:.1f}: a corpus score is not an "
            "average of sentence scores.</p>"
        )
    return text
