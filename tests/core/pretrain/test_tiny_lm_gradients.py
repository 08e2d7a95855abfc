"""The tiny pre-training model's loss and every gradient equal PyTorch autograd's on the same
weights (transformers' BertModel, with the tied decoder written in torch), for the masked and the
causal objective; the causal model is causal; BERT's masking picks what the paper says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import Params
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.bert_layout import is_linear_weight
from lab_app.core.pretrain.tiny_lm import (
    DECODER_BIAS,
    MASK,
    SPECIALS,
    WORDS,
    Example,
    Objective,
    TinyConfig,
    TinyLM,
    clm_example,
    init_params,
    mlm_example,
)

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

VOCAB, SEQ, BATCH = 50, 12, 3
TYPES = "embeddings.token_type_embeddings.weight"


def small_config() -> EncoderConfig:
    tiny = TinyConfig(vocab=VOCAB, hidden=24, layers=2, heads=4, ffn=48, seq_len=SEQ, batch=BATCH)
    return tiny.encoder(VOCAB)


def perturbed_params(config: EncoderConfig, seed: int = 0) -> Params:
    """``init_params`` with noisy LayerNorm gains and biases (a zero bias would hide a missing
    gradient) and 5x larger weights (attention far from uniform, so the mask matters)."""
    params = init_params(config, seed)
    rng = np.random.default_rng(seed + 100)
    for name, value in params.items():
        if "LayerNorm" in name or name.endswith(".bias"):
            params[name] = value + rng.normal(0, 0.1, value.shape).astype(np.float32)
        else:
            params[name] = value * np.float32(5.0)
    return params


def example_for(objective: Objective, seed: int = 1) -> Example:
    rng = np.random.default_rng(seed)
    width = SEQ + (1 if objective == "clm" else 0)
    windows = rng.integers(1, VOCAB, (BATCH, width))  # [UNK] may occur; [PAD] never does
    if objective == "clm":
        return clm_example(windows)
    return mlm_example(windows, VOCAB, rng)


def torch_model(config: EncoderConfig, params: Params, causal: bool) -> Any:
    """transformers' BertModel holding ``params``; a 1-row token-type table of zeros stands in
    for the types the tiny model does not have."""
    from dataclasses import replace

    from torch_bert import hf_config
    from transformers import BertModel

    hf = hf_config(replace(config, type_vocab_size=1))
    hf.is_decoder = causal  # BertModel then applies a causal mask itself
    hf.use_cache = False
    hf.pad_token_id = None
    torch.manual_seed(0)
    model = BertModel(hf, add_pooling_layer=False)
    model.config._attn_implementation = "eager"
    state = {
        n: torch.tensor(v.T if is_linear_weight(n) else v)
        for n, v in params.items()
        if n != DECODER_BIAS
    }
    state[TYPES] = torch.zeros(1, config.hidden_size)
    model.load_state_dict(state, strict=True)
    model.eval()
    return model


def reference(
    config: EncoderConfig,
    objective: Objective,
    params: Params,
    example: Example,
    split_tie: bool = False,
) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients (in the numpy layout) by PyTorch autograd. ``split_tie``: the decoder
    reads a copy of the word embeddings, and the two shares of their gradient come back apart
    (the input's under ``WORDS``, the decoder's under ``"decoder"``)."""
    model = torch_model(config, params, causal=objective == "clm")
    named = dict(model.named_parameters())
    named[TYPES].requires_grad_(False)
    bias = torch.tensor(params[DECODER_BIAS], requires_grad=True)
    decoder = named[WORDS]  # the tied decoder
    if split_tie:
        decoder = decoder.detach().clone().requires_grad_(True)
    hidden = model(input_ids=torch.tensor(example.inputs)).last_hidden_state
    picked = hidden.reshape(-1, config.hidden_size)[torch.tensor(example.positions)]
    logits = picked @ decoder.T + bias
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(example.targets))
    loss.backward()
    grads = {DECODER_BIAS: bias.grad.numpy()}
    if split_tie:
        grads["decoder"] = decoder.grad.numpy()
    for n, p in named.items():
        if n != TYPES:
            assert p.grad is not None, n
            grads[n] = p.grad.numpy().T if is_linear_weight(n) else p.grad.numpy()
    return float(loss.detach()), grads


@pytest.mark.parametrize("earlier", [0, 1], ids=["first-step", "later-step"])
@pytest.mark.parametrize("objective", ["mlm", "clm"])
def test_loss_and_every_gradient_equal_pytorch(objective: Objective, earlier: int) -> None:
    """On a fresh model's first step and on a later one (the engine reuses buffers between
    steps: the first step takes another path through them)."""
    config = small_config()
    params = perturbed_params(config)
    example = example_for(objective)
    model = TinyLM(config, objective, {k: v.copy() for k, v in params.items()})
    for seed in range(earlier):
        model.loss_and_grads(example_for(objective, seed=10 + seed))  # the weights stay put
    loss, grads = model.loss_and_grads(example)
    ref_loss, ref = reference(config, objective, params, example)
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    assert loss == pytest.approx(model.loss(example), rel=1e-6)
    assert set(grads) == set(params) == set(ref)
    for name in params:
        assert grads[name].shape == params[name].shape, name
        assert grads[name].dtype == np.float32, name
        scale = float(np.abs(ref[name]).max())
        assert scale > 0, name
        err = float(np.abs(grads[name] - ref[name]).max())
        assert err <= 1e-4 * scale + 1e-7, (name, err, scale)


@pytest.mark.parametrize("objective", ["mlm", "clm"])
def test_word_embeddings_get_the_decoder_and_the_input_share(objective: Objective) -> None:
    """Their gradient is the sum of both shares, and each share is large enough that the
    comparison above would fail without it."""
    config = small_config()
    params = perturbed_params(config)
    example = example_for(objective)
    _, grads = TinyLM(config, objective, params).loss_and_grads(example)
    _, ref = reference(config, objective, params, example, split_tie=True)
    words, share_in, share_out = grads[WORDS], ref[WORDS], ref["decoder"]
    scale = float(np.abs(share_in + share_out).max())
    assert np.abs(words - (share_in + share_out)).max() <= 1e-4 * scale + 1e-7
    for share in (share_in, share_out):
        assert np.abs(words - share).max() > 100 * (1e-4 * scale + 1e-7)
    unread = np.setdiff1d(np.arange(VOCAB), example.inputs)
    assert 0 in unread  # [PAD] is never an input: its row has the decoder's share only
    assert np.abs(share_in[unread]).max() == 0.0
    np.testing.assert_allclose(words[unread], share_out[unread], rtol=1e-4, atol=1e-7)


def test_transformers_is_decoder_applies_a_causal_mask() -> None:
    """The reference is only a reference if BertModel(is_decoder=True) is causal in the installed
    transformers: a later token changes no earlier state there, and does without is_decoder."""
    config = small_config()
    params = perturbed_params(config)
    ids = torch.tensor(example_for("clm").inputs)
    later = ids.clone()
    later[:, 7] = later[:, 7] % (VOCAB - 1) + 1
    for causal in (True, False):
        model = torch_model(config, params, causal)
        with torch.no_grad():
            diff = model(input_ids=ids).last_hidden_state - model(input_ids=later).last_hidden_state
        moved = diff.abs().amax(dim=(0, 2)).numpy()
        assert moved[7:].min() > 1e-3, (causal, moved)
        if causal:
            assert moved[:7].max() == 0.0, moved
        else:
            assert moved[:7].min() > 1e-3, moved


@pytest.mark.parametrize("objective", ["mlm", "clm"])
def test_only_the_clm_model_is_causal(objective: Objective) -> None:
    config = small_config()
    model = TinyLM(config, objective, perturbed_params(config))
    inputs = np.random.default_rng(5).integers(3, VOCAB, (BATCH, SEQ))
    for j in (1, 6, SEQ - 1):
        changed = inputs.copy()
        changed[:, j] = changed[:, j] % (VOCAB - 3) + 3
        before = model.logits(model.hidden(inputs))
        after = model.logits(model.hidden(changed))
        moved = np.abs(after - before).max(axis=(0, 2))
        assert moved[j:].min() > 1e-3, (j, moved)
        if objective == "clm":
            np.testing.assert_allclose(after[:, :j], before[:, :j], rtol=0, atol=1e-6)
        else:
            assert moved[:j].min() > 1e-3, (j, moved)


@pytest.mark.parametrize(("seq", "k"), [(2, 1), (4, 1), (12, 2), (20, 3), (32, 5), (128, 19)])
def test_mlm_picks_fifteen_percent_of_each_window(seq: int, k: int) -> None:
    rng = np.random.default_rng(seq)
    windows = rng.integers(len(SPECIALS), 1000, (7, seq))
    example = mlm_example(windows, 1000, rng)
    assert example.positions.size == example.targets.size == 7 * k
    assert np.all(np.diff(example.positions) > 0)  # sorted, each position once
    np.testing.assert_array_equal(np.bincount(example.positions // seq, minlength=7), [k] * 7)
    np.testing.assert_array_equal(example.targets, windows.reshape(-1)[example.positions])
    untouched = np.setdiff1d(np.arange(windows.size), example.positions)
    np.testing.assert_array_equal(
        example.inputs.reshape(-1)[untouched], windows.reshape(-1)[untouched]
    )
    held_out = mlm_example(windows, 1000, rng, mask_all=True)
    assert np.all(held_out.inputs.reshape(-1)[held_out.positions] == MASK)


def test_mlm_masks_80_replaces_10_keeps_10_percent() -> None:
    vocab, rng = 1000, np.random.default_rng(0)
    masked = swapped = kept = 0
    chosen: list[np.ndarray] = []
    for _ in range(60):
        windows = rng.integers(len(SPECIALS), vocab, (64, 20))
        example = mlm_example(windows, vocab, rng)
        got = example.inputs.reshape(-1)[example.positions]
        masked += int((got == MASK).sum())
        kept += int((got == example.targets).sum())
        other = (got != MASK) & (got != example.targets)
        swapped += int(other.sum())
        assert np.all(got[other] >= len(SPECIALS))  # a random word, never a special token
        chosen.append(example.positions % 20)
    total = masked + swapped + kept
    assert total == 60 * 64 * 3
    # 11,520 draws: the standard error of each share is under 0.004.
    assert masked / total == pytest.approx(0.8, abs=0.015)
    assert swapped / total == pytest.approx(0.1, abs=0.015)  # a random word that differs
    assert kept / total == pytest.approx(0.1, abs=0.015)  # (a random word may equal it: 1/997)
    # Every position of a window is chosen about equally often.
    share = np.bincount(np.concatenate(chosen), minlength=20) / total
    assert share == pytest.approx(np.full(20, 1 / 20), abs=0.01)
