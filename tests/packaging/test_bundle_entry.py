"""The bundle's entry script, run from the checkout (no PyInstaller needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lab_app import __version__

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "bert_lab_main.py"


def _entry_module():
    spec = importlib.util.spec_from_file_location("bert_lab_main", ENTRY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
