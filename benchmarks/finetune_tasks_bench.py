"""Fine-tuning speed of the new heads — token tagging, span start/end, pair classification —
against the same training in PyTorch, in one run (``finetune_bench.py --tasks`` calls this).

Partial fine-tuning (the top 2 layers and the head, the built-in task models' recipe) of
bert-lab-mlm for one epoch on each task's built-in sample, batch 16, the same batches, both at 2
threads. Ours: :func:`lab_app.core.finetune.train.train` with the frozen part computed once.
PyTorch: transformers' ``BertLayer`` for the top layers on the same frozen states, a Linear head,
``cross_entropy`` (``ignore_index=-100`` for tags; start and end averaged for spans), AdamW.
Prints seconds per epoch and torch/ours (above 1: ours is faster).

    .venv/bin/python benchmarks/finetune_tasks_bench.py [--store DIR]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np

from lab_app.core.engine.bert_numpy import NumpyBert
from lab_app.core.finetune.data import batches
from lab_app.core.finetune.head import Pooling
from lab_app.core.finetune.step import plan
from lab_app.core.finetune.tasks import prepare, read_task_data
from lab_app.core.finetune.train import Run, frozen_part, train
from lab_app.core.finetune.weights import load_params
from lab_app.core.models.bert_layout import is_linear_weight
from lab_app.core.models.encoder import plain_tokenizer
from lab_app.core.models.store import open_store
from lab_app.core.progress import SILENT

MODEL, LAYERS, LR, HEAD_LR, BATCH = "bert-lab-mlm", 2, 3e-4, 3e-3, 16


def setup(store: str | None, task: str) -> tuple[Run, dict[str, np.ndarray]]:
    entry = open_store(store).model(MODEL)
    config, params = load_params(entry)
    data, _ = read_task_data(task, None)  # type: ignore[arg-type]
    tokenizer = plain_tokenizer(entry.file("tokenizer.json"))
    prepared = prepare(task, data, tokenizer, Pooling("cls"), 0.2, 0)  # type: ignore[arg-type]
    params.update(prepared.head.init(config.hidden_size, np.random.default_rng(0)))
    p = plan("partial", config, params, prepared.head, LAYERS)
    net = NumpyBert(config, params)
    run = Run(net, prepared.head, p, prepared.tokens, prepared.split, None)
    run.frozen = frozen_part(net, run.tokens, p.start, SILENT)
    return run, {k: v.copy() for k, v in params.items()}


def ours(run: Run) -> float:
    start = time.perf_counter()
    train(run, run.split.train, epochs=1, lr=LR, head_lr=HEAD_LR, batch_size=BATCH, seed=0)
    return time.perf_counter() - start


def pytorch(run: Run, params: dict[str, np.ndarray], task: str) -> float:
    import torch
    from transformers import BertConfig
    from transformers.models.bert.modeling_bert import BertLayer

    torch.set_num_threads(2)
    cfg = run.net.config
    hf = BertConfig(
        hidden_size=cfg.hidden_size, num_attention_heads=cfg.num_heads,
        intermediate_size=cfg.intermediate_size, layer_norm_eps=cfg.layer_norm_eps,
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
    )  # fmt: skip
    hf._attn_implementation = "eager"
    layers = torch.nn.ModuleList(BertLayer(hf) for _ in range(LAYERS))
    first = cfg.num_layers - LAYERS
    state = {
        f"{int(n.split('.')[2]) - first}.{n.split('.', 3)[3]}": torch.tensor(
            v.T if is_linear_weight(n) else v
        )
        for n, v in params.items()
        if n.startswith("encoder.layer.") and int(n.split(".")[2]) >= first
    }
    layers.load_state_dict(state, strict=True)
    layers.train()
    names = [n for n in run.task.new_params]
    head_w = torch.tensor(params[names[0]], requires_grad=True)
    head_b = torch.tensor(params[names[1]], requires_grad=True)
    optimiser = torch.optim.AdamW(
        [{"params": layers.parameters(), "lr": LR}, {"params": [head_w, head_b], "lr": HEAD_LR}]
    )
    assert run.frozen is not None
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for part in batches(run.split.train, BATCH, rng, run.tokens.lengths):
        b = run.tokens.batch(part)
        width = b.input_ids.shape[1]
        h = torch.zeros(len(part), width, cfg.hidden_size)
        for i, r in enumerate(part):
            h[i, : len(run.frozen[r])] = torch.from_numpy(run.frozen[r])
        mask = torch.tensor(b.attention_mask)
        ext = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in layers:
            out = layer(h, attention_mask=ext)
            h = out[0] if isinstance(out, tuple) else out
        targets = run.task.collate(run.split.y, part, width)
        if task == "pair":
            loss = torch.nn.functional.cross_entropy(
                h[:, 0] @ head_w + head_b, torch.tensor(targets)
            )
        elif task == "tag":
            scores = h @ head_w + head_b
            loss = torch.nn.functional.cross_entropy(
                scores.reshape(-1, scores.shape[-1]),
                torch.tensor(np.asarray(targets)).reshape(-1),
                ignore_index=-100,
            )
        else:
            scores = (h @ head_w + head_b).masked_fill(~mask.bool()[..., None], -1e4)
            loss = (
                torch.nn.functional.cross_entropy(scores[..., 0], torch.tensor(targets.starts))
                + torch.nn.functional.cross_entropy(scores[..., 1], torch.tensor(targets.ends))
            ) / 2
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return time.perf_counter() - start


def main(store: str | None = None) -> None:
    print(f"{MODEL}, partial (top {LAYERS} layers + head), 1 epoch, batch {BATCH}, 2 threads")
    header = ("task", "rows", "ours s/ep", "torch s/ep", "torch/ours")
    print("  ".join(f"{h:>10}" for h in header))
    for task in ("tag", "qa", "pair"):
        run, params = setup(store, task)
        mine = ours(run)
        run, params = setup(store, task)
        theirs = pytorch(run, params, task)
        rows = len(run.split.train)
        print(f"{task:>10}  {rows:10d}  {mine:10.2f}  {theirs:10.2f}  {theirs / mine:10.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="model store (default: the user's)")
    main(parser.parse_args().store)
