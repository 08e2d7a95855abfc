"""``bert-lab pretrain [CORPUS] --objective mlm|clm``: pre-train a tiny BERT or GPT from random
weights on a ``.txt`` (or the built-in corpus), in numpy, and watch the loss fall below the
unigram baseline.

Prints the probe sentence as the model reads it at each checkpoint, the compute spent (6·N·D)
beside BERT-base's, and with ``--compare`` the same probe read by the store's pre-trained model
of the same kind. ``--json`` prints ``{"steps", "loss": […], "baseline_loss", "tokens_seen",
"flops", …}``. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json, seed_arg

DEFAULT_STEPS = 1500


def register(sub: Any) -> None:
    p = sub.add_parser("pretrain", help="pre-train a tiny BERT (mlm) or GPT (clm) from scratch")
    p.add_argument("corpus", nargs="?", help="UTF-8 .txt to train on (default: built-in corpus)")
    p.add_argument(
        "--objective", choices=("mlm", "clm"), default="mlm",
        help="mlm: masked words, as BERT; clm: next word, as GPT (default mlm)",
    )  # fmt: skip
    p.add_argument(
        "--steps", type=int, default=DEFAULT_STEPS,
        help=f"training steps of 16 windows × 32 words (default {DEFAULT_STEPS})",
    )  # fmt: skip
    p.add_argument("--seed", type=seed_arg, default=0, help="seed of the weights and batches")
    p.add_argument("--lr", type=float, default=None, help="peak learning rate")
    p.add_argument("--probe", help="the sentence read at each checkpoint")
    p.add_argument("--compare", action="store_true",
                   help="also read the probe with the store's pre-trained model")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the run as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.pretrain.corpus import read_corpus
    from lab_app.core.pretrain.live import default_lr, pretrain, probe_words
    from lab_app.core.pretrain.probe_builtin import builtin_probe
    from lab_app.core.progress import TextBar
    from lab_app.core.specs.lab import bert_base_compute

    words = probe_words(args.probe)
    corpus = read_corpus(Path(args.corpus) if args.corpus else None)
    for note in corpus.notes:
        print(f"bert-lab: note: {note}", file=sys.stderr)
    lr = default_lr(args.objective) if args.lr is None else args.lr
    bar = TextBar()
    try:
        result = pretrain(
            corpus, args.objective, args.steps, args.seed, lr=lr, probe=args.probe, progress=bar
        )
        reading = builtin_probe(args.store, args.objective, words) if args.compare else None
    finally:
        bar.close()
    bert_flops, bert_source = bert_base_compute()
    if args.json:
        out = result.as_json()
        out["bert_base_flops"] = bert_flops
        if reading is not None:
            out["builtin"] = {"model": reading.model, "probe": reading.probe}
        emit_json(out)
        return 0
    tail = result.losses[-50:]
    print(f"{result.objective}: {result.steps:,} steps on {result.corpus}, "
          f"{result.params:,} parameters, {result.seconds:.1f} s "
          f"({result.tokens_per_second:,.0f} tokens/s)")  # fmt: skip
    print(f"loss: training (last {len(tail)} steps) {sum(tail) / len(tail):.3f} nats, held-out "
          f"{result.checkpoints[-1].held_out_loss:.3f}; unigram baseline on the held-out text "
          f"{result.baseline_loss:.3f}")  # fmt: skip
    print(f"compute: 6·N·D = {result.flops:.3g} FLOPs, {result.flops / bert_flops:.2g} of "
          f"BERT-base's {bert_flops:.3g} ({bert_source})")  # fmt: skip
    print("step   held-out  probe")
    for c in result.checkpoints:
        print(f"{c.step:>6,}  {c.held_out_loss:7.3f}  {c.probe}")
    if reading is not None:
        print(f"{reading.model}: {reading.probe}")
    for note in result.notes[len(corpus.notes) :]:
        print(f"note: {note}")
    return 0
