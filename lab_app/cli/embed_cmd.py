"""``bert-lab embed FILE --model NAME --pooling cls|pooler|mean|sbert [--layer N] --out PATH``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.models.bert_config import POOLINGS


def register(sub: Any) -> None:
    p = sub.add_parser("embed", help="sentence vectors for a CSV or text file")
    p.add_argument("file", help="CSV with a text column (and optional label), or one text per line")
    p.add_argument("--model", required=True, help="a store model (see `bert-lab models list`)")
    p.add_argument("--pooling", choices=POOLINGS, required=True)
    p.add_argument("--layer", type=int, help="0 = embedding output; default: the last layer")
    p.add_argument("--out", required=True, help="where to write: .npy, or .tsv (+ metadata.tsv)")
    p.add_argument("--force", action="store_true", help="overwrite --out (and its metadata.tsv)")
    p.add_argument("--text-column", help="CSV column with the texts")
    p.add_argument("--label-column", help="CSV column with the labels")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.errors import UserError
    from lab_app.core.io.export import check_output_path, refuse_overwrite, write_vectors
    from lab_app.core.io.text_input import read_utterances
    from lab_app.core.models.embed import embed
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import open_store

    src, out = Path(args.file), Path(args.out)
    check_output_path(out, [src])
    refuse_overwrite(out, args.force)
    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    data = read_utterances(src, text_column=args.text_column, label_column=args.label_column)
    # The files are checked while the session loads, not before: a command starts 80 ms sooner.
    encoder = Encoder(open_store(args.store).model(args.model, verify=False), verify=True)
    result = embed(
        encoder, data.texts, pooling=args.pooling, layer=args.layer, batch_size=args.batch_size
    )
    for note in data.notes:
        print(f"bert-lab: note: {note}", file=sys.stderr)
    if result.truncated:
        print(
            f"bert-lab: note: {len(result.truncated)} text(s) were longer than "
            f"{result.max_length} tokens and were cut to fit "
            f"(the first is text {result.truncated[0] + 1})",
            file=sys.stderr,
        )
    write_vectors(out, result.vectors, data.texts, data.labels)
    if args.json:
        emit_json(result.to_json())
    else:
        n, d = result.vectors.shape
        print(f"wrote {n} vectors of {d} dimensions to {out}")
    return 0
