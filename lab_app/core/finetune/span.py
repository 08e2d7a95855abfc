"""Extractive question answering: the span head, its loss and gradients.

The head is BERT's for SQuAD (BERT paper, Figure 4c): one Linear layer ``qa_outputs`` maps every
token's last hidden state to two logits, "the answer starts here" and "the answer ends here".
Training minimises the mean of the two softmax cross-entropies over the window's positions (what
``BertForQuestionAnswering`` computes); padding positions get the logit :data:`PAD_LOGIT`, so a
window's loss does not depend on how much its batch is padded.

Decoding the logits into answers (:func:`~lab_app.core.taskmodels.spans.answer`) lives with the
task models in :mod:`lab_app.core.taskmodels.spans`, which a saved QA model answers with too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, Params, add_grad
from lab_app.core.finetune.data import Tokens
from lab_app.core.finetune.head import cross_entropy
from lab_app.core.finetune.task_head import TaskHead
from lab_app.core.taskmodels.spans import Prediction, answer
from lab_app.core.taskmodels.squad import QaExample, Window, squad_scores

QA_HEAD = ("qa_outputs.weight", "qa_outputs.bias")
PAD_LOGIT = -1.0e4  # a padding position's start and end logit: exp() of it is 0 in float32


@dataclass(frozen=True)
class SpanTargets:
    """A batch's targets: each window's answer start and end token, and its row in the dataset
    (so that evaluation can find the window and its question)."""

    starts: np.ndarray
    ends: np.ndarray
    rows: np.ndarray


def tokens_of(windows: Sequence[Window]) -> Tokens:
    """The windows' token ids and types, as the trainer batches them."""
    return Tokens(tuple(w.ids for w in windows), tuple(w.types for w in windows), 0)


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
