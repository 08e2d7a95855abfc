"""Token classification (named-entity recognition): one tag per word from BERT's hidden states.

A tagged dataset labels *words* (``Madrid/B-LOC``), but BERT sees WordPiece *tokens*: ``Madrid``
may be ``mad`` + ``##rid``, and the sentence gains ``[CLS]`` and ``[SEP]``. As in the BERT paper
(section 5.3) and transformers' ``run_ner`` example, each word's tag is trained and predicted on
its **first** sub-token; the other sub-tokens and the special tokens get the target
:data:`IGNORE` (-100), which the loss skips, exactly as PyTorch's
``CrossEntropyLoss(ignore_index=-100)`` does. :func:`alignment` shows this on screen.

The head (:class:`TokenTagging`) is one Linear layer applied to every position's hidden state:
``scores[b, t] = hidden[b, t] @ W + bias``, trained with the mean cross-entropy over the
positions that carry a target. Its headline metric is the entity-level F1 of
:mod:`lab_app.core.taskmodels.iob`, computed on the word tags read back from the first sub-tokens.
A saved tagger's scores are read back as word tags and probabilities by
:func:`~lab_app.core.taskmodels.tags.predict_words`, with the task models.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch, Grads, Params, add_grad
from lab_app.core.finetune.data import Tokens
from lab_app.core.finetune.task_head import TaskHead
from lab_app.core.taskmodels.iob import entity_scores

IGNORE = -100
TAGGER = ("tagger.weight", "tagger.bias")


# --- words to tokens ----------------------------------------------------------------------------


def encode_words(tokenizer: object, sentences: Sequence[Sequence[str]], limit: int) -> list[Any]:
    """Each sentence's words (already split) as one ``tokenizers.Encoding`` with the model's
    special tokens, cut to ``limit`` positions and not padded; ``encoding.word_ids`` maps tokens
    to words. The tokenizer's own truncation and padding settings are restored afterwards."""
    from tokenizers import Tokenizer

    assert isinstance(tokenizer, Tokenizer)
    truncation, padding = tokenizer.truncation, tokenizer.padding
    tokenizer.enable_truncation(max_length=limit)
    tokenizer.no_padding()
    try:
        return list(
            tokenizer.encode_batch(
                [list(words) for words in sentences], is_pretokenized=True, add_special_tokens=True
            )
        )
    finally:
        if truncation is None:
            tokenizer.no_truncation()
        else:
            tokenizer.enable_truncation(**truncation)
        if padding is not None:
            tokenizer.enable_padding(**padding)


def as_tokens(encodings: Sequence[Any]) -> Tokens:
    """The encodings as the trainer's :class:`~lab_app.core.finetune.data.Tokens`."""
    return Tokens(
        tuple(np.array(e.ids, dtype=np.int64) for e in encodings),
        tuple(np.array(e.type_ids, dtype=np.int64) for e in encodings),
        sum(bool(e.overflowing) for e in encodings),
    )


def align_labels(word_ids: Sequence[int | None], word_labels: Sequence[int]) -> np.ndarray:
    """Token targets from word labels: a word's label on its first sub-token, :data:`IGNORE`
    on its other sub-tokens and on special tokens (word id None) — run_ner's rule with
    ``label_all_tokens=False``."""
    out = np.full(len(word_ids), IGNORE, dtype=np.int64)
    previous: int | None = None
    for i, word in enumerate(word_ids):
        if word is not None and word != previous:
            out[i] = word_labels[word]
        previous = word
    return out


def token_targets(
    encodings: Sequence[Any], sentence_tags: Sequence[Sequence[str]], tags: Sequence[str]
) -> list[np.ndarray]:
    """Each encoding's token targets (class indices into ``tags``, IGNORE where masked)."""
    index = {t: i for i, t in enumerate(tags)}
    return [
        align_labels(e.word_ids, [index[t] for t in words])
        for e, words in zip(encodings, sentence_tags, strict=True)
    ]


@dataclass(frozen=True)
class AlignedPiece:
    """One token of an encoded sentence for display: the word it comes from (None and ``""``
    for ``[CLS]``/``[SEP]``), the WordPiece piece, the target the loss sees (the tag, or
    ``"-100"`` where it is ignored) and whether it is ignored."""

    word_index: int | None
    word: str
    piece: str
    label: str
    masked: bool


def alignment(encoding: Any, words: Sequence[str], tags: Sequence[str]) -> list[AlignedPiece]:
    """Words → pieces → training targets, one row per token of ``encoding``."""
    targets = align_labels(encoding.word_ids, range(len(words)))
    out = []
    for word, piece, target in zip(encoding.word_ids, encoding.tokens, targets, strict=True):
        masked = bool(target == IGNORE)
        label = str(IGNORE) if masked else tags[int(target)]
        out.append(AlignedPiece(word, "" if word is None else words[word], piece, label, masked))
    return out


# --- scores back to words -----------------------------------------------------------------------


def word_tags(
    scores_row: np.ndarray, target_row: np.ndarray, tags: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Gold and predicted word tags of one example, read at its labelled positions (the first
    sub-tokens): ``scores_row`` is ``[T, C]``, ``target_row`` ``[T]``."""
    keep = np.flatnonzero(target_row != IGNORE)
    gold = [tags[int(t)] for t in target_row[keep]]
    pred = [tags[int(t)] for t in scores_row[keep].argmax(axis=-1)]
    return gold, pred


# --- the head -----------------------------------------------------------------------------------


def token_cross_entropy(scores: np.ndarray, targets: np.ndarray) -> tuple[float, int, np.ndarray]:
    """The summed cross-entropy over positions whose target is not IGNORE, their number, and the
    gradient of the sum with respect to ``scores`` (zero at ignored positions)."""
    keep = targets != IGNORE
    safe = np.where(keep, targets, 0)
    shifted = scores - scores.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    total = float(-(picked * keep).sum())
    d = np.exp(log_probs)
    np.put_along_axis(d, safe[..., None], np.take_along_axis(d, safe[..., None], -1) - 1.0, -1)
    d *= keep[..., None]
    return total, int(keep.sum()), d


class TokenTagging(TaskHead):
    """One tag per token from its own hidden state (BERT paper, Figure 4d)."""

    new_params = TAGGER
    headline = "entity_f1"

    def __init__(self, tags: tuple[str, ...]) -> None:
        if len(tags) < 2:
            raise ValueError("a tagger needs at least two tags")
        self.tags = tags

    def init(self, hidden: int, rng: np.random.Generator) -> Params:
        """BERT's initialisation: normal(0, 0.02) weights ``[H, C]``, zero bias."""
        return {
            TAGGER[0]: (rng.standard_normal((hidden, len(self.tags))) * 0.02).astype(np.float32),
            TAGGER[1]: np.zeros(len(self.tags), dtype=np.float32),
        }

    def forward(self, params: Params, hidden: np.ndarray, batch: Batch) -> tuple[np.ndarray, Any]:
        scores = hidden @ params[TAGGER[0]] + params[TAGGER[1]]
        return np.asarray(scores, dtype=np.float32), hidden

    def loss(self, scores: np.ndarray, targets: Any) -> tuple[float, np.ndarray]:
        """Mean cross-entropy over the positions with a target; a batch with none has loss 0
        and a zero gradient (PyTorch would give NaN)."""
        total, n, d = token_cross_entropy(scores, np.asarray(targets))
        n = max(n, 1)
        return total / n, (d / n).astype(np.float32)

    def backward(
        self,
        params: Params,
        d_scores: np.ndarray,
        cache: Any,
        grads: Grads,
        want: Collection[str],
    ) -> np.ndarray:
        hidden = cache
        h, c = params[TAGGER[0]].shape
        add_grad(grads, TAGGER[0], hidden.reshape(-1, h).T @ d_scores.reshape(-1, c))
        add_grad(grads, TAGGER[1], d_scores.sum(axis=(0, 1)))
        return np.asarray(d_scores @ params[TAGGER[0]].T, dtype=np.float32)

    def collate(self, targets: Any, rows: np.ndarray, width: int) -> Any:
        """``targets`` holds one int array per example (token targets, unpadded); the batch's
        are padded with IGNORE to ``[len(rows), width]``."""
        out = np.full((len(rows), width), IGNORE, dtype=np.int64)
        for i, r in enumerate(rows):
            row = np.asarray(targets[int(r)])[:width]
            out[i, : len(row)] = row
        return out

    def evaluate(self, parts: Sequence[tuple[np.ndarray, Any]]) -> dict[str, float]:
        """``loss`` (mean over every labelled position), entity ``precision``/``recall``/
        ``entity_f1`` and ``token_accuracy`` (first sub-tokens only)."""
        total, count, right = 0.0, 0, 0
        gold: list[list[str]] = []
        pred: list[list[str]] = []
        for scores, targets in parts:
            targets = np.asarray(targets)
            loss, n, _ = token_cross_entropy(scores, targets)
            total, count = total + loss, count + n
            keep = targets != IGNORE
            right += int((scores.argmax(axis=-1) == targets)[keep].sum())
            for s, t in zip(scores, targets, strict=True):
                g, p = word_tags(s, t, self.tags)
                if g:
                    gold.append(g)
                    pred.append(p)
        result = entity_scores(gold, pred)
        return {
            "loss": total / max(count, 1),
            "entity_f1": result.f1,
            "precision": result.precision,
            "recall": result.recall,
            "token_accuracy": right / max(count, 1),
        }

    def divergence_limit(self) -> float:
        return 50.0 * max(1.0, math.log(len(self.tags)))
