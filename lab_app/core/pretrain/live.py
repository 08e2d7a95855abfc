"""Pre-train the tiny model live: the loss against the unigram baseline, and a probe sentence read
at checkpoints, so a class watches "the the the" turn into words.

**The baseline** is what a model that ignores context can do: predict every word by its
frequency in the training text (add-one smoothed). Its cross-entropy on the held-out targets is the
line the loss must go below to show the model reads its context. **Compute** is counted by the
usual rule C ≈ 6·N·D (N: every parameter, the tied embeddings once; D: tokens fed in), and set
beside BERT-base's from the Model specs tables. **The probe**: for the masked LM, every third word
of the probe sentence is masked in turn (one gap at a time, the rest of the sentence shown) and
the model's guess fills it; for the next-token model,
its first words are a prompt and the model continues greedily.

The last 5% of the running text (at least one window) is held out: the loss curve is the
training batches' loss, each checkpoint also scores the same held-out windows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from lab_app.core.engine.optim import AdamW
from lab_app.core.errors import Cancelled, UserError
from lab_app.core.pretrain.corpus import Corpus, tokenize_words
from lab_app.core.pretrain.tiny_lm import (
    MASK,
    OBJECTIVES,
    SPECIALS,
    Example,
    Objective,
    TinyConfig,
    TinyLM,
    WordVocab,
    clm_example,
    encode_corpus,
    init_params,
    mlm_example,
    word_vocab,
)
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.seeds import check_seed

DEFAULT_PROBE = "she was very glad to see him and said that she would go to the house"
MAX_STEPS = 20_000
HELD_OUT = 0.05
EVAL_WINDOWS = 16
PROMPT_WORDS = 4
CONTINUE_WORDS = 8
CHECKPOINT_AT = (0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
LEARNING_RATES: dict[str, float] = {"mlm": 3e-3, "clm": 3e-3}  # 6e-3: the MLM stalls above


def default_lr(objective: str) -> float:
    """The peak learning rate the lab uses (chosen on the built-in corpus; see the card)."""
    return LEARNING_RATES.get(objective, 3e-3)


@dataclass(frozen=True)
class Checkpoint:
    """The model at one step: its held-out loss and how it reads the probe."""

    step: int
    tokens_seen: int
    held_out_loss: float
    probe: str


@dataclass(frozen=True, eq=False)
class Progressed:
    """A piece of the run for a live view: the losses so far, and a new checkpoint if any."""

    step: int
    steps: int
    losses: tuple[float, ...]
    baseline_loss: float
    checkpoint: Checkpoint | None


@dataclass(frozen=True, eq=False)
class PretrainRun:
    """A finished run; ``model`` is the trained tiny model (for this session only)."""

    objective: Objective
    corpus: str
    steps: int
    losses: list[float]
    baseline_loss: float
    tokens_seen: int
    params: int
    checkpoints: list[Checkpoint]
    seconds: float
    model: TinyLM
    vocab: WordVocab
    config: TinyConfig
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def flops(self) -> float:
        return 6.0 * self.params * self.tokens_seen

    @property
    def tokens_per_second(self) -> float:
        return self.tokens_seen / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict:
        return {
            "objective": self.objective,
            "corpus": self.corpus,
            "steps": self.steps,
            "loss": [round(x, 5) for x in self.losses],
            "baseline_loss": round(self.baseline_loss, 5),
            "tokens_seen": self.tokens_seen,
            "params": self.params,
            "flops": self.flops,
            "seconds": round(self.seconds, 3),
            "checkpoints": [
                {"step": c.step, "held_out_loss": round(c.held_out_loss, 5), "probe": c.probe}
                for c in self.checkpoints
            ],
        }


def checkpoint_steps(steps: int) -> tuple[int, ...]:
    return tuple(sorted({round(steps * f) for f in CHECKPOINT_AT}))


class _Data:
    """The training and held-out text as ids, and the held-out examples scored at checkpoints."""

    def __init__(
        self, ids: np.ndarray, vocab_size: int, config: TinyConfig, objective: Objective, seed: int
    ) -> None:
        self.vocab_size = vocab_size
        width = config.seq_len + (1 if objective == "clm" else 0)
        held = max(width, int(len(ids) * HELD_OUT))
        if len(ids) < width + held:
            raise UserError(
                f"the corpus has {len(ids)} words: too few for windows of {config.seq_len} "
                f"words and a held-out part; use a longer text"
            )
        self.train, self.held = ids[:-held], ids[-held:]
        self.width, self.objective, self.batch = width, objective, config.batch
        starts = np.linspace(0, len(self.held) - width, min(EVAL_WINDOWS, len(self.held) // width))
        windows = np.stack([self.held[int(s) : int(s) + width] for s in starts])
        self.eval = self.example(windows, np.random.default_rng([seed, 1]), held_out=True)

    def example(
        self, windows: np.ndarray, rng: np.random.Generator, held_out: bool = False
    ) -> Example:
        if self.objective == "clm":
            return clm_example(windows)
        return mlm_example(windows, self.vocab_size, rng, mask_all=held_out)

    def draw(self, rng: np.random.Generator) -> Example:
        starts = rng.integers(0, len(self.train) - self.width + 1, size=self.batch)
        return self.example(np.stack([self.train[s : s + self.width] for s in starts]), rng)


def unigram_loss(train_ids: np.ndarray, vocab_size: int, targets: np.ndarray) -> float:
    """Cross-entropy of ``targets`` under the training text's word frequencies (add-one)."""
    counts = np.bincount(train_ids, minlength=vocab_size).astype(np.float64) + 1.0
    counts[[0, MASK]] = 0.0  # [PAD] and [MASK] are never a word of the text
    probs = counts / counts.sum()
    return float(-np.log(probs[targets]).mean())


def read_probe(model: TinyLM, vocab: WordVocab, words: Sequence[str]) -> str:
    """The probe as the model reads it now (see the module's docstring)."""
    seq_len = model.config.max_positions
    if model.objective == "mlm":
        ids = vocab.encode(list(words)[:seq_len])
        slots = np.arange(1, len(ids), 3)
        inputs = np.repeat(ids[None], len(slots), axis=0)  # one gap at a time
        rows = np.arange(len(slots))
        inputs[rows, slots] = MASK
        guesses = _best(model, model.hidden(inputs)[rows, slots])
        shown = [vocab.words[i] for i in ids]
        for slot, guess in zip(slots, guesses, strict=True):
            shown[slot] = f"[{vocab.words[guess]}]"
        return " ".join(shown)
    said = [int(i) for i in vocab.encode(list(words)[:PROMPT_WORDS])]
    for _ in range(CONTINUE_WORDS):
        context = np.array(said[-seq_len:], dtype=np.int64)
        said.append(int(_best(model, model.hidden(context[None])[0][-1:])[0]))
    prompt = " ".join(vocab.words[i] for i in said[:PROMPT_WORDS])
    return prompt + " → " + " ".join(vocab.words[i] for i in said[PROMPT_WORDS:])


def _best(model: TinyLM, hidden: np.ndarray) -> np.ndarray:
    logits = model.logits(hidden)
    logits[:, : len(SPECIALS)] = -np.inf  # a guess is a word, never [PAD], [UNK] or [MASK]
    return np.asarray(logits.argmax(axis=-1))


def schedule(step: int, steps: int) -> float:
    """The learning rate's factor at ``step``: a warm-up over the first 5% of the steps, the
    peak until 70%, then a linear fall to a tenth. Not BERT's warm-up and linear decay to zero:
    a short run would decay before the model leaves its "the the the" plateau."""
    warmup = max(1, steps // 20)
    if step < warmup:
        return (step + 1) / warmup
    fall = int(steps * 0.7)
    if step < fall:
        return 1.0
    return 1.0 - 0.9 * (step - fall) / max(1, steps - fall)


def probe_words(text: str | None) -> list[str]:
    words = [w for s in tokenize_words(text or DEFAULT_PROBE) for w in s]
    if len(words) < PROMPT_WORDS + 1:
        raise UserError(f"the probe needs at least {PROMPT_WORDS + 1} words")
    return words


def pretrain(
    corpus: Corpus,
    objective: Objective,
    steps: int = 300,
    seed: int = 0,
    config: TinyConfig | None = None,
    lr: float = 3e-3,
    probe: str | None = None,
    progress: Progress = SILENT,
    on_progress: Callable[[Progressed], None] | None = None,
) -> PretrainRun:
    """Train a tiny model with ``objective`` from random weights for ``steps`` AdamW steps.

    The learning rate follows :func:`schedule`. ``on_progress`` receives the losses every few
    steps and each checkpoint.
    """
    if objective not in OBJECTIVES:
        raise UserError(f"the objective is mlm or clm, not '{objective}'")
    if not 1 <= steps <= MAX_STEPS:
        raise UserError(f"steps must be from 1 to {MAX_STEPS:,}, not {steps}")
    if not (math.isfinite(lr) and 0 < lr <= 1):
        raise UserError(f"the learning rate must be above 0 and at most 1, not {lr}")
    seed = check_seed(seed)
    config = config or TinyConfig()
    words = probe_words(probe)
    tick(progress, 0, steps, "Building the vocabulary…")
    vocab = word_vocab(corpus, config.vocab)
    data = _Data(encode_corpus(corpus, vocab), len(vocab), config, objective, seed)
    encoder = config.encoder(len(vocab))
    model = TinyLM(encoder, objective, init_params(encoder, seed))
    optimizer = AdamW(model.params, tuple(model.params), lr, weight_decay=0.01)
    baseline = unigram_loss(data.train, len(vocab), data.eval.targets)
    rng = np.random.default_rng([seed, 0])
    marks = set(checkpoint_steps(steps))
    per_step = config.batch * config.seq_len
    every = max(1, steps // 100)  # a tick (a line in a log) each 1%; a cancel check each step
    losses: list[float] = []
    checkpoints: list[Checkpoint] = []
    started = time.perf_counter()
    for step in range(steps + 1):
        checkpoint = None
        if step in marks:
            checkpoint = Checkpoint(
                step, step * per_step, model.loss(data.eval), read_probe(model, vocab, words)
            )
            checkpoints.append(checkpoint)
        if on_progress is not None and (checkpoint or step % 5 == 0 or step == steps):
            on_progress(Progressed(step, steps, tuple(losses), baseline, checkpoint))
        if step == steps:
            break
        if step % every == 0:
            tick(progress, step, steps, f"Step {step + 1:,} of {steps:,}")
        elif progress.cancelled():
            raise Cancelled()
        optimizer.lr = lr * schedule(step, steps)
        loss, grads = model.loss_and_grads(data.draw(rng))
        optimizer.step(grads)
        losses.append(loss)
    tick(progress, steps, steps, "Done")
    seconds = time.perf_counter() - started
    params = sum(int(v.size) for v in model.params.values())
    notes = corpus.notes
    unknown = float((data.train == 1).mean())
    if unknown > 0.05:
        notes += (
            f"{unknown:.0%} of the words are outside the {len(vocab):,}-word vocabulary ([UNK])",
        )
    return PretrainRun(
        objective, corpus.name, steps, losses, baseline, steps * per_step, params,
        checkpoints, seconds, model, vocab, config, notes,
    )  # fmt: skip
