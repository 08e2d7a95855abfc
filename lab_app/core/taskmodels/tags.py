"""A tagger's token scores read back as word tags: each word's tag and its probability, taken at
the word's first WordPiece piece (the piece it is trained on, BERT paper section 5.3).

The Fine-tuning lab trains the tagger (:mod:`lab_app.core.finetune.tagging`); a task model from the
store tags with :func:`predict_words` (:func:`lab_app.core.taskmodels.infer.tag_words`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def predict_words(
    scores: np.ndarray, word_ids: Sequence[int | None], tags: Sequence[str]
) -> list[tuple[str, float]]:
    """Each word's predicted tag and its softmax probability, taken at the word's first
    sub-token (transformers' pipeline aggregation ``"first"``). ``scores`` is ``[T, C]``. Words
    cut off by truncation are not in the list; a word the tokenizer dropped entirely (a lone
    control character) gets ``("O", 0.0)``."""
    probs = softmax(scores.astype(np.float64))
    seen = [w for w in word_ids if w is not None]
    out: list[tuple[str, float]] = [("O", 0.0)] * (max(seen) + 1 if seen else 0)
    previous: int | None = None
    for t, word in enumerate(word_ids):
        if word is not None and word != previous:
            best = int(probs[t].argmax())
            out[word] = (tags[best], float(probs[t, best]))
        previous = word
    return out
