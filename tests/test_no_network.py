"""No network at run time: with sockets blocked and pip unusable, build, tokenize and embed work."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lab_app.launch import main


def test_sockets_are_blocked() -> None:
    with pytest.raises(RuntimeError, match="network"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_build_tokenize_embed_offline(
    artifact_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("nothing may be downloaded when the artifacts are cached")

    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.setenv("BERT_LAB_STORE", str(tmp_path / "store"))
    assert main(["models", "build"]) == 0
    assert main(["tokenize", "how are you today?", "--json"]) == 0
    assert "results" in capsys.readouterr().out
    src = tmp_path / "in.txt"
    src.write_text("how are you today?\nwhere is the library?\n", encoding="utf-8")
    out = tmp_path / "v.npy"
    code = main(
        ["embed", str(src), "--model", "all-MiniLM-L6-v2", "--pooling", "sbert", "--out", str(out)]
    )
    assert code == 0
    assert np.load(out).shape == (2, 384)


def test_lookups_and_udp_are_blocked_too() -> None:
    with pytest.raises(RuntimeError, match="network"):
        socket.getaddrinfo("pypi.org", 443)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        pytest.raises(RuntimeError, match="network"),
    ):
        udp.sendto(b"x", ("192.0.2.1", 53))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as local:  # loopback stays usable
        local.bind(("127.0.0.1", 0))


def test_a_bert_lab_subprocess_blocks_the_network_too() -> None:
    import os
    import sys

    code = (
        "import socket\n"
        "from lab_app.launch import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
        "except RuntimeError as exc:\n"
        "    print('blocked:', exc)\n"
    )
    env = dict(os.environ, BERT_LAB_NO_NETWORK="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "blocked: BERT Lab tried to reach the network" in out.stdout
