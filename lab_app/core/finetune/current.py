"""The task model just trained, tried before it is saved: the numpy encoder and head in memory.

:class:`CurrentModel` answers to :mod:`~lab_app.core.taskmodels.infer` exactly as a store
:class:`~lab_app.core.taskmodels.task_model.TaskModel` does (``task``, ``labels``, ``encode``,
``scores``, ``run``), so "Try it" works on the run on screen and on any saved model alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, NumpyBert
from lab_app.core.finetune.task_run import TaskResult
from lab_app.core.models.encoder import Encoder, TokenBatch
from lab_app.core.taskmodels.task_model import encode


class CurrentModel:
    """A :class:`TaskResult`'s weights as a model to try (numpy forward, no ONNX)."""

    def __init__(self, result: TaskResult, tokenizer: Any, head: Any) -> None:
        if result.params is None:
            raise ValueError("the run kept no weights")
        self.result = result
        self.task = result.task
        self.labels = result.labels
        self.name = f"this run ({result.config.method}, not saved)"
        self.tokenizer = tokenizer
        self.max_positions = int(result.encoder_config.max_positions)
        self.head = head
        self.net = NumpyBert(result.encoder_config, result.params, lora_scale=result.lora_scale)

    def encode(self, first: Sequence[Any], second: Sequence[str] | None = None) -> list[Any]:
        return encode(self.tokenizer, self.max_positions, first, second)

    def scores(self, encodings: Sequence[Any]) -> np.ndarray:
        return self.run(Encoder.tokenize_encodings(encodings))

    def run(self, batch: TokenBatch) -> np.ndarray:
        b = Batch(batch.input_ids, batch.attention_mask, batch.token_type_ids)
        with np.errstate(all="ignore"):
            hidden, _ = self.net.forward(b, keep=False)
            scores, _ = self.head.forward(self.net.params, hidden, b)
        return np.asarray(scores, dtype=np.float32)
