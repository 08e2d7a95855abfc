"""The Pre-training tab's background work: Qt-free functions its runners call on a pool thread.

Each takes the runner's ``report`` first. Loading the built-in vectors, training new ones and
running an encoder all take longer than the GUI thread may spend, so the tab does none of it
itself. A page's query is one job: the Word vectors page asks for neighbours, an analogy and a
map at once, and a bad word in one of them is that part's calm message, not the whole page's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.lru import LruCache
from lab_app.core.progress import Progress, tick

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.pretrain.context import ContextResult
    from lab_app.core.pretrain.live import PretrainRun, Progressed
    from lab_app.core.pretrain.probe_builtin import BuiltinReading
    from lab_app.core.pretrain.similarity import SimilarityResult
    from lab_app.core.pretrain.vectors import WordVectors

METHODS = ("ppmi-svd", "sgns")
MIN_MAP_WORDS = 3

# The encoders of the last two models (opening an ONNX Runtime session takes a while), kept until
# :func:`release` gives them back when the tab is hidden.
_HELD: LruCache[tuple[str | None, str], Encoder] = LruCache(2)


def _encoder_for(store: str | None) -> Callable[[str], Encoder]:
    def make(name: str) -> Encoder:
        from lab_app.core.mlm.graph_cache import lab_encoder
        from lab_app.core.models.store import open_store

        return _HELD.get_or_make((store, name), lambda: lab_encoder(open_store(store).model(name)))

    return make


def split_words(text: str) -> tuple[str, ...]:
    """The words typed in a box (commas or spaces between them), lower-case, each once."""
    seen: dict[str, None] = {}
    for word in re.split(r"[\s,;]+", text.strip().lower()):
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


@dataclass(frozen=True)
class WordQuery:
    """What the Word vectors page asks: neighbours of a word, a : b :: c : ?, and a map."""

    word: str
    analogy: tuple[str, str, str]
    map_words: tuple[str, ...]
    k: int = 10


@dataclass(frozen=True, eq=False)
class WordsAnswer:
    vectors: WordVectors
    query: WordQuery
    neighbours: list[tuple[str, float]] = field(default_factory=list)
    answers: list[tuple[str, float]] = field(default_factory=list)
    mapped: tuple[str, ...] = ()  # the map's words that are in the vocabulary
    points: np.ndarray | None = None  # [len(mapped), 2]
    left_out: tuple[str, ...] = ()  # the map's words that are not
    #: a calm message for each part that could not answer: "neighbours", "analogy", "map"
    errors: dict[str, UserError] = field(default_factory=dict)


def _vectors(vectors: WordVectors | None) -> WordVectors:
    from lab_app.core.pretrain.vectors import builtin_vectors

    return vectors if vectors is not None else builtin_vectors()


def words_job(report: Progress, vectors: WordVectors | None, query: WordQuery) -> WordsAnswer:
    """Neighbours, analogy and map for ``query`` from ``vectors`` (None: the built-in ones)."""
    from lab_app.core.pretrain.vectors import project_2d

    tick(report, 0, 4, "Loading the word vectors…")
    v = _vectors(vectors)
    errors: dict[str, UserError] = {}
    neighbours: list[tuple[str, float]] = []
    answers: list[tuple[str, float]] = []
    tick(report, 1, 4, "Nearest neighbours…")
    try:
        word = query.word.strip().lower()
        if not word:
            raise UserError("type a word to see its nearest neighbours")
        neighbours = v.neighbours(word, query.k)
    except UserError as exc:
        errors["neighbours"] = exc
    tick(report, 2, 4, "Analogy…")
    try:
        a, b, c = (w.strip().lower() for w in query.analogy)
        if not (a and b and c):
            raise UserError("type three words: a is to b as c is to ?")
        answers = v.analogy(a, b, c, 5)
    except UserError as exc:
        errors["analogy"] = exc
    tick(report, 3, 4, "Map…")
    mapped, left_out = _map_words(v, query.map_words, errors)
    points = None
    if mapped and "map" not in errors:
        try:
            points = np.asarray(project_2d(v, mapped), dtype=np.float32)
        except UserError as exc:
            errors["map"] = exc
    return WordsAnswer(v, query, neighbours, answers, mapped, points, left_out, errors)


def _map_words(
    v: WordVectors, words: Sequence[str], errors: dict[str, UserError]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    known = set(v.words)
    mapped = tuple(w for w in words if w in known)
    left_out = tuple(w for w in words if w not in known)
    if len(mapped) < MIN_MAP_WORDS:
        missing = f" ({', '.join(left_out)} not in the vocabulary)" if left_out else ""
        errors["map"] = UserError(
            f"the map needs at least {MIN_MAP_WORDS} words the vectors know{missing}"
        )
    return mapped, left_out


def train_job(
    report: Progress, corpus: Path | None, method: str, dim: int = 100, seed: int = 0
) -> WordVectors:
    """Word vectors trained on ``corpus`` (None: the built-in corpus), for this session only:
    nothing is written."""
    from lab_app.core.pretrain.corpus import read_corpus
    from lab_app.core.pretrain.train_vectors import train_ppmi_svd, train_sgns

    if method not in METHODS:
        raise UserError(f"train with {' or '.join(METHODS)}, not '{method}'")
    tick(report, 0, 1, "Reading the corpus…")
    text = read_corpus(corpus)
    if method == "sgns":
        return train_sgns(text, dim=dim, seed=seed, progress=report)
    return train_ppmi_svd(text, dim=dim, progress=report)


def context_job(
    report: Progress,
    store: str | None,
    word: str,
    sentences: Sequence[str],
    model: str | None,
    layer: int | None,
) -> ContextResult:
    """How similar one word's contextual vectors are across ``sentences``."""
    from lab_app.core.models.store import open_store
    from lab_app.core.pretrain.context import context_similarity

    tick(report, 0, 1, f"Running {model or 'the encoder'}…")
    return context_similarity(
        open_store(store),
        word,
        _sentences(sentences),
        model=model,
        layer=layer,
        progress=report,
        encoder_for=_encoder_for(store),
    )


@dataclass(frozen=True, eq=False)
class Compared:
    """The same sentences under each method, in the order asked; a method that could not run
    (its model is not in the store, say) has a calm message instead."""

    sentences: tuple[str, ...]
    results: dict[str, SimilarityResult]
    errors: dict[str, UserError]


def similarity_job(
    report: Progress, store: str | None, sentences: Sequence[str], methods: Sequence[str]
) -> Compared:
    """Sentence similarity by each of ``methods`` (static, cls or mean, sbert)."""
    from lab_app.core.models.store import open_store
    from lab_app.core.pretrain.similarity import sentence_similarity

    texts = _sentences(sentences)
    opened = open_store(store)
    results: dict[str, SimilarityResult] = {}
    errors: dict[str, UserError] = {}
    for i, method in enumerate(methods):
        tick(report, i, len(methods), f"Sentence similarity: {method}…")
        try:
            results[method] = sentence_similarity(
                opened, texts, method, progress=report, encoder_for=_encoder_for(store)
            )
        except UserError as exc:
            errors[method] = exc
    return Compared(texts, results, errors)


def _sentences(sentences: Sequence[str]) -> tuple[str, ...]:
    texts = tuple(s.strip() for s in sentences if s.strip())
    if len(texts) < 2:
        raise UserError("type at least two sentences, one a line")
    return texts


def pretrain_job(
    report: Progress,
    corpus: Path | None,
    objective: str,
    steps: int,
    seed: int,
    probe: str,
    on_progress: Callable[[Progressed], None],
) -> PretrainRun:
    """Pre-train a tiny model from random weights (the Pre-train live page); nothing is saved."""
    from lab_app.core.pretrain.corpus import read_corpus
    from lab_app.core.pretrain.live import default_lr, pretrain
    from lab_app.core.pretrain.tiny_lm import OBJECTIVES

    if objective not in OBJECTIVES:
        raise UserError(f"the objective is mlm or clm, not '{objective}'")
    tick(report, 0, 1, "Reading the corpus…")
    text = read_corpus(corpus)
    return pretrain(
        text, objective, steps, seed, lr=default_lr(objective), probe=probe or None,
        progress=report, on_progress=on_progress,
    )  # fmt: skip


def builtin_probe_job(
    report: Progress, store: str | None, objective: str, probe: str
) -> BuiltinReading:
    """The probe read by the store's pre-trained model of the same kind."""
    from lab_app.core.pretrain.live import probe_words
    from lab_app.core.pretrain.probe_builtin import builtin_probe

    tick(report, 0, 1, "Reading the probe with the pre-trained model…")
    return builtin_probe(store, objective, probe_words(probe or None), report)  # type: ignore[arg-type]


def release() -> None:
    """The tab was hidden: give back the encoders the jobs keep."""
    _HELD.release()


def warm_lab(store: object = None) -> None:
    """Load the built-in word vectors once the window is idle (the registry's ``warm``), so the
    first question on the Word vectors page does not wait for them; a missing file waits for
    the page to say so."""
    from lab_app.core.pretrain.vectors import builtin_vectors

    with contextlib.suppress(UserError):
        builtin_vectors()
