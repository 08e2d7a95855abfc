"""Start the fresh MLM head from a least-squares fit instead of random values.

A random head needs many optimiser steps before it predicts anything but frequent words, and
steps are what a CPU run has least of. The head computes LayerNorm(GELU(W h + c)) and scores it
against the (tied, frozen) word embeddings. If that vector is close to the standardised
embedding of the masked word, the right word scores high. So W and c are fitted by ridge
regression from the base encoder's hidden states at masked positions to the standardised
embeddings of their answers; a constant added to c keeps GELU in its near-linear range (the
LayerNorm removes the constant again), and the LayerNorm scale is picked by a small grid search
on cross-entropy. Gradient descent then starts from a head that already works.
"""

from __future__ import annotations

import numpy as np
import torch
from mlm_common import collate, mask_tokens

_SHIFT = 5.0  # GELU(x) = x within 0.1% for x > 3; the fitted values are about N(0, 1)


def _hidden_at_masks(
    model: torch.nn.Module,
    segments: list[np.ndarray],
    gen: torch.Generator,
    positions: int,
    device: torch.device,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Final hidden states and answers at BERT-masked positions, about ``positions`` of them."""
    hidden, gold = [], []
    count = 0
    model.eval()
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16):
        for i in range(0, len(segments), 32):
            ids, att = collate(segments[i : i + 32])
            corrupted, targets = mask_tokens(ids, gen, 30522)
            where = targets != -100
            out = model.bert(input_ids=corrupted.to(device), attention_mask=att.to(device))
            hidden.append(out.last_hidden_state[where.to(device)].float().cpu())
            gold.append(targets[where])
            count += int(where.sum())
            if count >= positions:
                break
    model.train()
    return torch.cat(hidden), torch.cat(gold)


def lsq_init_head(
    model: torch.nn.Module,
    segments: list[np.ndarray],
    gen: torch.Generator,
    device: torch.device,
    positions: int = 20000,
    ridge: float = 1e-2,
) -> dict[str, float]:
    """Fit the head's dense layer and LayerNorm scale; returns the fit's figures."""
    h, gold = _hidden_at_masks(model, segments, gen, positions, device)
    emb = model.bert.embeddings.word_embeddings.weight.detach().float().cpu()
    target = emb[gold]
    target = (target - target.mean(1, keepdim=True)) / target.std(1, keepdim=True)
    n_fit = int(len(h) * 0.9)
    x = torch.cat([h, torch.ones(len(h), 1)], dim=1).double()
    xtx = x[:n_fit].T @ x[:n_fit]
    xtx += ridge * torch.trace(xtx) / len(xtx) * torch.eye(len(xtx), dtype=torch.float64)
    solution = torch.linalg.solve(xtx, x[:n_fit].T @ target[:n_fit].double()).float()
    head = model.cls.predictions
    with torch.no_grad():
        head.transform.dense.weight.copy_(solution[:-1].T)
        head.transform.dense.bias.copy_(solution[-1] + _SHIFT)
        head.transform.LayerNorm.bias.zero_()
        hidden_test, gold_test = h[n_fit:].to(device), gold[n_fit:].to(device)
        best = (float("inf"), 1.0)
        for scale in (0.05, 0.1, 0.2, 0.35, 0.5, 1.0, 2.0, 4.0):
            head.transform.LayerNorm.weight.fill_(scale)
            logits = model.cls(hidden_test).float()
            loss = float(torch.nn.functional.cross_entropy(logits, gold_test))
            best = min(best, (loss, scale))
        head.transform.LayerNorm.weight.fill_(best[1])
        logits = model.cls(hidden_test).float()
        top5 = (logits.topk(5).indices == gold_test.unsqueeze(1)).any(1).float().mean()
    return {"positions": len(h), "scale": best[1], "loss": round(best[0], 4),
            "top5": round(float(top5), 4)}  # fmt: skip
