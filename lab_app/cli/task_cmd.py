"""``bert-lab tag TEXT``, ``bert-lab answer QUESTION --context TEXT|@FILE``, ``bert-lab pair A B``.

What BERT is fine-tuned for, tried on a task model from the store (the built-in
``bert-lab-ner``, ``bert-lab-qa`` and ``bert-lab-nsp``, or one saved by ``bert-lab finetune
--task ... --save NAME``): the Fine-tuning lab's "Try it" panel on the command line, through the
same core functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS

DEFAULTS = BUILTIN_MODELS


def register(sub: Any) -> None:
    p = sub.add_parser("tag", help="tag the named entities in a sentence (PER, ORG, LOC, MISC)")
    p.add_argument("text")
    p.add_argument("--model", help=f"a tagger in the store (default: {DEFAULTS['tag']})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_tag)
    p = sub.add_parser("answer", help="answer a question with a span of a passage")
    p.add_argument("question")
    p.add_argument(
        "--context", required=True, help="the passage, or @FILE to read it from a UTF-8 file"
    )
    p.add_argument("--model", help=f"a QA model in the store (default: {DEFAULTS['qa']})")
    p.add_argument("--top-k", type=int, default=5, help="candidates to list (5)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_answer)
    p = sub.add_parser("pair", help="judge a pair of sentences with a pair model")
    p.add_argument("text_a")
    p.add_argument("text_b")
    p.add_argument("--model", help=f"a pair model in the store (default: {DEFAULTS['pair']})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_pair)


def open_model(store_dir: str | None, name: str | None, task: str) -> Any:
    from lab_app.core.taskmodels.task_model import open_task_model

    return open_task_model(store_dir, name or DEFAULTS[task])


def run_tag(args: argparse.Namespace) -> int:
    from lab_app.core.taskmodels.infer import tag

    result = tag(open_model(args.store, args.model, "tag"), args.text)
    if args.json:
        emit_json(result.to_json())
        return 0
    if not result.entities:
        print(f"no entities found ({result.model})")
    for e in result.entities:
        print(f"{e.label:<5} {e.text:<30} {e.start:>5}–{e.end:<5} {e.score:6.1%}")
    if result.truncated:
        print("the text was cut to the model's length: its last words were not tagged")
    return 0


def read_context(value: str) -> str:
    """The passage itself, or ``@FILE``'s text (only ever read)."""
    from lab_app.core.io.text_input import read_text_file

    if value.startswith("@"):
        return read_text_file(Path(value[1:]), "a UTF-8 text file with the passage")
    return value


def run_answer(args: argparse.Namespace) -> int:
    from lab_app.core.taskmodels.infer import answer

    context = read_context(args.context)
    result = answer(open_model(args.store, args.model, "qa"), args.question, context, args.top_k)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"{result.answer}   ({result.score:.1%}, characters {result.start}–{result.end})")
    if result.probably_absent:
        print("every span scores low: the answer is probably not in the passage")
    for text, score, _, _ in result.candidates[1:]:
        print(f"  also: {text}  ({score:.1%})")
    return 0


def run_pair(args: argparse.Namespace) -> int:
    from lab_app.core.taskmodels.infer import pair

    result = pair(open_model(args.store, args.model, "pair"), args.text_a, args.text_b)
    if args.json:
        emit_json(result.to_json())
        return 0
    print("   ".join(f"{k} {v:6.1%}" for k, v in result.probs.items()) + f"   ({result.model})")
    return 0
