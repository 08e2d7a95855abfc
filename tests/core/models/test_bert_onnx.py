"""The torch-free ONNX builder against transformers/PyTorch on the same weights (fp32, 1e-4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from lab_app.core.errors import UserError  # noqa: E402
from lab_app.core.models.bert_config import EncoderConfig  # noqa: E402
from lab_app.core.models.build.bert_onnx import (  # noqa: E402
    METADATA_CONFIG,
    METADATA_LAYOUT,
    build_encoder_onnx,
    output_names,
    save_onnx,
)
from lab_app.core.models.build.bert_weights import canonical_weights, load_hf_folder  # noqa: E402

ATOL = 1e-4
SMALL = {
    "vocab_size": 100,
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 64,
    "max_position_embeddings": 64,
    "attn_implementation": "eager",
}
SMALL_DISTIL = {
    "vocab_size": 100,
    "dim": 32,
    "n_layers": 2,
    "n_heads": 4,
    "hidden_dim": 64,
    "max_position_embeddings": 64,
    "attn_implementation": "eager",
}


def _save(model: Any, folder: Path) -> Path:
    model.eval()
    model.save_pretrained(folder, safe_serialization=True)
    return folder


def _session(model: onnx.ModelProto) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 2
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def _run_onnx(session: ort.InferenceSession, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    wanted = {i.name for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    feed = {k: v for k, v in feeds.items() if k in wanted}
    feed["output_attentions"] = np.array(True)  # an input with a default: False unless fed
    return dict(zip(names, session.run(None, feed), strict=True))


def _run_hf(model: Any, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    accepted = {"input_ids", "attention_mask"}
    if getattr(model.config, "type_vocab_size", 0):
        accepted.add("token_type_ids")
    with torch.no_grad():
        out = model(
            **{k: torch.from_numpy(v) for k, v in feeds.items() if k in accepted},
            output_hidden_states=True,
            output_attentions=True,
        )
    result = {
        "hidden_states": torch.stack(out.hidden_states).numpy(),
        "attentions": torch.stack(out.attentions).numpy(),
        "last_hidden_state": out.hidden_states[-1].numpy(),
    }
    if getattr(out, "pooler_output", None) is not None:
        result["pooler_output"] = out.pooler_output.numpy()
    if getattr(out, "logits", None) is not None:
        result["logits"] = out.logits.numpy()
    return result


def _feeds(batch: int, seq: int, *, pad_id: int = 0, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = rng.integers(3, 100, size=(batch, seq), dtype=np.int64)
    ids[ids == pad_id] = pad_id + 3
    types = np.zeros_like(ids)
    types[:, seq // 2 :] = 1
    return {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": types}


def _pad(
    feeds: dict[str, np.ndarray], lengths: list[int], pad_id: int, *, left: bool = False
) -> None:
    seq = feeds["input_ids"].shape[1]
    for row, length in enumerate(lengths):
        pads = slice(0, seq - length) if left else slice(length, seq)
        feeds["input_ids"][row, pads] = pad_id
        feeds["attention_mask"][row, pads] = 0
        feeds["token_type_ids"][row, pads] = 0


def _assert_parity(
    hf_model: Any, folder: Path, feeds: dict[str, np.ndarray], expected: list[str]
) -> dict[str, float]:
    config, weights = load_hf_folder(folder)
    model = build_encoder_onnx(config, weights)
    onnx.checker.check_model(model, full_check=True)
    assert output_names(weights) == expected
    got = _run_onnx(_session(model), feeds)
    want = _run_hf(hf_model, feeds)
    assert list(got) == expected
    diffs = {name: float(np.abs(got[name] - want[name]).max()) for name in expected}
    print(f"{type(hf_model).__name__} max abs diff: {diffs}")
    assert all(d <= ATOL for d in diffs.values()), diffs
    return diffs


@pytest.mark.parametrize("act", ["gelu", "gelu_new", "relu"])
def test_bert_mlm_matches_transformers(tmp_path: Path, act: str) -> None:
    torch.manual_seed(0)
    hf = transformers.BertForMaskedLM(transformers.BertConfig(**SMALL, hidden_act=act))
    folder = _save(hf, tmp_path)
    _assert_parity(
        hf, folder, _feeds(2, 9), ["last_hidden_state", "hidden_states", "attentions", "logits"]
    )


def test_bert_untied_decoder_is_kept(tmp_path: Path) -> None:
    torch.manual_seed(1)
    hf = transformers.BertForMaskedLM(transformers.BertConfig(**SMALL, tie_word_embeddings=False))
    with torch.no_grad():
        hf.cls.predictions.decoder.weight.normal_()
    folder = _save(hf, tmp_path)
    _, weights = load_hf_folder(folder)
    assert "cls.predictions.decoder.weight" in weights
    _assert_parity(
        hf, folder, _feeds(2, 5), ["last_hidden_state", "hidden_states", "attentions", "logits"]
    )


def test_bert_pooler_matches_transformers(tmp_path: Path) -> None:
    torch.manual_seed(2)
    hf = transformers.BertModel(transformers.BertConfig(**SMALL))
    folder = _save(hf, tmp_path)
    _assert_parity(
        hf,
        folder,
        _feeds(3, 11),
        ["last_hidden_state", "hidden_states", "attentions", "pooler_output"],
    )


@pytest.mark.parametrize("left", [False, True], ids=["right_pad", "left_pad"])
def test_bert_padded_batch_matches_transformers(tmp_path: Path, left: bool) -> None:
    torch.manual_seed(3)
    hf = transformers.BertForMaskedLM(transformers.BertConfig(**SMALL))
    folder = _save(hf, tmp_path)
    feeds = _feeds(3, 10, seed=3)
    _pad(feeds, [10, 6, 2], pad_id=0, left=left)
    # Masked positions match too: their queries still see only the unmasked keys.
    _assert_parity(
        hf, folder, feeds, ["last_hidden_state", "hidden_states", "attentions", "logits"]
    )


@pytest.mark.parametrize("left", [False, True], ids=["right_pad", "left_pad"])
def test_roberta_matches_transformers(tmp_path: Path, left: bool) -> None:
    torch.manual_seed(4)
    hf = transformers.RobertaForMaskedLM(transformers.RobertaConfig(**SMALL, pad_token_id=1))
    folder = _save(hf, tmp_path)
    feeds = _feeds(3, 10, pad_id=1, seed=4)
    _pad(feeds, [10, 7, 3], pad_id=1, left=left)
    config, _ = load_hf_folder(folder)
    assert (config.family, config.position_offset) == ("roberta", 2)
    _assert_parity(
        hf, folder, feeds, ["last_hidden_state", "hidden_states", "attentions", "logits"]
    )


def test_distilbert_matches_transformers(tmp_path: Path) -> None:
    torch.manual_seed(5)
    hf = transformers.DistilBertForMaskedLM(transformers.DistilBertConfig(**SMALL_DISTIL))
    folder = _save(hf, tmp_path)
    feeds = _feeds(3, 8, seed=5)
    _pad(feeds, [8, 5, 1], pad_id=0)
    _assert_parity(
        hf, folder, feeds, ["last_hidden_state", "hidden_states", "attentions", "logits"]
    )
    config, weights = load_hf_folder(folder)
    model = build_encoder_onnx(config, weights)
    assert [i.name for i in model.graph.input] == [
        "input_ids",
        "attention_mask",
        "output_attentions",
    ]
    assert "embeddings.token_type_embeddings.weight" not in weights


def test_minilm_matches_transformers(minilm_hf_dir: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(minilm_hf_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    encodings = tokenizer.encode_batch(
        ["The cat sat on the mat.", "Where is my parcel? It was due yesterday.", "hi"]
    )
    feeds = {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }
    hf = transformers.BertModel.from_pretrained(str(minilm_hf_dir), attn_implementation="eager")
    config, _ = load_hf_folder(minilm_hf_dir)
    assert (config.num_layers, config.hidden_size, config.num_heads) == (6, 384, 12)
    _assert_parity(
        hf,
        minilm_hf_dir,
        feeds,
        ["last_hidden_state", "hidden_states", "attentions", "pooler_output"],
    )


def test_dynamic_shapes_share_one_session(tmp_path: Path) -> None:
    torch.manual_seed(6)
    hf = transformers.BertModel(transformers.BertConfig(**SMALL))
    config, weights = load_hf_folder(_save(hf, tmp_path))
    session = _session(build_encoder_onnx(config, weights))
    for batch, seq in [(1, 4), (5, 17)]:
        feeds = _feeds(batch, seq, seed=seq)
        got = _run_onnx(session, feeds)
        want = _run_hf(hf, feeds)
        assert got["hidden_states"].shape == (3, batch, seq, 32)
        assert got["pooler_output"].shape == (batch, 32)
        np.testing.assert_allclose(got["hidden_states"], want["hidden_states"], atol=ATOL)


def test_attentions_are_stacked_only_when_asked(tmp_path: Path) -> None:
    torch.manual_seed(10)
    hf = transformers.BertModel(transformers.BertConfig(**SMALL))
    config, weights = load_hf_folder(_save(hf, tmp_path))
    session = _session(build_encoder_onnx(config, weights))
    feeds = _feeds(2, 6)
    (unasked,) = session.run(["attentions"], feeds)
    assert unasked.size == 0  # the If's else branch: nothing copied
    (asked,) = session.run(["attentions"], {**feeds, "output_attentions": np.array(True)})
    assert asked.shape == (2, 2, 4, 6, 6)
    np.testing.assert_allclose(asked.sum(axis=-1), 1.0, atol=1e-5)


def test_initializers_are_canonical_weights(tmp_path: Path) -> None:
    torch.manual_seed(7)
    hf = transformers.BertForMaskedLM(transformers.BertConfig(**SMALL))
    config, weights = load_hf_folder(_save(hf, tmp_path))
    model = build_encoder_onnx(config, weights)
    inits = {t.name: onnx.numpy_helper.to_array(t) for t in model.graph.initializer}
    assert set(inits) == set(weights) | {"output_attentions"}  # the flag's default, False
    assert "bert." not in "".join(inits)
    query = "encoder.layer.0.attention.self.query.weight"
    np.testing.assert_array_equal(
        inits[query], hf.bert.encoder.layer[0].attention.self.query.weight.detach().numpy().T
    )
    np.testing.assert_array_equal(
        inits["embeddings.word_embeddings.weight"], weights["embeddings.word_embeddings.weight"]
    )
    props = {p.key: p.value for p in model.metadata_props}
    assert EncoderConfig.from_dict(json.loads(props[METADATA_CONFIG])) == config
    assert props[METADATA_LAYOUT] == "[in, out]"
    assert [o.name for o in model.graph.output] == output_names(weights)
    assert {op.domain for op in model.opset_import} == {""}
    assert model.opset_import[0].version == 17
    save_onnx(model, tmp_path / "model.onnx")
    assert onnx.load(str(tmp_path / "model.onnx")).graph.name == model.graph.name


def test_legacy_and_prefixless_names_map_to_the_same_weights(tmp_path: Path) -> None:
    torch.manual_seed(8)
    hf = transformers.BertModel(transformers.BertConfig(**SMALL))
    config, weights = load_hf_folder(_save(hf, tmp_path))
    legacy = {
        "bert."
        + k.replace("LayerNorm.weight", "LayerNorm.gamma").replace(
            "LayerNorm.bias", "LayerNorm.beta"
        ): v
        for k, v in weights.items()
    }
    legacy["bert.embeddings.position_ids"] = np.arange(64, dtype=np.int64)[None]
    legacy["cls.seq_relationship.weight"] = np.zeros((2, 32), np.float32)
    mapped = canonical_weights(config, legacy)
    assert mapped.keys() == weights.keys()
    assert all(np.array_equal(mapped[k], weights[k]) for k in weights)


def test_unknown_and_missing_tensors_are_named(tmp_path: Path) -> None:
    torch.manual_seed(9)
    config, weights = load_hf_folder(
        _save(transformers.BertModel(transformers.BertConfig(**SMALL)), tmp_path)
    )
    with pytest.raises(UserError, match=r"mystery\.weight"):
        canonical_weights(config, {**weights, "mystery.weight": np.zeros(3, np.float32)})
    partial = {k: v for k, v in weights.items() if k != "encoder.layer.1.output.dense.bias"}
    with pytest.raises(UserError, match=r"encoder\.layer\.1\.output\.dense\.bias"):
        canonical_weights(config, partial)


@pytest.mark.parametrize(
    "hf_config, pattern",
    [
        ({"model_type": "mpnet", "hidden_size": 32}, "'mpnet' is not a BERT-family encoder"),
        ({"model_type": "gpt2"}, "bert, distilbert and roberta"),
        (
            {**transformers.BertConfig().to_dict(), "position_embedding_type": "relative_key"},
            "absolute",
        ),
    ],
)
def test_non_bert_configs_are_refused(hf_config: dict[str, Any], pattern: str) -> None:
    with pytest.raises(UserError, match=pattern):
        EncoderConfig.from_hf_config(hf_config)


def test_folder_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"config\.json"):
        load_hf_folder(tmp_path)
    transformers.BertConfig(**SMALL).to_json_file(str(tmp_path / "config.json"))
    (tmp_path / "pytorch_model.bin").write_bytes(b"not really a checkpoint")
    with pytest.raises(UserError, match=r"pytorch_model\.bin") as info:
        load_hf_folder(tmp_path)
    assert "safe_serialization=True" in str(info.value)
