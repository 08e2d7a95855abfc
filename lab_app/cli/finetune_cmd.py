"""``bert-lab finetune DATA --model NAME --method features|partial|full|lora [...] [--json]``.

The fine-tuning lab's run on the command line: the same core function as the window's, so a
seeded run prints the same figures in both.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json, seed_arg
from lab_app.core.finetune.options import INT_OPTIONS, METHODS, POOLING_HELP, POOLINGS


def register(sub: Any) -> None:
    p = sub.add_parser("finetune", help="train a classifier on labelled utterances, four ways")
    p.add_argument("file", help="CSV/TSV with text and intent columns, intents.json or nlu.yml")
    p.add_argument("--model", required=True, help="a store encoder (see `bert-lab models list`)")
    p.add_argument("--method", choices=METHODS, required=True)
    p.add_argument("--pooling", choices=POOLINGS, help=POOLING_HELP)
    p.add_argument("--layer", type=int, help="features: which layer's vectors (default: last)")
    for option in INT_OPTIONS:
        p.add_argument(
            option.flag, type=int, default=option.default, help=f"{option.help} ({option.default})"
        )
    p.add_argument("--lr", type=float, help="learning rate (default: per method)")
    p.add_argument("--test-size", type=float, default=0.2, help="share held out (0.2)")
    p.add_argument("--seed", type=seed_arg, default=0, help="seed of the split, init and batches")
    p.add_argument("--save", metavar="NAME", help="save the fine-tuned encoder as a store model")
    p.add_argument("--text-column", help="CSV column with the texts")
    p.add_argument("--label-column", help="CSV column with the intents")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.errors import UserError
    from lab_app.core.finetune.methods import FineTuneConfig, finetune
    from lab_app.core.finetune.save import check_save_name, save_finetuned
    from lab_app.core.io.text_input import read_utterances
    from lab_app.core.models.store import open_store
    from lab_app.core.progress import TextBar

    store = open_store(args.store)
    if args.save:
        if args.method == "features":
            raise UserError("--save needs a method that trains the encoder: partial, full or lora")
        check_save_name(store, args.save)  # before the training, not after
    data = read_utterances(
        Path(args.file), text_column=args.text_column, label_column=args.label_column
    )
    config = FineTuneConfig(
        model=args.model,
        method=args.method,
        pooling=args.pooling,
        layer=args.layer,
        layers=args.layers,
        rank=args.rank,
        epochs=args.epochs,
        lr=args.lr,
        batch_size=args.batch_size,
        test_size=args.test_size,
        seed=args.seed,
    )
    bar = TextBar()
    try:
        result = finetune(store, data.texts, data.labels, config, progress=bar)
    finally:
        bar.close()
    saved = save_finetuned(store, args.save, result, Path(args.file).name) if args.save else None
    if args.json:
        out = result.to_json()
        if saved is not None:
            out["saved"] = saved.name
        emit_json(out)
        return 0
    print(f"{result.config.label()}")
    print(
        f"trainable {result.trainable_params:,} of {result.total_params:,} parameters "
        f"({result.share:.2%}); {result.train_examples} train / {result.test_examples} test"
    )
    print(f"{'epoch':>5}  {'train loss':>10}  {'test loss':>9}  {'test acc':>8}  {'s':>6}")
    for e in result.epochs:
        print(
            f"{e.epoch:>5}  {e.train_loss:10.4f}  {e.test_loss:9.4f}  {e.test_accuracy:8.1%}  "
            f"{e.seconds:6.2f}"
        )
    print(f"held-out accuracy {result.accuracy:.1%}, macro-F1 {result.macro_f1:.3f}")
    for note in result.notes:
        print(note)
    if saved is not None:
        print(f"saved as '{saved.name}' in {saved.path.parent}")
    return 0
