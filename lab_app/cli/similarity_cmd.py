"""``bert-lab similarity SENTENCE... [--method static|cls|mean|sbert] [--model M] [--json]``.

The similarity matrix of a handful of sentences by one method (see
:mod:`lab_app.core.pretrain.similarity`), printed as a table with the method's one-line note.
"""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json

METHODS = ("static", "cls", "mean", "sbert")  # core's SIM_METHODS, kept here so --help is cheap


def register(sub: Any) -> None:
    p = sub.add_parser(
        "similarity",
        help="how similar sentences are: averaged word vectors, raw BERT or SBERT",
        description=(
            "The cosine similarity of every pair of sentences. static: the average of the "
            "built-in word vectors (ignores word order); cls / mean: a raw BERT's [CLS] vector or "
            "mean token vector (never trained for similarity); sbert: a sentence-transformers "
            "model with its own pooling."
        ),
    )
    p.add_argument("sentences", nargs="+", metavar="SENTENCE", help="two to 200 sentences")
    p.add_argument("--method", choices=METHODS, default="sbert", help="default: sbert")
    p.add_argument(
        "--model",
        help="a store encoder (default: bert-lab-mlm for cls/mean, all-MiniLM-L6-v2 for sbert)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.models.store import open_store
    from lab_app.core.pretrain.similarity import sentence_similarity

    result = sentence_similarity(open_store(args.store), args.sentences, args.method, args.model)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"{result.method} similarity ({result.model})")
    for number, text in enumerate(result.sentences, 1):
        print(f"  {number:>3}  {text}")
    n = len(result.sentences)
    print("      " + "".join(f"{j:>7}" for j in range(1, n + 1)))
    for i in range(n):
        print(f"  {i + 1:>3} " + "".join(f"{result.similarity[i, j]:7.3f}" for j in range(n)))
    print(result.note)
    return 0
