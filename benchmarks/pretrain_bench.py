"""Pre-training speed: the Pre-training lab's tiny numpy model against the same training in
PyTorch (transformers' BertModel with the same tied decoder), in one run.

The default tiny model (:class:`~lab_app.core.pretrain.tiny_lm.TinyConfig`: hidden 64, 2 layers,
4 heads, FFN 256, windows of 32 words, batch 16, a 2,000-word vocabulary) from the same initial
weights, on the same batches drawn from the built-in corpus, each step the forward pass, the
loss, every gradient and an AdamW update (``lab_app.core.engine.optim.AdamW`` against
``torch.optim.AdamW``, the same settings). Torch runs on as many threads as numpy's BLAS uses.
The two take turns, 20 steps each. Prints training tokens per second (``batch × seq_len``
input tokens a step, in each side's fastest turn after a few warm-up steps) and the ratio
numpy / torch (above 1: ours is faster), with each side's mean loss over the last steps as a
check that both trained the same model. Timings vary from run to run, and with other work on the
machine: compare ratios, measured in the same process.

    .venv/bin/python benchmarks/pretrain_bench.py [--steps 100] [--warmup 5] [--block 20]
        [--attention eager|sdpa]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence

import numpy as np

from lab_app.core.engine.bert_numpy import Params
from lab_app.core.engine.optim import AdamW
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.bert_layout import is_linear_weight
from lab_app.core.pretrain.corpus import read_corpus
from lab_app.core.pretrain.tiny_lm import (
    DECODER_BIAS,
    OBJECTIVES,
    Example,
    Objective,
    TinyConfig,
    TinyLM,
    clm_example,
    encode_corpus,
    init_params,
    mlm_example,
    word_vocab,
)

LR = 1e-3
WEIGHT_DECAY = 0.01
LAST = 10  # the steps the closing mean loss is taken over


def numpy_threads() -> int:
    """The threads numpy's BLAS runs on (threadpoolctl when installed, else all cores)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    blas = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return max(blas) if blas else os.cpu_count() or 1


def examples(
    ids: np.ndarray, vocab_size: int, tiny: TinyConfig, objective: Objective, count: int
) -> list[Example]:
    """``count`` training batches, drawn as the lab draws them (random windows of the text)."""
    rng = np.random.default_rng(0)
    width = tiny.seq_len + (1 if objective == "clm" else 0)
    out = []
    for _ in range(count):
        starts = rng.integers(0, len(ids) - width + 1, size=tiny.batch)
        windows = np.stack([ids[s : s + width] for s in starts])
        out.append(
            clm_example(windows) if objective == "clm" else mlm_example(windows, vocab_size, rng)
        )
    return out


def numpy_trainer(
    config: EncoderConfig, objective: Objective, params: Params
) -> Callable[[Example], float]:
    """One training step of the lab's model: its loss and gradients, then AdamW."""
    model = TinyLM(config, objective, {k: v.copy() for k, v in params.items()})
    optimizer = AdamW(model.params, tuple(model.params), LR, weight_decay=WEIGHT_DECAY)

    def step(example: Example) -> float:
        loss, grads = model.loss_and_grads(example)
        optimizer.step(grads)
        return loss

    return step


def torch_trainer(
    config: EncoderConfig, objective: Objective, params: Params, attention: str
) -> Callable[[Example], float]:
    """The same step in PyTorch: BertModel (causal with ``is_decoder`` for clm; a 1-row
    token-type table of zeros, not trained, for the types the tiny model has not got), the tied
    decoder, autograd and ``torch.optim.AdamW``."""
    import torch
    from transformers import BertConfig, BertModel

    hf = BertConfig(
        vocab_size=config.vocab_size, hidden_size=config.hidden_size,
        num_hidden_layers=config.num_layers, num_attention_heads=config.num_heads,
        intermediate_size=config.intermediate_size, max_position_embeddings=config.max_positions,
        type_vocab_size=1, layer_norm_eps=config.layer_norm_eps, hidden_act="gelu",
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        is_decoder=objective == "clm", use_cache=False, pad_token_id=None,
    )  # fmt: skip
    torch.manual_seed(0)
    model = BertModel(hf, add_pooling_layer=False)
    model.config._attn_implementation = attention
    state = {
        n: torch.tensor(v.T if is_linear_weight(n) else v)
        for n, v in params.items()
        if n != DECODER_BIAS
    }
    state["embeddings.token_type_embeddings.weight"] = torch.zeros(1, config.hidden_size)
    model.load_state_dict(state, strict=True)
    model.train()  # dropout is 0: train and eval compute the same
    model.embeddings.token_type_embeddings.weight.requires_grad_(False)
    bias = torch.tensor(params[DECODER_BIAS], requires_grad=True)
    trained = [p for p in model.parameters() if p.requires_grad] + [bias]
    optimizer = torch.optim.AdamW(trained, lr=LR, weight_decay=WEIGHT_DECAY)
    words = model.embeddings.word_embeddings.weight

    def step(example: Example) -> float:
        # From numpy arrays, as the lab's step takes them (torch.from_numpy copies nothing).
        inputs = torch.from_numpy(example.inputs)
        hidden = model(input_ids=inputs).last_hidden_state
        picked = hidden.reshape(-1, config.hidden_size)[torch.from_numpy(example.positions)]
        logits = picked @ words.T + bias
        loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(example.targets))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    return step


def race(
    steps: Sequence[Callable[[Example], float]],
    batches: Sequence[Example],
    warmup: int,
    block: int,
) -> tuple[list[float], list[list[float]]]:
    """Each trainer's best speed (steps per second over one turn of ``block`` steps, after the
    first ``warmup`` batches), and its losses. The trainers take turns over the same batches,
    so that a burst of other work on the machine slows them alike; the best turn is timeit's
    rule: slower turns are the machine's doing, not the code's."""
    best = [0.0] * len(steps)
    losses = [[step(e) for e in batches[:warmup]] for step in steps]
    for at in range(warmup, len(batches), block):
        part = batches[at : at + block]
        for i, step in enumerate(steps):
            start = time.perf_counter()
            losses[i].extend(step(e) for e in part)
            best[i] = max(best[i], len(part) / (time.perf_counter() - start))
    return best, losses


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="timed steps (default 100)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    parser.add_argument("--block", type=int, default=20, help="steps per turn (default 20)")
    parser.add_argument(
        "--attention", choices=("eager", "sdpa"), default="eager",
        help="transformers' attention implementation (default eager, as the other benches)",
    )  # fmt: skip
    args = parser.parse_args()
    import torch

    if args.steps < 1 or args.block < 1 or args.warmup < 0:
        parser.error("--steps and --block must be at least 1, --warmup at least 0")
    block, warmup = args.block, args.warmup
    threads = numpy_threads()
    torch.set_num_threads(threads)
    tiny = TinyConfig()
    corpus = read_corpus(None, max_words=300_000)
    vocab = word_vocab(corpus, tiny.vocab)
    ids = encode_corpus(corpus, vocab)
    config = tiny.encoder(len(vocab))
    params = init_params(config, 0)
    per_step = tiny.batch * tiny.seq_len
    print(
        f"tiny model: hidden {tiny.hidden}, {tiny.layers} layers, {tiny.heads} heads, FFN "
        f"{tiny.ffn}, seq {tiny.seq_len}, batch {tiny.batch}, vocab {len(vocab):,}; "
        f"{args.steps} steps after {warmup} warm-up, turns of {block}, AdamW, {threads} thread(s), "
        f"torch {torch.__version__} ({args.attention} attention)"
    )
    header = ("objective", "numpy tok/s", "torch tok/s", "numpy/torch", "numpy loss", "torch loss")
    print("  ".join(f"{h:>12}" for h in header))
    for objective in OBJECTIVES:
        batches = examples(ids, len(vocab), tiny, objective, warmup + args.steps)
        trainers = [
            numpy_trainer(config, objective, params),
            torch_trainer(config, objective, params, args.attention),
        ]
        (mine, theirs), (ours, ref) = race(trainers, batches, warmup, block)
        ours_rate, ref_rate = mine * per_step, theirs * per_step
        row = (
            f"{ours_rate:12,.0f}  {ref_rate:12,.0f}  {ours_rate / ref_rate:12.2f}  "
            f"{np.mean(ours[-LAST:]):12.4f}  {np.mean(ref[-LAST:]):12.4f}"
        )
        print(f"{objective:>12}  {row}")
    print("tok/s: input tokens per second in each side's fastest turn")
    print(f"loss: the mean over the last {LAST} steps (nats); the same for both = same training")


if __name__ == "__main__":
    main()
