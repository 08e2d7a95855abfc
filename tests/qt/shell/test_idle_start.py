"""The first seconds after start: the window stays responsive while nobody touches it.

The background warm-up (``shell/prewarm``) imports the labs' libraries and parses their
vocabularies with the window already up. A teacher who starts typing at once must not meet a
frozen window, so a 10 ms heartbeat on the GUI thread watches from the first paint until the
warm-up is done, in a fresh interpreter (``idle_start_probe.py``): in this test process the
libraries are loaded already and the warm-up would cost nothing. Before ``onnx`` left the run-time
imports, the longest gap was 530–650 ms; then 115–220 ms, from ``Tokenizer.from_file`` holding the
GIL for a whole 50k-token BPE (issue 29). The files are now read in steps
(``core/models/tokenizer_json``), whose longest, building the BPE model, holds it for 30–45 ms
(up to ~65 ms on two busy cores), and the GUI thread's garbage collections no longer walk the
imports' objects (``shell/prewarm``): 40–80 ms on a busy 2-core machine. A start can miss its
turn by chance there, so the test passes on the best of :data:`TRIES` starts, as the other
heartbeat tests do; the probe's ``over_50_ms`` says whose CPU time each long gap was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_responsiveness import LIMIT_MS, TRIES

PROBE = Path(__file__).with_name("idle_start_probe.py")


def test_the_idle_window_never_stalls_while_it_warms_up(built_store: Path, tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("BERT_LAB_UMAP_WARMUP", None)  # as a user gets it
    runs = []
    for _ in range(TRIES):
        out = subprocess.run(
            [sys.executable, str(PROBE), str(built_store)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        assert runs[-1]["warmup_s"] > 0, runs[-1]  # the warm-up ran and ended under watch
        if runs[-1]["max_gap_ms"] < LIMIT_MS:
            break
    assert min(r["max_gap_ms"] for r in runs) < LIMIT_MS, runs
