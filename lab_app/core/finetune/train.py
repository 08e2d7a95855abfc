"""The training loop of the gradient methods (partial, full, LoRA): seeded batches, AdamW steps,
a held-out evaluation after every epoch, and a stop with a reason when the loss diverges."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import NumpyBert, Params
from lab_app.core.engine.optim import AdamW
from lab_app.core.errors import Cancelled, UserError
from lab_app.core.finetune.data import Split, Tokens, batches
from lab_app.core.finetune.step import Plan, loss_and_grads, predict
from lab_app.core.finetune.task_head import TaskHead
from lab_app.core.progress import SILENT, Progress, tick

EVAL_BATCH = 64


@dataclass(frozen=True)
class EpochStats:
    """One epoch's figures; ``test_accuracy`` is the head's headline metric on the held-out
    split (accuracy for a classifier)."""

    epoch: int
    train_loss: float
    test_loss: float
    test_accuracy: float
    seconds: float

    def to_json(self) -> dict[str, float]:
        return {
            "train_loss": round(self.train_loss, 6),
            "test_loss": round(self.test_loss, 6),
            "test_accuracy": round(self.test_accuracy, 6),
            "seconds": round(self.seconds, 3),
        }


class Diverged(UserError):
    """The loss became NaN, infinite or exploded: the run stops and says why."""


@dataclass
class Run:
    """One gradient run's moving parts; ``split.y`` holds each example's targets, in whatever
    form ``task.collate`` takes."""

    net: NumpyBert
    task: TaskHead
    plan: Plan
    tokens: Tokens
    split: Split
    frozen: list[np.ndarray] | None  # per example: the hidden state entering plan.start


def frozen_part(net: NumpyBert, tokens: Tokens, start: int, progress: Progress) -> list[np.ndarray]:
    """The frozen layers' output for every example, computed once (partial fine-tuning)."""
    out: list[np.ndarray] = [np.empty(0, np.float32)] * len(tokens.ids)
    order = np.argsort([len(t) for t in tokens.ids], kind="stable")
    for done, rows in enumerate(batches(order, EVAL_BATCH, None), 1):
        hidden = net.hidden_at(tokens.batch(rows), start)
        for i, r in enumerate(rows):
            out[r] = hidden[i, : len(tokens.ids[r])]
        tick(progress, done, math.ceil(len(order) / EVAL_BATCH), "Running the frozen layers once…")
    return out


def _padded(frozen: list[np.ndarray], rows: np.ndarray, width: int) -> np.ndarray:
    h = frozen[rows[0]].shape[-1]
    x = np.zeros((len(rows), width, h), dtype=np.float32)
    for i, r in enumerate(rows):
        x[i, : len(frozen[r])] = frozen[r]
    return x


def scored_batches(
    run: Run, rows: np.ndarray, cancelled: Progress = SILENT
) -> list[tuple[np.ndarray, Any]]:
    """The head's scores and targets for ``rows`` in evaluation batches (no caches kept); each
    batch is a cancel point of ``cancelled`` (its ticks are not shown: the epoch's bar stays)."""
    out = []
    for part in batches(rows, EVAL_BATCH, None):
        if cancelled.cancelled():
            raise Cancelled()
        batch = run.tokens.batch(part)
        width = batch.input_ids.shape[1]
        x = _padded(run.frozen, part, width) if run.frozen else None
        scores = predict(run.net, run.task, run.plan, batch, x)
        out.append((scores, run.task.collate(run.split.y, part, width)))
    return out


def scores(run: Run, rows: np.ndarray) -> np.ndarray:
    """Scores for ``rows``, in their order, for heads with one row of scores per example."""
    return np.concatenate([s for s, _ in scored_batches(run, rows)])


def evaluate(run: Run, rows: np.ndarray, cancelled: Progress = SILENT) -> dict[str, float]:
    """The head's metrics on ``rows`` (``loss`` and its headline among them)."""
    return run.task.evaluate(scored_batches(run, rows, cancelled))


def train(
    run: Run,
    rows: np.ndarray,
    *,
    epochs: int,
    lr: float,
    head_lr: float,
    batch_size: int,
    seed: int,
    on_epoch: Callable[[EpochStats], None] | None = None,
    progress: Progress = SILENT,
) -> list[EpochStats]:
    """Train ``run.plan.trainable`` on ``rows``; after each epoch, evaluate on the test split.

    The head's new params start from nothing and learn at ``head_lr``, the pre-trained
    weights at ``lr``."""
    params: Params = run.net.params
    task = run.task
    optimiser = AdamW(params, run.plan.trainable, lr, lr_of=dict.fromkeys(task.new_params, head_lr))
    rng = np.random.default_rng(seed)
    steps = epochs * math.ceil(len(rows) / batch_size)
    limit = task.divergence_limit()
    history: list[EpochStats] = []
    step = 0
    lengths = run.tokens.lengths
    for epoch in range(1, epochs + 1):
        start, losses = time.perf_counter(), []
        for part in batches(rows, batch_size, rng, lengths):
            batch = run.tokens.batch(part)
            width = batch.input_ids.shape[1]
            x = _padded(run.frozen, part, width) if run.frozen else None
            targets = task.collate(run.split.y, part, width)
            with np.errstate(all="ignore"):
                loss, grads = loss_and_grads(run.net, task, run.plan, batch, targets, x)
            step += 1
            if not math.isfinite(loss) or loss > limit:
                raise Diverged(
                    f"training stopped at epoch {epoch}, step {step}: the loss became "
                    f"{'NaN' if math.isnan(loss) else f'{loss:.3g}'} — the learning rate {lr:g} "
                    "is too large for this method; try one ten times smaller"
                )
            optimiser.step(grads)
            losses.append(loss * len(part))
            tick(progress, step, steps, f"Epoch {epoch}/{epochs} · loss {loss:.3f}")
        seconds = time.perf_counter() - start
        with np.errstate(all="ignore"):
            metrics = evaluate(run, run.split.test, progress)
        stats = EpochStats(
            epoch, sum(losses) / len(rows), metrics["loss"], metrics[task.headline], seconds
        )
        history.append(stats)
        if on_epoch is not None:
            on_epoch(stats)
    return history
