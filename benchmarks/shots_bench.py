"""Shots experiment speed: a draw's items in batched passes against one pass per item.

Runs the prompting lab's shots experiment at ``bert-lab shots``' defaults (0, 1, 2, 4 and 8
shots, 3 draws, seed 0) on antonyms (405 scored items) and sentiment (360), on one decoder in
this process, two ways in turn:

- one by one: how it ran before the decoder's graph read right padding from its attention mask
  (``Decoder.padded_rows`` off): after the shared prefix, one forward pass per item, since ONNX
  Runtime's ``GroupQueryAttention`` took several new tokens after a cache only in a batch of one;
- batched: what runs now, the items of a draw after the prefix in as few passes as
  ``shots.BATCH_POSITIONS`` allows.

Both use the same session and the same prefix passes, so only the item passes differ. Prints each
way's best wall-clock and CPU seconds over ``--runs``, their ratios, and whether the figures
agree (each draw's accuracy equal, its mean probability within 1e-5). On a machine shared with
other work the CPU seconds are the steadier ratio. Tasks are built-in names (default antonyms and
sentiment). Run it after ``models build``:

    python benchmarks/shots_bench.py [--store DIR] [--threads 2] [--runs 2] [--tasks a,b]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

TOLERANCE = 1e-5


def run_once(decoder: Any, task: Any, batched: bool) -> tuple[float, float, Any]:
    from lab_app.core.prompting.shots import run_shots

    decoder.padded_rows = batched
    wall, cpu = time.perf_counter(), time.process_time()
    report = run_shots(decoder, task)  # the defaults of `bert-lab shots`
    return time.perf_counter() - wall, time.process_time() - cpu, report


def differences(one: Any, other: Any) -> tuple[bool, float]:
    """(every draw's accuracy equal, the largest difference in a draw's mean probability)."""
    same, worst = True, 0.0
    for a, b in zip(one.results, other.results, strict=True):
        for x, y in zip(a.draws, b.draws, strict=True):
            same = same and x.accuracy == y.accuracy
            worst = max(worst, abs(x.mean_prob - y.mean_prob))
    return same, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--tasks", default="antonyms,sentiment")
    parser.add_argument("--store", help="model store (default: the user's)")
    args = parser.parse_args()

    from lab_app.core.models.decoder import Decoder
    from lab_app.core.models.store import open_store
    from lab_app.core.prompting.tasks import builtin_task

    store = open_store(args.store)
    decoder = Decoder(store.model(store.decoders()[0].name), threads=args.threads)
    if not decoder.padded_rows:
        raise SystemExit(f"{decoder.name} was built before batched rows: run `models build`")
    print(f"{decoder.name}, {args.threads} threads, best of {args.runs} run(s), defaults")
    all_ok = True
    for name in args.tasks.split(","):
        task = builtin_task(name)
        best: dict[bool, tuple[float, float]] = {}
        reports: dict[bool, Any] = {}
        for _ in range(args.runs):
            for batched in (False, True):  # interleaved, so drifting load hits both alike
                wall, cpu, reports[batched] = run_once(decoder, task, batched)
                old = best.get(batched, (wall, cpu))
                best[batched] = (min(old[0], wall), min(old[1], cpu))
        same, worst = differences(reports[False], reports[True])
        all_ok = all_ok and same and worst <= TOLERANCE
        r = reports[True]
        items = r.test_items * len(r.results) * len(r.results[0].draws)
        (w0, c0), (w1, c1) = best[False], best[True]
        print(
            f"{name:>10} ({items} items): one by one {w0:6.1f} s wall {c0:6.1f} s CPU | "
            f"batched {w1:5.1f} s wall {c1:5.1f} s CPU | {w0 / w1:4.2f}x wall, {c0 / c1:4.2f}x "
            f"CPU | accuracy {'equal' if same else 'DIFFERS'}, P within {worst:.1e}"
        )
    decoder.padded_rows = True
    if not all_ok:
        raise SystemExit("the figures differ")


if __name__ == "__main__":
    main()
