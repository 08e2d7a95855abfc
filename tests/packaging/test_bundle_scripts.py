"""The bundle's entry script and build script, run from the checkout (no PyInstaller needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lab_app import __version__

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entry_module():
    return _load("bert_lab_main")


def test_windowed_exe_without_streams_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A windowed Windows executable starts with sys.stdout and sys.stderr set to None.
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "argv", ["bert-lab", "--version"])
    with pytest.raises(SystemExit) as exc:
        _entry_module().main()
    assert exc.value.code == 0
    assert sys.stdout is not None and sys.stderr is not None


def test_entry_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["bert-lab", "--version"])
    with pytest.raises(SystemExit):
        _entry_module().main()
    assert capsys.readouterr().out == f"bert-lab {__version__}\n"


def test_add_takes_a_folder_by_import_and_a_name_by_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = _load("build")
    calls: list[tuple[str, ...]] = []

    def fake_bert_lab(*args: str) -> None:
        calls.append(args)
        for kind in ("models", "tokenizers"):
            (tmp_path / "store" / kind / ".building-x").mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(build, "_bert_lab", fake_bert_lab)
    folder = tmp_path / "bert-base-uncased"
    folder.mkdir()
    store = tmp_path / "store"
    build.ensure_store(store, [str(folder), "google-bert/bert-base-cased"])
    assert calls == [
        ("--store", str(store), "models", "build"),
        ("--store", str(store), "models", "import", str(folder)),
        ("--store", str(store), "models", "fetch", "google-bert/bert-base-cased"),
    ]
    # An interrupted build's temporary folder is not carried into the bundle.
    assert not list(store.rglob(".building-*"))


def test_size_report_counts_links_once(tmp_path: Path) -> None:
    build = _load("build")
    internal = tmp_path / "bert-lab" / "_internal"
    (internal / "store" / "models" / "m").mkdir(parents=True)
    (internal / "store" / "tokenizers").mkdir()
    (internal / "store" / "models" / "m" / "model.onnx").write_bytes(b"x" * 3000)
    (internal / "lib").mkdir()
    (internal / "lib" / "libbig.so").write_bytes(b"y" * 5000)
    (internal / "libbig.so").symlink_to(internal / "lib" / "libbig.so")
    report = dict(build.size_report(tmp_path / "bert-lab"))
    assert report["TOTAL"] == 8000
    assert report["store/models/m"] == 3000
    assert report["lib"] == 5000 and "libbig.so" not in report
