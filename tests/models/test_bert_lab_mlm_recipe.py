"""The masked-LM recipe (models/bert-lab-mlm) on a tiny corpus: no download, a few steps.

The real corpus is fetched only by the recipe itself; here its cleaning, splitting, held-out and
cloze-exclusion rules run on a few hand-made documents, and training runs a handful of steps on
the real base model to check what the export contains and that the app's ONNX builder gives
the same logits as PyTorch for it.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import pytest

RECIPE = Path(__file__).resolve().parents[2] / "models" / "bert-lab-mlm"
sys.path.insert(0, str(RECIPE))

import corpus  # noqa: E402
import rlazyload  # noqa: E402

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")


def _xdr_strings(values: list[str], names: list[str] | None = None) -> bytes:
    """An R-serialised character vector (or a named list of one-element ones), by hand."""

    def charsxp(s: str) -> bytes:
        raw = s.encode()
        return struct.pack(">ii", 0x00040009, len(raw)) + raw

    head = b"X\n" + struct.pack(">iii", 2, 0x040201, 0x020300)
    if names is None:
        return head + struct.pack(">ii", 16, len(values)) + b"".join(map(charsxp, values))
    body = struct.pack(">ii", 19 | (1 << 9), len(values))
    for v in values:
        body += struct.pack(">ii", 16, 1) + charsxp(v)
    attr = struct.pack(">i", 2 | (1 << 10)) + struct.pack(">i", 1) + charsxp("names")
    attr += struct.pack(">ii", 16, len(names)) + b"".join(map(charsxp, names))
    return head + body + attr + struct.pack(">i", 254)


def test_r_reader_reads_character_vectors_and_named_lists() -> None:
    assert rlazyload._unserialize(_xdr_strings(["a b", "c"])) == ["a b", "c"]
    named = rlazyload._unserialize(_xdr_strings(["x", "y"], names=["first", "second"]))
    assert named == {"first": ["x"], "second": ["y"]}


def test_sentences_split_at_ends_not_abbreviations() -> None:
    text = corpus.clean("Mr. Smith  went to \u201cWashington.\u201d He left at 5 p.m. Then? Yes.")
    assert corpus.split_sentences(text) == [
        'Mr. Smith went to "Washington."',
        "He left at 5 p.m. Then?",
        "Yes.",
    ]
    assert not corpus.keep("Table 3 | 4.5 | 6.7")
    assert corpus.keep("The cat sat on the mat.")


def test_heldout_split_is_by_document_and_stable() -> None:
    ids = [f"doc:{i}" for i in range(2000)]
    held = [d for d in ids if corpus.is_heldout(d, 0.05)]
    assert 60 < len(held) < 140
    assert held == [d for d in ids if corpus.is_heldout(d, 0.05)]


def test_write_source_dedups_and_drops_cloze_sentences(tmp_path: Path) -> None:
    cloze = tmp_path / "cloze.tsv"
    cloze.write_text("the sky is [MASK] on a clear day.\tblue|grey\n", encoding="utf-8")
    seen = corpus.cloze_keys(cloze)
    docs = [
        ("a", ["The sky is blue on a clear day. Birds sing in the trees."]),
        ("b", ["Birds sing in the trees! Fish swim in the deep sea."]),
    ]
    stats = corpus.write_source("toy", docs, tmp_path, seen, heldout=0.0)
    lines = (tmp_path / "toy" / "train.txt").read_text(encoding="utf-8").split("\n")
    assert lines == ["Birds sing in the trees.", "", "Fish swim in the deep sea.", "", ""]
    assert stats["documents"] == 2 and stats["dropped"] == 2


def test_cloze_set_is_large_enough_and_answers_are_single_tokens(
    wordpiece_source_json: Path,
) -> None:
    from mlm_common import CLOZE_SETS, read_cloze
    from tokenizers import Tokenizer

    vocab = Tokenizer.from_file(str(wordpiece_source_json)).get_vocab()
    sets = {key: read_cloze(path) for key, path in CLOZE_SETS.items()}
    for items in sets.values():
        assert len(items) >= 60
        for sentence, answers in items:
            assert sentence.count("[MASK]") == 1, sentence
            assert answers and all(a in vocab for a in answers), sentence
    first, second = ({s for s, _ in items} for items in sets.values())
    assert not first & second  # the second set is new sentences, not a copy


def test_masking_follows_bert_and_spares_special_tokens() -> None:
    from mlm_common import CLS, MASK, PAD, SEP, mask_tokens

    ids = torch.randint(1000, 30000, (64, 100))
    ids[:, 0], ids[:, -1], ids[:, 90:99] = CLS, SEP, PAD
    corrupted, targets = mask_tokens(ids, torch.Generator().manual_seed(0), 30522)
    picked = targets != -100
    assert not picked[:, 0].any() and not picked[:, 90:].any()
    assert 0.12 < picked.float().sum() / (64 * 89) < 0.18
    share_mask = (corrupted[picked] == MASK).float().mean()
    share_kept = (corrupted[picked] == ids[picked]).float().mean()
    assert 0.72 < share_mask < 0.88 and 0.05 < share_kept < 0.16
    assert torch.equal(corrupted[~picked], ids[~picked])


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory, artifact_cache: Path) -> Path:
    """A few training steps on a two-source toy corpus, exported like the real recipe."""
    import train

    root = tmp_path_factory.mktemp("mlm")
    corpus_dir = root / "corpus"
    text = "She opened the door and walked into the room.\nThe sun rises in the east.\n\n"
    sources = {}
    for key in ("alpha", "beta"):
        (corpus_dir / key).mkdir(parents=True)
        (corpus_dir / key / "train.txt").write_text(text * 20, encoding="utf-8")
        (corpus_dir / key / "heldout.txt").write_text(text, encoding="utf-8")
        sources[key] = {"license": "test", "words": 200}
    (corpus_dir / "manifest.json").write_text(json.dumps({"sources": sources}))
    out = root / "run"
    train.main(
        ["--corpus", str(corpus_dir), "--tokens", "600", "--batch", "4", "--threads", "1",
         "--eval-segments", "2", "--out", str(out), "--unlikelihood", "0.5",
         "--lsq-init", "64"]
    )  # fmt: skip
    return out


def test_training_exports_only_head_and_top_layers_in_fp16(tiny_run: Path) -> None:
    from safetensors.numpy import load_file

    delta = load_file(str(tiny_run / "delta.safetensors"))
    assert {n.split(".")[2] for n in delta if n.startswith("encoder.")} == {"4", "5"}
    assert "cls.predictions.transform.dense.weight" in delta
    assert "cls.predictions.bias" in delta
    assert not any("embeddings" in n or "decoder" in n for n in delta)
    assert all(v.dtype.name == "float16" for v in delta.values())
    recipe = json.loads((tiny_run / "recipe.json").read_text())
    last = recipe["history"][-1]
    assert recipe["final"] and last["tokens"] >= 600
    assert 0.0 <= last["cloze"]["cloze_top5"] <= 1.0 and last["heldout"]["masked_tokens"] > 0
    assert recipe["config"]["lsq_fit"]["positions"] >= 64


def test_onnx_graph_of_the_delta_matches_pytorch(tiny_run: Path, tmp_path: Path) -> None:
    import numpy as np
    from evaluate import onnx_logits, onnx_session
    from mlm_common import build_model, load_base
    from safetensors.numpy import load_file

    base = load_base()
    delta = load_file(str(tiny_run / "delta.safetensors"))
    model = build_model(base, delta).eval()
    session = onnx_session(base, delta, tmp_path)
    ids = torch.tensor([base.tokenizer.encode("the sun rises in the [MASK] every day.").ids])
    with torch.no_grad():
        expected = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits.numpy()
    got = onnx_logits(session, ids, torch.ones_like(ids))
    assert np.abs(got - expected).max() < 1e-4


def test_a_continued_run_exports_the_chain_totals(
    tiny_run: Path, tmp_path: Path, artifact_cache: Path
) -> None:
    import train

    out = tmp_path / "stage2"
    corpus_dir = tiny_run.parent / "corpus"
    train.main(
        ["--corpus", str(corpus_dir), "--tokens", "300", "--batch", "4", "--threads", "1",
         "--eval-segments", "2", "--out", str(out), "--init-delta",
         str(tiny_run / "delta.safetensors")]
    )  # fmt: skip
    train.export(out, tmp_path / "weights")
    recipe = json.loads((tmp_path / "weights" / "recipe.json").read_text())
    first = json.loads((tiny_run / "recipe.json").read_text())["history"][-1]
    assert recipe["config"]["continued_from"]["tokens"] == first["tokens"]
    assert recipe["total_tokens"] == first["tokens"] + recipe["evaluation"]["tokens"]
    assert recipe["total_train_seconds"] >= recipe["evaluation"]["train_seconds"]
    assert (tmp_path / "weights" / "delta.safetensors").is_file()


def test_a_base_folder_in_float16_stands_in_for_the_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifact_cache: Path
) -> None:
    """What device_pack.py uploads to the GPU machine: the same model, rounded to float16."""
    import numpy as np
    from mlm_common import load_base
    from safetensors.numpy import save_file

    wheel = load_base()
    (tmp_path / "config.json").write_text(json.dumps(wheel.config))
    wheel.tokenizer.save(str(tmp_path / "tokenizer.json"))
    save_file(
        {k: v.astype(np.float16) for k, v in wheel.weights.items()},
        str(tmp_path / "model.safetensors"),
    )
    monkeypatch.setenv("BERT_LAB_MLM_BASE", str(tmp_path))
    folder = load_base()
    assert folder.config == wheel.config
    assert folder.tokenizer.encode("how are [MASK] today?").ids == (
        wheel.tokenizer.encode("how are [MASK] today?").ids
    )
    assert folder.weights.keys() == wheel.weights.keys()
    for name, value in wheel.weights.items():
        assert folder.weights[name].dtype == np.float32
        np.testing.assert_allclose(folder.weights[name], value, rtol=1e-3, atol=1e-4)


def test_device_pack_spreads_the_gguf_over_the_uploads_within_the_cap() -> None:
    """Stage 3 uploads the shipped delta too: the GGUF fills each upload up to the cap."""
    from device_pack import piece_sizes

    fixed = [52, 21, 0]
    sizes = piece_sizes(98, fixed, cap=58)
    assert sizes == [6, 37, 55]
    assert sum(sizes) == 98
    assert all(f + s <= 58 for f, s in zip(fixed, sizes, strict=True))
    assert piece_sizes(10, [0, 0], cap=58) == [10, 0]
    with pytest.raises(SystemExit, match="do not fit"):
        piece_sizes(120, fixed, cap=58)
