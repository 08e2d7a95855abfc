"""One check for both installed forms (the wheel, the bundle): the window opens and stays up."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest


def assert_window_stays_up(
    command: Sequence[str], env: dict[str, str], cwd: Path, seconds: float
) -> str:
    """Start the window, fail if it exits within ``seconds``, close it; its stderr, checked for a
    traceback, is returned for the caller's further checks."""
    proc = subprocess.Popen(
        list(command), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:  # still running: the window is up
        proc.terminate()
        _out, err = proc.communicate(timeout=15)
    else:
        pytest.fail(f"the window closed by itself (exit {proc.returncode}): {err[-2000:]}")
    assert "Traceback" not in err
    return err
