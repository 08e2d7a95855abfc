"""AdamW as ``torch.optim.AdamW`` computes it (decoupled weight decay, bias-corrected moments),
updating numpy params in place; ``tests/core/finetune`` checks a step against PyTorch's."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from lab_app.core.engine.bert_numpy import Grads, Params


class AdamW:
    def __init__(
        self,
        params: Params,
        names: Iterable[str],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        lr_of: dict[str, float] | None = None,
    ) -> None:
        """``lr_of`` gives some params their own learning rate (torch's parameter groups)."""
        self.params = params
        self.names = tuple(names)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.lr_of = dict(lr_of or {})
        self.m = {n: np.zeros_like(params[n]) for n in self.names}
        self.v = {n: np.zeros_like(params[n]) for n in self.names}
        self.t = 0
        self._scratch = np.empty(max((params[n].size for n in self.names), default=0), np.float32)

    def step(self, grads: Grads) -> None:
        self.t += 1
        b1, b2 = self.betas
        correction1 = 1.0 - b1**self.t
        root_correction2 = math.sqrt(1.0 - b2**self.t)
        for name in self.names:
            g = grads.get(name)
            if g is None:
                continue
            lr = self.lr_of.get(name, self.lr)
            p, m, v = self.params[name], self.m[name], self.v[name]
            # In place through one scratch buffer: a full fine-tune updates 22.7M values per
            # step, and fresh temporaries of that size cost more than the arithmetic.
            tmp = self._scratch[: g.size].reshape(g.shape)
            p *= np.float32(1.0 - lr * self.weight_decay)
            m *= np.float32(b1)
            np.multiply(g, np.float32(1.0 - b1), out=tmp)
            m += tmp
            v *= np.float32(b2)
            np.multiply(g, g, out=tmp)
            tmp *= np.float32(1.0 - b2)
            v += tmp
            np.sqrt(v, out=tmp)
            tmp *= np.float32(1.0 / root_correction2)
            tmp += np.float32(self.eps)
            np.divide(m, tmp, out=tmp)
            tmp *= np.float32(lr / correction1)
            p -= tmp
