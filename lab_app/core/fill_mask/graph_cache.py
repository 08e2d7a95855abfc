"""Fill-mask's derived graph and head, made once per model and kept in the user cache.

Deriving them parses and rewrites the whole ONNX graph with protobuf, which holds the GIL for
about a second on an 87 MB model: done on every model load, the window froze while a worker
thread did it (measured with the heartbeat test). Kept on disk, keyed by the sha256 that the
store's manifest records for ``model.onnx``, later loads read a file ONNX Runtime opens without
the GIL and an ``.npz`` of the head. A damaged or unreadable cache entry is simply made again.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from lab_app.core.mlm.head import MlmHead
from lab_app.core.models.store import Entry
from lab_app.core.paths import cache_dir

_VERSION = 1  # bump when masked_logits_graph or the head's layout changes


def _folder() -> Path:
    return cache_dir() / "derived" / f"fill-mask-v{_VERSION}"


def cached_paths(entry: Entry) -> tuple[Path, Path] | None:
    """Where this model's derived graph and head are kept (None: the manifest has no sha256)."""
    sha = entry.manifest.files.get("model.onnx")
    if not sha:
        return None
    base = _folder() / sha
    return base.with_suffix(".onnx"), base.with_suffix(".head.npz")


def load_head(path: Path) -> MlmHead:
    with np.load(path, allow_pickle=False) as data:
        arrays = {f.name: data[f.name] for f in fields(MlmHead) if f.name not in ("act", "eps")}
        return MlmHead(**arrays, act=str(data["act"]), eps=float(data["eps"]))


def save(entry: Entry, graph_bytes: bytes, head: MlmHead) -> None:
    """Keep the derived graph and head; a cache that cannot be written is no error."""
    paths = cached_paths(entry)
    if paths is None:
        return
    graph, head_file = paths
    try:
        graph.parent.mkdir(parents=True, exist_ok=True)
        _atomic(graph, lambda fh: fh.write(graph_bytes))
        arrays = {f.name: getattr(head, f.name) for f in fields(MlmHead)}
        _atomic(head_file, lambda fh: np.savez(fh, **arrays))
    except OSError:
        return


def _atomic(path: Path, write: object) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)  # type: ignore[operator]
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
