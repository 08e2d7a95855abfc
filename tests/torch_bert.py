"""The same classifier written in PyTorch with transformers' BertModel: the independent reference
that the hand-written numpy gradients are checked against (dev extra only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from lab_app.core.engine.bert_numpy import Batch
from lab_app.core.finetune.head import HEAD, Pooling
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.bert_layout import is_linear_weight


def to_torch_layout(params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {n: (v.T if is_linear_weight(n) else v) for n, v in params.items()}


def hf_config(config: EncoderConfig) -> Any:
    from transformers import BertConfig

    act = {"gelu": "gelu", "gelu_new": "gelu_new", "relu": "relu"}[config.hidden_act]
    return BertConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_layers,
        num_attention_heads=config.num_heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_positions,
        type_vocab_size=config.type_vocab_size,
        layer_norm_eps=config.layer_norm_eps,
        hidden_act=act,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )


def reference_grads(
    config: EncoderConfig,
    params: Mapping[str, np.ndarray],
    pooling: Pooling,
    batch: Batch,
    labels: np.ndarray,
    trainable: tuple[str, ...],
    lora_scale: float = 1.0,
) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients (in the numpy engine's layout) computed by PyTorch autograd."""
    import torch
    from transformers import BertModel

    torch.manual_seed(0)
    model = BertModel(hf_config(config), add_pooling_layer=pooling.uses_pooler)
    model.config._attn_implementation = "eager"
    base = {
        n: torch.tensor(v)
        for n, v in to_torch_layout(params).items()
        if not n.startswith(("classifier.", "cls."))
        and ".lora_" not in n
        and (pooling.uses_pooler or not n.startswith("pooler."))
    }
    model.load_state_dict(base, strict=True)
    model.eval()
    named = dict(model.named_parameters())
    extra = {
        n: torch.tensor(v, requires_grad=True)
        for n, v in params.items()
        if n.startswith("classifier.") or ".lora_" in n
    }
    for n, p in named.items():
        p.requires_grad_(n in trainable)
    hooks = []
    for n in {n.rsplit(".", 1)[0] for n in extra if ".lora_" in n}:
        module = model.get_submodule(n)
        a, b = extra[f"{n}.lora_A"], extra[f"{n}.lora_B"]

        def hook(_m: Any, inputs: Any, out: Any, a: Any = a, b: Any = b) -> Any:
            return out + lora_scale * (inputs[0] @ a) @ b

        hooks.append(module.register_forward_hook(hook))
    out = model(
        input_ids=torch.tensor(batch.input_ids),
        attention_mask=torch.tensor(batch.attention_mask),
        token_type_ids=torch.tensor(batch.token_type_ids),
    )
    hidden = out.last_hidden_state
    mask = torch.tensor(batch.attention_mask, dtype=torch.float32)[..., None]
    if pooling.kind == "cls":
        vec = hidden[:, 0]
    elif pooling.kind == "pooler":
        vec = out.pooler_output
    else:
        vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if pooling.normalize:
            vec = torch.nn.functional.normalize(vec, dim=1)
    scores = vec @ extra[HEAD[0]] + extra[HEAD[1]]
    loss = torch.nn.functional.cross_entropy(scores, torch.tensor(labels))
    loss.backward()
    grads: dict[str, np.ndarray] = {}
    for n in trainable:
        tensor = extra.get(n)
        if tensor is None:
            tensor = named[n]
        assert tensor.grad is not None, n
        g = tensor.grad.numpy()
        grads[n] = g.T if is_linear_weight(n) and n in named else g
    for h in hooks:
        h.remove()
    return float(loss.detach()), grads
