"""One AdamW step equals torch.optim.AdamW's, parameter groups included."""

from __future__ import annotations

import numpy as np
import pytest

from lab_app.core.engine.optim import AdamW

torch = pytest.importorskip("torch")


def test_adamw_steps_equal_pytorch() -> None:
    rng = np.random.default_rng(0)
    params = {
        "w": rng.normal(size=(5, 3)).astype(np.float32),
        "b": rng.normal(size=3).astype(np.float32),
    }
    grads = [
        {k: rng.normal(size=v.shape).astype(np.float32) for k, v in params.items()}
        for _ in range(3)
    ]
    tw, tb = (torch.tensor(params[k].copy(), requires_grad=True) for k in ("w", "b"))
    ours = AdamW(params, ["w", "b"], lr=1e-2, lr_of={"b": 3e-2})
    theirs = torch.optim.AdamW([{"params": [tw]}, {"params": [tb], "lr": 3e-2}], lr=1e-2)
    for g in grads:
        ours.step(g)
        tw.grad, tb.grad = torch.tensor(g["w"]), torch.tensor(g["b"])
        theirs.step()
    np.testing.assert_allclose(params["w"], tw.detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(params["b"], tb.detach().numpy(), rtol=1e-6, atol=1e-7)
