"""``bert-lab models list|build|import|fetch``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lab_app.cli.common import emit_json
from lab_app.core.errors import UserError
from lab_app.core.models.store import Entry, ModelStore, open_store, verify_entry
from lab_app.core.models.store_lock import leftovers
from lab_app.core.progress import TextBar


def register(sub: Any) -> None:
    p = sub.add_parser("models", help="list, build, import or fetch models")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    lst = msub.add_parser("list", help="the models and tokenizers in the store")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.add_argument("--verify", action="store_true", help="check every file's sha256")
    lst.set_defaults(func=run_list)

    build = msub.add_parser("build", help="build the built-in models from pinned artifacts")
    build.add_argument("--repair", action="store_true", help="rebuild damaged entries")
    build.add_argument("--json", action="store_true", help="print a JSON report")
    build.set_defaults(func=run_build)

    imp = msub.add_parser("import", help="build a store model from a BERT-family folder")
    imp.add_argument("path", help="folder with config.json and model.safetensors")
    imp.add_argument("--name", help="store name (default: the folder's name)")
    imp.add_argument(
        "--replace", action="store_true", help="overwrite an imported model of that name"
    )
    imp.add_argument("--json", action="store_true", help="print the new model's manifest")
    imp.set_defaults(func=run_import)

    fetch = msub.add_parser("fetch", help="download a model from the Hugging Face Hub, then import")
    fetch.add_argument("hf_id", help="e.g. bert-base-uncased")
    fetch.add_argument("--name", help="store name (default: the id's last part)")
    fetch.add_argument(
        "--replace", action="store_true", help="overwrite an imported model of that name"
    )
    fetch.add_argument("--json", action="store_true", help="print the new model's manifest")
    fetch.set_defaults(func=run_fetch)


def _entry_json(entry: Entry, *, verify: bool) -> dict[str, Any]:
    m = entry.manifest
    out: dict[str, Any] = {
        "name": m.name,
        "family": m.family,
        "task": m.purpose,
        "layers": m.layers,
        "hidden_size": m.hidden_size,
        "outputs": list(m.outputs),
        "tokenizer": m.tokenizer,
        "source": m.source,
        "license": m.license,
        "path": str(entry.path),
        "read_only": entry.read_only,
    }
    if m.labels:
        out["labels"] = list(m.labels)
    if m.is_task_model:
        graph = m.extra.get("task_graph")
        out["base_model"] = graph.get("base") if isinstance(graph, dict) else None
    if m.is_decoder:
        keys: tuple[str, ...] = (
            "num_heads",
            "num_kv_heads",
            "head_dim",
            "rope_base",
            "context_length",
        )
        keys += ("parameters",)
        out["decoder"] = {k: m.extra.get(k) for k in keys}
    if verify:
        out["problems"] = verify_entry(entry)
    return out


def _shape(m: dict[str, Any]) -> str:
    text = f"{m['layers']} layers, hidden {m['hidden_size']}"
    d = m.get("decoder")
    if d:
        text += (
            f", {d['num_heads']} heads / {d['num_kv_heads']} kv-heads, RoPE base "
            f"{d['rope_base']:g}, context {d['context_length']}"
        )
    return text


def _tokenizer_json(entry: Entry, *, verify: bool) -> dict[str, Any]:
    m = entry.manifest
    out: dict[str, Any] = {
        "name": m.name,
        "algorithm": m.family,
        "model": m.extra.get("model"),
        "vocab_size": m.extra.get("vocab_size"),
        "source": m.source,
        "license": m.license,
        "path": str(entry.path),
    }
    if verify:
        out["problems"] = verify_entry(entry)
    return out


def run_list(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    models = [_entry_json(e, verify=args.verify) for e in store.models()]
    toks = [_tokenizer_json(e, verify=args.verify) for e in store.tokenizers()]
    bundled = [str(r) for r in store.read_only_roots]
    stray = [str(p) for p in leftovers(store)]
    if args.json:
        emit_json(
            {
                "store": str(store.root),
                "bundled": bundled,
                "models": models,
                "tokenizers": toks,
                "leftovers": stray,
            }
        )
        return 0
    print(f"store: {store.root}")
    for path in stray:
        print(f"  half-built folder left by an interrupted build or import: {path}")
        print("    (the next `bert-lab models build` or import removes it)")
    for root in bundled:
        print(f"bundled (read-only, searched first): {root}")
    if not models and not toks:
        print("  (empty — run `bert-lab models build`)")
    for m in models:
        bad = "  DAMAGED: " + "; ".join(m["problems"]) if m.get("problems") else ""
        print(
            f"  model      {m['name']:<28} {m['task']:<10} {_shape(m)}, "
            f"outputs: {', '.join(m['outputs'])}{bad}"
        )
    for t in toks:
        bad = "  DAMAGED: " + "; ".join(t["problems"]) if t.get("problems") else ""
        print(f"  tokenizer  {t['name']:<28} {t['algorithm']:<18} vocab {t['vocab_size']}{bad}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from lab_app.core.models.build.builtin_build import build_builtins
    from lab_app.core.paths import cache_dir

    store = open_store(args.store)
    bar = TextBar()
    try:
        report = build_builtins(store, cache_dir(), repair=args.repair, progress=bar)
    finally:
        bar.close()
    if args.repair:  # the user's imported models too, from the folders they came from
        from lab_app.core.models.build.model_import import repair_imported

        repaired, broken = repair_imported(store)
        report.built += repaired
        report.failed += broken
    if args.json:
        emit_json(
            {
                "store": str(store.root),
                "built": report.built,
                "skipped": report.skipped,
                "failed": [{"name": n, "error": e} for n, e in report.failed],
                "cleaned": report.cleaned,
            }
        )
    else:
        print(f"store: {store.root}")
        for name in report.cleaned:
            print(f"  removed  {name} (left half-built by an interrupted build)")
        for name in report.built:
            print(f"  built    {name}")
        for name in report.skipped:
            print(f"  present  {name}")
        for name, err in report.failed:
            print(f"  FAILED   {name}: {err}", file=sys.stderr)
    if report.failed:
        names = ", ".join(n for n, _ in report.failed)
        raise UserError(f"could not build {names} (see above); the rest of the store is usable")
    return 0


def _import_and_report(
    store: ModelStore, path: str, name: str | None, args: argparse.Namespace
) -> int:
    from pathlib import Path

    from lab_app.core.models.build.model_import import import_folder

    entry = import_folder(store, Path(path), name=name, replace=args.replace)
    if args.json:
        emit_json(_entry_json(entry, verify=False))
    else:
        print(f"imported {entry.name} into {entry.path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    return _import_and_report(open_store(args.store), args.path, args.name, args)


def run_fetch(args: argparse.Namespace) -> int:
    from lab_app.core.models.build.model_import import check_name_free, download_hf

    store = open_store(args.store)
    name = args.name or args.hf_id.rstrip("/").split("/")[-1]
    check_name_free(store, name, replace=args.replace)  # before a download of half a gigabyte
    folder = download_hf(args.hf_id)
    return _import_and_report(store, str(folder), name, args)
