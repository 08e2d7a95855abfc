"""Fine-tuning speed and memory: BERT Lab's hand-written numpy backward pass against the same
training in PyTorch (transformers' BertModel), and against the ``autograd`` library, in one run.

One epoch of each gradient method on the built-in help-desk sample (223 training utterances,
batch 16, the same batches) with all-MiniLM-L6-v2, at 2 threads. Prints seconds per epoch and the
ratio (PyTorch / ours: above 1 means ours is faster), and the peak memory numpy allocated for
each of our runs (tracemalloc sees numpy's buffers). ``autograd`` (pip install autograd) runs the
full method's forward written in ``autograd.numpy``; it is skipped when not installed.

    .venv/bin/python benchmarks/finetune_bench.py [--store DIR] [--epochs 1] [--tasks]

``--tasks`` adds the other heads (token tagging, span start/end, pairs): see
``finetune_tasks_bench.py``.
"""

from __future__ import annotations

import argparse
import math
import os
import time
import tracemalloc

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np

from lab_app.core.engine.bert_numpy import NumpyBert
from lab_app.core.finetune import head
from lab_app.core.finetune.data import MAX_TOKENS, batches, make_split, tokenize
from lab_app.core.finetune.head import Pooling, SequenceClassification
from lab_app.core.finetune.step import plan
from lab_app.core.finetune.train import Run, frozen_part, train
from lab_app.core.finetune.weights import add_lora, load_params
from lab_app.core.io.text_input import read_utterances, sample_dataset_path
from lab_app.core.models.bert_layout import is_linear_weight
from lab_app.core.models.encoder import plain_tokenizer
from lab_app.core.models.store import open_store

MODEL = "all-MiniLM-L6-v2"
LR = {"partial": 3e-4, "full": 1e-4, "lora": 2e-3}
POOL = Pooling("sbert", normalize=True)


def setup(store: str | None, method: str) -> tuple[Run, np.ndarray, dict[str, np.ndarray]]:
    entry = open_store(store).model(MODEL)
    data = read_utterances(sample_dataset_path())
    split = make_split(data.labels, 0.2, 0)
    config, params = load_params(entry)
    rng = np.random.default_rng(0)
    task = SequenceClassification(POOL, len(split.classes))
    params.update(task.init(config.hidden_size, rng))
    if method == "lora":
        add_lora(params, config, 8, rng)
    p = plan(method, config, params, task, 2)  # type: ignore[arg-type]
    net = NumpyBert(config, params, lora_scale=2.0)
    tokens = tokenize(plain_tokenizer(entry.file("tokenizer.json")), data.texts, MAX_TOKENS)
    start_params = {k: v.copy() for k, v in params.items()}
    return Run(net, task, p, tokens, split, None), split.train, start_params


def ours(store: str | None, method: str, epochs: int) -> tuple[float, float]:
    run, rows, _ = setup(store, method)
    tracemalloc.start()
    start = time.perf_counter()
    if run.plan.start:
        run.frozen = frozen_part(run.net, run.tokens, run.plan.start, _silent())
    train(run, rows, epochs=epochs, lr=LR[method], head_lr=3e-3, batch_size=16, seed=0)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds / epochs, peak / 2**20


def _silent() -> object:
    from lab_app.core.progress import SILENT

    return SILENT


def pytorch(store: str | None, method: str, epochs: int) -> float:
    import torch
    from transformers import BertConfig, BertModel

    torch.set_num_threads(2)
    run, rows, params = setup(store, method)
    cfg = run.net.config
    model = BertModel(
        BertConfig(
            vocab_size=cfg.vocab_size, hidden_size=cfg.hidden_size,
            num_hidden_layers=cfg.num_layers, num_attention_heads=cfg.num_heads,
            intermediate_size=cfg.intermediate_size, max_position_embeddings=cfg.max_positions,
            type_vocab_size=cfg.type_vocab_size, layer_norm_eps=cfg.layer_norm_eps,
            hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        ),
        add_pooling_layer=False,
    )  # fmt: skip
    model.config._attn_implementation = "eager"
    state = {
        n: torch.tensor(v.T if is_linear_weight(n) else v)
        for n, v in params.items()
        if n.startswith(("embeddings.", "encoder.")) and ".lora_" not in n
    }
    model.load_state_dict(state, strict=True)
    model.train()
    extra = {n: torch.tensor(v, requires_grad=True) for n, v in params.items()
             if n.startswith("classifier.") or ".lora_" in n}  # fmt: skip
    named = dict(model.named_parameters())
    trainable = set(run.plan.trainable)
    for n, p in named.items():
        p.requires_grad_(n in trainable)
    for n in {n.rsplit(".", 1)[0] for n in extra if ".lora_" in n}:
        a, b = extra[f"{n}.lora_A"], extra[f"{n}.lora_B"]
        model.get_submodule(n).register_forward_hook(
            lambda _m, i, o, a=a, b=b: o + 2.0 * (i[0] @ a) @ b
        )
    groups = [{"params": [named[n] for n in trainable if n in named] +
               [extra[n] for n in trainable if ".lora_" in n], "lr": LR[method]},
              {"params": [extra[n] for n in head.HEAD], "lr": 3e-3}]  # fmt: skip
    optimiser = torch.optim.AdamW(groups)
    start_layer = run.plan.start
    y = torch.tensor(run.split.y)

    def feed(part: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        b = run.tokens.batch(part)
        return (torch.tensor(b.input_ids), torch.tensor(b.attention_mask),
                torch.tensor(b.token_type_ids))  # fmt: skip

    start = time.perf_counter()
    frozen: dict[int, torch.Tensor] = {}
    if start_layer:
        with torch.no_grad():
            for r in rows:
                ids, mask, types = feed(np.array([r]))
                out = model(ids, mask, types, output_hidden_states=True)
                frozen[int(r)] = out.hidden_states[start_layer][0]
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        for part in batches(rows, 16, rng, run.tokens.lengths):
            ids, mask, types = feed(part)
            if start_layer:
                h = torch.zeros(len(part), ids.shape[1], cfg.hidden_size)
                for i, r in enumerate(part):
                    h[i, : len(frozen[int(r)])] = frozen[int(r)]
                ext = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
                for layer in model.encoder.layer[start_layer:]:
                    h = layer(h, attention_mask=ext)
            else:
                h = model(ids, mask, types).last_hidden_state
            m = mask[..., None].float()
            vec = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1)
            loss = torch.nn.functional.cross_entropy(
                vec @ extra[head.HEAD[0]] + extra[head.HEAD[1]], y[torch.tensor(part)]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return (time.perf_counter() - start) / epochs


def with_autograd(store: str | None, epochs: int) -> float | None:
    """The full method's forward in autograd.numpy; gradients by autograd, AdamW by ours."""
    try:
        import autograd.numpy as anp
        from autograd import grad
        from autograd.scipy.special import erf
    except ImportError:
        return None
    from lab_app.core.engine.optim import AdamW

    run, rows, _ = setup(store, "full")
    cfg, params = run.net.config, run.net.params
    names = list(run.plan.trainable)

    def norm(x: object, g: object, b: object) -> object:
        mu = anp.mean(x, axis=-1, keepdims=True)
        var = anp.mean((x - mu) ** 2, axis=-1, keepdims=True)
        return (x - mu) / anp.sqrt(var + cfg.layer_norm_eps) * g + b

    def loss(values: list[object], ids: object, mask: object, labels: object) -> object:
        p = dict(zip(names, values, strict=True))
        bsz, t = ids.shape  # type: ignore[attr-defined]
        x = p["embeddings.word_embeddings.weight"][ids] + p[
            "embeddings.position_embeddings.weight"][np.arange(t)][None] + p[
            "embeddings.token_type_embeddings.weight"][0]  # fmt: skip
        x = norm(x, p["embeddings.LayerNorm.weight"], p["embeddings.LayerNorm.bias"])
        add = (1.0 - mask[:, None, None, :]) * -1e9  # type: ignore[index]
        nh, d = cfg.num_heads, cfg.head_size
        for i in range(cfg.num_layers):
            q_, k_, v_ = (
                anp.transpose(anp.reshape(
                    anp.dot(x, p[f"encoder.layer.{i}.attention.self.{n}.weight"])
                    + p[f"encoder.layer.{i}.attention.self.{n}.bias"], (bsz, t, nh, d)),
                    (0, 2, 1, 3))
                for n in ("query", "key", "value")
            )  # fmt: skip
            s = anp.einsum("bhqd,bhkd->bhqk", q_, k_) / math.sqrt(d) + add
            s = anp.exp(s - anp.max(s, axis=-1, keepdims=True))
            s = s / anp.sum(s, axis=-1, keepdims=True)
            ctx = anp.reshape(anp.transpose(anp.einsum("bhqk,bhkd->bhqd", s, v_), (0, 2, 1, 3)),
                              (bsz, t, nh * d))  # fmt: skip
            pre = f"encoder.layer.{i}."
            a = anp.dot(ctx, p[pre + "attention.output.dense.weight"]) + p[
                pre + "attention.output.dense.bias"]  # fmt: skip
            x = norm(a + x, p[pre + "attention.output.LayerNorm.weight"],
                     p[pre + "attention.output.LayerNorm.bias"])  # fmt: skip
            h = anp.dot(x, p[pre + "intermediate.dense.weight"])
            h = h + p[pre + "intermediate.dense.bias"]
            h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
            o = anp.dot(h, p[pre + "output.dense.weight"]) + p[pre + "output.dense.bias"]
            x = norm(o + x, p[pre + "output.LayerNorm.weight"], p[pre + "output.LayerNorm.bias"])
        m = mask[..., None]  # type: ignore[index]
        vec = anp.sum(x * m, axis=1) / anp.sum(m, axis=1)
        vec = vec / anp.sqrt(anp.sum(vec**2, axis=1, keepdims=True))
        z = anp.dot(vec, p[head.HEAD[0]]) + p[head.HEAD[1]]
        z = z - anp.max(z, axis=1, keepdims=True)
        logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
        return -anp.mean(logp[np.arange(bsz), labels])

    gradient = grad(loss)
    optimiser = AdamW(params, names, 1e-4, lr_of=dict.fromkeys(head.HEAD, 3e-3))
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(epochs):
        for part in batches(rows, 16, rng, run.tokens.lengths):
            b = run.tokens.batch(part)
            g = gradient([params[n] for n in names], b.input_ids,
                         b.attention_mask.astype(np.float32), run.split.y[part])  # fmt: skip
            optimiser.step(dict(zip(names, g, strict=True)))
    return (time.perf_counter() - start) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="model store (default: the user's)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--tasks", action="store_true", help="also time tag, qa and pair heads")
    args = parser.parse_args()
    print(f"{MODEL}, built-in sample, {args.epochs} epoch(s), batch 16, 2 threads")
    header = ("method", "ours s/ep", "torch s/ep", "torch/ours", "peak MiB")
    print("  ".join(f"{h:>10}" for h in header))
    for method in ("partial", "lora", "full"):
        mine, peak = ours(args.store, method, args.epochs)
        theirs = pytorch(args.store, method, args.epochs)
        print(f"{method:>10}  {mine:10.2f}  {theirs:10.2f}  {theirs / mine:10.2f}  {peak:10.0f}")
    auto = with_autograd(args.store, args.epochs)
    if auto is None:
        print("autograd: not installed (pip install autograd)")
    else:
        print(f"autograd, full method: {auto:.2f} s/epoch")
    if args.tasks:
        import finetune_tasks_bench

        finetune_tasks_bench.main(args.store)


if __name__ == "__main__":
    main()
