"""BERT's forward and backward pass written out in numpy: fine-tuning without PyTorch at run time.

One post-LayerNorm block as BERT, RoBERTa and DistilBERT compute it (the same computation as the
ONNX graphs of :mod:`lab_app.core.models.build.bert_onnx`), with the gradient of every step written
by hand. Why by hand and not an autodiff library: ``benchmarks/finetune_bench.py`` measures it
against PyTorch and against ``autograd``; the hand-written pass skips the gradients of frozen
weights (a LoRA or partial step does a third less work), keeps float32 throughout, and adds nothing
to the bundle. ``tests/core/finetune/test_gradients.py`` checks every gradient against PyTorch's.

Linear weights are ``[in, out]`` (``x @ W + b``), as in the graphs. Dropout is off: a class sees
the same run twice, and the tiny datasets train in a handful of epochs anyway.

LoRA (Hu et al., 2021) adds ``scale · (x @ A) @ B`` to a Linear's output, with ``A`` ``[in, r]``
and ``B`` ``[r, out]``; its tensors are ``<linear>.lora_A`` / ``<linear>.lora_B`` in the params.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lab_app.core.models.activations import activation_and_grad, softmax
from lab_app.core.models.bert_config import EncoderConfig

Params = dict[str, np.ndarray]
Grads = dict[str, np.ndarray]
MASK_FILL = float(np.finfo(np.float32).min)


@dataclass
class Batch:
    """Token ids of a padded batch (``[B, T]`` int64) and its attention mask."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray

    @property
    def mask_add(self) -> np.ndarray:
        """0 where a key may be attended to, float32 min where it is padding: ``[B, 1, 1, T]``."""
        keep = self.attention_mask[:, None, None, :].astype(np.float32)
        return (1.0 - keep) * np.float32(MASK_FILL)


@dataclass
class LayerCache:
    values: dict[str, Any] = field(default_factory=dict)


def positions(config: EncoderConfig, ids: np.ndarray) -> np.ndarray:
    if config.family == "roberta":  # cumsum(ids != pad) * (ids != pad) + pad, as transformers
        not_pad = (ids != config.pad_token_id).astype(np.int64)
        return np.cumsum(not_pad, axis=1) * not_pad + config.pad_token_id
    return np.broadcast_to(np.arange(ids.shape[1]) + config.position_offset, ids.shape)


def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> tuple[np.ndarray, Any]:
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    rstd = 1.0 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + np.float32(eps))
    xhat = xc * rstd
    return xhat * g + b, (xhat, rstd)


def layer_norm_back(dy: np.ndarray, cache: Any, g: np.ndarray) -> tuple[np.ndarray, Any, Any]:
    xhat, rstd = cache
    dxhat = dy * g
    dx = rstd * (
        dxhat
        - dxhat.mean(axis=-1, keepdims=True)
        - xhat * (dxhat * xhat).mean(axis=-1, keepdims=True)
    )
    h = dy.shape[-1]
    return dx, (dy * xhat).reshape(-1, h).sum(axis=0), dy.reshape(-1, h).sum(axis=0)


def add_grad(grads: Grads, name: str, g: np.ndarray) -> None:
    """Add ``g`` into ``grads[name]``: a weight used twice (a tied decoder reads the word
    embeddings the encoder also reads) gets the sum of both gradients, whichever comes first."""
    if name in grads:
        grads[name] = grads[name] + g
    else:
        grads[name] = g


def _flat(x: np.ndarray) -> np.ndarray:
    return x.reshape(-1, x.shape[-1])


class NumpyBert:
    """A BERT-family encoder over a dict of numpy params, with a forward that keeps what the
    backward needs and a backward that computes only the gradients asked for."""

    def __init__(self, config: EncoderConfig, params: Params, lora_scale: float = 1.0) -> None:
        self.config = config
        self.params = params
        self.lora_scale = np.float32(lora_scale)
        self._buffers: dict[str, np.ndarray] = {}  # gradients of the embedding tables

    # -- pieces ---------------------------------------------------------------------------
    def _linear(self, name: str, x: np.ndarray, cache: dict[str, Any]) -> np.ndarray:
        p = self.params
        # One 2-D GEMM: numpy runs a 3-D @ 2-D product as one small GEMM per batch row.
        x2 = _flat(x)
        y = x2 @ p[f"{name}.weight"]
        y += p[f"{name}.bias"]
        lora_a = p.get(f"{name}.lora_A")
        if lora_a is not None:
            xa = x2 @ lora_a
            cache[f"{name}.xa"] = xa
            y += self.lora_scale * (xa @ p[f"{name}.lora_B"])
        return y.reshape(*x.shape[:-1], y.shape[-1])

    def _linear_back(
        self,
        name: str,
        dy: np.ndarray,
        x: np.ndarray,
        cache: dict[str, Any],
        grads: Grads,
        want: Collection[str],
        need_dx: bool = True,
    ) -> np.ndarray | None:
        p = self.params
        w = f"{name}.weight"
        x2, dy2 = _flat(x), _flat(dy)
        if w in want:
            add_grad(grads, w, x2.T @ dy2)
        if f"{name}.bias" in want:
            add_grad(grads, f"{name}.bias", dy2.sum(axis=0))
        dx = dy2 @ p[w].T if need_dx else None
        a, b = f"{name}.lora_A", f"{name}.lora_B"
        if a in p:
            xa = cache[f"{name}.xa"]
            if b in want:
                add_grad(grads, b, self.lora_scale * (xa.T @ dy2))
            dxa = self.lora_scale * (dy2 @ p[b].T)
            if a in want:
                add_grad(grads, a, x2.T @ dxa)
            if dx is not None:
                dx += dxa @ p[a].T
        return None if dx is None else dx.reshape(x.shape)

    def _norm(self, name: str, x: np.ndarray, cache: dict[str, Any]) -> np.ndarray:
        y, cache[name] = layer_norm(
            x,
            self.params[f"{name}.weight"],
            self.params[f"{name}.bias"],
            self.config.layer_norm_eps,
        )
        return y

    def _norm_back(
        self, name: str, dy: np.ndarray, cache: dict[str, Any], grads: Grads, want: Collection[str]
    ) -> np.ndarray:
        dx, dg, db = layer_norm_back(dy, cache[name], self.params[f"{name}.weight"])
        if f"{name}.weight" in want:
            add_grad(grads, f"{name}.weight", dg)
        if f"{name}.bias" in want:
            add_grad(grads, f"{name}.bias", db)
        return dx

    # -- embeddings ------------------------------------------------------------------------
    def embed(self, batch: Batch) -> tuple[np.ndarray, LayerCache]:
        p, c = self.params, LayerCache()
        pos = positions(self.config, batch.input_ids)
        x = p["embeddings.word_embeddings.weight"][batch.input_ids]
        x = x + p["embeddings.position_embeddings.weight"][pos]
        if self.config.type_vocab_size > 0:
            x = x + p["embeddings.token_type_embeddings.weight"][batch.token_type_ids]
        c.values["ids"], c.values["pos"], c.values["types"] = (
            batch.input_ids,
            pos,
            batch.token_type_ids,
        )
        return self._norm("embeddings.LayerNorm", x, c.values), c

    def embed_back(
        self, dy: np.ndarray, cache: LayerCache, grads: Grads, want: Collection[str]
    ) -> None:
        dx = self._norm_back("embeddings.LayerNorm", dy, cache.values, grads, want)
        h = dx.shape[-1]
        for table, index in (
            ("word_embeddings", "ids"),
            ("position_embeddings", "pos"),
            ("token_type_embeddings", "types"),
        ):
            name = f"embeddings.{table}.weight"
            if name in want:
                # One buffer per table, reused: the word table's gradient is 47 MB for MiniLM,
                # and a fresh one each step cost more than filling it with zeros.
                g = self._buffers.get(name)
                if g is None:
                    g = self._buffers[name] = np.zeros_like(self.params[name])
                if name in grads:  # a tied head's gradient came first: start from it
                    np.copyto(g, grads[name])
                else:
                    g.fill(0.0)
                np.add.at(g, cache.values[index].reshape(-1), dx.reshape(-1, h))
                grads[name] = g

    # -- one transformer block -------------------------------------------------------------
    def layer(self, i: int, x: np.ndarray, mask_add: np.ndarray) -> tuple[np.ndarray, LayerCache]:
        cfg, pre, c = self.config, f"encoder.layer.{i}.", LayerCache()
        v = c.values
        bsz, t, h = x.shape
        nh, d = cfg.num_heads, cfg.head_size

        def heads(y: np.ndarray) -> np.ndarray:
            return y.reshape(bsz, t, nh, d).transpose(0, 2, 1, 3)

        v["x"] = x
        q = heads(self._linear(pre + "attention.self.query", x, v))
        k = heads(self._linear(pre + "attention.self.key", x, v))
        val = heads(self._linear(pre + "attention.self.value", x, v))
        probs = softmax(
            q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(d)) + mask_add, np.float32
        )
        ctx = (probs @ val).transpose(0, 2, 1, 3).reshape(bsz, t, h)
        v.update(q=q, k=k, val=val, probs=probs, ctx=ctx)
        attended = self._linear(pre + "attention.output.dense", ctx, v)
        x1 = self._norm(pre + "attention.output.LayerNorm", attended + x, v)
        inner = self._linear(pre + "intermediate.dense", x1, v)
        act, v["act_grad"] = activation_and_grad(cfg.hidden_act, inner)
        v["x1"], v["act"] = x1, act
        out = self._linear(pre + "output.dense", act, v)
        return self._norm(pre + "output.LayerNorm", out + x1, v), c

    def layer_back(
        self,
        i: int,
        dy: np.ndarray,
        cache: LayerCache,
        grads: Grads,
        want: Collection[str],
        need_dx: bool = True,
    ) -> np.ndarray | None:
        pre, v = f"encoder.layer.{i}.", cache.values
        bsz, t, h = dy.shape
        d = self.config.head_size
        d_sum2 = self._norm_back(pre + "output.LayerNorm", dy, v, grads, want)
        d_act = self._linear_back(pre + "output.dense", d_sum2, v["act"], v, grads, want)
        assert d_act is not None
        d_inner = d_act * v["act_grad"]
        dx1 = d_sum2 + self._linear_back(
            pre + "intermediate.dense", d_inner, v["x1"], v, grads, want
        )
        d_sum1 = self._norm_back(pre + "attention.output.LayerNorm", dx1, v, grads, want)
        d_ctx = self._linear_back(pre + "attention.output.dense", d_sum1, v["ctx"], v, grads, want)
        assert d_ctx is not None
        d_ctx = d_ctx.reshape(bsz, t, -1, d).transpose(0, 2, 1, 3)
        probs = v["probs"]
        d_probs = d_ctx @ v["val"].transpose(0, 1, 3, 2)
        d_val = probs.transpose(0, 1, 3, 2) @ d_ctx
        d_scores = probs * (d_probs - (d_probs * probs).sum(axis=-1, keepdims=True))
        d_scores /= np.float32(math.sqrt(d))
        d_q = d_scores @ v["k"]
        d_k = d_scores.transpose(0, 1, 3, 2) @ v["q"]
        dx = d_sum1 if need_dx else None
        for part, grad in (("query", d_q), ("key", d_k), ("value", d_val)):
            merged = grad.transpose(0, 2, 1, 3).reshape(bsz, t, h)
            back = self._linear_back(
                f"{pre}attention.self.{part}", merged, v["x"], v, grads, want, need_dx
            )
            if dx is not None and back is not None:
                dx = dx + back
        return dx

    # -- whole passes ----------------------------------------------------------------------
    def forward(
        self, batch: Batch, start: int = 0, x: np.ndarray | None = None, keep: bool = True
    ) -> tuple[np.ndarray, list[LayerCache]]:
        """The last hidden state. ``start`` > 0 begins at that layer with ``x`` (the frozen
        part's output, computed once); ``keep=False`` keeps no caches (evaluation)."""
        caches: list[LayerCache] = []
        if start == 0:
            x, c = self.embed(batch)
            caches.append(c)
        assert x is not None
        mask_add = batch.mask_add
        for i in range(start, self.config.num_layers):
            x, c = self.layer(i, x, mask_add)
            if keep:
                caches.append(c)
        return x, caches if keep else []

    def hidden_at(self, batch: Batch, layer: int) -> np.ndarray:
        """The hidden state entering transformer layer ``layer`` (0: the embedding output)."""
        x, _ = self.embed(batch)
        mask_add = batch.mask_add
        for i in range(layer):
            x, _ = self.layer(i, x, mask_add)
        return x

    def backward(
        self,
        dy: np.ndarray,
        caches: list[LayerCache],
        start: int,
        want: Collection[str],
        down_to: int = 0,
        grads: Grads | None = None,
    ) -> Grads:
        """Gradients of ``want`` from the gradient of the last hidden state, added into
        ``grads`` (a head's gradients are already there). Layers below ``down_to`` hold nothing
        trainable: the pass stops there (``-1``: into the embeddings)."""
        grads = {} if grads is None else grads
        layer_caches = caches[1:] if start == 0 else caches
        for i in reversed(range(start, self.config.num_layers)):
            cache = layer_caches[i - start]
            need_dx = i > down_to and not (start > 0 and i == start)
            out = self.layer_back(i, dy, cache, grads, want, need_dx)
            if out is None:
                break
            dy = out
        else:
            if start == 0 and down_to < 0:
                self.embed_back(dy, caches[0], grads, want)
        return grads
