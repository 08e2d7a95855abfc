"""Parameter counts: the presets against the published exact counts, the formulas against
transformers' own models, and the compute estimates of the notes."""

from __future__ import annotations

from typing import Any

import pytest

from lab_app.core.errors import UserError
from lab_app.core.specs.params import (
    PRESETS,
    attention_cost,
    bert_schedule_saving,
    count_params,
    decoder_params,
    encoder_params,
    llama_params,
    petaflop_days,
    preset,
    training_flops,
)

# corrections.md, "Exact parameter counts that a correct calculator reproduces"
EXPECTED = {
    "bert-base": 109_482_240,
    "bert-large": 335_141_888,
    "gpt-1": 116_534_784,
    "gpt-2": 124_439_808,
    "gpt-2-xl": 1_557_611_200,
    "gpt-3": 174_604_259_328,
    "llama-2-7b": 6_738_415_616,
    "llama-3.1-8b": 8_030_261_248,
    "llama-3.1-70b": 70_553_706_496,
    "llama-3.1-405b": 405_853_388_800,
    # 49,152 x 576 embedding + 30 x (2 x 576^2 + 2 x 576 x 192 + 3 x 576 x 1,536 + 2 x 576) + 576
    "smollm2-135m": 134_515_008,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_preset_matches_exact_count(name: str) -> None:
    arch, kwargs = preset(name)
    result = count_params(arch, **kwargs)
    assert result.total == EXPECTED[name]
    assert sum(result.breakdown.values()) == result.total


def test_every_preset_is_checked() -> None:
    assert set(PRESETS) == set(EXPECTED)


def test_gpt3_is_about_174_6_billion() -> None:
    arch, kwargs = preset("gpt-3")
    total = count_params(arch, **kwargs).total
    assert round(total / 1e9, 1) == 174.6


def test_preset_lookup_is_a_copy_and_case_insensitive() -> None:
    arch, kwargs = preset("BERT-Base")
    kwargs["layers"] = 1
    assert arch == "bert"
    assert PRESETS["bert-base"][1]["layers"] == 12


# --- against transformers ------------------------------------------------------------------------

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


def _numel(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())


BERT: dict[str, Any] = {
    "layers": 2,
    "hidden": 32,
    "heads": 4,
    "ffn": 48,
    "vocab": 99,
    "positions": 40,
    "segments": 3,
}


def _bert_config() -> Any:
    return transformers.BertConfig(
        vocab_size=BERT["vocab"],
        hidden_size=BERT["hidden"],
        num_hidden_layers=BERT["layers"],
        num_attention_heads=BERT["heads"],
        intermediate_size=BERT["ffn"],
        max_position_embeddings=BERT["positions"],
        type_vocab_size=BERT["segments"],
    )


@pytest.mark.parametrize("pooler", [True, False])
def test_encoder_matches_bert_model(pooler: bool) -> None:
    model = transformers.BertModel(_bert_config(), add_pooling_layer=pooler)
    assert encoder_params(**BERT, pooler=pooler).total == _numel(model)


def test_encoder_matches_bert_for_masked_lm() -> None:
    model = transformers.BertForMaskedLM(_bert_config())  # no pooler, decoder tied
    assert encoder_params(**BERT, pooler=False, mlm_head=True).total == _numel(model)


def test_decoder_matches_openai_gpt() -> None:
    config = transformers.OpenAIGPTConfig(
        vocab_size=101, n_positions=24, n_embd=32, n_layer=3, n_head=4
    )
    model = transformers.OpenAIGPTModel(config)
    expected = decoder_params(
        layers=3, hidden=32, heads=4, ffn=128, vocab=101, positions=24, final_norm=False
    )
    assert expected.total == _numel(model)


@pytest.mark.parametrize("tied", [True, False])
def test_decoder_matches_gpt2_lm_head(tied: bool) -> None:
    config = transformers.GPT2Config(
        vocab_size=101,
        n_positions=24,
        n_embd=32,
        n_layer=3,
        n_head=4,
        n_inner=72,
        tie_word_embeddings=tied,
    )
    model = transformers.GPT2LMHeadModel(config)
    expected = decoder_params(
        layers=3, hidden=32, heads=4, ffn=72, vocab=101, positions=24, tied=tied
    )
    assert expected.total == _numel(model)


@pytest.mark.parametrize(("tied", "kv_heads"), [(False, 2), (True, 2), (False, 4), (True, 1)])
def test_llama_matches_llama_for_causal_lm(tied: bool, kv_heads: int) -> None:
    config = transformers.LlamaConfig(
        vocab_size=103,
        hidden_size=32,
        intermediate_size=56,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=kv_heads,
        max_position_embeddings=64,
        tie_word_embeddings=tied,
    )
    model = transformers.LlamaForCausalLM(config)
    expected = llama_params(
        layers=2, hidden=32, heads=4, kv_heads=kv_heads, ffn=56, vocab=103, tied=tied
    )
    assert expected.total == _numel(model)


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arch", "changes", "match"),
    [
        ("bert", {"hidden": 100, "heads": 3}, "not divisible by 3"),
        ("llama", {"heads": 32, "kv_heads": 5}, "key/value heads"),
        ("llama", {"kv_heads": 64}, "exceed"),
        ("bert", {"layers": 0}, "layers must be at least 1"),
        ("gpt", {"vocab": -5}, "vocab must be at least 1"),
        ("bert", {"hidden": 10**8, "heads": 1}, "absurd"),
        ("llama", {"layers": 10**6, "hidden": 10**6, "heads": 1, "kv_heads": 1}, "absurd"),
        ("gpt", {"layers": 2.5}, "whole number"),
        ("bert", {"layers": True}, "whole number"),
    ],
)
def test_invalid_sizes_raise_user_error(arch: str, changes: dict[str, object], match: str) -> None:
    name = {"bert": "bert-base", "gpt": "gpt-2", "llama": "llama-3.1-8b"}[arch]
    _, kwargs = preset(name)
    kwargs.update(changes)
    with pytest.raises(UserError, match=match):
        count_params(arch, **kwargs)


def test_unknown_names_raise_user_error() -> None:
    with pytest.raises(UserError, match="unknown architecture"):
        count_params("t5", layers=1)
    with pytest.raises(UserError, match="unknown preset"):
        preset("gpt-5")
    with pytest.raises(UserError, match="bert"):
        count_params("bert", layers=1)  # sizes missing


def test_huge_but_valid_counts_stay_exact() -> None:
    result = llama_params(
        layers=10_000, hidden=65_536, heads=512, kv_heads=8, ffn=262_144, vocab=10**6
    )
    assert isinstance(result.total, int)
    assert result.total == sum(result.breakdown.values())
    h, f, v = 65_536, 262_144, 10**6
    per_layer = 2 * h * h + 2 * h * (8 * h // 512) + 3 * h * f + 2 * h
    assert result.total == 10_000 * per_layer + 2 * v * h + h
    with pytest.raises(UserError, match="absurd"):
        llama_params(layers=20_000, hidden=65_536, heads=512, ffn=262_144, vocab=10**6)


# --- compute --------------------------------------------------------------------------------------


def test_llama31_405b_training_compute_is_about_440k_petaflop_days() -> None:
    flops = training_flops(405e9, 15.6e12)
    assert flops == pytest.approx(3.79e25, rel=1e-3)
    assert petaflop_days(flops) == pytest.approx(440_000, rel=0.01)
    assert petaflop_days(8.64e19) == 1.0


def test_llama_6300_petaflop_days_is_6nd() -> None:
    assert petaflop_days(training_flops(65.2e9, 1.4e12)) == pytest.approx(6_300, rel=0.01)


def test_training_flops_rejects_negative_input() -> None:
    with pytest.raises(UserError):
        training_flops(-1, 10)


def test_attention_cost_terms() -> None:
    cost = attention_cost(seq_len=512, hidden=768, layers=12)
    assert cost.quadratic == 12 * 4 * 512 * 512 * 768
    assert cost.linear == 12 * 24 * 512 * 768 * 768
    # doubling the length quadruples the quadratic term and doubles the linear one
    double = attention_cost(seq_len=1024, hidden=768, layers=12)
    assert double.quadratic == 4 * cost.quadratic
    assert double.linear == 2 * cost.linear
    assert cost.quadratic_share == pytest.approx(0.1)


def test_bert_schedule_saving() -> None:
    s = bert_schedule_saving()
    expected = (0.9 * s.short.total + 0.1 * s.long.total) / s.long.total
    assert s.ratio == pytest.approx(expected)
    assert s.saving == pytest.approx(0.691875)
    with pytest.raises(UserError):
        bert_schedule_saving(short_fraction=1.5)
