"""``bert-lab nsp SENTENCE_A SENTENCE_B [--json]``: does B follow A? (BERT Lab's own NSP head.)"""

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
    from lab_app.core.fill_mask.nsp import load_head, nsp
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import open_store

    head = load_head()
    encoder = Encoder(open_store(args.store).model(head.base_model))
    result = nsp(encoder, args.sentence_a, args.sentence_b, head)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"IsNext {result.is_next:6.1%}   NotNext {result.not_next:6.1%}   ({result.model})")
    print(
        f"BERT Lab's own NSP head on a frozen encoder, not Google's: {head.heldout_accuracy:.1%} "
        f"right on {head.heldout_pairs:,} held-out pairs (models/bert-lab-nsp/README.md)"
    )
    return 0
