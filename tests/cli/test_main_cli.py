"""`bert-lab` itself: --version, no subcommand opens the window, `python -m lab_app` is the same."""

from __future__ import annotations

import subprocess
import sys

import pytest

import lab_app
from lab_app import launch


def test_version(cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("--version")
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"bert-lab {lab_app.__version__}"


def test_no_subcommand_opens_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(launch, "open_window", lambda store=None: opened.append(store) or 0)
    assert launch.main(["--store", "/tmp/some-store"]) == 0
    assert opened == ["/tmp/some-store"]


def test_python_dash_m_is_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lab_app", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == f"bert-lab {lab_app.__version__}"


def test_help_lists_the_subcommands(cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli("--help")
    text = capsys.readouterr().out
    for sub in ("models", "tokenize", "embed", "params", "specs", "screenshot"):
        assert sub in text
