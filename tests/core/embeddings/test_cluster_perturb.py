"""Weight perturbation: σ = 0 is exactly the original, noise is seeded and per tensor, the store's
files are never touched, int8 weights are requantized, and a huge σ is a message, not a crash."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from lab_app.core.embeddings.lab import Dataset, EmbedConfig, LabSession, embed_dataset, sweep
from lab_app.core.embeddings.perturb import (
    Perturbation,
    check_perturbation,
    layer_of,
    layers_label,
    perturb_model,
)
from lab_app.core.errors import UserError
from lab_app.core.hashing import sha256_file

pytest_plugins = ["cluster_fixtures"]

MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def graph(built_store_dir: Path) -> onnx.ModelProto:
    return onnx.load(str(built_store_dir / "models" / MODEL / "model.onnx"))


@pytest.fixture(scope="module")
def few(sample_dataset: Dataset) -> Dataset:
    """Every seventh utterance: enough to see the effect, quick to embed with many sessions."""
    return Dataset.of(sample_dataset.texts[::7], sample_dataset.labels[::7], "few")  # type: ignore[index]


def _init(model: onnx.ModelProto, name: str) -> np.ndarray:
    return next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == name)


def test_layer_numbers_follow_the_slider() -> None:
    assert layer_of("embeddings.word_embeddings.weight") == 0
    assert layer_of("encoder.layer.0.attention.self.query.weight") == 1
    assert layer_of("encoder.layer.5.output.dense.weight_quantized") == 6
    assert layer_of("pooler.dense.weight") is None
    assert layers_label((3, 0, 1)) == "layer embeddings, 1, 3"
    assert Perturbation(0.0, 5, (1,)).key() == Perturbation().key()


def test_sigma_zero_returns_the_original_graph(graph: onnx.ModelProto) -> None:
    assert perturb_model(graph, Perturbation(0.0, 1, (1, 2)), 6).model is graph
    assert perturb_model(graph, Perturbation(0.5, 1, ()), 6).model is graph


def test_noise_is_scaled_per_tensor_seeded_and_independent_of_other_layers(
    graph: onnx.ModelProto,
) -> None:
    name = "encoder.layer.2.attention.self.query.weight"
    original = _init(graph, name)
    one = perturb_model(graph, Perturbation(0.1, 7, (3,)), 6)
    both = perturb_model(graph, Perturbation(0.1, 7, (3, 4)), 6)
    other_seed = perturb_model(graph, Perturbation(0.1, 8, (3,)), 6)
    assert all(layer_of(t) == 3 for t in one.tensors)
    assert "encoder.layer.2.attention.output.LayerNorm.bias" not in one.tensors  # weights only
    noise = _init(one.model, name) - original
    assert noise.std() == pytest.approx(0.1 * original.std(), rel=0.05)
    np.testing.assert_array_equal(_init(both.model, name), _init(one.model, name))
    assert not np.array_equal(_init(other_seed.model, name), _init(one.model, name))
    untouched = "encoder.layer.3.attention.self.query.weight"
    np.testing.assert_array_equal(_init(one.model, untouched), _init(graph, untouched))
    np.testing.assert_array_equal(_init(graph, name), original)  # the loaded graph is unchanged


def test_sigma_zero_gives_exactly_the_unperturbed_vectors_and_sigma_changes_them(
    lab_session: LabSession, few: Dataset, built_store_dir: Path
) -> None:
    onnx_file = built_store_dir / "models" / MODEL / "model.onnx"
    before = sha256_file(onnx_file)
    plain = embed_dataset(lab_session, few, EmbedConfig(MODEL, "mean", 6)).vectors
    zero = EmbedConfig(MODEL, "mean", 6, Perturbation(0.0, 3, (1, 2, 3)))
    np.testing.assert_array_equal(embed_dataset(lab_session, few, zero).vectors, plain)
    noisy = EmbedConfig(MODEL, "mean", 6, Perturbation(0.2, 3, (1, 2, 3)))
    first = embed_dataset(lab_session, few, noisy).vectors
    assert not np.allclose(first, plain, atol=1e-3)
    lab_session.vectors.clear()  # embed again from a fresh perturbed session: same seed, same
    lab_session.pool.clear()
    np.testing.assert_array_equal(embed_dataset(lab_session, few, noisy).vectors, first)
    assert sha256_file(onnx_file) == before


def test_embedding_layer_noise_changes_layer_zero_only_when_chosen(
    lab_session: LabSession, few: Dataset
) -> None:
    plain = embed_dataset(lab_session, few, EmbedConfig(MODEL, "mean", 0)).vectors
    upper = EmbedConfig(MODEL, "mean", 0, Perturbation(0.5, 1, (4, 5)))
    np.testing.assert_array_equal(embed_dataset(lab_session, few, upper).vectors, plain)
    emb = EmbedConfig(MODEL, "mean", 0, Perturbation(0.5, 1, (0,)))
    assert not np.allclose(embed_dataset(lab_session, few, emb).vectors, plain, atol=1e-3)


def test_int8_weights_are_requantized(built_store_dir: Path) -> None:
    model = onnx.load(str(built_store_dir / "models" / f"{MODEL}-int8" / "model.onnx"))
    name = "encoder.layer.0.attention.self.query.weight_quantized"
    changed = perturb_model(model, Perturbation(0.3, 0, (1,)), 6)
    assert name in changed.tensors
    before, after = _init(model, name), _init(changed.model, name)
    assert after.dtype == before.dtype == np.int8
    assert 0 < np.mean(before != after) < 1


def test_bad_perturbations_are_user_errors(graph: onnx.ModelProto) -> None:
    for sigma in (float("nan"), float("inf"), -1.0, 2e6):
        with pytest.raises(UserError, match="σ"):
            check_perturbation(Perturbation(sigma, 0, (1,)), 6)
    with pytest.raises(UserError, match="layer 9 does not exist"):
        perturb_model(graph, Perturbation(0.1, 0, (9,)), 6)


def test_a_huge_sigma_destroys_the_clusters_but_not_the_numbers(
    lab_session: LabSession, few: Dataset
) -> None:
    """σ = 10⁶ on every layer: the LayerNorms keep the vectors finite (seeded, so always the same
    outcome: a map, not a message), and what clusters is no longer the intents."""
    from lab_app.core.embeddings.lab import analyse
    from lab_app.core.embeddings.projection import ProjectionSettings

    config = EmbedConfig(MODEL, "cls", None, Perturbation(1e6, 0, (0, 1, 2, 3, 4, 5, 6)))
    result = analyse(lab_session, few, config, ProjectionSettings(), 5, with_elbow=False)
    assert np.isfinite(result.projection.coords).all()
    assert result.scores.ari is not None and result.scores.ari < 0.3


def test_sweep_plots_ari_against_sigma(lab_session: LabSession, few: Dataset) -> None:
    config = EmbedConfig(MODEL, "sbert", None, Perturbation(0.0, 0, (1, 2, 3, 4, 5, 6)))
    result = sweep(lab_session, few, config, 5, sigmas=(0.0, 0.05, 3.0))
    assert result.sigmas == (0.0, 0.05, 3.0)
    assert all(a is not None for a in result.ari)
    assert result.ari[0] > result.ari[2]  # heavy noise destroys the intent clusters
    with pytest.raises(UserError, match="at least one layer"):
        sweep(lab_session, few, EmbedConfig(MODEL, "sbert"), 5)
    unlabelled = Dataset.of(few.texts, None, "no labels")
    with pytest.raises(UserError, match="no intents"):
        sweep(lab_session, unlabelled, config, 5)
