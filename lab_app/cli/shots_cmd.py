"""``bert-lab shots TASK_OR_CSV [--shots 0,1,2,4,8] [--draws N] [--seed S] [--json]``.

The prompting lab's shots experiment on the built-in decoder: the same core function as the
window's plot, so the figures are the same.
"""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json, seed_arg


def register(sub: Any) -> None:
    from lab_app.core.prompting.tasks import builtin_names

    p = sub.add_parser("shots", help="few-shot accuracy against the number of examples")
    p.add_argument(
        "task", help=f"a built-in task ({', '.join(builtin_names())}) or a CSV of input,output"
    )
    p.add_argument("--shots", default="0,1,2,4,8", help="shot counts (default 0,1,2,4,8)")
    p.add_argument("--draws", type=int, default=3, help="example draws per count (default 3)")
    p.add_argument("--seed", type=seed_arg, default=0, help="seed of the draws (default 0)")
    p.add_argument("--model", help="a store decoder (default: the first one)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.cli.generate_cmd import open_decoder
    from lab_app.core.progress import TextBar
    from lab_app.core.prompting.shots import check_settings, parse_shot_counts, run_shots
    from lab_app.core.prompting.tasks import load_task

    shots = parse_shot_counts(args.shots)
    task = load_task(args.task)
    check_settings(task, shots, args.draws)  # before the slow session start
    decoder = open_decoder(args)
    report = run_shots(decoder, task, shots, draws=args.draws, seed=args.seed, progress=TextBar())
    if args.json:
        emit_json(report.to_json())
        return 0
    print(f"{task.title} on {report.model}: {report.test_items} test items, {args.draws} draw(s)")
    print(f"{'shots':>5}  {'accuracy':>8}  {'(min-max)':>11}  {'P(answer)':>9}")
    for r in report.results:
        low, high = r.accuracy_spread
        print(f"{r.shots:>5}  {r.accuracy:8.1%}  ({low:4.0%}-{high:4.0%})  {r.mean_prob:9.3f}")
    if task.note:
        print(task.note)
    return 0
