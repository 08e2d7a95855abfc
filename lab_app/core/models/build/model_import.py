"""Turn a BERT-family checkpoint folder into a store model (``models import`` and ``fetch``).

``download_hf`` is the only code in BERT Lab that reaches a model hub, and it runs only when the
user asks for a download by name (``bert-lab models fetch``).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.hashing import sha256_file
from lab_app.core.models.store import (
    Entry,
    Manifest,
    ModelStore,
    read_manifest,
    write_entry_manifest,
)
from lab_app.core.models.store_lock import clean_leftovers, write_lock

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_HF_FILES = [
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "vocab.txt",
    "tokenizer_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
]


def _tokenizer_bytes(folder: Path) -> bytes:
    """The folder's tokenizer.json, or one made from its vocab.txt (BERT WordPiece)."""
    tok = folder / "tokenizer.json"
    if tok.is_file():
        return tok.read_bytes()
    vocab = folder / "vocab.txt"
    if not vocab.is_file():
        raise UserError(
            f"{folder} has neither tokenizer.json nor vocab.txt: add the tokenizer files"
        )
    from tokenizers.implementations import BertWordPieceTokenizer

    lower = True
    cfg = folder / "tokenizer_config.json"
    if cfg.is_file():
        lower = bool(json.loads(cfg.read_text(encoding="utf-8")).get("do_lower_case", True))
    wp = BertWordPieceTokenizer(str(vocab), lowercase=lower)
    return wp.to_str().encode("utf-8")


def _sbert_pooling(folder: Path) -> dict[str, Any] | None:
    """The sentence-transformers pooling of a folder, if it is an SBERT model we can reproduce."""
    modules = folder / "modules.json"
    pooling_cfg = folder / "1_Pooling" / "config.json"
    if not (modules.is_file() and pooling_cfg.is_file()):
        return None
    mods = json.loads(modules.read_text(encoding="utf-8"))
    cfg = json.loads(pooling_cfg.read_text(encoding="utf-8"))
    if cfg.get("pooling_mode_mean_tokens"):
        mode = "mean"
    elif cfg.get("pooling_mode_cls_token"):
        mode = "cls"
    else:
        return None
    spec: dict[str, Any] = {
        "mode": mode,
        "normalize": any(m.get("type", "").endswith("Normalize") for m in mods),
    }
    st = folder / "sentence_bert_config.json"
    if st.is_file():
        spec["max_seq_length"] = int(json.loads(st.read_text(encoding="utf-8"))["max_seq_length"])
    return spec


def import_folder(
    store: ModelStore, folder: Path, *, name: str | None = None, replace: bool = False
) -> Entry:
    """Build ``folder`` (config.json + model.safetensors) into the store under ``name``.

    A name that is taken is refused unless ``replace`` asks for the user's own imported model
    to be overwritten; a built-in, or a model a bundle carries, is never replaced.
    """
    from lab_app.core.models.build.bert_weights import load_hf_folder

    folder = folder.expanduser()
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    name = name or folder.resolve().name
    check_model_name(name)
    check_name_free(store, name, replace=replace)
    config, weights = load_hf_folder(folder)
    tokenizer = _tokenizer_bytes(folder)
    pooling = _sbert_pooling(folder)
    with write_lock(store):
        return _write_import(store, folder, name, config, weights, tokenizer, pooling)


def repair_imported(store: ModelStore) -> tuple[list[str], list[tuple[str, str]]]:
    """Re-convert each damaged imported model from the folder its manifest records; where that
    folder is gone, say so and how to import it again. Returns (repaired, failed)."""
    from lab_app.core.models.build.builtin_build import BUILTINS
    from lab_app.core.models.store import verify_entry

    builtin = {b.name for b in BUILTINS}
    repaired: list[str] = []
    failed: list[tuple[str, str]] = []
    for entry in store.models():
        if entry.read_only or entry.name in builtin or not verify_entry(entry):
            continue
        recorded = str(entry.manifest.source.get("folder") or "")
        folder = Path(recorded) if recorded else None
        if folder is None or not folder.is_dir():
            failed.append(
                (
                    entry.name,
                    f"damaged, and the folder it was imported from ({recorded or 'unknown'}) is "
                    f"gone: import it again with `bert-lab models import FOLDER --name "
                    f"{entry.name} --replace`",
                )
            )
            continue
        try:
            import_folder(store, folder, name=entry.name, replace=True)
        except UserError as exc:
            failed.append((entry.name, f"damaged, and converting {folder} again failed: {exc}"))
        else:
            repaired.append(entry.name)
    return repaired, failed


def check_model_name(name: str) -> None:
    """Store entries are folders: letters, digits, ``. _ -``, at most 100 characters."""
    if not _NAME.match(name):
        raise UserError(f"'{name}' is not a usable model name: use letters, digits, . _ -")


def check_name_free(store: ModelStore, name: str, *, replace: bool = False) -> None:
    """Refuse a name that would silently replace a model the user has."""
    from lab_app.core.models.build.builtin_build import BUILTINS

    if name in {b.name for b in BUILTINS}:
        raise UserError(
            f"'{name}' is a built-in model's name; import under another one with --name"
        )
    existing = {e.name: e for e in store.models()}.get(name)
    if existing is None:
        return
    if existing.read_only:
        raise UserError(
            f"'{name}' is a model this bundle carries (read-only, searched first); import under "
            "another name with --name"
        )
    if not replace:
        raise UserError(
            f"a model named '{name}' is already in the store; import under another name with "
            "--name, or overwrite your imported one with --replace"
        )


def _write_import(
    store: ModelStore,
    folder: Path,
    name: str,
    config: Any,
    weights: dict[str, Any],
    tokenizer: bytes,
    pooling: dict[str, Any] | None,
) -> Entry:
    return write_encoder_entry(
        store,
        name,
        config,
        weights,
        tokenizer,
        pooling=pooling,
        description=f"Imported from {folder.resolve()}.",
        source={"folder": str(folder.resolve())},
        license="see the checkpoint's own licence",
    )


def write_encoder_entry(
    store: ModelStore,
    name: str,
    config: Any,
    weights: dict[str, Any],
    tokenizer: bytes,
    *,
    pooling: dict[str, Any] | None,
    description: str,
    source: dict[str, str],
    license: str,
    extra: dict[str, Any] | None = None,
) -> Entry:
    """Build canonical weights into a new user-store entry, atomically (a temporary folder renamed
    into place); the caller holds the store's write lock and has checked the name."""
    from lab_app.core.models.build.bert_onnx import build_encoder_onnx, output_names, save_onnx

    clean_leftovers(store)
    final = store.entry_dir("models", name)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".importing-{name}-", dir=final.parent))
    try:
        save_onnx(build_encoder_onnx(config, weights), tmp / "model.onnx")
        (tmp / "tokenizer.json").write_bytes(tokenizer)
        manifest = Manifest(
            name=name,
            family=config.family,
            description=description,
            source=source,
            license=license,
            files={f: sha256_file(tmp / f) for f in ("model.onnx", "tokenizer.json")},
            layers=config.num_layers,
            hidden_size=config.hidden_size,
            outputs=output_names(weights),
            tokenizer=None,
            max_positions=config.max_positions,
            pooling=pooling,
            extra={"config": config.to_dict(), "num_heads": config.num_heads, **(extra or {})},
        )
        write_entry_manifest(tmp, manifest)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Entry(final, read_manifest(final), read_only=False)


def download_hf(hf_id: str) -> Path:
    """Download a checkpoint's files from the Hugging Face Hub (explicit user request only)."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError as exc:
        from lab_app.core.resources import bundle_dir

        if bundle_dir() is not None:
            raise UserError(
                "this bundled BERT Lab does not download models: download the folder elsewhere "
                "and use `bert-lab models import PATH`, or build the bundle with "
                f"`python packaging/build.py --add {hf_id}`"
            ) from exc
        raise UserError(
            "downloading needs huggingface_hub: `pip install huggingface_hub`, or download the "
            "folder elsewhere and use `bert-lab models import PATH`"
        ) from exc
    try:
        path = snapshot_download(repo_id=hf_id, allow_patterns=_HF_FILES)
    except Exception as exc:  # the hub client raises many types; all mean "could not download"
        raise UserError(f"could not download {hf_id}: {exc}") from exc
    return Path(path)
