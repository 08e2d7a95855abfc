"""What each fine-tuning method trains, and one step's loss and gradients.

- ``full`` (the lecture's fine-tuning I): every encoder weight and the head;
- ``partial`` (fine-tuning II): the top N transformer layers and the head; the layers below are
  frozen, so their output is computed once per example and the step starts above them;
- ``lora`` (parameter-efficient fine-tuning): LoRA adapters on every layer's query and value
  projections, and the head; the base weights are frozen;
- ``features`` (feature-based) trains no encoder weight at all and needs no gradient: see
  :mod:`lab_app.core.finetune.methods`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from lab_app.core.finetune import head
from lab_app.core.finetune.bert_numpy import Batch, Grads, NumpyBert, Params
from lab_app.core.finetune.head import Pooling
from lab_app.core.finetune.weights import embedding_names, layer_names
from lab_app.core.models.bert_config import EncoderConfig

Kind = Literal["features", "partial", "full", "lora"]
METHODS: tuple[Kind, ...] = ("features", "partial", "full", "lora")


@dataclass(frozen=True)
class Plan:
    """Which params a method trains and where its forward pass starts."""

    trainable: tuple[str, ...]
    start: int  # first transformer layer run in each step (0: from the embeddings)
    down_to: int  # lowest layer with trainable weights (-1: the embeddings)


def plan(
    kind: Kind, config: EncoderConfig, params: Params, pooling: Pooling, layers: int = 2
) -> Plan:
    """The trainable params of a gradient method (``params`` already holds any LoRA tensors)."""
    n = config.num_layers
    top = list(head.HEAD) + (list(head.POOLER) if pooling.uses_pooler and kind != "lora" else [])
    if kind == "full":
        names = embedding_names(params) + [x for i in range(n) for x in layer_names(params, i)]
        return Plan(tuple(names + top), 0, -1)
    if kind == "partial":  # methods.check_config has checked 1 <= layers <= n
        first = n - layers
        names = [x for i in range(first, n) for x in layer_names(params, i)]
        return Plan(tuple(names + top), first, first)
    if kind == "lora":
        lora = [name for name in params if ".lora_" in name]
        if not lora:
            raise ValueError("add the LoRA tensors (weights.add_lora) before planning LoRA")
        return Plan(tuple(lora + top), 0, 0)
    raise ValueError(f"{kind} trains no encoder weights")


def loss_and_grads(
    net: NumpyBert,
    pooling: Pooling,
    p: Plan,
    batch: Batch,
    labels: np.ndarray,
    frozen: np.ndarray | None = None,
) -> tuple[float, Grads]:
    """Mean cross-entropy of one batch and the gradient of every trainable param.

    ``frozen`` is the hidden state entering layer ``p.start`` (required when it is above 0)."""
    hidden, caches = net.forward(batch, p.start, frozen)
    vectors, pool_cache = head.pool(pooling, net.params, hidden, batch.attention_mask)
    scores = head.logits(net.params, vectors)
    loss, d_scores = head.cross_entropy(scores, labels)
    grads: Grads = {}
    d_vectors = head.head_back(net.params, vectors, d_scores, grads)
    want = frozenset(p.trainable)
    d_hidden = head.pool_back(pooling, net.params, d_vectors, pool_cache, grads, want)
    grads.update(net.backward(d_hidden, caches, p.start, want, p.down_to))
    return loss, grads


def predict(
    net: NumpyBert,
    pooling: Pooling,
    p: Plan,
    batch: Batch,
    frozen: np.ndarray | None = None,
) -> np.ndarray:
    """Class scores of a batch, keeping no caches."""
    hidden, _ = net.forward(batch, p.start, frozen, keep=False)
    vectors, _ = head.pool(pooling, net.params, hidden, batch.attention_mask)
    return head.logits(net.params, vectors)
