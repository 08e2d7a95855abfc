"""The training loop of the gradient methods (partial, full, LoRA): seeded batches, AdamW steps,
a held-out evaluation after every epoch, and a stop with a reason when the loss diverges."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.finetune import head
from lab_app.core.finetune.bert_numpy import NumpyBert, Params
from lab_app.core.finetune.data import Split, Tokens, batches
from lab_app.core.finetune.head import Pooling
from lab_app.core.finetune.optim import AdamW
from lab_app.core.finetune.step import Plan, loss_and_grads, predict
from lab_app.core.progress import SILENT, Progress, tick

EVAL_BATCH = 64


@dataclass(frozen=True)
class EpochStats:
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
    """One gradient run's moving parts."""

    net: NumpyBert
    pooling: Pooling
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


def scores(run: Run, rows: np.ndarray) -> np.ndarray:
    """Class scores for ``rows`` (no caches kept), in their order."""
    out = []
    for part in batches(rows, EVAL_BATCH, None):
        batch = run.tokens.batch(part)
        x = _padded(run.frozen, part, batch.input_ids.shape[1]) if run.frozen else None
        out.append(predict(run.net, run.pooling, run.plan, batch, x))
    return np.concatenate(out)


def evaluate(run: Run, rows: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy on ``rows``."""
    s = scores(run, rows)
    labels = run.split.y[rows]
    loss, _ = head.cross_entropy(s, labels)
    return loss, float((s.argmax(axis=1) == labels).mean())


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

    The new classifier head starts from nothing and learns at ``head_lr``, the pre-trained
    weights at ``lr``."""
    params: Params = run.net.params
    optimiser = AdamW(params, run.plan.trainable, lr, lr_of=dict.fromkeys(head.HEAD, head_lr))
    rng = np.random.default_rng(seed)
    steps = epochs * math.ceil(len(rows) / batch_size)
    limit = 50.0 * max(1.0, math.log(len(run.split.classes)))
    history: list[EpochStats] = []
    step = 0
    lengths = run.tokens.lengths
    for epoch in range(1, epochs + 1):
        start, losses = time.perf_counter(), []
        for part in batches(rows, batch_size, rng, lengths):
            batch = run.tokens.batch(part)
            x = _padded(run.frozen, part, batch.input_ids.shape[1]) if run.frozen else None
            with np.errstate(all="ignore"):
                loss, grads = loss_and_grads(
                    run.net, run.pooling, run.plan, batch, run.split.y[part], x
                )
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
            test_loss, accuracy = evaluate(run, run.split.test)
        stats = EpochStats(epoch, sum(losses) / len(rows), test_loss, accuracy, seconds)
        history.append(stats)
        if on_epoch is not None:
            on_epoch(stats)
    return history
