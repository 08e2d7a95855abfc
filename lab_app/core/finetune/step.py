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
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, NumpyBert, Params
from lab_app.core.finetune.options import Kind
from lab_app.core.finetune.task_head import TaskHead
from lab_app.core.finetune.weights import embedding_names, layer_names
from lab_app.core.models.bert_config import EncoderConfig


@dataclass(frozen=True)
class Plan:
    """Which params a method trains and where its forward pass starts."""

    trainable: tuple[str, ...]
    start: int  # first transformer layer run in each step (0: from the embeddings)
    down_to: int  # lowest layer with trainable weights (-1: the embeddings)


def plan(
    kind: Kind, config: EncoderConfig, params: Params, task: TaskHead, layers: int = 2
) -> Plan:
    """The trainable params of a gradient method (``params`` already holds any LoRA tensors):
    the head's new params always, the checkpoint's weights it reads unless LoRA freezes them."""
    n = config.num_layers
    top = list(task.new_params) + (list(task.pretrained_params) if kind != "lora" else [])
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
    task: TaskHead,
    p: Plan,
    batch: Batch,
    targets: Any,
    frozen: np.ndarray | None = None,
) -> tuple[float, Grads]:
    """The head's mean loss on one batch and the gradient of every trainable param.

    ``frozen`` is the hidden state entering layer ``p.start`` (required when it is above 0)."""
    hidden, caches = net.forward(batch, p.start, frozen)
    scores, cache = task.forward(net.params, hidden, batch)
    loss, d_scores = task.loss(scores, targets)
    grads: Grads = {}
    want = frozenset(p.trainable)
    d_hidden = task.backward(net.params, d_scores, cache, grads, want)
    net.backward(d_hidden, caches, p.start, want, p.down_to, grads=grads)
    return loss, grads


def predict(
    net: NumpyBert,
    task: TaskHead,
    p: Plan,
    batch: Batch,
    frozen: np.ndarray | None = None,
) -> np.ndarray:
    """The head's scores for a batch, keeping no caches."""
    hidden, _ = net.forward(batch, p.start, frozen, keep=False)
    scores, _ = task.forward(net.params, hidden, batch)
    return scores
