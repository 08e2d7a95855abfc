"""Several candidates scored by every text metric at once, beside an embedding similarity.

BLEU, chrF, ROUGE and METEOR count shared surface text; a sentence encoder's cosine similarity
(SBERT, ``all-MiniLM-L6-v2`` in the store) compares meanings. Side by side they show where the
counts and the meaning part ways. With more than one candidate, corpus BLEU (the n-gram counts of
all candidates pooled, then one score) stands beside the mean of the sentence BLEUs, which it is
not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.bench.textinput import MAX_CHARS
from lab_app.core.bench.textmetrics import METRICS, Candidate, MetricResult, corpus_bleu, score
from lab_app.core.errors import UserError
from lab_app.core.progress import SILENT, Progress, tick

SIMILARITY_MODEL = "all-MiniLM-L6-v2"
MAX_CANDIDATES = 50
MAX_REFERENCES = 20


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    results: dict[str, MetricResult]
    similarity: float | None  # cosine with the closest reference; None without an encoder


@dataclass(frozen=True)
class MetricsRun:
    rows: tuple[Scored, ...]
    corpus_bleu: float | None  # with two or more candidates
    mean_sentence_bleu: float
    similarity_model: str  # "" when no encoder answered
    similarity_note: str  # why there is no similarity, if there is none

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": [
                {
                    "label": s.candidate.label,
                    "hypothesis": s.candidate.hypothesis,
                    "references": list(s.candidate.references),
                    "scores": {m: r.score for m, r in s.results.items()},
                    "similarity": s.similarity,
                }
                for s in self.rows
            ],
            "corpus_bleu": self.corpus_bleu,
            "mean_sentence_bleu": self.mean_sentence_bleu,
            "similarity_model": self.similarity_model,
        }


def parse_candidates(candidates: str, references: str) -> list[Candidate]:
    """Candidates one a line, each against the reference lines; a candidate line with tabs
    carries its own references after its first tab (``hypothesis<TAB>reference<TAB>…``)."""
    if len(candidates) > MAX_CHARS * 5 or len(references) > MAX_CHARS * 5:
        raise UserError(f"the texts are too long: at most {MAX_CHARS * 5:,} characters each")
    shared = tuple(r.strip() for r in references.splitlines() if r.strip())
    lines = [c for c in candidates.splitlines() if c.strip()]
    if not lines:
        raise UserError("there is no candidate: write a hypothesis to score, one a line")
    if len(lines) > MAX_CANDIDATES:
        raise UserError(f"{len(lines)} candidates: at most {MAX_CANDIDATES} are scored at once")
    out = []
    for n, line in enumerate(lines, 1):
        hyp, *own = (part.strip() for part in line.split("\t"))
        refs = tuple(r for r in own if r) or shared
        if not refs:
            raise UserError(
                f"candidate {n} has no reference: give at least one reference line "
                "(or after a tab on its own line)"
            )
        if len(refs) > MAX_REFERENCES:
            raise UserError(f"candidate {n} has {len(refs)} references; at most {MAX_REFERENCES}")
        out.append(Candidate(f"candidate {n}", hyp, refs))
    return out


def as_lines(candidates: Sequence[Candidate]) -> tuple[str, str]:
    """The inverse of :func:`parse_candidates`: (candidate lines, shared reference lines)."""
    shared = candidates[0].references if candidates else ()
    if all(c.references == shared for c in candidates):
        return "\n".join(c.hypothesis for c in candidates), "\n".join(shared)
    return "\n".join("\t".join((c.hypothesis, *c.references)) for c in candidates), ""


def _cosines(vectors: np.ndarray, pairs: Sequence[tuple[int, Sequence[int]]]) -> list[float]:
    unit = vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return [float(max(unit[h] @ unit[r] for r in refs)) for h, refs in pairs]


def score_candidates(
    candidates: Sequence[Candidate], encoder: Any = None, *, progress: Progress = SILENT
) -> MetricsRun:
    """Every metric of :data:`METRICS` for each candidate, the encoder's cosine similarity to
    its closest reference (when ``encoder`` is given) and, for two or more, corpus BLEU."""
    if not candidates:
        raise UserError("there is no candidate to score")
    rows = []
    for n, c in enumerate(candidates):
        tick(progress, n, len(candidates), f"scoring candidate {n + 1}")
        rows.append((c, {m: score(m, c.hypothesis, c.references) for m in METRICS}))
    similarities: list[float | None] = [None] * len(rows)
    model, note = "", "no sentence encoder was asked for"
    if encoder is not None:
        from lab_app.core.models.embed import embed

        texts: list[str] = []
        pairs: list[tuple[int, list[int]]] = []
        for c in candidates:
            start = len(texts)
            texts.extend((c.hypothesis or " ", *c.references))
            pairs.append((start, list(range(start + 1, len(texts)))))
        vectors = embed(encoder, texts, pooling="sbert", progress=progress).vectors
        similarities = list(_cosines(vectors, pairs))
        model, note = str(encoder.name), ""
    bleus = [r["bleu"].score for _, r in rows]
    pooled = None
    if len(candidates) > 1:
        pooled = corpus_bleu([c.hypothesis for c in candidates],
                             [list(c.references) for c in candidates]).score  # fmt: skip
    scored = tuple(Scored(c, r, s) for (c, r), s in zip(rows, similarities, strict=True))
    return MetricsRun(scored, pooled, float(np.mean(bleus)), model, note)
