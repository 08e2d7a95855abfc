"""``bert-lab params``: count the parameters of a BERT, GPT or Llama configuration."""

from __future__ import annotations

import argparse
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.errors import UserError
from lab_app.core.specs.params import ARCHS, PRESETS, count_params, preset

_SIZE_FLAGS = ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "positions", "segments")
_BOOL_FLAGS = ("tied", "pooler", "mlm_head", "final_norm")
# which keywords each architecture takes; others given on the command line are refused
_ACCEPTS = {
    "bert": {"layers", "hidden", "heads", "ffn", "vocab", "positions", "segments", "pooler",
             "mlm_head"},
    "gpt": {"layers", "hidden", "heads", "ffn", "vocab", "positions", "tied", "final_norm"},
    "llama": {"layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "tied"},
}  # fmt: skip


def register(sub: Any) -> None:
    """Add the ``params`` subcommand."""
    p = sub.add_parser(
        "params",
        help="count model parameters",
        description="Exact parameter counts of BERT, GPT and Llama configurations. "
        "Explicit sizes override the preset's.",
    )
    p.add_argument("--arch", choices=ARCHS, help="architecture (implied by --preset)")
    p.add_argument("--preset", metavar="NAME", help="start from a named model (see --list-presets)")
    p.add_argument("--list-presets", action="store_true", help="list the presets and exit")
    for flag in _SIZE_FLAGS:
        p.add_argument(f"--{flag.replace('_', '-')}", type=int, metavar="N", default=None)
    for flag, help_text in (
        ("tied", "output head shares the embedding matrix (gpt, llama)"),
        ("pooler", "BERT pooler (dense + tanh on [CLS])"),
        ("mlm-head", "BERT masked-LM head (decoder tied to the embeddings)"),
        ("final-norm", "LayerNorm after the last block (GPT-2/3 yes, GPT-1 no)"),
    ):
        p.add_argument(
            f"--{flag}", action=argparse.BooleanOptionalAction, default=None, help=help_text
        )
    p.add_argument(
        "--untied", dest="tied", action="store_false", default=None, help="same as --no-tied"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _kwargs(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    arch: str | None = args.arch
    kwargs: dict[str, Any] = {}
    if args.preset:
        preset_arch, kwargs = preset(args.preset)
        if arch is not None and arch != preset_arch:
            raise UserError(f"preset {args.preset!r} is a {preset_arch} model, not {arch}")
        arch = preset_arch
    if arch is None:
        raise UserError("say which model: --arch bert|gpt|llama or --preset NAME")
    given = {k: getattr(args, k) for k in (*_SIZE_FLAGS, *_BOOL_FLAGS)}
    given = {k: v for k, v in given.items() if v is not None}
    foreign = sorted(set(given) - _ACCEPTS[arch])
    if foreign:
        names = ", ".join("--" + f.replace("_", "-") for f in foreign)
        raise UserError(f"{arch} takes no {names}")
    kwargs.update(given)
    missing = sorted(k for k in ("layers", "hidden", "ffn", "vocab") if k not in kwargs)
    if arch != "gpt" and "heads" not in kwargs:
        missing.append("heads")
    if arch == "gpt" and "positions" not in kwargs:
        missing.append("positions")
    if missing:
        names = ", ".join("--" + m.replace("_", "-") for m in missing)
        raise UserError(f"{arch} needs {names} (or a --preset)")
    return arch, kwargs


def _print_presets(as_json: bool) -> None:
    rows = []
    for name, (arch, kwargs) in PRESETS.items():
        rows.append(
            {
                "name": name,
                "arch": arch,
                "total": count_params(arch, **kwargs).total,
                "config": kwargs,
            }
        )
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        print(f"{row['name']:<16} {row['arch']:<6} {row['total']:>17,}")


def run(args: argparse.Namespace) -> int:
    """Print the count and its breakdown."""
    if args.list_presets:
        _print_presets(args.json)
        return 0
    arch, kwargs = _kwargs(args)
    result = count_params(arch, **kwargs)
    if args.json:
        emit_json({"arch": arch, "config": kwargs, **result.as_dict()})
        return 0
    width = max(len(k) for k in result.breakdown)
    for part, n in result.breakdown.items():
        share = n / result.total if result.total else 0.0
        print(f"{part:<{width}}  {n:>17,}  {share:6.1%}")
    print(f"{'total':<{width}}  {result.total:>17,}")
    return 0
