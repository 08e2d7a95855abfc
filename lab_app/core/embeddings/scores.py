"""How well do the vectors separate the intents? Scores, neighbours and kNN intent guesses.

Silhouette (cosine) by gold intent and by K-Means cluster, ARI and NMI of clusters against the
gold intents, and leave-one-out kNN accuracy of the gold intents (cosine). All are sklearn's
implementations, so the numbers match what students compute in a notebook. A score that cannot be
computed is None, with the reason in ``notes`` for the UI to show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lab_app.core.embeddings.cluster import silhouette
from lab_app.core.errors import UserError

KNN_K = 5
WORKING_MEMORY_MB = 64
SCORE_NAMES = (
    "silhouette_gold",
    "silhouette_clusters",
    "ari",
    "nmi",
    "knn_accuracy",
)
SCORE_TITLES = {
    "silhouette_gold": "Silhouette by intent (cosine)",
    "silhouette_clusters": "Silhouette by cluster (cosine)",
    "ari": "ARI clusters vs intents",
    "nmi": "NMI clusters vs intents",
    "knn_accuracy": f"{KNN_K}-NN intent accuracy (leave-one-out)",
}


@dataclass(frozen=True)
class Scores:
    n: int
    k: int
    silhouette_gold: float | None
    silhouette_clusters: float | None
    ari: float | None
    nmi: float | None
    knn_accuracy: float | None
    notes: dict[str, str] = field(default_factory=dict)  # score name → why it is None

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "k": self.k,
            "ari": self.ari,
            "nmi": self.nmi,
            "silhouette_gold": self.silhouette_gold,
            "silhouette_clusters": self.silhouette_clusters,
            "knn_accuracy": self.knn_accuracy,
        }

    def value(self, name: str) -> float | None:
        value: float | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class Neighbour:
    index: int
    similarity: float  # cosine similarity in the full-dimensional space


@dataclass(frozen=True)
class IntentGuess:
    """A new utterance's kNN intent: the winning label, the votes, and the neighbours."""

    label: str | None
    votes: dict[str, int]
    neighbours: tuple[Neighbour, ...]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.asarray(vectors / np.clip(norms, 1e-12, None), dtype=np.float32)


def knn_accuracy(vectors: np.ndarray, labels: Sequence[str], k: int = KNN_K) -> float | None:
    """Leave-one-out kNN accuracy (cosine, majority vote, ties to the first label in sort order).

    Equal to sklearn's ``KNeighborsClassifier(metric="cosine")`` under ``LeaveOneOut`` but one
    neighbour search instead of n fits: ``kneighbors()`` without X leaves each point out itself.
    """
    from sklearn.neighbors import NearestNeighbors

    n = len(labels)
    if n < 2:
        return None
    k = min(k, n - 1)
    classes, encoded = np.unique(np.asarray(labels), return_inverse=True)
    nn = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(vectors)
    neighbours = nn.kneighbors(return_distance=False)  # chunked: memory stays bounded
    votes = np.zeros((n, len(classes)), dtype=np.int32)
    rows = np.repeat(np.arange(n), k)
    np.add.at(votes, (rows, encoded[neighbours].ravel()), 1)
    predicted = votes.argmax(axis=1)  # first maximum = smallest class, as scipy's mode
    return float(np.mean(predicted == encoded))


def compute_scores(
    vectors: np.ndarray,
    clusters: np.ndarray,
    labels: Sequence[str] | None,
    seed: int = 0,
) -> Scores:
    """Every score for one configuration; those needing gold intents are None without them.

    sklearn computes distances in chunks of ``working_memory`` MB; its default (1 GB) would let
    20,000 utterances take 1.7 GB, so the chunks are kept small here.
    """
    from sklearn import config_context

    with config_context(working_memory=WORKING_MEMORY_MB):
        return _scores(vectors, clusters, labels, seed)


def _scores(
    vectors: np.ndarray, clusters: np.ndarray, labels: Sequence[str] | None, seed: int
) -> Scores:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    n = int(vectors.shape[0])
    k = len(np.unique(clusters))
    notes: dict[str, str] = {}
    sil_clusters = silhouette(vectors, clusters, seed)
    if sil_clusters is None:
        notes["silhouette_clusters"] = "needs at least 2 clusters with fewer clusters than points"
    if labels is None:
        why = "the data has no intent labels"
        notes.update({name: why for name in ("silhouette_gold", "ari", "nmi", "knn_accuracy")})
        return Scores(n, k, None, sil_clusters, None, None, None, notes)
    if len(labels) != n:
        raise UserError(f"{len(labels)} labels for {n} vectors")
    gold = np.asarray(labels)
    sil_gold = silhouette(vectors, gold, seed)
    if sil_gold is None:
        notes["silhouette_gold"] = "needs at least 2 intents, each not unique to one utterance"
    ari = float(adjusted_rand_score(gold, clusters))
    nmi = float(normalized_mutual_info_score(gold, clusters))
    knn = knn_accuracy(vectors, list(labels))
    return Scores(n, k, sil_gold, sil_clusters, ari, nmi, knn, notes)


def nearest(
    vectors: np.ndarray, query: np.ndarray, k: int = 8, exclude: int | None = None
) -> tuple[Neighbour, ...]:
    """The ``k`` rows most similar to ``query`` by cosine in the full space (best first)."""
    sims = _unit(vectors) @ _unit(np.asarray(query, dtype=np.float32).reshape(-1))
    if exclude is not None:
        sims[exclude] = -np.inf
    k = min(k, len(sims) - (exclude is not None))
    if k <= 0:
        return ()
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.lexsort((top, -sims[top]))]  # by similarity, ties by index: stable for tests
    return tuple(Neighbour(int(i), float(sims[i])) for i in top)


def neighbours_of(vectors: np.ndarray, index: int, k: int = 8) -> tuple[Neighbour, ...]:
    """Nearest neighbours of one of the points (itself left out)."""
    if not 0 <= index < len(vectors):
        raise UserError(f"there is no point {index}")
    return nearest(vectors, vectors[index], k, exclude=index)


def knn_intent(
    vectors: np.ndarray, labels: Sequence[str] | None, query: np.ndarray, k: int = KNN_K
) -> IntentGuess:
    """The intent of a new utterance by majority vote of its k nearest labelled points."""
    found = nearest(vectors, query, k)
    if labels is None:
        return IntentGuess(None, {}, found)
    votes = Counter(labels[nb.index] for nb in found)
    # Ties go to the label whose nearest supporter is closest (neighbours are best first).
    best = max(votes.values())
    label = next(labels[nb.index] for nb in found if votes[labels[nb.index]] == best)
    return IntentGuess(label, dict(votes.most_common()), found)
