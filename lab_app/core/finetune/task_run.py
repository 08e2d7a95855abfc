"""Fine-tune any task of :mod:`tasks` (tag, qa, pair) with the lab's four methods.

The gradient methods (partial, full, LoRA) train exactly as a classifier does — the same trainer,
plans, AdamW and seeded batches — with the task's head. The feature-based method trains the head
alone on the frozen encoder's last hidden states (computed once): a linear tagger, a linear span
scorer or a linear pair classifier on features, the paper's "feature-based approach" for every
set-up. ``bert-lab finetune --task`` and the window call :func:`finetune_task`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import NumpyBert, Params
from lab_app.core.errors import UserError
from lab_app.core.finetune.methods import FineTuneConfig, check_config, resolve_pooling
from lab_app.core.finetune.step import Plan, plan
from lab_app.core.finetune.tasks import Prepared, TaskName, prepare
from lab_app.core.finetune.train import EpochStats, Run, frozen_part, scored_batches, train
from lab_app.core.finetune.weights import add_lora, load_params
from lab_app.core.models.store import ModelStore
from lab_app.core.progress import SILENT, Progress, tick


@dataclass(frozen=True)
class LabelRow:
    """One label's held-out figures (an entity type for tagging, a class for pairs)."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int

    def to_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
            "support": self.support,
        }


@dataclass(frozen=True, eq=False)
class TaskResult:
    config: FineTuneConfig
    task: TaskName
    labels: tuple[str, ...]  # tag names, pair classes, or ("start", "end")
    metrics: dict[str, float]  # held-out: loss and the task's figures
    table: tuple[LabelRow, ...]
    epochs: tuple[EpochStats, ...]
    trainable_params: int
    total_params: int
    train_examples: int
    test_examples: int
    notes: tuple[str, ...] = ()
    # What saving into the store needs.
    encoder_config: Any = None
    params: Params | None = field(default=None, repr=False)
    lora_scale: float = 1.0
    from_layer: int = 0  # the lowest layer whose weights changed (the saved graph starts there)

    @property
    def headline(self) -> float:
        return self.metrics[HEADLINE[self.task]]

    @property
    def share(self) -> float:
        return self.trainable_params / max(self.total_params, 1)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "task": self.task,
            "method": self.config.method,
            "model": self.config.model,
            "trainable_params": self.trainable_params,
            "total_params": self.total_params,
        }
        out.update({k: round(v, 6) for k, v in self.metrics.items()})
        out.update(
            labels=list(self.labels),
            per_label=[row.to_json() for row in self.table],
            epochs=[e.to_json() for e in self.epochs],
            train_examples=self.train_examples,
            test_examples=self.test_examples,
        )
        return out


HEADLINE = {"tag": "entity_f1", "qa": "f1", "pair": "accuracy", "classify": "accuracy"}


def features_plan(task: Any, layers: int) -> Plan:
    """The head alone on the frozen last layer: every encoder layer runs once, up front."""
    return Plan(tuple(task.new_params), layers, layers)


def finetune_task(
    store: ModelStore,
    task: TaskName,
    data: object,
    config: FineTuneConfig,
    *,
    on_epoch: Callable[[EpochStats], None] | None = None,
    progress: Progress = SILENT,
) -> TaskResult:
    """Train and evaluate one method on one task's data (the reader's result for ``task``)."""
    from lab_app.core.models.encoder import plain_tokenizer

    entry = store.model(config.model)
    if entry.manifest.is_decoder:
        raise UserError(f"'{entry.name}' is a decoder; choose a BERT-family model to fine-tune")
    n_layers = int(entry.manifest.layers or 0)
    check_config(config, n_layers)
    if config.layer is not None:
        raise UserError("--layer is for classification; the other tasks read the last layer")
    pooling = resolve_pooling(entry, config.pooling or ("cls" if task == "pair" else None))
    if task == "pair" and pooling.kind == "sbert":
        raise UserError("a pair head reads cls, mean or pooler pooling; sbert is for classify")
    tick(progress, 0, 1, f"Loading {entry.name}'s weights…")
    encoder_config, params = load_params(entry)
    tokenizer = plain_tokenizer(entry.file("tokenizer.json"))
    prepared = prepare(
        task, data, tokenizer, pooling, config.test_size, config.seed, encoder_config.max_positions
    )
    rng = np.random.default_rng(config.seed)
    head = prepared.head
    params.update(head.init(encoder_config.hidden_size, rng))
    scale = config.alpha / config.rank
    if config.method == "lora":
        add_lora(params, encoder_config, config.rank, rng)
    if config.method == "features":
        p = features_plan(head, encoder_config.num_layers)
    else:
        p = plan(config.method, encoder_config, params, head, config.layers)
    net = NumpyBert(encoder_config, params, lora_scale=scale)
    check_memory(prepared, encoder_config.hidden_size, p.start)
    frozen = frozen_part(net, prepared.tokens, p.start, progress) if p.start else None
    run = Run(net, head, p, prepared.tokens, prepared.split, frozen)
    features = config.method == "features"
    lr = config.head_lr if features else config.learning_rate
    history = train(
        run,
        prepared.split.train,
        epochs=config.epochs,
        lr=lr,
        head_lr=config.head_lr,
        batch_size=config.batch_size,
        seed=config.seed,
        on_epoch=on_epoch,
        progress=progress,
    )
    parts = scored_batches(run, prepared.split.test, progress)
    metrics = head.evaluate(parts)
    table = _table(prepared, parts, metrics)
    used = [n for n in params if not n.startswith("cls.")]
    if not pooling.uses_pooler:
        used = [n for n in used if not n.startswith("pooler.")]
    return TaskResult(
        replace(
            config, pooling=pooling.kind, lr=config.head_lr if features else config.learning_rate
        ),
        task,
        prepared.split.classes,
        metrics,
        table,
        tuple(history),
        trainable_params=sum(int(params[n].size) for n in p.trainable),
        total_params=sum(int(params[n].size) for n in used),
        train_examples=prepared.train_examples,
        test_examples=prepared.test_examples,
        notes=prepared.notes,
        encoder_config=encoder_config,
        params=params,
        lora_scale=scale,
        from_layer=max(p.down_to, 0) if config.method != "lora" else 0,
    )


FROZEN_LIMIT = 2 * 1024**3  # bytes of frozen hidden states a run may keep


def check_memory(prepared: Prepared, hidden: int, start: int) -> None:
    """Refuse a run whose frozen part (every row's hidden states, kept for all epochs) would not
    fit a laptop: 20,000 QA windows of a MiniLM hold 7.9 GB."""
    if not start:
        return
    need = sum(len(ids) for ids in prepared.tokens.ids) * hidden * 4
    if need > FROZEN_LIMIT:
        raise UserError(
            f"these {len(prepared.tokens.ids):,} rows would keep {need / 1024**3:.1f} GB of frozen "
            f"states (at most {FROZEN_LIMIT / 1024**3:.0f} GB): use fewer examples or shorter "
            "passages, or LoRA / full fine-tuning, which keep none"
        )


def _table(
    prepared: Prepared, parts: Sequence[tuple[np.ndarray, Any]], metrics: dict[str, float]
) -> tuple[LabelRow, ...]:
    """Per-label figures: entity types for tagging, classes for pairs (and their macro-F1)."""
    if prepared.task == "tag":
        from lab_app.core.finetune.tagging import word_tags
        from lab_app.core.taskmodels.iob import entity_scores

        tags = prepared.split.classes
        gold: list[list[str]] = []
        pred: list[list[str]] = []
        for scores, targets in parts:
            for row in range(scores.shape[0]):
                g, p = word_tags(scores[row], targets[row], tags)
                gold.append(list(g))
                pred.append(list(p))
        report = entity_scores(gold, pred)
        return tuple(
            LabelRow(name, s.precision, s.recall, s.f1, s.support)
            for name, s in sorted(report.per_label.items())
        )
    if prepared.task == "pair":
        from sklearn.metrics import precision_recall_fscore_support

        truth = np.concatenate([t for _, t in parts])
        guess = np.concatenate([s for s, _ in parts]).argmax(axis=1)
        every = list(range(len(prepared.split.classes)))
        p, r, f, n = precision_recall_fscore_support(truth, guess, labels=every, zero_division=0)
        metrics["macro_f1"] = float(np.mean(f))
        return tuple(
            LabelRow(name, float(p[i]), float(r[i]), float(f[i]), int(n[i]))
            for i, name in enumerate(prepared.split.classes)
        )
    return ()
