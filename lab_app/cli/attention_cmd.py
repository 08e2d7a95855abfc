"""``bert-lab attention TEXT [--pair B] [--model NAME] [--layer L] [--head H] [--json]`` and
``bert-lab positions --kind sinusoidal|learned|rope [--model NAME] [--length N] [--json]``.

The Inside lab's two tables on the command line, from the same core functions as its views.
"""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json


def register(sub: Any) -> None:
    p = sub.add_parser("attention", help="every layer's and head's attention for a sentence")
    p.add_argument("text", help="a sentence (sentence A of a pair)")
    p.add_argument("--pair", metavar="B", help="sentence B: the pair is encoded as [CLS] A [SEP] B")
    p.add_argument("--model", help="a store encoder (default: bert-lab-mlm, else the first)")
    p.add_argument("--layer", type=int, help="only this layer (1 = the first transformer layer)")
    p.add_argument("--head", type=int, help="only this head (1…heads)")
    p.add_argument("--json", action="store_true", help="print JSON (layers × heads × tokens²)")
    p.set_defaults(func=run_attention)

    q = sub.add_parser("positions", help="sinusoidal, learned or rotary position tables")
    q.add_argument("--kind", choices=("sinusoidal", "learned", "rope"), required=True)
    q.add_argument("--model", help="learned: an encoder; rope: a decoder; sinusoidal: its width")
    q.add_argument("--length", type=int, help="positions (default: 128, the table, or 256)")
    q.add_argument("--json", action="store_true", help="print JSON (positions × dimensions)")
    q.set_defaults(func=run_positions)


def run_attention(args: argparse.Namespace) -> int:
    from lab_app.core.inside.attention import attention
    from lab_app.core.inside.positions import default_model
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import open_store

    store = open_store(args.store)
    name = args.model or default_model(store, decoder=False)
    result = attention(Encoder(store.model(name)), args.text, args.pair)
    result.check(args.layer, args.head)
    if args.json:
        emit_json(result.to_json(args.layer, args.head))
        return 0
    layer = args.layer or result.layers
    print(
        f"{result.model}: {len(result.tokens)} tokens, {result.layers} layers × {result.heads} "
        f"heads; layer {layer}, {'head ' + str(args.head) if args.head else 'mean of heads'}"
    )
    grid = result.cut(layer, args.head).mean(axis=1)[0]
    width = max(len(t) for t in result.tokens)
    for token, row in zip(result.tokens, grid, strict=True):
        top = row.argsort()[::-1][:3]
        looks = ", ".join(f"{result.tokens[j]} {row[j]:.2f}" for j in top)
        print(f"{token:>{width}} → {looks}")
    if result.truncated:
        print("(the input was cut to the model's maximum length)")
    return 0


def run_positions(args: argparse.Namespace) -> int:
    from lab_app.core.inside.positions import positions
    from lab_app.core.models.store import open_store

    result = positions(open_store(args.store), args.kind, args.model, args.length)
    if args.json:
        emit_json(result.to_json())
        return 0
    n, d = result.table.shape
    print(f"{args.kind} positions{' of ' + result.model if result.model else ''}: {n} × {d}")
    sim = result.similarity
    for p in [0, 1, 2, min(10, n - 1), n - 1]:
        print(
            f"position {p:>4}: similarity to 0 {sim[0, p]:+.3f}, first dims "
            + " ".join(f"{v:+.3f}" for v in result.table[p, :4])
        )
    print(result.note)
    return 0
