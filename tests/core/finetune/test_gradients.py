"""Every gradient the numpy engine computes equals PyTorch autograd's on the same weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import Batch, NumpyBert
from lab_app.core.finetune.head import Pooling, SequenceClassification
from lab_app.core.finetune.options import Kind
from lab_app.core.finetune.step import loss_and_grads, plan
from lab_app.core.finetune.weights import add_lora
from lab_app.core.models.bert_config import EncoderConfig

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from torch_bert import hf_config, reference_grads  # noqa: E402


def small_config(act: str = "gelu") -> EncoderConfig:
    return EncoderConfig(
        family="bert",
        vocab_size=60,
        hidden_size=24,
        num_layers=3,
        num_heads=4,
        intermediate_size=48,
        max_positions=32,
        type_vocab_size=2,
        layer_norm_eps=1e-12,
        hidden_act=act,  # type: ignore[arg-type]
        pad_token_id=0,
        position_offset=0,
    )


def random_params(config: EncoderConfig, seed: int = 0) -> dict[str, np.ndarray]:
    from torch_bert import to_torch_layout
    from transformers import BertModel

    from lab_app.core.models.build.bert_weights import canonical_weights

    torch.manual_seed(seed)
    model = BertModel(hf_config(config))
    raw = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    # Larger-than-initial LayerNorm gains and biases: a zero bias would hide a missing gradient.
    rng = np.random.default_rng(seed)
    for k in raw:
        if "LayerNorm" in k or k.endswith(".bias"):
            raw[k] = raw[k] + rng.normal(0, 0.1, raw[k].shape).astype(np.float32)
    return to_torch_layout(canonical_weights(config, raw))  # the transpose is its own inverse


def batch_of(lengths: list[int], vocab: int, seed: int = 1) -> Batch:
    rng = np.random.default_rng(seed)
    width = max(lengths)
    ids = np.zeros((len(lengths), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, n in enumerate(lengths):
        ids[row, :n] = rng.integers(1, vocab, n)
        mask[row, :n] = 1
    types = (np.arange(width)[None, :] >= width // 2).astype(np.int64) * mask
    return Batch(ids, mask, types)


def compare(
    kind: Kind,
    pooling: Pooling,
    config: EncoderConfig,
    params: dict[str, np.ndarray],
    batch: Batch,
    layers: int = 2,
) -> None:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 5, batch.input_ids.shape[0])
    task = SequenceClassification(pooling, 5)
    params.update(task.init(config.hidden_size, rng))
    if kind == "lora":
        add_lora(params, config, 4, rng)
        for n in [n for n in params if n.endswith("lora_B")]:  # non-zero B: a real test
            params[n] = rng.normal(0, 0.05, params[n].shape).astype(np.float32)
    p = plan(kind, config, params, task, layers)
    net = NumpyBert(config, params, lora_scale=2.0)
    frozen = net.hidden_at(batch, p.start) if p.start else None
    loss, grads = loss_and_grads(net, task, p, batch, labels, frozen)
    ref_loss, ref = reference_grads(config, params, pooling, batch, labels, p.trainable, 2.0)
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    assert set(grads) == set(p.trainable)
    for name in p.trainable:
        scale = float(np.abs(ref[name]).max())
        assert scale > 0, name
        err = float(np.abs(grads[name] - ref[name]).max())
        assert err <= 1e-4 * scale + 1e-7, (name, err, scale)


@pytest.mark.parametrize("kind", ["full", "partial", "lora"])
@pytest.mark.parametrize(
    "pooling",
    [Pooling("cls"), Pooling("mean"), Pooling("pooler"), Pooling("sbert", normalize=True)],
    ids=lambda p: p.kind,
)
def test_gradients_equal_pytorch_on_a_small_random_bert(kind: Kind, pooling: Pooling) -> None:
    config = small_config()
    compare(kind, pooling, config, random_params(config), batch_of([7, 3, 5, 1], 60))


@pytest.mark.parametrize("act", ["gelu_new", "relu"])
def test_other_activations(act: str) -> None:
    config = small_config(act)
    compare("full", Pooling("mean"), config, random_params(config), batch_of([4, 6], 60))


def test_gradients_equal_pytorch_on_minilm(minilm_hf_dir: Path) -> None:
    from torch_bert import to_torch_layout

    from lab_app.core.models.build.bert_weights import load_hf_folder

    config, weights = load_hf_folder(minilm_hf_dir)
    params = to_torch_layout(weights)
    batch = batch_of([9, 4, 12], config.vocab_size)
    compare("full", Pooling("sbert", normalize=True), config, dict(params), batch)
    compare("lora", Pooling("cls"), config, dict(params), batch)


def test_gradients_add_into_the_store_for_tied_weights() -> None:
    """A tied decoder's gradient into the word embeddings is kept: the encoder adds to it."""
    config = small_config()
    params = random_params(config)
    net = NumpyBert(config, params)
    batch = batch_of([5, 3], 60)
    hidden, caches = net.forward(batch)
    dy = np.random.default_rng(4).normal(0, 1, hidden.shape).astype(np.float32)
    word = "embeddings.word_embeddings.weight"
    want = {word, "encoder.layer.2.output.dense.weight"}
    alone = {k: v.copy() for k, v in net.backward(dy, caches, 0, want, -1).items()}
    first = {k: np.full_like(params[k], 0.5) for k in want}  # a head's gradient, already there
    added = net.backward(dy, caches, 0, want, -1, grads={k: v.copy() for k, v in first.items()})
    for name in want:
        np.testing.assert_allclose(added[name], alone[name] + first[name], rtol=1e-6, atol=1e-6)
