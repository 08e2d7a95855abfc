"""Extractive question answering: the span head, its loss and gradients, and answer decoding.

The head is BERT's for SQuAD (BERT paper, Figure 4c): one Linear layer ``qa_outputs`` maps every
token's last hidden state to two logits, "the answer starts here" and "the answer ends here".
Training minimises the mean of the two softmax cross-entropies over the window's positions (what
``BertForQuestionAnswering`` computes); padding positions get the logit :data:`PAD_LOGIT`, so a
window's loss does not depend on how much its batch is padded.

Decoding (:func:`best_spans`): softmax the start and the end logits over the window's *context*
tokens only, score every span ``start <= end`` of at most ``max_answer_tokens`` tokens by
``P(start) · P(end)``, and map the best ones back to characters of the context through the
tokens' offsets. :func:`answer` does it over all windows of a question and keeps the best spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, Params, add_grad
from lab_app.core.finetune.head import cross_entropy
from lab_app.core.finetune.squad import QaExample, Window, squad_scores
from lab_app.core.finetune.task_head import TaskHead

QA_HEAD = ("qa_outputs.weight", "qa_outputs.bias")
PAD_LOGIT = -1.0e4  # a padding position's start and end logit: exp() of it is 0 in float32
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


@dataclass(frozen=True)
class SpanTargets:
    """A batch's targets: each window's answer start and end token, and its row in the dataset
    (so that evaluation can find the window and its question)."""

    starts: np.ndarray
    ends: np.ndarray
    rows: np.ndarray


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


class SpanExtraction(TaskHead):
    """Extractive QA: the answer's start and end token from every token's hidden state."""

    new_params = QA_HEAD
    headline = "f1"

    def __init__(
        self,
        windows: Sequence[Window],
        examples: Sequence[QaExample],
        n_best: int = 20,
        max_answer_tokens: int = 30,
    ) -> None:
        self.windows = windows
        self.examples = examples
        self.n_best = n_best
        self.max_answer_tokens = max_answer_tokens

    def init(self, hidden: int, rng: np.random.Generator) -> Params:
        """BERT's initialisation: normal(0, 0.02) weights ``[H, 2]``, zero bias."""
        return {
            QA_HEAD[0]: (rng.standard_normal((hidden, 2)) * 0.02).astype(np.float32),
            QA_HEAD[1]: np.zeros(2, dtype=np.float32),
        }

    def forward(self, params: Params, hidden: np.ndarray, batch: Batch) -> tuple[np.ndarray, Any]:
        """``[B, T, 2]`` start and end logits; :data:`PAD_LOGIT` at padding positions."""
        keep = batch.attention_mask[..., None].astype(bool)
        raw = hidden @ params[QA_HEAD[0]] + params[QA_HEAD[1]]
        scores = np.where(keep, raw, np.float32(PAD_LOGIT)).astype(np.float32)
        return scores, (hidden, keep)

    def loss(self, scores: np.ndarray, targets: Any) -> tuple[float, np.ndarray]:
        """``(CE(start) + CE(end)) / 2``, each the batch's mean over its windows."""
        assert isinstance(targets, SpanTargets)
        l_start, d_start = cross_entropy(scores[..., 0], targets.starts)
        l_end, d_end = cross_entropy(scores[..., 1], targets.ends)
        d = np.stack([d_start, d_end], axis=-1) * np.float32(0.5)
        return (l_start + l_end) / 2, d.astype(np.float32)

    def backward(
        self,
        params: Params,
        d_scores: np.ndarray,
        cache: Any,
        grads: Grads,
        want: Collection[str],
    ) -> np.ndarray:
        hidden, keep = cache
        d = np.where(keep, d_scores, np.float32(0.0)).astype(np.float32)  # padding is constant
        h = hidden.shape[-1]
        add_grad(grads, QA_HEAD[0], hidden.reshape(-1, h).T @ d.reshape(-1, 2))
        add_grad(grads, QA_HEAD[1], d.sum(axis=(0, 1)))
        return np.asarray(d @ params[QA_HEAD[0]].T, dtype=np.float32)

    def collate(self, targets: Any, rows: np.ndarray, width: int) -> SpanTargets:
        """``targets`` is the ``[N, 2]`` array of every window's ``(start, end)``."""
        picked = np.asarray(targets)[rows]
        if picked.size and int(picked.max()) >= width:
            raise ValueError(f"an answer token lies past the batch's {width} positions")
        return SpanTargets(picked[:, 0], picked[:, 1], np.asarray(rows))

    def predictions(self, parts: Sequence[tuple[np.ndarray, Any]]) -> dict[int, Prediction]:
        """Each question of the scored windows (by example index) and its decoded answer."""
        grouped: dict[int, list[tuple[int, np.ndarray]]] = defaultdict(list)
        for scores, targets in parts:
            for i, row in enumerate(targets.rows):
                window = self.windows[int(row)]
                grouped[window.example].append((int(row), scores[i, : len(window.ids)]))
        out = {}
        for example, items in grouped.items():
            rows = [r for r, _ in items]
            out[example] = answer(
                self.examples[example],
                [self.windows[r] for r in rows],
                [s for _, s in items],
                self.n_best,
                self.max_answer_tokens,
                rows,
            )
        return out

    def evaluate(self, parts: Sequence[tuple[np.ndarray, Any]]) -> dict[str, float]:
        """The mean loss over the windows, and the official SQuAD v1.1 ``exact_match`` and
        ``f1`` (0..1) of each held-out question's best span over all its windows."""
        total = sum(len(t.rows) for _, t in parts)
        loss = sum(self.loss(s, t)[0] * len(t.rows) for s, t in parts) / max(total, 1)
        found = self.predictions(parts)
        texts = {self.examples[e].id: p.text for e, p in found.items()}
        scores = squad_scores(texts, [self.examples[e] for e in found])
        return {"loss": float(loss), **scores}
