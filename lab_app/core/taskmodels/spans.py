"""Extractive question answering: decoding a span model's start and end logits into answers.

A span model (BERT's for SQuAD, BERT paper, Figure 4c) gives every token two logits, "the answer
starts here" and "the answer ends here". Decoding (:func:`best_spans`): softmax the start and the
end logits over the window's *context* tokens only, score every span ``start <= end`` of at most
``max_answer_tokens`` tokens by ``P(start) · P(end)``, and map the best ones back to characters of
the context through the tokens' offsets. :func:`answer` does it over all windows of a question and
keeps the best spans. The Fine-tuning lab's head (:mod:`lab_app.core.finetune.span`) scores its
held-out questions with it, and a task model from the store (:mod:`~lab_app.core.taskmodels.infer`)
answers with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lab_app.core.taskmodels.squad import QaExample, Window

#: a best span less probable than this: the answer is probably not in the passage. A heuristic:
#: each window's softmax puts all its mass on the context, so even a lost model names *a* span;
#: spreading it so thin that no span reaches 5% is the sign.
NO_ANSWER_BELOW = 0.05


@dataclass(frozen=True)
class Span:
    """A candidate answer: the context's characters ``[start_char, end_char)``, its probability
    ``P(start) · P(end)``, and the window and token positions it was read from."""

    text: str
    start_char: int
    end_char: int
    score: float
    window: int = 0
    tokens: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Prediction:
    """A question's best spans, best first, and whether the best is too weak to trust."""

    spans: tuple[Span, ...]
    probably_absent: bool

    @property
    def text(self) -> str:
        return self.spans[0].text if self.spans else ""


def _context_softmax(logits: np.ndarray, valid: np.ndarray) -> np.ndarray:
    x = np.where(valid, np.asarray(logits, dtype=np.float64), -np.inf)
    if not valid.any():
        return np.zeros(len(valid))
    e = np.exp(x - x[valid].max())
    return np.asarray(e / e.sum())


def start_end_probs(
    start_logits: np.ndarray, end_logits: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Per token of ``window``: P(the answer starts here) and P(it ends here), each a softmax
    over the window's context tokens (0 for the question, the special tokens and padding)."""
    n = len(window.offsets)
    valid = np.array([o is not None for o in window.offsets], dtype=bool)
    return _context_softmax(start_logits[:n], valid), _context_softmax(end_logits[:n], valid)


def best_spans(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    window: Window,
    context: str,
    n_best: int = 20,
    max_answer_tokens: int = 30,
    index: int = 0,
) -> list[Span]:
    """The ``n_best`` most probable answer spans of one window, best first.

    Every pair of context tokens with ``start <= end < start + max_answer_tokens`` is scored by
    ``P(start) · P(end)`` (a window has a few hundred tokens: all pairs cost little, and no good
    span is missed as a shortlist of starts and ends could). ``index`` is the window's number,
    recorded in the spans."""
    p_start, p_end = start_end_probs(start_logits, end_logits, window)
    n = len(p_start)
    valid = np.array([o is not None for o in window.offsets], dtype=bool)
    i, j = np.indices((n, n))
    allowed = valid[:, None] & valid[None, :] & (j >= i) & (j - i < max_answer_tokens)
    scores = np.where(allowed, np.outer(p_start, p_end), -1.0).ravel()
    k = min(n_best, int(allowed.sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    top = top[np.argsort(-scores[top], kind="stable")]
    out = []
    for flat in top:
        s, e = divmod(int(flat), n)
        first, last = window.offsets[s], window.offsets[e]
        assert first is not None and last is not None
        a, b = first[0], last[1]
        out.append(Span(context[a:b], a, b, float(scores[flat]), index, (s, e)))
    return out


def answer(
    example: QaExample,
    windows: Sequence[Window],
    logits: Sequence[np.ndarray],
    top_k: int = 5,
    max_answer_tokens: int = 30,
    indices: Sequence[int] | None = None,
) -> Prediction:
    """The question's ``top_k`` best spans over all its ``windows`` (``logits[i]`` is window
    ``i``'s ``[T, 2]`` start and end logits). A span seen in two overlapping windows counts once,
    with its better score. ``indices`` are the windows' numbers, kept in the spans."""
    best: dict[tuple[int, int], Span] = {}
    for n, (window, scores) in enumerate(zip(windows, logits, strict=True)):
        index = indices[n] if indices is not None else n
        for span in best_spans(
            scores[:, 0], scores[:, 1], window, example.context, top_k, max_answer_tokens, index
        ):
            key = (span.start_char, span.end_char)
            if key not in best or span.score > best[key].score:
                best[key] = span
    spans = tuple(sorted(best.values(), key=lambda s: -s.score)[:top_k])
    return Prediction(spans, not spans or spans[0].score < NO_ANSWER_BELOW)
