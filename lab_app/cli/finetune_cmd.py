"""``bert-lab finetune DATA --model NAME --method features|partial|full|lora [--task T] [--json]``.

The fine-tuning lab's run on the command line: the same core function as the window's, so a
seeded run prints the same figures in both. ``--task`` picks the set-up (the BERT paper's
Figure 4): ``classify`` texts (the default), ``tag`` entities, ``qa`` (answer spans), ``pair``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json, seed_arg
from lab_app.core.finetune.options import INT_OPTIONS, METHODS, POOLING_HELP, POOLINGS

TASK_CHOICES = ("classify", "tag", "qa", "pair")  # lab_app.core.finetune.tasks.TASKS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "finetune", help="fine-tune a head (classify, tag, qa, pair) on labelled data, four ways"
    )
    p.add_argument(
        "file",
        help="classify: CSV/TSV with text and intent columns, intents.json or nlu.yml; tag: CoNLL "
        "columns or inline [Maria](PER) marks; qa: SQuAD v1.1 JSON; pair: TSV a<TAB>b<TAB>label",
    )
    p.add_argument("--task", choices=TASK_CHOICES, default="classify", help="the set-up (classify)")
    p.add_argument(
        "--scheme",
        choices=("iob2", "iob1"),
        default="iob2",
        help="tag: the file's tagging scheme (iob1 is converted to IOB2)",
    )
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
    from lab_app.core.finetune.methods import finetune
    from lab_app.core.finetune.save import check_save_name, save_finetuned
    from lab_app.core.io.text_input import read_utterances
    from lab_app.core.models.store import open_store
    from lab_app.core.progress import TextBar

    store = open_store(args.store)
    if args.task != "classify":
        return _run_task(args, store)
    if args.save:
        if args.method == "features":
            raise UserError("--save needs a method that trains the encoder: partial, full or lora")
        check_save_name(store, args.save)  # before the training, not after
    data = read_utterances(
        Path(args.file), text_column=args.text_column, label_column=args.label_column
    )
    config = _config(args)
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


def _config(args: argparse.Namespace) -> Any:
    from lab_app.core.finetune.methods import FineTuneConfig

    return FineTuneConfig(
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


def _run_task(args: argparse.Namespace, store: Any) -> int:
    """Tagging, QA and pairs: the same options, their own data and figures."""
    from lab_app.core.errors import UserError
    from lab_app.core.finetune.save import check_save_name, save_task_model
    from lab_app.core.finetune.task_run import finetune_task
    from lab_app.core.finetune.tasks import read_task_data
    from lab_app.core.progress import TextBar

    if args.text_column or args.label_column:
        raise UserError("--text-column and --label-column are for --task classify CSV files")
    if args.save:
        check_save_name(store, args.save)
    data, name = read_task_data(args.task, Path(args.file), scheme=args.scheme)
    bar = TextBar()
    try:
        result = finetune_task(store, args.task, data, _config(args), progress=bar)
    finally:
        bar.close()
    saved = save_task_model(store, args.save, result, name) if args.save else None
    if args.json:
        out = result.to_json()
        if saved is not None:
            out["saved"] = saved.name
        emit_json(out)
        return 0
    print(f"{args.task} · {result.config.label()}")
    print(
        f"trainable {result.trainable_params:,} of {result.total_params:,} parameters "
        f"({result.share:.2%}); {result.train_examples} train / {result.test_examples} test"
    )
    head = {"tag": "entity F1", "qa": "F1", "pair": "accuracy"}[args.task]
    print(f"{'epoch':>5}  {'train loss':>10}  {'test loss':>9}  {head:>9}  {'s':>6}")
    for e in result.epochs:
        print(
            f"{e.epoch:>5}  {e.train_loss:10.4f}  {e.test_loss:9.4f}  {e.test_accuracy:9.3f}  "
            f"{e.seconds:6.2f}"
        )
    figures = {k: v for k, v in result.metrics.items() if k != "loss"}
    print("held-out " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    if result.table:
        print(f"{'label':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}")
        for row in result.table:
            print(
                f"{row.label:<14} {row.precision:9.3f} {row.recall:7.3f} {row.f1:6.3f} "
                f"{row.support:7d}"
            )
    for note in result.notes:
        print(note)
    if saved is not None:
        print(f"saved as '{saved.name}' in {saved.path.parent}")
    return 0
