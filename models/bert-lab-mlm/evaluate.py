"""Evaluate the trained masked-LM delta: held-out masked tokens and the everyday cloze set.

    python models/bert-lab-mlm/evaluate.py [--delta weights/delta.safetensors] [--onnx] [--show]

Prints held-out masked-token top-1/top-5 accuracy, perplexity and the repeat rate (top-1 is a
content word visible elsewhere in the row and not the answer), per source and overall, and the
cloze set's top-5/top-1 hit rates — for the PyTorch model in float32 and, with ``--onnx``, for
the ONNX graph the app's own builder makes from the same weights (with the largest logit
difference between the two, the parity the store's contract asks for).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from mlm_common import (
    CLOZE_SETS,
    HERE,
    MASK,
    Base,
    Tally,
    build_model,
    cloze_scores,
    context_ids,
    heldout_batches,
    load_base,
    masked_logits,
    read_cloze,
    stop_ids,
)
from safetensors.numpy import load_file

from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.build.bert_onnx import build_encoder_onnx, save_onnx
from lab_app.core.models.build.bert_weights import canonical_weights

DEFAULT_CORPUS = Path.home() / ".cache" / "bert-lab" / "mlm-corpus" / "build"


def onnx_session(base: Base, delta: dict[str, np.ndarray], folder: Path):  # type: ignore[no-untyped-def]
    """The graph lab_app builds for the store, from the base weights with the delta applied."""
    import onnxruntime as ort

    config = EncoderConfig.from_hf_config(base.config)
    weights = {
        k: v
        for k, v in canonical_weights(config, base.weights).items()
        if not k.startswith("pooler.")
    }
    weights.update({k: np.asarray(v, dtype=np.float32) for k, v in delta.items()})
    path = folder / "model.onnx"
    save_onnx(build_encoder_onnx(config, weights), path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_logits(session, ids: torch.Tensor, att: torch.Tensor) -> np.ndarray:  # type: ignore[no-untyped-def]
    feeds = {
        "input_ids": ids.numpy(),
        "attention_mask": att.numpy(),
        "token_type_ids": np.zeros_like(ids.numpy()),
    }
    names = {i.name for i in session.get_inputs()}
    return session.run(["logits"], {k: v for k, v in feeds.items() if k in names})[0]


def run(args: argparse.Namespace) -> dict[str, object]:
    torch.set_num_threads(args.threads) if args.threads else None
    base = load_base()
    delta = load_file(str(args.delta)) if args.delta else {}
    model = build_model(base, delta).eval()
    tok = base.tokenizer
    stop = stop_ids(tok)
    manifest = json.loads((args.corpus / "manifest.json").read_text())
    keys = [k for k in args.sources.split(",") if k] or list(manifest["sources"])
    batches = heldout_batches(base, args.corpus, keys, args.segments, args.batch)
    session = onnx_session(base, delta, Path(args.tmp)) if args.onnx else None
    result: dict[str, object] = {"delta": str(args.delta), "per_source": {}}
    totals = {"pytorch": Tally(), "onnx": Tally()}
    parity = 0.0
    with torch.no_grad():
        for key, items in batches.items():
            tallies = {"pytorch": Tally(), "onnx": Tally()}
            for corrupted, targets, att in items:
                where = targets != -100
                gold = targets[where]
                ctx = context_ids(corrupted, where, targets, stop)
                logits = masked_logits(model, corrupted, att, where)
                for t in (tallies["pytorch"], totals["pytorch"]):
                    t.add(logits, gold, ctx)
                if session is not None:
                    full = torch.from_numpy(onnx_logits(session, corrupted, att))[where]
                    parity = max(parity, float((full - logits).abs().max()))
                    for t in (tallies["onnx"], totals["onnx"]):
                        t.add(full, gold, ctx)
            result["per_source"][key] = {  # type: ignore[index]
                k: t.figures() for k, t in tallies.items() if t.n
            }
    result["heldout"] = {k: t.figures() for k, t in totals.items() if t.n}
    tops, result["cloze"] = cloze_scores(model, tok, read_cloze())
    tops_b, result["cloze_b"] = cloze_scores(model, tok, read_cloze(CLOZE_SETS["cloze_b"]))
    if session is not None:
        result["onnx_max_abs_logit_diff"] = parity
        result["cloze_onnx"], agree = onnx_cloze(session, tok, tops)
        result["cloze_top5_agreement_onnx_vs_pytorch"] = agree
    result["cloze_top5"] = {
        s: t
        for (s, _), t in zip(
            read_cloze() + read_cloze(CLOZE_SETS["cloze_b"]), tops + tops_b, strict=True
        )
    }
    return result


def onnx_cloze(session, tok, torch_tops: list[list[str]]) -> tuple[dict[str, float], float]:  # type: ignore[no-untyped-def]
    hits = same = 0
    items = read_cloze()
    for (sentence, answers), expected in zip(items, torch_tops, strict=True):
        ids = torch.tensor([tok.encode(sentence).ids])
        row = onnx_logits(session, ids, torch.ones_like(ids))[0][(ids[0] == MASK).numpy()][0]
        words = [tok.id_to_token(int(i)) for i in np.argsort(-row)[:5]]
        hits += any(w in answers for w in words)
        same += words == expected
    return {"cloze_top5": round(hits / len(items), 4)}, round(same / len(items), 4)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--delta",
        type=Path,
        default=HERE / "weights" / "delta.safetensors",
        help="a delta safetensors; '' for the untrained head",
    )
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--sources", default="", help="held-out sets (default: all in the corpus)")
    p.add_argument("--segments", type=int, default=120, help="held-out segments a source")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--onnx", action="store_true", help="also evaluate the ONNX graph")
    p.add_argument("--tmp", default=tempfile.mkdtemp(prefix="bert-lab-mlm-"))
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--show", action="store_true", help="print each cloze item's top 5")
    p.add_argument("--json", type=Path, default=None, help="also write the figures here")
    p.add_argument(
        "--into-recipe",
        action="store_true",
        help="add the figures of cloze sets written after training to weights/recipe.json",
    )
    args = p.parse_args(argv)
    if str(args.delta) in ("", "."):
        args.delta = None
    result = run(args)
    per_source = result["per_source"].items()  # type: ignore[attr-defined]
    rows = [(k, e, f) for k, figs in per_source for e, f in figs.items()]
    rows += [("ALL", e, f) for e, f in result["heldout"].items()]  # type: ignore[attr-defined]
    for key, engine, f in rows:
        print(
            f"{key:12s} {engine:8s} top1 {f['top1']:.3f} top5 {f['top5']:.3f} "
            f"ppl {f['perplexity']:8.1f} repeat {f['repeat_rate']:.3f} "
            f"(n={f['masked_tokens']})"
        )
    print("cloze (pytorch):", result["cloze"])
    print("second cloze set (pytorch):", result["cloze_b"])
    if "cloze_onnx" in result:
        print(
            "cloze (onnx):",
            result["cloze_onnx"],
            "top-5 lists equal to pytorch:",
            result["cloze_top5_agreement_onnx_vs_pytorch"],
            "max |logit diff|:",
            f"{result['onnx_max_abs_logit_diff']:.2e}",
        )
    if args.show:
        for sentence, words in result["cloze_top5"].items():  # type: ignore[attr-defined]
            print(f"  {sentence:60s} -> {', '.join(words)}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.into_recipe:
        record_later_sets(result, HERE / "weights" / "recipe.json")


def record_later_sets(result: dict[str, object], recipe_file: Path) -> None:
    """Put the figures of a cloze set the training run did not know (written after it) into the
    shipped recipe's evaluation, marked as measured afterwards by this script in float32."""
    recipe = json.loads(recipe_file.read_text())
    evaluation = recipe["evaluation"]
    for key in CLOZE_SETS:
        if key not in evaluation:
            evaluation[key] = {**result[key], "measured_by": "evaluate.py after training"}  # type: ignore[dict-item]
    recipe_file.write_text(json.dumps(recipe, indent=2) + "\n")


if __name__ == "__main__":
    main()
