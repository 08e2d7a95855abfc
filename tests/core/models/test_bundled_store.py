"""A bundled app (PyInstaller: `sys.frozen`, `sys._MEIPASS`) reads its store, never writes it.

The bundle itself is built and run in ``tests/packaging``; these tests fake the frozen attributes
so the same code paths run in seconds on every CI run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lab_app.core.errors import FetchError, UserError
from lab_app.core.models.build import artifacts
from lab_app.core.models.build.builtin_build import BUILTINS, build_builtins
from lab_app.core.models.store import ModelStore, open_store


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")
    }


def test_bundled_store_is_searched_first_and_read_only(fake_bundle: Path, tmp_path: Path) -> None:
    store = open_store()
    assert store.root == tmp_path / "user-store"
    assert store.read_only_roots == (fake_bundle / "store",)
    models = {e.name: e for e in store.models()}
    assert "all-MiniLM-L6-v2" in models
    assert all(e.read_only for e in models.values())
    assert all(e.read_only for e in store.tokenizers())
    # A new entry (an import, a fetch) is always written into the user's store.
    assert store.entry_dir("models", "bert-base-uncased").is_relative_to(tmp_path / "user-store")


def test_build_finds_the_bundled_builtins_and_writes_nothing(
    fake_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(artifacts, "_run_pip", lambda *a, **k: pytest.fail("pip must not run"))
    before = _snapshot(fake_bundle / "store")
    report = build_builtins(open_store(), tmp_path / "empty-cache")
    assert report.ok and not report.built
    assert set(report.skipped) == {b.name for b in BUILTINS}
    assert not (tmp_path / "user-store").exists()
    assert _snapshot(fake_bundle / "store") == before


def test_a_damaged_user_copy_does_not_hide_an_intact_bundled_one(
    fake_bundle: Path, tmp_path: Path
) -> None:
    user = tmp_path / "user-store" / "tokenizers" / "wordpiece"
    user.mkdir(parents=True)
    (user / "manifest.json").write_text("{not json", encoding="utf-8")
    report = build_builtins(open_store(), tmp_path / "empty-cache")
    assert "wordpiece" in report.skipped and not report.failed


def test_a_bundle_never_runs_pip(
    fake_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Inside a bundle sys.executable is the app itself: `-m pip` would start a second window.
    monkeypatch.setattr(artifacts, "_run_pip", lambda *a, **k: pytest.fail("pip must not run"))
    art = next(iter(artifacts.ARTIFACTS.values()))
    with pytest.raises(FetchError, match="bundled BERT Lab cannot download"):
        artifacts.fetch(art, tmp_path / "empty-cache")


def test_fetch_from_a_bundle_says_how_to_add_a_model(
    fake_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab_app.core.models.build.model_import import download_hf

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # not carried by the bundle
    with pytest.raises(UserError, match=r"packaging/build.py --add bert-base-uncased"):
        download_hf("bert-base-uncased")


def test_not_frozen_means_no_bundled_store(
    built_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stray _MEIPASS (another PyInstaller app's child process) without sys.frozen is ignored.
    monkeypatch.setattr(sys, "_MEIPASS", str(built_store_dir.parent), raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert open_store().read_only_roots == ()
    assert isinstance(open_store(), ModelStore)
