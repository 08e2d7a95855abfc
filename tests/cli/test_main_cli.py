"""`bert-lab` itself: --version, no subcommand opens the window, `python -m lab_app` is the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_an_os_error_is_one_line_and_exit_2(
    cli, built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab_app.core.io import export

    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(export, "_atomic_write", full_disk)
    csv_file = tmp_path / "u.csv"
    csv_file.write_text("text\nhello there\nhow are you\n", encoding="utf-8")
    out = tmp_path / "v.npy"
    r = cli(
        "embed",
        str(csv_file),
        "--model",
        "all-MiniLM-L6-v2",
        "--pooling",
        "sbert",
        "--out",
        str(out),
    )
    assert r.code == 2 and r.out == "" and "Traceback" not in r.err
    assert r.err.strip().splitlines()[-1] == f"bert-lab: error: no space left on device: {out}"


def test_a_closed_pipe_ends_quietly(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class ClosedPipe(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    from lab_app.launch import main

    assert main(["specs", "--json"]) == 0  # `bert-lab specs --json | head`: no traceback
