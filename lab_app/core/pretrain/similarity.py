"""Sentence similarity three ways: averaged static word vectors, a raw BERT, and SBERT.

A first-year's question, "how similar are these sentences?", answered by the three generations of
sentence vectors, each with the surprise it teaches:

``static``
    the mean of the built-in static word vectors (:func:`~lab_app.core.pretrain.vectors.
    builtin_vectors`) of the sentence's words. A mean forgets the order of its terms, so "the dog
    bit the man" and "the man bit the dog" are the same vector: similarity exactly 1.
``cls`` / ``mean``
    a raw BERT (default ``bert-lab-mlm``), trained only to fill in masked words: its [CLS] vector
    or the mean of its token vectors at the last layer. Nothing taught it that cosine should
    follow meaning; every hidden state shares a few large common directions, so every pair of
    sentences looks similar (the [CLS] vector most of all, since no task ever trained it).
``sbert``
    a sentence-transformers model (default ``all-MiniLM-L6-v2``) with its own pooling, trained
    on sentence pairs so that cosine follows meaning: paraphrases high, unrelated pairs near 0.

The BERT methods run the store graph every lab shares (:func:`~lab_app.core.mlm.graph_cache.
lab_encoder`) through :func:`~lab_app.core.models.embed.embed`, so the vectors are exactly those
of the Embeddings lab and ``bert-lab embed``. Every result carries a one-line ``note`` that names
its method's surprise with the numbers of this very matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.progress import SILENT, Progress, tick

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore

SIM_METHODS = ("static", "cls", "mean", "sbert")
DEFAULT_MODELS = {"cls": "bert-lab-mlm", "mean": "bert-lab-mlm", "sbert": "all-MiniLM-L6-v2"}
STATIC_MODEL = "bert-lab-words"  # the name a static result reports as its model
MAX_SENTENCES = 200  # a 200 × 200 matrix is already more than a screen can show
# The words of a sentence, as the static vectors' corpus splits them (core/pretrain/corpus.py's
# tokenize_words uses the same pattern): lower-cased, punctuation dropped.
WORD_RE = re.compile(r"\w+(?:'\w+)?")

#: Sentences that show each method's surprise: word order, negation, a paraphrase, an outsider.
EXAMPLE_SENTENCES = (
    "The dog bit the man.",
    "The man bit the dog.",
    "A puppy nipped a man's hand.",
    "I really enjoyed the film.",
    "I did not enjoy the film at all.",
    "Interest rates rose again this quarter.",
)

EncoderFor = Callable[[str], "Encoder"]


@dataclass(frozen=True, eq=False)
class SimilarityResult:
    """The cosine similarity of every pair of ``sentences`` by one method."""

    method: str
    model: str
    sentences: tuple[str, ...]
    similarity: np.ndarray  # float32 [n, n], symmetric, ones on the diagonal
    note: str = ""  # one line: what is surprising about this method, with this matrix's numbers

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "model": self.model,
            "sentences": list(self.sentences),
            "similarity": np.round(self.similarity.astype(np.float64), 6).tolist(),
            "note": self.note,
        }


def check_sentences(sentences: Sequence[str], *, minimum: int = 2) -> tuple[str, ...]:
    """The sentences as a tuple, or a :class:`UserError` for too few, too many or an empty one.

    Emoji, right-to-left scripts and any other Unicode are fine: the tokenizer maps what it does
    not know to [UNK] (or, for static vectors, the word is simply not in the vocabulary)."""
    texts = tuple(str(s) for s in sentences)
    if len(texts) < minimum:
        raise UserError(f"give at least {minimum} sentences to compare (got {len(texts)})")
    if len(texts) > MAX_SENTENCES:
        raise UserError(
            f"{len(texts):,} sentences is too many: a similarity matrix takes at most "
            f"{MAX_SENTENCES} (it has one row and one column per sentence)"
        )
    for number, text in enumerate(texts, 1):
        if not text.strip():
            raise UserError(f"sentence {number} is empty: write something or remove it")
    return texts


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Cosine of every pair of rows: symmetric, with exactly 1 on the diagonal of nonzero rows."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    unit = v / np.clip(norms, 1e-12, None)
    sim = np.clip(unit @ unit.T, -1.0, 1.0)
    sim = (sim + sim.T) / 2  # exact symmetry whatever the summation order did
    np.fill_diagonal(sim, 1.0)
    return sim.astype(np.float32)


def default_encoder(store: ModelStore) -> EncoderFor:
    """Open ``name`` the way every lab does (the derived graph for an MLM model, the session
    shared while it lives). A GUI passes its own ``encoder_for`` to keep sessions between runs."""

    def make(name: str) -> Encoder:
        from lab_app.core.mlm.graph_cache import lab_encoder

        return lab_encoder(store.model(name))

    return make


def sentence_similarity(
    store: ModelStore,
    sentences: Sequence[str],
    method: str,
    model: str | None = None,
    progress: Progress = SILENT,
    *,
    encoder_for: EncoderFor | None = None,
) -> SimilarityResult:
    """The similarity matrix of ``sentences`` (2 to :data:`MAX_SENTENCES`) by ``method``.

    ``model`` chooses the store encoder for ``cls``, ``mean`` and ``sbert`` (defaults in
    :data:`DEFAULT_MODELS`); ``static`` always uses the built-in word vectors. ``encoder_for``
    (name -> :class:`~lab_app.core.models.encoder.Encoder`) lets a caller reuse its sessions."""
    if method not in SIM_METHODS:
        raise UserError(f"unknown method '{method}'; choose one of {', '.join(SIM_METHODS)}")
    texts = check_sentences(sentences)
    if method == "static":
        if model is not None and model != STATIC_MODEL:
            raise UserError(
                "the static method averages the built-in word vectors; a model does not apply "
                "(drop --model, or choose cls, mean or sbert)"
            )
        sim = _static_similarity(texts, progress)
        return SimilarityResult(
            method, STATIC_MODEL, texts, sim, _note(method, STATIC_MODEL, texts, sim)
        )
    from lab_app.core.models.embed import embed

    name = model or DEFAULT_MODELS[method]
    encoder = (encoder_for or default_encoder(store))(name)
    tick(progress, 0, len(texts), f"embedding with {name}")
    result = embed(encoder, texts, pooling=method, progress=progress)  # type: ignore[arg-type]
    sim = cosine_matrix(result.vectors)
    return SimilarityResult(method, name, texts, sim, _note(method, name, texts, sim))


def static_sentence_vectors(texts: Sequence[str]) -> np.ndarray:
    """Each text's mean static word vector (unit word vectors, words outside the vocabulary
    skipped). A text none of whose words are known is a :class:`UserError` naming it."""
    from lab_app.core.pretrain.vectors import builtin_vectors

    vectors = builtin_vectors()
    lookup = {w: i for i, w in enumerate(vectors.words)}
    out = np.zeros((len(texts), vectors.vectors.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        rows = [lookup[w] for w in WORD_RE.findall(text.lower()) if w in lookup]
        if not rows:
            raise UserError(
                f"sentence {row + 1} (“{_short(text)}”) has no word the static vectors know "
                f"({len(vectors.words):,} English words): it has no average to compare"
            )
        out[row] = vectors.vectors[rows].mean(axis=0)
    return out


def _static_similarity(texts: tuple[str, ...], progress: Progress) -> np.ndarray:
    tick(progress, 0, len(texts), "averaging word vectors")
    sim = cosine_matrix(static_sentence_vectors(texts))
    tick(progress, len(texts), len(texts))
    return sim


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _permuted_pair(texts: tuple[str, ...]) -> tuple[int, int] | None:
    """The first two different sentences made of the same words (in another order), if any."""
    bags = [sorted(WORD_RE.findall(t.lower())) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if bags[i] and bags[i] == bags[j] and texts[i] != texts[j]:
                return i, j
    return None


def _note(method: str, model: str, texts: tuple[str, ...], sim: np.ndarray) -> str:
    """One line on what is surprising about this method, with this matrix's own numbers."""
    off = sim[~np.eye(len(texts), dtype=bool)]
    low, high = float(off.min()), float(off.max())
    pair = _permuted_pair(texts)
    if method == "static":
        seen = f": sentences {pair[0] + 1} and {pair[1] + 1} score 1.00" if pair else ""
        return (
            "Averaging word vectors ignores word order, so the same words in any order give "
            f"the same vector{seen}; here pairs score {low:.2f} to {high:.2f}."
        )
    if method == "cls":
        return (
            f"{model}'s [CLS] vector was never trained to compare sentences, so even unrelated "
            f"ones look alike: here the least similar pair still scores {low:.2f} "
            f"(the most similar {high:.2f})."
        )
    if method == "mean":
        return (
            f"Averaging {model}'s token vectors beats [CLS] but is still untrained for "
            f"similarity: the least similar pair scores {low:.2f}, where SBERT puts unrelated "
            "sentences near 0."
        )
    order = (
        f" — yet sentences {pair[0] + 1} and {pair[1] + 1}, the same words reordered, score "
        f"{sim[pair]:.2f}: word order still counts for little"
        if pair
        else ""
    )
    return (
        "SBERT was trained on sentence pairs so that cosine follows meaning: paraphrases high, "
        f"unrelated sentences near 0 (here {low:.2f} to {high:.2f}){order}."
    )
