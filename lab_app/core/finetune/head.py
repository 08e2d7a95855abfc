"""Sequence classification, the first :class:`~lab_app.core.finetune.task_head.TaskHead`:
pooling, a Linear layer, softmax cross-entropy, and their gradients (the other half of
:mod:`bert_numpy`'s hand-written backward pass).

Poolings are those of the Embeddings lab: ``cls`` (the first token), ``mean`` (of the real
tokens), ``pooler`` (BERT's ``tanh(dense([CLS]))``) and ``sbert`` (the model's own
sentence-transformers pooling: mean, L2-normalised where the model says so).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, Params, add_grad
from lab_app.core.finetune.task_head import TaskHead

HEAD = ("classifier.weight", "classifier.bias")
POOLER = ("pooler.dense.weight", "pooler.dense.bias")


@dataclass(frozen=True)
class Pooling:
    kind: str  # cls | mean | pooler | sbert
    normalize: bool = False  # sbert: L2-normalise the mean

    @property
    def uses_pooler(self) -> bool:
        return self.kind == "pooler"


def pool(
    pooling: Pooling, params: Params, hidden: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, dict[str, Any]]:
    cache: dict[str, Any] = {"shape": hidden.shape}
    if pooling.kind in ("cls", "pooler"):
        first = hidden[:, 0, :]
        if pooling.kind == "cls":
            return first, cache
        out = np.tanh(first @ params[POOLER[0]] + params[POOLER[1]])
        cache.update(first=first, out=out)
        return out, cache
    weights = mask[..., None].astype(np.float32)
    count = np.clip(weights.sum(axis=1), 1e-9, None)
    mean = (hidden * weights).sum(axis=1) / count
    cache.update(weights=weights, count=count)
    if pooling.kind == "sbert" and pooling.normalize:
        norm = np.clip(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12, None)
        out = mean / norm
        cache.update(norm=norm, out=out)
        return out, cache
    return mean, cache


def pool_back(
    pooling: Pooling,
    params: Params,
    dv: np.ndarray,
    cache: dict[str, Any],
    grads: Grads,
    want: Collection[str],
) -> np.ndarray:
    """The gradient of the hidden states from the gradient of the pooled vectors."""
    dh = np.zeros(cache["shape"], dtype=np.float32)
    if pooling.kind in ("cls", "pooler"):
        if pooling.kind == "pooler":
            d_pre = dv * (1.0 - cache["out"] ** 2)
            if POOLER[0] in want:
                add_grad(grads, POOLER[0], cache["first"].T @ d_pre)
            if POOLER[1] in want:
                add_grad(grads, POOLER[1], d_pre.sum(axis=0))
            dv = d_pre @ params[POOLER[0]].T
        dh[:, 0, :] = dv
        return dh
    if "norm" in cache:
        y = cache["out"]
        dv = (dv - y * (dv * y).sum(axis=1, keepdims=True)) / cache["norm"]
    dh[:] = (dv / cache["count"])[:, None, :] * cache["weights"]
    return dh


def logits(params: Params, vectors: np.ndarray) -> np.ndarray:
    return np.asarray(vectors @ params[HEAD[0]] + params[HEAD[1]], dtype=np.float32)


def cross_entropy(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = scores.shape[0]
    loss = float(-log_probs[np.arange(n), labels].mean())
    d = np.exp(log_probs)
    d[np.arange(n), labels] -= 1.0
    return loss, (d / n).astype(np.float32)


def head_back(
    params: Params, vectors: np.ndarray, d_scores: np.ndarray, grads: Grads
) -> np.ndarray:
    """Gradients of the classifier (always trained) and of its input vectors."""
    add_grad(grads, HEAD[0], vectors.T @ d_scores)
    add_grad(grads, HEAD[1], d_scores.sum(axis=0))
    return np.asarray(d_scores @ params[HEAD[0]].T, dtype=np.float32)


def init_head(hidden: int, classes: int, rng: np.random.Generator) -> Params:
    """BERT's initialisation: normal(0, 0.02) weights, zero bias."""
    return {
        HEAD[0]: (rng.standard_normal((hidden, classes)) * 0.02).astype(np.float32),
        HEAD[1]: np.zeros(classes, dtype=np.float32),
    }


class SequenceClassification(TaskHead):
    """One label per text from a pooled vector (BERT paper, Figure 4b)."""

    new_params = HEAD

    def __init__(self, pooling: Pooling, classes: int) -> None:
        self.pooling = pooling
        self.classes = classes
        self.pretrained_params = POOLER if pooling.uses_pooler else ()

    def init(self, hidden: int, rng: np.random.Generator) -> Params:
        return init_head(hidden, self.classes, rng)

    def forward(self, params: Params, hidden: np.ndarray, batch: Batch) -> tuple[np.ndarray, Any]:
        vectors, pool_cache = pool(self.pooling, params, hidden, batch.attention_mask)
        return logits(params, vectors), (vectors, pool_cache)

    def loss(self, scores: np.ndarray, targets: Any) -> tuple[float, np.ndarray]:
        return cross_entropy(scores, targets)

    def backward(
        self,
        params: Params,
        d_scores: np.ndarray,
        cache: Any,
        grads: Grads,
        want: Collection[str],
    ) -> np.ndarray:
        vectors, pool_cache = cache
        d_vectors = head_back(params, vectors, d_scores, grads)
        return pool_back(self.pooling, params, d_vectors, pool_cache, grads, want)

    def collate(self, targets: Any, rows: np.ndarray, width: int) -> Any:
        return np.asarray(targets)[rows]

    def evaluate(self, parts: Sequence[tuple[np.ndarray, Any]]) -> dict[str, float]:
        scores = np.concatenate([s for s, _ in parts])
        labels = np.concatenate([t for _, t in parts])
        loss, _ = cross_entropy(scores, labels)
        return {"loss": loss, "accuracy": float((scores.argmax(axis=1) == labels).mean())}

    def divergence_limit(self) -> float:
        return 50.0 * max(1.0, math.log(self.classes))
