"""The model store: one folder per model or tokenizer, each described by its ``manifest.json``.

Layout::

    <store>/models/<name>/{model.onnx, tokenizer.json, manifest.json}
    <store>/tokenizers/<name>/{tokenizer.json, manifest.json}

Code reads what a model offers (its outputs, pooling, layers) from the manifest, never from
guesses about its name. A bundled app may add read-only stores, searched before the user's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from lab_app.core.errors import StoreError
from lab_app.core.hashing import sha256_file

MANIFEST = "manifest.json"
REPAIR_HINT = "run `bert-lab models build --repair` to rebuild it"
Kind = Literal["models", "tokenizers"]
DECODER_FAMILIES = frozenset({"llama"})  # causal language models: generate text, not vectors


@dataclass(frozen=True)
class Manifest:
    """What a store entry is, where it came from, and the sha256 of each of its files."""

    name: str
    family: str
    description: str
    source: dict[str, str]
    license: str
    files: dict[str, str]
    layers: int | None = None
    hidden_size: int | None = None
    outputs: list[str] = field(default_factory=list)
    tokenizer: str | None = None
    max_positions: int | None = None
    pooling: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: what the model does: ``tag``, ``qa``, ``pair`` or ``classify`` for a fine-tuned task model
    #: (its head's label names in :attr:`labels`); None for an encoder or a decoder
    task: str | None = None
    labels: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def has(self) -> frozenset[str]:
        return frozenset(self.outputs)

    @property
    def is_decoder(self) -> bool:
        return self.family in DECODER_FAMILIES

    @property
    def is_task_model(self) -> bool:
        """Its graph ends in a task head (``scores``), not in an encoder's hidden states."""
        return "task_graph" in self.extra

    @property
    def purpose(self) -> str:
        """What ``models list`` says the model is for: its task, else ``generate`` (a decoder),
        ``fill-mask`` (an encoder with an MLM head) or ``embed``."""
        if self.task:
            return self.task
        if self.is_decoder:
            return "generate"
        return "fill-mask" if "logits" in self.outputs else "embed"


@dataclass(frozen=True)
class Entry:
    """A store entry found on disk: its folder and manifest."""

    path: Path
    manifest: Manifest
    read_only: bool

    @property
    def name(self) -> str:
        return self.manifest.name

    def file(self, name: str) -> Path:
        return self.path / name


def read_manifest(folder: Path) -> Manifest:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest.from_dict(data)
    except FileNotFoundError as exc:
        raise StoreError(f"{folder} has no {MANIFEST}; {REPAIR_HINT}") from exc
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{folder / MANIFEST} is damaged ({exc}); {REPAIR_HINT}") from exc


def write_entry_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")


def verify_entry(entry: Entry) -> list[str]:
    """Problems with an entry's files, found by sha256; empty when every file is intact."""
    problems: list[str] = []
    for fname, expected in entry.manifest.files.items():
        path = entry.file(fname)
        if not path.is_file():
            problems.append(f"{entry.name}: {fname} is missing")
        elif sha256_file(path) != expected:
            problems.append(f"{entry.name}: {fname} is damaged (sha256 differs)")
    return problems


class ModelStore:
    """The writable user store plus any read-only stores searched before it."""

    def __init__(self, root: Path, read_only_roots: Sequence[Path] = ()) -> None:
        self.root = root
        self.read_only_roots = tuple(read_only_roots)

    def _entries(self, kind: Kind) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        roots = [(r, True) for r in self.read_only_roots] + [(self.root, False)]
        for root, read_only in roots:
            base = root / kind
            if not base.is_dir():
                continue
            for folder in sorted(p for p in base.iterdir() if p.is_dir()):
                if folder.name.startswith(".") or folder.name in found:
                    continue
                if not (folder / MANIFEST).is_file():
                    continue  # a build in progress, or a stray folder
                found[folder.name] = Entry(folder, read_manifest(folder), read_only)
        return found

    def models(self) -> list[Entry]:
        """Every model, encoders and decoders."""
        return list(self._entries("models").values())

    def encoders(self) -> list[Entry]:
        """The BERT-family encoders (what fill-mask and the embeddings run); task models, whose
        graphs end in a head, are not among them."""
        return [
            e for e in self.models() if not e.manifest.is_decoder and not e.manifest.is_task_model
        ]

    def task_models(self, task: str | None = None) -> list[Entry]:
        """The task models (taggers, QA models, pair classifiers), of ``task`` if given."""
        return [
            e
            for e in self.models()
            if e.manifest.is_task_model and (task is None or e.manifest.task == task)
        ]

    def decoders(self) -> list[Entry]:
        """The causal language models (what ``generate`` and the prompting lab run)."""
        return [e for e in self.models() if e.manifest.is_decoder]

    def tokenizers(self) -> list[Entry]:
        return list(self._entries("tokenizers").values())

    def _get(self, kind: Kind, name: str) -> Entry:
        entries = self._entries(kind)
        if name not in entries:
            have = ", ".join(entries) or "none yet — run `bert-lab models build`"
            noun = "model" if kind == "models" else "tokenizer"
            raise StoreError(f"unknown {noun} '{name}'; the store has: {have}")
        return entries[name]

    def model(self, name: str, *, verify: bool = True) -> Entry:
        return self._checked(self._get("models", name), verify)

    def tokenizer(self, name: str, *, verify: bool = True) -> Entry:
        return self._checked(self._get("tokenizers", name), verify)

    @staticmethod
    def _checked(entry: Entry, verify: bool) -> Entry:
        if verify:
            problems = verify_entry(entry)
            if problems:
                raise StoreError("; ".join(problems) + f" — {REPAIR_HINT}")
        return entry

    def entry_dir(self, kind: Kind, name: str) -> Path:
        """Where a new entry of this name is written (always the user's store)."""
        return self.root / kind / name


def bundled_store_dirs() -> list[Path]:
    """Read-only stores shipped inside a bundled app (searched before the user's)."""
    from lab_app.core.resources import bundle_dir

    base = bundle_dir()
    return [p for p in ([base / "store"] if base else []) if p.is_dir()]


def open_store(override: str | None = None) -> ModelStore:
    from lab_app.core.paths import store_dir

    return ModelStore(store_dir(override), bundled_store_dirs())
