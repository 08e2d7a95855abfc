"""``bert-lab generate PROMPT …`` and ``bert-lab score PROMPT CONTINUATION``: the built-in decoder.

PROMPT ``-`` reads standard input (which must be UTF-8). Text streams to stdout token by token;
``--json`` prints one document at the end instead.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lab_app.cli.common import emit_json, seed_arg

NO_DECODER = (
    "no decoder is in the store: `bert-lab models build` adds the built-in SmolLM2-135M-Instruct"
)


def register(sub: Any) -> None:
    g = sub.add_parser("generate", help="continue a prompt with the built-in decoder")
    g.add_argument("prompt", help="text to continue, or - to read standard input")
    _model_arg(g)
    g.add_argument("--max-new-tokens", type=int, default=32, help="at most this many (default 32)")
    g.add_argument("--temperature", type=float, help="sample at this temperature (default: greedy)")
    g.add_argument("--top-k", type=int, help="sample only among the k most probable tokens")
    g.add_argument("--top-p", type=float, help="sample only within this much probability")
    g.add_argument("--seed", type=seed_arg, help="random seed for sampling (default: a fresh one)")
    g.add_argument(
        "--chat", action="store_true", help="wrap PROMPT as a user turn of the chat template"
    )
    g.add_argument("--json", action="store_true", help="print JSON")
    g.set_defaults(func=run_generate)

    s = sub.add_parser("score", help="the log-probability of a continuation, token by token")
    s.add_argument("prompt", help="the text before (or - for standard input)")
    s.add_argument("continuation", help='the text whose probability you want, e.g. " Rome"')
    _model_arg(s)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=run_score)


def _model_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="a store decoder (default: the first one)")


def read_prompt(text: str) -> str:
    """PROMPT itself, or standard input for ``-``; bytes that are not UTF-8 are a user error."""
    from lab_app.core.errors import UserError

    if text == "-":
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(
                f"standard input is not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x})"
            ) from exc
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # argv bytes the locale could not decode
        raise UserError("the prompt holds bytes that are not UTF-8 text") from exc
    return text


def open_decoder(args: argparse.Namespace) -> Any:
    from lab_app.core.errors import UserError
    from lab_app.core.models.decoder import Decoder
    from lab_app.core.models.store import open_store

    store = open_store(args.store)
    if args.model:
        entry = store.model(args.model, verify=False)
    else:
        decoders = store.decoders()
        if not decoders:
            raise UserError(NO_DECODER)
        entry = store.model(decoders[0].name, verify=False)
    # Checked while it loads; the command has the cores to itself, so ONNX Runtime may spin.
    return Decoder(entry, verify=True, spin=True)


def run_generate(args: argparse.Namespace) -> int:
    from lab_app.core.models.generate import Sampling, generate, prepare_prompt

    sampling = Sampling(
        max_new_tokens=args.max_new_tokens,
        temperature=args.temperature,
        top_k=args.top_k,
        top_p=args.top_p,
        seed=args.seed,
    )
    sampling.check()  # before the slow session start
    text = read_prompt(args.prompt)
    if not text.strip():
        from lab_app.core.errors import UserError

        raise UserError("the prompt is empty: type some text for the model to continue")
    decoder = open_decoder(args)
    sampling.check(decoder.vocab_size)
    if args.chat:
        text = decoder.render_chat([{"role": "user", "content": text}])
    prompt = prepare_prompt(decoder, text, sampling.max_new_tokens)
    if prompt.cut:
        print(f"bert-lab: note: {prompt.note}", file=sys.stderr)
    steps = []
    for step in generate(decoder, prompt.ids, sampling):
        steps.append(step)
        if not args.json:
            sys.stdout.write(step.text)
            sys.stdout.flush()
    if args.json:
        emit_json(
            {
                "model": decoder.name,
                "prompt_tokens": len(prompt.ids),
                "prompt_cut": prompt.cut,
                "tokens": [s.to_json() for s in steps],
                "text": "".join(s.text for s in steps),
                "stop": steps[-1].stop if steps else None,
            }
        )
    else:
        sys.stdout.write("\n")
    return 0


def run_score(args: argparse.Namespace) -> int:
    from lab_app.core.models.generate import score

    prompt = read_prompt(args.prompt)
    continuation = read_prompt(args.continuation) if args.continuation != "-" else ""
    decoder = open_decoder(args)
    result = score(decoder, prompt, continuation)
    if args.json:
        emit_json({"model": decoder.name, **result.to_json()})
        return 0
    print(f"{decoder.name}: log P(continuation | prompt) = {result.total:.4f}")
    for t in result.tokens:
        print(f"  {t.text!r:<18} log p = {t.logprob:8.4f}   rank {t.rank}")
    return 0
