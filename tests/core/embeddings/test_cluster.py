"""The Embeddings lab's core: vectors, PCA, K-Means and scores, checked against sklearn itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score
from sklearn.model_selection import LeaveOneOut, cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from lab_app.core.embeddings.cache import LruCache
from lab_app.core.embeddings.cluster import default_ks, elbow, kmeans, silhouette
from lab_app.core.embeddings.lab import Dataset, EmbedConfig, LabSession, analyse
from lab_app.core.embeddings.projection import ProjectionSettings, check_vectors, project, transform
from lab_app.core.embeddings.scores import compute_scores, knn_accuracy, knn_intent, neighbours_of
from lab_app.core.errors import UserError
from lab_app.core.models.embed import embed
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore

pytest_plugins = ["cluster_fixtures"]

MODEL = "all-MiniLM-L6-v2"
PCA_ONLY = ProjectionSettings("pca")


@pytest.fixture(scope="module")
def sbert_analysis(lab_session: LabSession, sample_dataset: Dataset) -> object:
    return analyse(lab_session, sample_dataset, EmbedConfig(MODEL, "sbert"), PCA_ONLY, 14)


def test_vectors_equal_the_embed_core(
    lab_session: LabSession, sample_dataset: Dataset, built_store_dir: Path
) -> None:
    encoder = Encoder(ModelStore(built_store_dir).model(MODEL))
    texts = sample_dataset.texts[::5]
    part = Dataset.of(texts, sample_dataset.labels[::5], "every fifth")  # type: ignore[index]
    for pooling, layer in (("cls", 3), ("mean", None), ("pooler", None)):
        config = EmbedConfig(MODEL, pooling, layer)  # type: ignore[arg-type]
        result = analyse(lab_session, part, config, PCA_ONLY, 14, with_elbow=False)
        expected = embed(encoder, list(texts), pooling=pooling, layer=layer)  # type: ignore[arg-type]
        np.testing.assert_array_equal(result.vectors.vectors, expected.vectors)
        assert result.config.layer == expected.layer


def test_scores_equal_sklearn(sbert_analysis: object, sample_dataset: Dataset) -> None:
    a = sbert_analysis
    v = a.vectors.vectors  # type: ignore[attr-defined]
    gold = np.asarray(sample_dataset.labels)
    clusters = a.clusters.labels  # type: ignore[attr-defined]
    s = a.scores  # type: ignore[attr-defined]
    assert (s.n, s.k) == (279, 14)
    assert s.silhouette_gold == pytest.approx(silhouette_score(v, gold, metric="cosine"))
    assert s.silhouette_clusters == pytest.approx(silhouette_score(v, clusters, metric="cosine"))
    assert s.ari == pytest.approx(adjusted_rand_score(gold, clusters))
    assert s.nmi == pytest.approx(normalized_mutual_info_score(gold, clusters))
    knn = KNeighborsClassifier(n_neighbors=5, metric="cosine", algorithm="brute")
    loo = cross_val_score(knn, v, gold, cv=LeaveOneOut()).mean()
    assert s.knn_accuracy == pytest.approx(loo)
    # SBERT separates the help-desk intents well: a sanity check that the data is what we think.
    assert s.ari > 0.5 and s.knn_accuracy > 0.8


def test_pca_matches_sklearn_with_explained_variance(sbert_vectors: np.ndarray) -> None:
    proj = project(sbert_vectors, PCA_ONLY)
    ref = PCA(n_components=2, svd_solver="full").fit(sbert_vectors)
    np.testing.assert_allclose(proj.explained_variance, ref.explained_variance_ratio_, rtol=1e-5)
    np.testing.assert_allclose(proj.coords, ref.transform(sbert_vectors), atol=1e-5)
    assert proj.axis_labels()[0].startswith("PC1 (")
    np.testing.assert_allclose(transform(proj, sbert_vectors[:3]), proj.coords[:3], atol=1e-5)


def test_kmeans_repeats_exactly_with_its_seed(sbert_vectors: np.ndarray) -> None:
    first = kmeans(sbert_vectors, 14, seed=3)
    again = kmeans(sbert_vectors, 14, seed=3)
    np.testing.assert_array_equal(first.labels, again.labels)
    assert first.inertia == again.inertia
    assert len(np.unique(first.labels)) == 14


def test_elbow_has_inertia_and_silhouette_per_k(sbert_vectors: np.ndarray) -> None:
    ks = default_ks(len(sbert_vectors), 14)
    assert ks == tuple(range(2, 19))
    curve = elbow(sbert_vectors, ks[:5], seed=0)
    assert curve.ks == (2, 3, 4, 5, 6)
    assert list(curve.inertias) == sorted(curve.inertias, reverse=True)
    assert all(s is not None and -1 <= s <= 1 for s in curve.silhouettes)
    assert (curve.sample, curve.n) == (279, 279)


def test_an_analysis_is_cached_and_flipping_back_is_the_same_object(
    lab_session: LabSession, sample_dataset: Dataset, sbert_analysis: object
) -> None:
    again = analyse(lab_session, sample_dataset, EmbedConfig(MODEL, "sbert"), PCA_ONLY, 14)
    assert again is sbert_analysis
    assert again.caption == "all-MiniLM-L6-v2 · SBERT pooling · layer 6 · PCA"


def test_without_labels_the_gold_scores_are_none_and_say_why(sbert_vectors: np.ndarray) -> None:
    clusters = kmeans(sbert_vectors, 5).labels
    s = compute_scores(sbert_vectors, clusters, None)
    assert s.silhouette_clusters is not None
    assert (s.ari, s.nmi, s.silhouette_gold, s.knn_accuracy) == (None, None, None, None)
    assert s.notes["ari"] == "the data has no intent labels"


def test_nearest_neighbours_are_by_cosine_in_the_full_space(sbert_vectors: np.ndarray) -> None:
    found = neighbours_of(sbert_vectors, 0, k=5)
    unit = sbert_vectors / np.linalg.norm(sbert_vectors, axis=1, keepdims=True)
    sims = unit @ unit[0]
    sims[0] = -np.inf
    assert [n.index for n in found] == list(np.argsort(-sims)[:5])
    assert found[0].similarity == pytest.approx(sims.max(), abs=1e-6)


def test_knn_intent_of_a_new_utterance(sbert_vectors: np.ndarray, sample_dataset: Dataset) -> None:
    guess = knn_intent(sbert_vectors, sample_dataset.labels, sbert_vectors[0] + 1e-3)
    assert guess.label == sample_dataset.labels[0]  # type: ignore[index]
    assert sum(guess.votes.values()) == 5
    assert knn_intent(sbert_vectors, None, sbert_vectors[0]).label is None


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (np.ones((1, 4)), "1 row"),
        (np.ones((2, 4)), "2 rows"),
        (np.ones((5, 4)), "identical"),
        (np.array([[1.0, np.nan], [0, 1], [1, 1]]), "NaN"),
        (np.array([[1.0, np.inf], [0, 1], [1, 1]]), "Reset weights"),
    ],
)
def test_bad_vectors_are_user_errors(rows: np.ndarray, needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        check_vectors(rows)
    with pytest.raises(UserError, match=needle):
        project(rows, PCA_ONLY)


def test_bad_k_and_n_neighbors_are_user_errors(sbert_vectors: np.ndarray) -> None:
    few = sbert_vectors[:6]
    with pytest.raises(UserError, match="more than the 6 utterances"):
        kmeans(few, 7)
    with pytest.raises(UserError, match="at least 2 clusters"):
        kmeans(few, 1)
    with pytest.raises(UserError, match="below 6"):
        project(few, ProjectionSettings("umap", n_neighbors=6))
    with pytest.raises(UserError, match="at least 2"):
        project(few, ProjectionSettings("umap", n_neighbors=1))
    dup = np.vstack([few[:2]] * 3)
    with pytest.raises(UserError, match="only 2 of the utterances have different vectors"):
        kmeans(dup, 3)


def test_a_tiny_dataset_through_the_whole_pipeline(
    lab_session: LabSession, small_csv: Path
) -> None:
    from lab_app.core.io.text_input import read_utterances

    data = read_utterances(small_csv)
    ds = Dataset.of(data.texts, data.labels, str(small_csv))
    a = analyse(lab_session, ds, EmbedConfig(MODEL, "mean"), PCA_ONLY, 3)
    assert a.scores.n == 12 and a.elbow is not None and a.elbow.ks[-1] == 11
    with pytest.raises(UserError, match="more than the 12"):
        analyse(lab_session, ds, EmbedConfig(MODEL, "mean"), PCA_ONLY, 13)
    three = Dataset.of(data.texts[:3], data.labels[:3], "three")  # type: ignore[index]
    tiny = analyse(lab_session, three, EmbedConfig(MODEL, "mean"), PCA_ONLY, 3)
    assert tiny.scores.silhouette_clusters is None
    assert "fewer clusters than points" in tiny.scores.notes["silhouette_clusters"]


def test_silhouette_is_none_when_undefined() -> None:
    v = np.random.default_rng(0).normal(size=(4, 3))
    assert silhouette(v, [0, 0, 0, 0]) is None
    assert silhouette(v, [0, 1, 2, 3]) is None
    assert knn_accuracy(v, ["a", "a", "b", "b"], k=1) is not None


def test_lru_cache_is_bounded_by_entries_and_bytes() -> None:
    cache: LruCache[int, np.ndarray] = LruCache(3, max_size=250, size_of=lambda a: a.nbytes)
    for i in range(5):
        cache.put(i, np.zeros(10, dtype=np.int64))  # 80 bytes each
    assert len(cache) == 3 and 0 not in cache and 4 in cache
    cache.put(9, np.zeros(40, dtype=np.int64))  # 320 bytes: alone over the bound, kept alone
    assert len(cache) == 1 and 9 in cache
    assert cache.get_or_make(1, lambda: np.ones(1)) is cache.get(1)


def test_the_labs_core_modules_do_not_import_qt() -> None:
    import subprocess
    import sys

    modules = "cluster, projection, scores, perturb, cache, lab, export, jobs"
    code = (
        f"import sys; from lab_app.core.embeddings import {modules}; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
