"""``bert-lab fill-mask TEXT [--model NAME] [--top-k K] [--per-layer] [--sequential] --json``."""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json

NO_MLM_MODEL = (
    "no model with a masked-LM head is in the store: `bert-lab models build` makes the built-in "
    "bert-lab-mlm, or import one with `bert-lab models import FOLDER` (a BERT checkpoint folder "
    "with config.json, model.safetensors and its tokenizer, saved from BertForMaskedLM)"
)


def register(sub: Any) -> None:
    p = sub.add_parser("fill-mask", help="BERT's guesses for each [MASK] in a sentence")
    p.add_argument("text", help='a sentence with [MASK], e.g. "how are [MASK] today?"')
    p.add_argument("--model", help="a store model with an MLM head (default: the first one)")
    p.add_argument("--top-k", type=int, default=10, help="guesses per mask (default: 10)")
    p.add_argument(
        "--per-layer", action="store_true", help="logit lens: the answer's rank at every layer"
    )
    p.add_argument(
        "--sequential",
        action="store_true",
        help="fill masks left to right, each filled mask feeding the next",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def default_model(store: Any) -> str:
    """The first store model that can fill a mask (its outputs include ``logits``)."""
    from lab_app.core.errors import UserError
    from lab_app.core.fill_mask.predict import mlm_models

    models = mlm_models(store.encoders())
    if not models:
        raise UserError(NO_MLM_MODEL)
    return str(models[0].name)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.fill_mask.predict import check_top_k, fill_mask_encoder, predict
    from lab_app.core.models.store import open_store

    check_top_k(args.top_k)  # before the slow session start
    store = open_store(args.store)
    name = args.model or default_model(store)
    encoder = fill_mask_encoder(store.model(name))
    result = predict(
        encoder, args.text, top_k=args.top_k, sequential=args.sequential, per_layer=args.per_layer
    )
    if args.json:
        emit_json(result.to_json())
        return 0
    order = "left to right" if result.sequential else "independently"
    print(f"{result.model}: {len(result.masks)} mask(s), predicted {order}")
    if result.truncated:
        print("note: the text was cut to the model's token limit")
    for n, mask in enumerate(result.masks, 1):
        print(f"[MASK] {n} (token {mask.index}):")
        for p in mask.predictions:
            print(f"  {p.token:<16} {p.probability:8.2%}")
    for lens in result.per_layer or ():
        print(f"layers for token {lens.index}, answer {lens.token!r}:")
        for g in lens.layers:
            print(
                f"  layer {g.layer:>2}: rank {g.rank:>6}  p={g.probability:.4f}  "
                f"(top there: {g.top_token})"
            )
    return 0
