"""The Benchmarks lab's commands.

- ``perplexity TEXT|@FILE [--model NAME]``: each token's log-probability, the perplexity and bits
  per byte under the store's decoder; pseudo-perplexity when NAME is a masked LM;
- ``choice CONTEXT --option TEXT --option TEXT…``: each option's log-probability as a
  continuation, and the choices of ``acc`` and ``acc_norm`` (indices from 0);
- ``bench NAME``: a shipped item set scored by the decoder (hellaswag, arc, piqa, race), the QA
  model's held-out SQuAD-format questions (squad) or the NSP model's held-out pairs with GLUE's
  scores (nsp);
- ``metric bleu|chrf|rouge|meteor --hyp TEXT --ref TEXT…``: a text metric and what it counted.

``--json`` prints the documented JSON on stdout; the model that answered is always named.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json


def register(sub: Any) -> None:
    p = sub.add_parser("perplexity", help="how surprised a model is by a text, token by token")
    p.add_argument("text", help="the text, or @FILE to read it from a UTF-8 file")
    p.add_argument("--model", help="a store decoder or masked LM (default: the store's decoder)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_perplexity)

    c = sub.add_parser("choice", help="score options as continuations, as eval harnesses do")
    c.add_argument("context")
    c.add_argument("--option", action="append", default=[], required=True, metavar="TEXT",
                   help="an option (give two or more)")  # fmt: skip
    c.add_argument("--model", help="a store decoder (default: the store's decoder)")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=run_choice)

    b = sub.add_parser("bench", help="run a shipped item set: multiple choice, SQuAD, NSP")
    b.add_argument("name", help="hellaswag, arc, piqa, race, squad or nsp")
    b.add_argument("--json", action="store_true", help="print JSON")
    b.set_defaults(func=run_bench)

    m = sub.add_parser("metric", help="BLEU, chrF, ROUGE or METEOR of a hypothesis")
    m.add_argument("metric", choices=("bleu", "chrf", "rouge", "meteor"))
    m.add_argument("--hyp", required=True, help="the hypothesis (candidate) text")
    m.add_argument("--ref", action="append", default=[], metavar="TEXT",
                   help="a reference (give one or more)")  # fmt: skip
    m.add_argument("--stem", action="store_true", help="ROUGE: Porter-stem the tokens")
    m.add_argument("--json", action="store_true", help="print JSON")
    m.set_defaults(func=run_metric)


def read_text(value: str) -> str:
    """The text itself, or ``@FILE``'s text (only ever read)."""
    from lab_app.core.io.text_input import read_text_file

    if value.startswith("@"):
        return read_text_file(Path(value[1:]), "a UTF-8 text file")
    return value


def run_perplexity(args: argparse.Namespace) -> int:
    from lab_app.core.bench import perplexity as ppl
    from lab_app.core.bench.jobs import open_scorer
    from lab_app.core.progress import TextBar

    text = read_text(args.text)
    kind, model = open_scorer(args.store, args.model)
    score = ppl.perplexity if kind == "decoder" else ppl.pseudo_perplexity
    result: Any = score(model, text, progress=TextBar())
    if args.json:
        out = result.to_json()
        if kind == "masked":
            out["pseudo"] = True
        emit_json(out)
        return 0
    for t in result.tokens:
        print(f"{t.logprob:9.3f}  {t.text!r}")
    name = "perplexity" if kind == "decoder" else "pseudo-perplexity"
    line = f"{name} {result.perplexity:.2f} over {result.count} tokens ({result.model})"
    if kind == "decoder":
        line += f", {result.bits_per_byte:.3f} bits per byte"
    print(line)
    if result.cut:
        print(f"the text was cut: its last {result.dropped} tokens were not scored")
    return 0


def run_choice(args: argparse.Namespace) -> int:
    from lab_app.core.bench.choice import check_choice, score_choice
    from lab_app.core.bench.jobs import open_scorer
    from lab_app.core.errors import UserError

    check_choice(args.context, args.option)
    kind, model = open_scorer(args.store, args.model)
    if kind != "decoder":
        raise UserError(f"{args.model} is a masked LM: options are scored by a decoder")
    result = score_choice(model, args.context, args.option)
    if args.json:
        emit_json(result.to_json())
        return 0
    for i, o in enumerate(result.options):
        marks = (" ← acc" if i == result.acc_choice else "") + (
            " ← acc_norm" if i == result.acc_norm_choice else ""
        )
        print(f"{i}  {o.logprob:9.3f}  {o.logprob_norm:8.4f}/char  {o.text}{marks}")
    print(f"scored by {model.name}")
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from lab_app.core.bench.jobs import choice_set_job
    from lab_app.core.progress import TextBar

    if args.name in ("squad", "nsp"):
        return _run_model_bench(args)
    items, run = choice_set_job(TextBar(), args.store, args.name)
    if args.json:
        emit_json({"name": items.name, "published": items.published, **run.to_json()})
        return 0
    for n, r in enumerate(run.items):
        mark = "✓" if r.correct else "✗"
        flip = "  (acc_norm flips it)" if r.result.flips else ""
        print(f"{n:3d} {mark} {r.item.options[r.result.acc_choice]}{flip}")
    print(
        f"{items.title}: acc {run.acc:.1%}, acc_norm {run.acc_norm:.1%}, chance {run.chance:.1%}"
        f" over {len(run.items)} items ({run.model})"
    )
    if items.published is not None:
        print(f"published on the real benchmark: {items.published:.1f}%")
    return 0


def run_metric(args: argparse.Namespace) -> int:
    from lab_app.core.bench.textmetrics import score

    result = score(args.metric, args.hyp, args.ref, use_stemmer=args.stem)
    if args.json:
        emit_json(result.as_json())
        return 0
    scale = result.details.get("scale", "")
    print(f"{args.metric} {result.score:.4g} (scale {scale})")
    if args.metric == "meteor":
        print(result.details.get("matching", ""))
    return 0


def _run_model_bench(args: argparse.Namespace) -> int:
    """``squad``: bert-lab-qa's held-out questions; ``nsp``: bert-lab-nsp's held-out pairs."""
    from lab_app.core.bench.jobs import glue_model_job, squad_job
    from lab_app.core.progress import TextBar

    if args.name == "squad":
        run = squad_job(TextBar(), args.store, "")
        if args.json:
            emit_json(run.to_json())
        else:
            print(f"SQuAD: EM {run.exact_match:.1f}, F1 {run.f1:.1f} over "
                  f"{len(run.questions)} questions of {run.source} ({run.model})")  # fmt: skip
        return 0
    name, scores = glue_model_job(TextBar(), args.store, None, "")
    if args.json:
        emit_json({"name": name, **scores})
    else:
        print(f"{name}: accuracy {scores['accuracy']:.3f}, F1 ('{scores['positive']}') "
              f"{scores['f1']:.3f}, MCC {scores['mcc']:.3f} over {scores['n']} pairs")  # fmt: skip
    return 0
