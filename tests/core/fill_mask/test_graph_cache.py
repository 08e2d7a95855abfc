"""Fill-mask's derived graph is made once per model and then read from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_app.core.fill_mask.predict import fill_mask_encoder, predict
from lab_app.core.mlm import graph_cache
from lab_app.core.models.store import open_store


def test_the_second_load_reads_the_cache_and_predicts_the_same(
    built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BERT_LAB_CACHE", str(tmp_path / "cache"))
    entry = open_store().model("bert-lab-mlm")
    paths = graph_cache.cached_paths(entry)
    assert paths is not None and not any(p.exists() for p in paths)
    first = predict(fill_mask_encoder(entry), "how are [MASK] today?")
    assert all(p.is_file() for p in paths)
    import onnx

    def no_protobuf(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached graph must be used, not the store graph re-derived")

    monkeypatch.setattr(onnx, "load", no_protobuf)
    derived = fill_mask_encoder(entry)
    assert "mask_positions" in derived.input_names  # the derived graph, from the cache file
    again = predict(derived, "how are [MASK] today?")
    assert [p.token for p in again.masks[0].predictions] == [
        p.token for p in first.masks[0].predictions
    ]
    assert again.masks[0].top.probability == pytest.approx(first.masks[0].top.probability)


def test_a_damaged_cache_entry_is_made_again(
    built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BERT_LAB_CACHE", str(tmp_path / "cache"))
    entry = open_store().model("bert-lab-mlm")
    fill_mask_encoder(entry)
    graph, _head = graph_cache.cached_paths(entry) or (Path(), Path())
    graph.write_bytes(b"not a graph")
    encoder = fill_mask_encoder(entry)
    assert predict(encoder, "the [MASK] sat on the mat.").masks[0].predictions
    assert graph.stat().st_size > 1_000_000  # rewritten whole
