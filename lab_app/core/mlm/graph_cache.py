"""The graph every lab runs for a masked-LM model: its head only at the positions asked for.

ONNX Runtime executes every node of a graph whatever outputs are fetched, so a store graph with
an MLM head scores all 30,522 words at every token of every run: for a batch of 32 utterances
that is 120 MB of logits nobody reads, held in the session's arena (Fine-tuning's frozen
features peaked 320 MB higher for it) and twice the encoder's time. :func:`lab_encoder` opens
:func:`~lab_app.core.mlm.head.masked_logits_graph`'s copy instead, for every lab (Fill-mask feeds
its [MASK] positions, the others none), so the labs also share one session per model.

Deriving the copy parses and rewrites the whole graph with protobuf, which holds the GIL for
about a second on an 87 MB model: done on every load, the window froze while a worker thread did
it (measured with the heartbeat test). Kept on disk, keyed by the sha256 that the store's
manifest records for ``model.onnx``, later loads read a file ONNX Runtime opens without the GIL
(and shares between labs) and an ``.npz`` of the head. A damaged or unreadable cache entry is
simply made again.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from lab_app.core.errors import StoreError, UserError
from lab_app.core.mlm.head import MlmHead, masked_logits_graph, set_head
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import REPAIR_HINT, Entry
from lab_app.core.paths import cache_dir

log = logging.getLogger(__name__)

_VERSION = 1  # bump when masked_logits_graph or the head's layout changes
# Models whose head could not be rewired: trying again would read the whole graph every load.
_NO_DERIVED: set[tuple[str, str | None]] = set()


def lab_encoder(entry: Entry, *, threads: int | None = None) -> Encoder:
    """The encoder a lab runs for ``entry``: the derived graph when the model has an MLM head
    (:func:`masked_encoder`), else the store graph; either way the session is shared."""
    key = (str(entry.path), entry.manifest.files.get("model.onnx"))
    if "logits" in entry.manifest.outputs and key not in _NO_DERIVED:
        try:
            return masked_encoder(entry, threads=threads, head=False)
        except UserError:  # a graph whose head is not where the builder puts it
            log.info("%s: no derived graph; running the store graph", entry.name)
            _NO_DERIVED.add(key)
    return Encoder(entry, threads=threads)


def masked_encoder(entry: Entry, *, threads: int | None = None, head: bool = True) -> Encoder:
    """``entry`` (a model with an MLM head) through the derived graph, with its numpy head set
    for the logit lens unless ``head`` is False (47 MB for a 30,522-word vocabulary: only
    Fill-mask reads it)."""
    paths = cached_paths(entry)
    if paths is not None and all(p.is_file() for p in paths):
        try:
            encoder = Encoder(entry, threads=threads, graph_file=paths[0])
            if head:
                set_head(encoder, load_head(paths[1]))
            return encoder
        except Exception:  # a damaged cache entry: derive it again below
            log.info("fill-mask graph cache of %s unreadable; making it again", entry.name)
    import onnx

    try:
        model = onnx.load(str(entry.file("model.onnx")))
    except Exception as exc:  # protobuf raises its own decode errors for a damaged file
        raise StoreError(f"model '{entry.name}' cannot be read ({exc}); {REPAIR_HINT}") from exc
    mlm_head = MlmHead.from_onnx(model)
    masked = masked_logits_graph(model)
    save(entry, masked.SerializeToString(), mlm_head)
    if paths is not None and paths[0].is_file():
        encoder = Encoder(entry, threads=threads, graph_file=paths[0])
    else:  # no cache (an unwritable folder): run the graph from memory
        encoder = Encoder(entry, threads=threads, model=masked)
    if head:
        set_head(encoder, mlm_head)
    return encoder


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
