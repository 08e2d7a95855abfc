"""``bert-lab nsp SENTENCE_A SENTENCE_B [--json]``: does B follow A? (BERT Lab's own NSP model.)"""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json


def register(sub: Any) -> None:
    p = sub.add_parser("nsp", help="next sentence prediction: IsNext / NotNext for a pair")
    p.add_argument("sentence_a")
    p.add_argument("sentence_b")
    p.add_argument("--json", action="store_true", help='print {"model", "is_next", "not_next"}')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.fill_mask.nsp import nsp, open_nsp

    result = nsp(open_nsp(args.store), args.sentence_a, args.sentence_b)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"IsNext {result.is_next:6.1%}   NotNext {result.not_next:6.1%}   ({result.model})")
    print(
        "BERT Lab's own NSP model (bert-lab-mlm fine-tuned by the lab), not Google's head: "
        f"{result.heldout_accuracy:.1%} right on {result.heldout_pairs:,} hand-written held-out "
        "pairs (models/bert-lab-tasks/README.md)"
    )
    return 0
