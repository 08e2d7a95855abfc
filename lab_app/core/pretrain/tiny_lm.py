"""A tiny BERT and a tiny GPT, pre-trained from random weights in numpy: the model and its data.

Both are the same stack of post-LayerNorm Transformer blocks (:class:`~lab_app.core.finetune
.bert_numpy.NumpyBert`, whose hand-written backward pass the Fine-tuning lab already uses), with
the output layer tied to the word embeddings (``logits = h · Eᵀ + b``), as BERT's and GPT's are.
They differ where the lecture says they do:

* **masked LM (BERT)**: every token sees both sides; 15% of the tokens are chosen for prediction,
  and a chosen token becomes [MASK] 80% of the time, a random word 10%, and stays 10%
  (Devlin et al. 2019, §3.1). The loss is the cross-entropy at the chosen positions only.
* **causal LM (GPT)**: a token sees only the tokens on its left (a causal attention mask), and
  every position predicts the next token. GPT-1 used post-LayerNorm blocks too.

What is left out to fit a laptop: BERT's MLM transform (dense → GELU → LayerNorm before the
decoder), next-sentence prediction, token types, WordPiece. Tokens are whole lower-case words
(:mod:`~lab_app.core.pretrain.corpus`), the most frequent ``vocab`` of them; the rest become
[UNK]. Training windows are ``seq_len`` consecutive words cut at random from the running text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from lab_app.core.engine.bert_numpy import MASK_FILL, Batch, Grads, NumpyBert, Params, add_grad
from lab_app.core.errors import UserError
from lab_app.core.models.activations import softmax
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.bert_layout import expected_shapes, is_linear_weight
from lab_app.core.pretrain.corpus import Corpus

Objective = Literal["mlm", "clm"]
OBJECTIVES: tuple[Objective, ...] = ("mlm", "clm")
OBJECTIVE_NAMES = {"mlm": "masked LM (a tiny BERT)", "clm": "next token (a tiny GPT)"}
PAD, UNK, MASK = 0, 1, 2
SPECIALS = ("[PAD]", "[UNK]", "[MASK]")
MASK_RATE = 0.15
DECODER_BIAS = "lm.bias"
WORDS = "embeddings.word_embeddings.weight"


@dataclass(frozen=True)
class TinyConfig:
    """The size of the tiny model and of its training batches."""

    vocab: int = 2000  # words kept, the three special tokens included
    hidden: int = 64
    layers: int = 2
    heads: int = 4
    ffn: int = 256
    seq_len: int = 32
    batch: int = 16

    def encoder(self, vocab_size: int) -> EncoderConfig:
        return EncoderConfig(
            family="bert",
            vocab_size=vocab_size,
            hidden_size=self.hidden,
            num_layers=self.layers,
            num_heads=self.heads,
            intermediate_size=self.ffn,
            max_positions=self.seq_len,
            type_vocab_size=0,
            layer_norm_eps=1e-12,
            hidden_act="gelu",
            pad_token_id=PAD,
            position_offset=0,
        )


@dataclass(frozen=True, eq=False)
class WordVocab:
    """Word ↔ id, the special tokens first; ``counts`` are the training text's, for the
    unigram baseline (a special token's count is 0)."""

    words: tuple[str, ...]
    counts: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", {w: i for i, w in enumerate(self.words)})

    def __len__(self) -> int:
        return len(self.words)

    def id(self, word: str) -> int:
        ids: dict[str, int] = self._ids  # type: ignore[attr-defined]
        return ids.get(word, UNK)

    def encode(self, words: Sequence[str]) -> np.ndarray:
        return np.array([self.id(w) for w in words], dtype=np.int64)


def word_vocab(corpus: Corpus, size: int) -> WordVocab:
    """The ``size - 3`` most frequent words of ``corpus`` (ties alphabetical), after the
    special tokens."""
    if size < len(SPECIALS) + 2:
        raise UserError(f"a vocabulary needs at least {len(SPECIALS) + 2} entries, not {size}")
    counts: Counter[str] = Counter()
    for sentence in corpus.sentences:
        counts.update(sentence)
    if len(counts) < 2:
        raise UserError(f"{corpus.name} has only one different word: nothing to predict")
    kept = sorted((-n, w) for w, n in counts.items())[: size - len(SPECIALS)]
    unknown = sum(counts.values()) - sum(-n for n, _ in kept)
    words = SPECIALS + tuple(w for _, w in kept)
    tallies = [0, unknown, 0] + [-n for n, _ in kept]
    return WordVocab(words, np.array(tallies, dtype=np.int64))


def encode_corpus(corpus: Corpus, vocab: WordVocab) -> np.ndarray:
    """The running text as one array of ids (sentences end to end, as pre-training packs them)."""
    parts = [vocab.encode(sentence) for sentence in corpus.sentences]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def init_params(config: EncoderConfig, seed: int) -> Params:
    """Embeddings N(0, 0.02) as BERT's, Linear weights N(0, 1/fan_in) (LeCun's), biases 0,
    LayerNorm gains 1. BERT's 0.02 for every weight suits its width of 768; at a width of 64 it
    leaves the attention uniform for hundreds of steps, and a one-minute run never leaves its
    "the the the" plateau. Linear weights are stored ``[in, out]``."""
    rng = np.random.default_rng(seed)
    params: Params = {}
    for name, shape in expected_shapes(config, pooler=False, mlm_head=False).items():
        if name.endswith("LayerNorm.weight"):
            value = np.ones(shape, np.float32)
        elif name.endswith(".bias"):
            value = np.zeros(shape, np.float32)
        elif is_linear_weight(name):  # torch's [out, in] shape; stored [in, out]
            std = 1.0 / np.sqrt(shape[1])
            value = np.ascontiguousarray(rng.normal(0.0, std, shape).astype(np.float32).T)
        else:
            value = rng.normal(0.0, 0.02, shape).astype(np.float32)
        params[name] = value
    params[DECODER_BIAS] = np.zeros(config.vocab_size, np.float32)
    return params


class CausalBatch(Batch):
    """A batch whose tokens see only themselves and the tokens on their left."""

    @property
    def mask_add(self) -> np.ndarray:
        t = self.input_ids.shape[1]
        causal = np.triu(np.full((t, t), MASK_FILL, np.float32), k=1)
        return np.minimum(super().mask_add, causal[None, None])


@dataclass(frozen=True, eq=False)
class Example:
    """What one step feeds the model: inputs ``[B, T]``, and the positions scored with their
    targets (flat indices into ``B·T``)."""

    inputs: np.ndarray
    positions: np.ndarray
    targets: np.ndarray


def mlm_example(
    windows: np.ndarray, vocab_size: int, rng: np.random.Generator, mask_all: bool = False
) -> Example:
    """BERT's masking of ``windows`` ``[B, T]``: 15% of the positions of each window chosen
    (at least one), then 80% [MASK], 10% a random word, 10% unchanged. ``mask_all``: every
    chosen position becomes [MASK] (the held-out score: a kept word would be a free answer)."""
    b, t = windows.shape
    k = max(1, round(t * MASK_RATE))
    chosen = np.argsort(rng.random((b, t)), axis=1)[:, :k]
    flat = np.sort((chosen + np.arange(b)[:, None] * t).reshape(-1))
    inputs = windows.copy().reshape(-1)
    targets = inputs[flat].copy()
    roll = np.zeros(flat.size) if mask_all else rng.random(flat.size)
    inputs[flat[roll < 0.8]] = MASK
    swap = flat[roll >= 0.9]
    inputs[swap] = rng.integers(len(SPECIALS), vocab_size, size=swap.size)
    return Example(inputs.reshape(b, t), flat, targets)


def clm_example(windows: np.ndarray) -> Example:
    """``windows`` ``[B, T+1]``: the first T tokens in, each position predicting the next."""
    inputs = windows[:, :-1]
    return Example(
        np.ascontiguousarray(inputs),
        np.arange(inputs.size),
        np.ascontiguousarray(windows[:, 1:]).reshape(-1),
    )


class TinyLM:
    """The tiny model: parameters, the forward pass to a loss, and its gradients."""

    def __init__(self, config: EncoderConfig, objective: Objective, params: Params) -> None:
        if objective not in OBJECTIVES:
            raise UserError(f"the objective is mlm or clm, not '{objective}'")
        self.config, self.objective, self.params = config, objective, params
        self.net = NumpyBert(config, params)

    def _batch(self, inputs: np.ndarray) -> Batch:
        ones = np.ones(inputs.shape, dtype=np.int64)
        kind = CausalBatch if self.objective == "clm" else Batch
        return kind(inputs, ones, np.zeros_like(inputs))

    def hidden(self, inputs: np.ndarray) -> np.ndarray:
        """The last layer's states, ``[B, T, H]`` (no caches kept)."""
        x, _ = self.net.forward(self._batch(inputs), keep=False)
        return x

    def logits(self, hidden: np.ndarray) -> np.ndarray:
        return hidden @ self.params[WORDS].T + self.params[DECODER_BIAS]

    def loss(self, example: Example) -> float:
        """The mean cross-entropy (nats) at the example's scored positions."""
        h = self.hidden(example.inputs).reshape(-1, self.config.hidden_size)
        return _cross_entropy(self.logits(h[example.positions]), example.targets)[0]

    def loss_and_grads(self, example: Example) -> tuple[float, Grads]:
        """The loss and the gradient of every parameter."""
        hidden_size = self.config.hidden_size
        x, caches = self.net.forward(self._batch(example.inputs))
        flat = x.reshape(-1, hidden_size)
        picked = flat[example.positions]
        loss, d_logits = _cross_entropy(self.logits(picked), example.targets)
        grads: Grads = {DECODER_BIAS: d_logits.sum(axis=0)}
        add_grad(grads, WORDS, d_logits.T @ picked)  # the tied decoder's share
        d_flat = np.zeros_like(flat)
        d_flat[example.positions] = d_logits @ self.params[WORDS]
        self.net.backward(
            d_flat.reshape(x.shape), caches, 0, tuple(self.params), down_to=-1, grads=grads
        )
        return loss, grads


def _cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy and its gradient with respect to ``logits``."""
    probs = softmax(logits, np.float32)
    n = targets.size
    rows = np.arange(n)
    loss = float(-np.log(np.maximum(probs[rows, targets], 1e-30)).mean())
    probs[rows, targets] -= 1.0
    probs /= np.float32(n)
    return loss, probs
