"""``bert-lab tokenize TEXT --tokenizer wordpiece|bpe|sentencepiece|all``."""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.models.store import open_store

TOKENIZER_CHOICES = ("wordpiece", "bpe", "sentencepiece", "all")


def register(sub: Any) -> None:
    p = sub.add_parser("tokenize", help="cut a text with WordPiece, BPE and SentencePiece")
    p.add_argument("text", help="the text to tokenize")
    p.add_argument("--tokenizer", choices=TOKENIZER_CHOICES, default="all")
    p.add_argument("--special", action="store_true", help="add the model's special tokens")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lab_app.core.tokenizers.tokenize import load_store_tokenizer, tokenize

    store = open_store(args.store)
    names = TOKENIZER_CHOICES[:3] if args.tokenizer == "all" else (args.tokenizer,)
    results = []
    for name in names:
        entry = store.tokenizer(name)
        tok = load_store_tokenizer(entry.file("tokenizer.json"))
        model = str(entry.manifest.extra.get("model", name))
        results.append(tokenize(tok, args.text, name=name, model=model, special=args.special))
    if args.json:
        emit_json({"results": [r.to_json() for r in results]})
        return 0
    for r in results:
        print(f"{r.tokenizer} ({r.model}): {len(r.ids)} tokens")
        print("  " + " | ".join(r.tokens))
    return 0
