"""The fine-tuning lab as one function: :func:`finetune` runs a method on a labelled dataset and a
store model and returns a :class:`FineTuneResult`. ``bert-lab finetune`` and the GUI tab call it.

All four methods share the seeded, stratified split, the tokenisation and the evaluation, so their
figures compare like for like. The feature-based classifier is scikit-learn's logistic regression
on the frozen encoder's vectors (run by ONNX Runtime, as the Embeddings lab embeds); the other three
train with the hand-written numpy backward pass (:mod:`bert_numpy`).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from lab_app.core.engine.bert_numpy import NumpyBert, Params
from lab_app.core.errors import UserError
from lab_app.core.finetune.data import MAX_TOKENS, Split, make_split, tokenize
from lab_app.core.finetune.head import Pooling, SequenceClassification
from lab_app.core.finetune.options import (
    BATCH_SIZE,
    DEFAULT_LR,
    EPOCHS,
    LAYERS,
    METHODS,
    POOLINGS,
    RANK,
    Kind,
)
from lab_app.core.finetune.step import plan
from lab_app.core.finetune.train import EpochStats, Run, frozen_part, scores, train
from lab_app.core.finetune.weights import add_lora, load_params
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.lru import LruCache
from lab_app.core.models.store import Entry, ModelStore
from lab_app.core.progress import SILENT, Progress, Relabelled, tick
from lab_app.core.seeds import check_seed


@dataclass(frozen=True)
class FineTuneConfig:
    model: str
    method: Kind = "lora"
    pooling: str | None = None  # None: the model's own SBERT pooling, else cls
    layer: int | None = None  # features: which layer's vectors (None: the last)
    layers: int = LAYERS.default  # partial: how many top layers train
    rank: int = RANK.default  # lora
    alpha: float = 16.0  # lora: the update is scaled by alpha / rank
    epochs: int = EPOCHS.default
    lr: float | None = None
    head_lr: float = 3e-3  # the new head's learning rate (it starts from nothing)
    batch_size: int = BATCH_SIZE.default
    test_size: float = 0.2
    seed: int = 0

    @property
    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR.get(self.method, 0.0)

    def label(self) -> str:
        extra = {
            "features": f"layer {self.layer if self.layer is not None else 'last'}",
            "partial": f"top {self.layers} layers",
            "full": "all layers",
            "lora": f"rank {self.rank}",
        }[self.method]
        return f"{self.method} · {extra} · {self.pooling or 'default'} pooling · {self.model}"


@dataclass(frozen=True, eq=False)
class FineTuneResult:
    config: FineTuneConfig
    classes: tuple[str, ...]
    trainable_params: int
    total_params: int
    accuracy: float
    macro_f1: float
    confusion: np.ndarray  # true × predicted, counts on the held-out split
    epochs: tuple[EpochStats, ...]
    train_examples: int
    test_examples: int
    notes: tuple[str, ...] = ()
    # What saving into the store needs (gradient methods only).
    encoder_config: EncoderConfig | None = None
    params: Params | None = field(default=None, repr=False)
    lora_scale: float = 1.0

    @property
    def share(self) -> float:
        return self.trainable_params / max(self.total_params, 1)

    @property
    def seconds_per_epoch(self) -> float:
        return sum(e.seconds for e in self.epochs) / max(len(self.epochs), 1)

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.config.method,
            "model": self.config.model,
            "trainable_params": self.trainable_params,
            "total_params": self.total_params,
            "accuracy": round(self.accuracy, 6),
            "macro_f1": round(self.macro_f1, 6),
            "epochs": [e.to_json() for e in self.epochs],
            "classes": list(self.classes),
            "confusion": self.confusion.tolist(),
            "train_examples": self.train_examples,
            "test_examples": self.test_examples,
        }


def resolve_pooling(entry: Entry, name: str | None) -> Pooling:
    spec = entry.manifest.pooling or {}
    chosen = name or ("sbert" if spec else "cls")
    if chosen not in POOLINGS:
        raise UserError(f"unknown pooling '{chosen}'; choose {', '.join(POOLINGS)}")
    if chosen == "sbert" and not spec:
        raise UserError(f"{entry.name} is not a sentence-transformers model; no sbert pooling")
    if chosen == "pooler" and "pooler_output" not in entry.manifest.outputs:
        raise UserError(f"{entry.name} has no pooler weights; choose cls, mean or sbert pooling")
    if chosen == "sbert" and spec.get("mode") == "cls":
        return Pooling("cls")
    return Pooling(chosen, normalize=chosen == "sbert" and bool(spec.get("normalize")))


def check_config(config: FineTuneConfig, layers: int) -> None:
    if config.method not in METHODS:
        raise UserError(f"unknown method '{config.method}'; choose {', '.join(METHODS)}")
    if not EPOCHS.allows(config.epochs):
        raise UserError(f"train for 1 to {EPOCHS.high} epochs, not {config.epochs}")
    lr = config.learning_rate
    if config.method != "features" and not (math.isfinite(lr) and lr > 0):
        raise UserError(f"the learning rate must be a number above 0, not {lr:g}")
    if not BATCH_SIZE.allows(config.batch_size):
        raise UserError(f"use a batch size from 1 to {BATCH_SIZE.high}, not {config.batch_size}")
    check_seed(config.seed)
    if config.method == "partial" and not 1 <= config.layers <= layers:
        raise UserError(f"this model has {layers} layers: train between 1 and {layers} of them")
    if config.method == "lora" and not RANK.allows(config.rank):
        raise UserError(f"choose a LoRA rank from 1 to {RANK.high}, not {config.rank}")
    if config.layer is not None and config.method != "features":
        raise UserError(
            "--layer chooses the feature-based method's vectors; fine-tuned heads read the "
            "last layer (use --layers to choose how many top layers partial trains)"
        )


def finetune(
    store: ModelStore,
    texts: Sequence[str],
    labels: Sequence[str] | None,
    config: FineTuneConfig,
    *,
    split: Split | None = None,
    on_epoch: Callable[[EpochStats], None] | None = None,
    progress: Progress = SILENT,
) -> FineTuneResult:
    """Train and evaluate one method. ``split`` reuses a split (the learning curve's)."""
    entry = store.model(config.model)
    if entry.manifest.is_decoder:
        raise UserError(f"'{entry.name}' is a decoder; choose a BERT-family model to fine-tune")
    check_config(config, int(entry.manifest.layers or 0))
    pooling = resolve_pooling(entry, config.pooling)
    split = split or make_split(labels, config.test_size, config.seed)
    if config.method == "features":
        return _features(entry, texts, split, config, pooling, progress)
    return _gradient(entry, texts, split, config, pooling, on_epoch, progress)


def _metrics(split: Split, predicted: np.ndarray) -> tuple[float, float, np.ndarray]:
    from sklearn.metrics import confusion_matrix, f1_score

    truth = split.y[split.test]
    labels = list(range(len(split.classes)))
    f1 = f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
    matrix = confusion_matrix(truth, predicted, labels=labels)
    return float((predicted == truth).mean()), float(f1), matrix


def _features(
    entry: Entry,
    texts: Sequence[str],
    split: Split,
    config: FineTuneConfig,
    pooling: Pooling,
    progress: Progress,
) -> FineTuneResult:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    start = time.perf_counter()
    vectors, layer = _frozen_vectors(entry, texts, pooling.kind, config.layer, progress)
    # Standardised first: the L2 penalty then weighs every feature alike, whatever its scale
    # ([CLS] features of a masked-LM model differ in scale by dimension).
    clf = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=2000, random_state=config.seed)
    )
    x_train, y_train = vectors[split.train], split.y[split.train]
    clf.fit(x_train, y_train)
    seconds = time.perf_counter() - start
    every = list(range(len(split.classes)))
    train_loss = float(log_loss(y_train, clf.predict_proba(x_train), labels=every))
    test_probs = clf.predict_proba(vectors[split.test])
    test_loss = float(log_loss(split.y[split.test], test_probs, labels=every))
    accuracy, f1, matrix = _metrics(split, test_probs.argmax(axis=1))  # classes are 0…C-1
    cfg = replace(config, layer=layer, pooling=pooling.kind)
    h, c = vectors.shape[1], len(split.classes)
    return FineTuneResult(
        cfg,
        split.classes,
        trainable_params=h * c + c,
        total_params=_encoder_size(entry) + h * c + c,
        accuracy=accuracy,
        macro_f1=f1,
        confusion=matrix,
        epochs=(EpochStats(1, train_loss, test_loss, accuracy, seconds),),
        train_examples=len(split.train),
        test_examples=len(split.test),
        notes=("logistic regression on standardised frozen vectors: one fit, no epochs",),
    )


# The last texts embedded; a curve job and a run job asking at once embed them once.
_VECTORS: LruCache[tuple[object, ...], tuple[np.ndarray, int]] = LruCache(1)


def _frozen_vectors(
    entry: Entry, texts: Sequence[str], pooling: str, layer: int | None, progress: Progress
) -> tuple[np.ndarray, int]:
    """Every text's frozen vector and the layer it came from, embedded once for a dataset and
    configuration: the learning curve fits five classifiers on subsets of the same vectors."""
    from lab_app.core.mlm.graph_cache import lab_encoder
    from lab_app.core.models.embed import embed

    digest = hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()
    key = (str(entry.path), entry.manifest.files.get("model.onnx"), pooling, layer, digest)

    def make() -> tuple[np.ndarray, int]:
        tick(progress, 0, len(texts), f"Loading {entry.name}…")
        result = embed(
            lab_encoder(entry),  # shared with the labs that hold it; dropped after
            list(texts),
            pooling=pooling,  # type: ignore[arg-type]
            layer=layer,
            progress=Relabelled(progress, lambda d, t, _: f"Embedding {d}/{t}"),
        )
        return result.vectors, result.layer

    return _VECTORS.get_or_make(key, make)


def release() -> None:
    """Forget the frozen vectors (the tab is hidden): a dataset of 50,000 utterances keeps 77 MB."""
    _VECTORS.release()


def _encoder_size(entry: Entry) -> int:
    """Parameters of the encoder the features come from (no pooler, no MLM head)."""
    from lab_app.core.models.bert_layout import expected_shapes

    config = EncoderConfig.from_dict(entry.manifest.extra.get("config") or {})
    shapes = expected_shapes(config, pooler=False, mlm_head=False)
    return sum(math.prod(s) for s in shapes.values())


def _gradient(
    entry: Entry,
    texts: Sequence[str],
    split: Split,
    config: FineTuneConfig,
    pooling: Pooling,
    on_epoch: Callable[[EpochStats], None] | None,
    progress: Progress,
) -> FineTuneResult:
    from lab_app.core.models.encoder import plain_tokenizer

    tick(progress, 0, 1, f"Loading {entry.name}'s weights…")
    encoder_config, params = load_params(entry)
    rng = np.random.default_rng(config.seed)
    task = SequenceClassification(pooling, len(split.classes))
    params.update(task.init(encoder_config.hidden_size, rng))
    scale = config.alpha / config.rank
    if config.method == "lora":
        add_lora(params, encoder_config, config.rank, rng)
    p = plan(config.method, encoder_config, params, task, config.layers)
    net = NumpyBert(encoder_config, params, lora_scale=scale)
    tokens = tokenize(plain_tokenizer(entry.file("tokenizer.json")), texts, MAX_TOKENS)
    frozen = frozen_part(net, tokens, p.start, progress) if p.start else None
    run = Run(net, task, p, tokens, split, frozen)
    history = train(
        run,
        split.train,
        epochs=config.epochs,
        lr=config.learning_rate,
        head_lr=config.head_lr,
        batch_size=config.batch_size,
        seed=config.seed,
        on_epoch=on_epoch,
        progress=progress,
    )
    accuracy, f1, matrix = _metrics(split, scores(run, split.test).argmax(axis=1))
    used = [n for n in params if not n.startswith("cls.")]
    if not pooling.uses_pooler:
        used = [n for n in used if not n.startswith("pooler.")]
    notes = (
        [f"{tokens.truncated} utterances cut to {MAX_TOKENS} tokens"] if tokens.truncated else []
    )
    return FineTuneResult(
        replace(config, pooling=pooling.kind, lr=config.learning_rate),
        split.classes,
        trainable_params=sum(int(params[n].size) for n in p.trainable),
        total_params=sum(int(params[n].size) for n in used),
        accuracy=accuracy,
        macro_f1=f1,
        confusion=matrix,
        epochs=tuple(history),
        train_examples=len(split.train),
        test_examples=len(split.test),
        notes=tuple(notes),
        encoder_config=encoder_config,
        params=params,
        lora_scale=scale,
    )
