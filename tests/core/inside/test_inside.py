"""The Inside lab's core: attentions equal transformers' on the same weights, come in the same run
as the hidden states, cut as the CLI promises; the three position tables are what their formulas
and the checkpoint say."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.inside.attention import attention, causal_mask, overview, token_list
from lab_app.core.inside.positions import positions, rope, sinusoidal
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore


@pytest.fixture(scope="module")
def store(built_store_dir: Path) -> ModelStore:
    return ModelStore(built_store_dir)


@pytest.fixture(scope="module")
def minilm(store: ModelStore) -> Encoder:
    return Encoder(store.model("all-MiniLM-L6-v2"))


def test_attentions_equal_transformers(minilm: Encoder, minilm_hf_dir: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    ours = attention(minilm, "the cat sat on the mat .", "it was tired .")
    assert ours.tokens[0] == "[CLS]" and ours.tokens.count("[SEP]") == 2
    assert set(ours.token_types) == {0, 1}
    hf = transformers.BertModel.from_pretrained(
        str(minilm_hf_dir), attn_implementation="eager", local_files_only=True
    )
    enc = minilm.tokenizer.encode("the cat sat on the mat .", "it was tired .")
    with torch.no_grad():
        out = hf(
            input_ids=torch.tensor([enc.ids]),
            token_type_ids=torch.tensor([enc.type_ids]),
            attention_mask=torch.ones(1, len(enc.ids), dtype=torch.long),
            output_attentions=True,
        )
    ref = torch.stack(out.attentions)[:, 0].numpy()
    assert ours.attentions.shape == ref.shape == (6, 12, len(enc.ids), len(enc.ids))
    assert np.abs(ours.attentions - ref).max() <= 1e-4


def test_attentions_come_with_the_hidden_states_in_one_run(minilm: Encoder) -> None:
    batch = minilm.tokenize(["one run, two outputs"])
    both = minilm.run(batch, ["last_hidden_state", "attentions"])
    alone = minilm.run(batch, ["last_hidden_state"])
    np.testing.assert_array_equal(both["last_hidden_state"], alone["last_hidden_state"])
    assert both["attentions"].shape[:3] == (6, 1, 12)


def test_cuts_keep_the_nesting(minilm: Encoder) -> None:
    a = attention(minilm, "hello world")
    n = len(a.tokens)
    data = a.to_json(layer=2, head=3)
    att = data["attentions"]
    assert isinstance(att, list) and len(att) == 1 and len(att[0]) == 1
    assert len(att[0][0]) == n and len(att[0][0][0]) == n
    np.testing.assert_allclose(np.array(att[0][0]), a.attentions[1, 2], atol=1e-6)
    assert np.array(a.to_json(layer=None, head=12)["attentions"]).shape == (6, 1, n, n)
    assert a.from_token(0).shape == (6, n)
    assert token_list(a.tokens, hide_special=True) == list(range(1, n - 1))


@pytest.mark.parametrize(
    ("text", "pair", "layer", "head", "needle"),
    [
        ("", None, None, None, "type a sentence"),
        ("fine", "  ", None, None, "sentence B is empty"),
        ("fine", None, 0, None, "choose 1 to 6"),
        ("fine", None, 7, None, "choose 1 to 6"),
        ("fine", None, None, 13, "choose 1 to 12"),
    ],
)
def test_bad_input_is_a_calm_message(
    minilm: Encoder, text: str, pair: str | None, layer: int | None, head: int | None, needle: str
) -> None:
    with pytest.raises(UserError, match=needle):
        attention(minilm, text, pair).cut(layer, head)


def test_a_long_input_is_cut_to_the_model_limit(minilm: Encoder) -> None:
    a = attention(minilm, "word " * 700)
    assert a.truncated and len(a.tokens) == 512


def test_sinusoidal_follows_the_formula() -> None:
    table = sinusoidal(50, 16)
    p, i = 7, 3
    assert table[p, 2 * i] == pytest.approx(np.sin(p / 10000 ** (2 * i / 16)), abs=1e-6)
    assert table[p, 2 * i + 1] == pytest.approx(np.cos(p / 10000 ** (2 * i / 16)), abs=1e-6)


def test_rope_similarity_depends_only_on_distance() -> None:
    from lab_app.core.inside.positions import Positions

    sim = Positions("rope", None, rope(64, 64, 100000.0), "").similarity
    np.testing.assert_allclose(np.diag(sim, 5)[:-1], np.diag(sim, 5)[1:], atol=1e-5)


def test_learned_positions_are_the_checkpoints_table(
    store: ModelStore, minilm_hf_dir: Path
) -> None:
    from safetensors.numpy import load_file

    result = positions(store, "learned", "all-MiniLM-L6-v2")
    raw = load_file(str(minilm_hf_dir / "model.safetensors"))
    key = next(k for k in raw if k.endswith("position_embeddings.weight"))
    np.testing.assert_array_equal(result.table, raw[key])
    assert result.table.shape == (512, 384)


def test_rope_reads_the_decoders_manifest(store: ModelStore) -> None:
    result = positions(store, "rope", length=32)
    assert result.model == "SmolLM2-135M-Instruct" and result.table.shape == (32, 64)


@pytest.mark.parametrize(
    ("kind", "model", "length", "needle"),
    [
        ("spiral", None, None, "unknown kind"),
        ("sinusoidal", None, 0, "length from 1"),
        ("learned", "all-MiniLM-L6-v2", 600, "512 learned positions"),
        ("learned", "SmolLM2-135M-Instruct", None, "rotary"),
        ("rope", "all-MiniLM-L6-v2", None, "no rotary"),
    ],
)
def test_bad_positions_are_refused(
    store: ModelStore, kind: str, model: str | None, length: int | None, needle: str
) -> None:
    with pytest.raises(UserError, match=needle):
        positions(store, kind, model, length)


def test_a_causal_mask_is_lower_triangular() -> None:
    m = causal_mask(4)
    assert m[0].tolist() == [1, 0, 0, 0] and m[3].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize(
    "shown", [list(range(10)), list(range(1, 129)), [0, 3, 4, 9, *range(20, 150)]]
)
def test_the_overview_tiles_every_head_and_averages_long_inputs(shown: list[int]) -> None:
    rng = np.random.default_rng(0)
    att = rng.random((2, 3, 150, 150), dtype=np.float32)
    view = overview(att, shown, most=64)
    n = min(len(shown), 64)
    assert (view.layers, view.heads, view.tile) == (2, 3, n + 1)
    assert view.mosaic.shape == (2 * (n + 1) - 1, 3 * (n + 1) - 1)
    edges = np.linspace(0, len(shown), 65).astype(int) if len(shown) > 64 else np.arange(n + 1)
    for layer in range(2):
        for head in range(3):
            sub = att[layer, head][np.ix_(shown, shown)]
            # Each cell the mean of its bin, computed the slow way, one cell at a time.
            cells = list(pairwise(edges))
            want = np.array([[sub[a:b, c:d].mean() for c, d in cells] for a, b in cells])
            tile = view.mosaic[layer * (n + 1) : layer * (n + 1) + n, head * (n + 1) :][:, :n]
            np.testing.assert_allclose(tile, want, rtol=1e-5)
    assert np.isnan(view.mosaic[n, :]).all() and np.isnan(view.mosaic[:, n]).all()
