"""The seam between the encoder and a task: what a fine-tuning *head* must provide.

The encoder's numpy forward and backward (:mod:`bert_numpy`) know nothing about tasks: they end
at the last hidden states ``[B, T, H]`` and start back from their gradient. A task — sequence
classification, token tagging, a span's start and end, a tied masked-LM decoder — is a
:class:`TaskHead`: its own parameters, a forward from the hidden states to scores, a loss, a
backward that returns the hidden states' gradient and *adds* into the gradient store (a tied
decoder's gradient lands on the word embeddings, which the encoder's backward adds to as well),
and its metrics. The trainer, the methods (partial, full, LoRA), saving and the learning curve are
written against this class only, so a new task is one new subclass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, Params


class TaskHead(ABC):
    """One task on top of the encoder's last hidden states."""

    #: params that start from nothing: always trained, at the head's own learning rate
    new_params: tuple[str, ...] = ()
    #: the checkpoint's own weights the head reads (BERT's pooler, the MLM transform): trained
    #: with the encoder by full and partial fine-tuning, frozen by LoRA
    pretrained_params: tuple[str, ...] = ()
    #: the metric :meth:`evaluate` returns that a learning curve plots and an epoch reports
    headline: str = "accuracy"

    @abstractmethod
    def init(self, hidden: int, rng: np.random.Generator) -> Params:
        """Fresh values of :attr:`new_params` for an encoder of width ``hidden``."""

    @abstractmethod
    def forward(self, params: Params, hidden: np.ndarray, batch: Batch) -> tuple[np.ndarray, Any]:
        """Scores from the last hidden states, and what :meth:`backward` needs."""

    @abstractmethod
    def loss(self, scores: np.ndarray, targets: Any) -> tuple[float, np.ndarray]:
        """The batch's mean loss and its gradient with respect to ``scores``."""

    @abstractmethod
    def backward(
        self,
        params: Params,
        d_scores: np.ndarray,
        cache: Any,
        grads: Grads,
        want: Collection[str],
    ) -> np.ndarray:
        """Add the gradients of the head's params (those in ``want`` and :attr:`new_params`) into
        ``grads`` with :func:`~lab_app.core.engine.bert_numpy.add_grad`, and return the
        gradient of the hidden states."""

    @abstractmethod
    def collate(self, targets: Any, rows: np.ndarray, width: int) -> Any:
        """The targets of ``rows`` (indices into the dataset's per-example ``targets``) for a
        batch padded to ``width`` positions."""

    @abstractmethod
    def evaluate(self, parts: Sequence[tuple[np.ndarray, Any]]) -> dict[str, float]:
        """``loss`` and :attr:`headline` (at least) over batches of ``(scores, targets)``."""

    def divergence_limit(self) -> float:
        """A loss above this means the run has diverged (the trainer stops and says why)."""
        return 50.0
