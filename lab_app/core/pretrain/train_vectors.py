"""Train static word vectors on a corpus, two ways, in plain numpy.

**PPMI-SVD** (count-based; the idea behind GloVe and LSA). Count how often each word appears
within ``window`` words of each other word (nearer neighbours weigh more: ``(window - d + 1) /
window`` at distance ``d``, the weight word2vec's random window gives on average). Turn the counts
into positive pointwise mutual information, ``max(0, log P(w, c) / (P(w) P(c)))``, with the
context probabilities smoothed (counts to the power 0.75, which keeps rare contexts from
dominating), then keep the top ``dim`` singular directions: the vector of a word is its row of
``U · sqrt(S)``. Levy, Goldberg & Dagan (2015) show this matches word2vec on analogies when it is
given the same tricks.

**SGNS** (skip-gram with negative sampling, word2vec). Each word (centre) predicts the words
around it: for each true (centre, context) pair push ``σ(u_centre · v_context)`` towards 1, and
for ``negatives`` random words drawn from the unigram distribution to the power 0.75 push it
towards 0. Frequent words are randomly thinned first (sub-sampling), and the window is a random
size up to ``window`` for each centre. Here the pairs of an epoch are shuffled and learnt in
mini-batches with the learning rate falling linearly from 0.1 (word2vec: 0.025, but a lab
run has one epoch, and the larger step learns more in it).

Both tick ``progress`` (a cancel point) and return :class:`~lab_app.core.pretrain.vectors
.WordVectors` whose ``meta`` records the settings, the corpus, the time taken and words/s.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import numpy as np
import scipy.sparse as sp

from lab_app.core.errors import UserError
from lab_app.core.pretrain.corpus import Corpus
from lab_app.core.pretrain.vectors import WordVectors, normalise_rows
from lab_app.core.progress import SILENT, Progress, tick

CONTEXT_ALPHA = 0.75  # context-distribution smoothing (PPMI) and the negative-sampling power
SUBSAMPLE = 1e-3  # word2vec's sub-sampling threshold t (gensim's default)
LEARNING_RATE = 0.1  # word2vec's skip-gram: 0.025 (see the module's docstring)
BATCH = 1024  # (centre, context) pairs per SGNS step
CAP = 16  # most summed updates of one row per step (see _scatter)


def build_vocab(
    corpus: Corpus, min_count: int, max_vocab: int | None = None
) -> tuple[tuple[str, ...], np.ndarray]:
    """The words seen at least ``min_count`` times, most frequent first (ties alphabetical),
    at most ``max_vocab`` of them, and their counts."""
    if min_count < 1:
        raise UserError(f"min_count must be at least 1, not {min_count}")
    counts = Counter(w for sentence in corpus.sentences for w in sentence)
    kept = sorted((-n, w) for w, n in counts.items() if n >= min_count)
    if max_vocab is not None:
        kept = kept[:max_vocab]
    if len(kept) < 10:
        raise UserError(
            f"only {len(kept)} words occur at least {min_count} times in {corpus.name}; "
            "lower min_count or use a longer text"
        )
    return tuple(w for _, w in kept), np.array([-n for n, _ in kept], dtype=np.int64)


def encode(corpus: Corpus, words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The corpus as word ids and sentence numbers (two int arrays of equal length); words out
    of the vocabulary are dropped first, as word2vec does, so windows close over them."""
    lookup = {w: i for i, w in enumerate(words)}
    ids: list[int] = []
    sent: list[int] = []
    for n, sentence in enumerate(corpus.sentences):
        row = [lookup[w] for w in sentence if w in lookup]
        ids.extend(row)
        sent.extend([n] * len(row))
    return np.array(ids, dtype=np.int64), np.array(sent, dtype=np.int64)


def cooccurrence(
    ids: np.ndarray, sent: np.ndarray, vocab: int, window: int, progress: Progress = SILENT
) -> sp.csr_matrix:
    """Symmetric ``[vocab, vocab]`` window counts within sentences, weighted ``(window - d + 1)
    / window`` at distance ``d``; one progress tick per distance."""
    if window < 1:
        raise UserError(f"window must be at least 1, not {window}")
    total = sp.csr_matrix((vocab, vocab), dtype=np.float64)
    for d in range(1, window + 1):
        tick(progress, d - 1, window + 2, f"counting pairs {d} words apart")
        same = sent[:-d] == sent[d:]
        left, right = ids[:-d][same], ids[d:][same]
        weight = np.full(len(left), (window - d + 1) / window)
        pairs = sp.coo_matrix((weight, (left, right)), shape=(vocab, vocab)).tocsr()
        total = total + pairs + pairs.T
    return total.tocsr()


def ppmi(counts: sp.csr_matrix, alpha: float = CONTEXT_ALPHA) -> sp.csr_matrix:
    """Positive PMI of a co-occurrence matrix, contexts smoothed: ``max(0, log(P(w, c) /
    (P(w) P_α(c))))`` with ``P(w, c) = C(w, c) / N``, ``P(w) = C(w) / N``, ``N = Σ C`` and
    ``P_α(c) = C(c)^α / Σ C(c')^α``."""
    counts = sp.csr_matrix(counts, dtype=np.float64)
    row = np.asarray(counts.sum(axis=1)).ravel()
    col = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    p_context = col / col.sum()
    coo = counts.tocoo()
    keep = coo.data > 0
    r, c, v = coo.row[keep], coo.col[keep], coo.data[keep]
    pmi = np.log(v) - np.log(row[r]) - np.log(p_context[c])  # P(w,c) / P(w): N cancels
    pos = pmi > 0
    return sp.csr_matrix((pmi[pos], (r[pos], c[pos])), shape=counts.shape)


def _meta(corpus: Corpus, method: str, settings: dict[str, Any], **figures: Any) -> dict:
    return {
        "method": method,
        "corpus": {"name": corpus.name, "words": corpus.words, "notes": list(corpus.notes)},
        "settings": settings,
        **figures,
    }


def train_ppmi_svd(
    corpus: Corpus,
    dim: int = 100,
    window: int = 4,
    min_count: int = 3,
    progress: Progress = SILENT,
    *,
    max_vocab: int | None = 30_000,
    seed: int = 0,
    name: str | None = None,
) -> WordVectors:
    """Count, PPMI, truncated SVD (randomized, seeded): word vectors ``U · sqrt(S)``."""
    from sklearn.decomposition import TruncatedSVD

    if dim < 1:
        raise UserError(f"dim must be at least 1, not {dim}")
    start = time.perf_counter()
    words, _ = build_vocab(corpus, min_count, max_vocab)
    ids, sent = encode(corpus, words)
    matrix = ppmi(cooccurrence(ids, sent, len(words), window, progress))
    tick(progress, window, window + 2, "singular value decomposition")
    used = min(dim, len(words) - 1)
    svd = TruncatedSVD(used, algorithm="randomized", n_iter=5, random_state=seed)
    u_s = svd.fit_transform(matrix)  # U · S
    vectors = u_s / np.sqrt(np.maximum(svd.singular_values_, 1e-12))  # U · sqrt(S)
    tick(progress, window + 2, window + 2, "done")
    seconds = time.perf_counter() - start
    settings: dict[str, Any] = {
        "dim": used,
        "window": window,
        "min_count": min_count,
        "max_vocab": max_vocab,
    }
    settings.update(alpha=CONTEXT_ALPHA, eigenvalue_weight=0.5, seed=seed)
    meta = _meta(corpus, "ppmi-svd", settings, seconds=round(seconds, 2))
    meta["words_per_second"] = round(len(ids) / max(seconds, 1e-9))
    return WordVectors(
        name or f"PPMI-SVD on {corpus.name}", words, normalise_rows(vectors), "ppmi-svd", meta
    )


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(_log_sigmoid(x))


def sgns_gradients(
    centre: np.ndarray, context: np.ndarray, negative: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """The SGNS loss of a batch and its gradients.

    ``centre`` [B, D] are the centre words' input vectors, ``context`` [B, D] the true contexts'
    output vectors, ``negative`` [B, K, D] the sampled words' output vectors. The loss, summed
    over the batch, is ``-log σ(u·v) - Σ_k log σ(-u·n_k)``; returned with its gradients with
    respect to ``centre``, ``context`` and ``negative`` (same shapes).
    """
    s_pos = np.einsum("bd,bd->b", centre, context)
    s_neg = np.einsum("bkd,bd->bk", negative, centre)
    loss = -float(_log_sigmoid(s_pos).sum() + _log_sigmoid(-s_neg).sum())
    g_pos = _sigmoid(s_pos) - 1.0  # d loss / d s_pos
    g_neg = _sigmoid(s_neg)  # d loss / d s_neg
    grad_centre = g_pos[:, None] * context + np.einsum("bk,bkd->bd", g_neg, negative)
    grad_context = g_pos[:, None] * centre
    grad_negative = g_neg[:, :, None] * centre[:, None, :]
    return loss, grad_centre, grad_context, grad_negative


def _scatter(matrix: np.ndarray, rows: np.ndarray, grads: np.ndarray, step: float) -> None:
    """``matrix[r] += step * Σ grads`` for each row ``r``, but a row met more than ``CAP`` times in
    the batch moves ``CAP`` times its mean gradient instead. Sequential word2vec sees each of a
    word's gradients after the previous update; a batch adds them all at once, and for frequent
    words (a common word is drawn as a negative a hundred times a batch) that sum overshoots and
    pulls every vector towards one direction."""
    seen = np.bincount(rows, minlength=len(matrix))[rows]
    np.add.at(matrix, rows, (step * np.minimum(1.0, CAP / seen))[:, None] * grads)


def skipgram_pairs(
    ids: np.ndarray, sent: np.ndarray, window: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(centre, context) id pairs within sentences, each centre with its own random window
    size ``1..window`` (word2vec's, so nearer words are seen more often)."""
    reach = rng.integers(1, window + 1, size=len(ids))
    centres, contexts = [], []
    for d in range(1, window + 1):
        same = sent[:-d] == sent[d:]
        right = same & (reach[:-d] >= d)  # centre i sees i + d
        left = same & (reach[d:] >= d)  # centre i + d sees i
        centres += [ids[:-d][right], ids[d:][left]]
        contexts += [ids[d:][right], ids[:-d][left]]
    return np.concatenate(centres), np.concatenate(contexts)


def train_sgns(
    corpus: Corpus,
    dim: int = 100,
    window: int = 4,
    negatives: int = 5,
    epochs: int = 1,
    min_count: int = 3,
    seed: int = 0,
    progress: Progress = SILENT,
    *,
    max_vocab: int | None = 30_000,
    name: str | None = None,
) -> WordVectors:
    """Skip-gram with negative sampling, mini-batched numpy SGD; seeded, so a run repeats."""
    for what, value in (("dim", dim), ("window", window), ("epochs", epochs)):
        if value < 1:
            raise UserError(f"{what} must be at least 1, not {value}")
    if negatives < 1:
        raise UserError(f"negatives must be at least 1, not {negatives}")
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    words, counts = build_vocab(corpus, min_count, max_vocab)
    ids, sent = encode(corpus, words)
    vocab = len(words)
    w_in = ((rng.random((vocab, dim)) - 0.5) / dim).astype(np.float32)
    w_out = np.zeros((vocab, dim), dtype=np.float32)
    noise = counts.astype(np.float64) ** CONTEXT_ALPHA
    noise_cdf = np.cumsum(noise / noise.sum())
    freq = counts / counts.sum()
    keep_p = np.minimum(1.0, np.sqrt(SUBSAMPLE / freq) + SUBSAMPLE / freq)
    planned = epochs * len(ids)  # progress and the learning rate run on corpus words
    done_words = 0
    for epoch in range(1, epochs + 1):
        kept = rng.random(len(ids)) < keep_p[ids]
        centres, contexts = skipgram_pairs(ids[kept], sent[kept], window, rng)
        order = rng.permutation(len(centres))
        steps = max(1, -(-len(order) // BATCH))
        for step in range(steps):
            words_here = done_words + len(ids) * step // steps
            if step % 20 == 0:
                tick(progress, words_here, planned, f"SGNS epoch {epoch}/{epochs}")
            batch = order[step * BATCH : (step + 1) * BATCH]
            c, o = centres[batch], contexts[batch]
            neg = np.searchsorted(noise_cdf, rng.random((len(batch), negatives)))
            neg = np.minimum(neg, vocab - 1)
            _, g_c, g_o, g_n = sgns_gradients(w_in[c], w_out[o], w_out[neg])
            lr = LEARNING_RATE * max(1e-4, 1.0 - words_here / planned)
            _scatter(w_in, c, g_c, -lr)
            _scatter(
                w_out,
                np.concatenate([o, neg.ravel()]),
                np.concatenate([g_o, g_n.reshape(-1, dim)]),
                -lr,
            )
        done_words += len(ids)
    tick(progress, planned, planned, "done")
    seconds = time.perf_counter() - start
    settings: dict[str, Any] = {
        "dim": dim,
        "window": window,
        "negatives": negatives,
        "epochs": epochs,
    }
    settings.update(min_count=min_count, max_vocab=max_vocab, subsample=SUBSAMPLE, seed=seed)
    settings.update(learning_rate=LEARNING_RATE, batch=BATCH, alpha=CONTEXT_ALPHA)
    meta = _meta(corpus, "sgns", settings, seconds=round(seconds, 2))
    meta["words_per_second"] = round(planned / max(seconds, 1e-9))
    return WordVectors(name or f"SGNS on {corpus.name}", words, normalise_rows(w_in), "sgns", meta)
