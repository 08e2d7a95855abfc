"""UMAP: seeded maps repeat, new points can be placed, and numba's cache stays out of the package.

Kept to a few small fits: numba compiles umap's kernels on first use in each process (≈16 s).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.embeddings import projection
from lab_app.core.embeddings.projection import ProjectionSettings, project, transform, warm_umap

pytest_plugins = ["cluster_fixtures"]


def test_numba_cache_goes_to_the_users_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", "recorded")  # so that undo() restores the original
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    import numba  # noqa: F401  (loaded first, as another library might have done)
    from numba.core import config

    try:
        projection.configure_numba_cache()
        expected = tmp_path / "bert-lab" / "numba"
        assert os.environ["NUMBA_CACHE_DIR"] == str(expected)
        assert expected.is_dir()
        assert str(expected) == config.CACHE_DIR
        monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "chosen"))
        projection.configure_numba_cache()  # the user's own choice is kept
        assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "chosen")
    finally:
        monkeypatch.undo()
        # Back to the real cache folder (as the app would set it) for the rest of the run: with
        # no NUMBA_CACHE_DIR at all, numba would write into the installed packages.
        projection.configure_numba_cache()
        config.reload_config()


def test_warm_up_then_seeded_umap_repeats_and_transforms(sbert_vectors: np.ndarray) -> None:
    import time

    start = time.time()
    stages: list[str] = []
    warm_umap(approximate=False, on_stage=stages.append)  # imports umap with the cache set
    import umap

    assert projection.umap_is_warm() and stages == ["exact"]
    assert warm_umap(approximate=False, on_stage=stages.append) < 1.0  # done: not repeated
    assert stages == ["exact", "exact"]
    data = sbert_vectors[::4]
    settings = ProjectionSettings("umap", n_neighbors=8, min_dist=0.2, metric="cosine", seed=4)
    first = project(data, settings)
    again = project(data, settings)
    assert first.coords.shape == (len(data), 2)
    np.testing.assert_array_equal(first.coords, again.coords)
    assert first.explained_variance is None
    assert first.axis_labels() == ("UMAP 1 (no unit)", "UMAP 2 (no unit)")
    assert settings.label() == "UMAP n=8 · min_dist 0.2 · cosine"
    placed = transform(first, sbert_vectors[1:3])
    assert placed.shape == (2, 2) and np.isfinite(placed).all()
    package = Path(umap.__file__).parent
    written = [p for p in package.rglob("*.nb[ic]") if p.stat().st_mtime >= start]
    assert not written, "numba wrote its cache into the umap package"
    assert os.environ["NUMBA_CACHE_DIR"] == str(projection.numba_cache_dir())
