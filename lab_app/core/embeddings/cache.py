"""Caches that make the Embeddings lab feel instant: sessions, graphs, vectors and analyses.

Creating an ONNX Runtime session takes about a second and embedding a dataset several, so the lab
keeps the last few of each and a student flipping back to a configuration gets it at once. Every
cache is a :class:`~lab_app.core.models.lru.LruCache`: bounded (entries, and bytes for vectors),
safe to share between the GUI's worker threads, and given back when the lab is hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lab_app.core.embeddings.perturb import Perturbation, perturb_model
from lab_app.core.models.lru import LruCache
from lab_app.core.models.store import ModelStore

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder


def nbytes(value: object) -> int:
    arr = getattr(value, "vectors", value)
    return int(arr.nbytes) if isinstance(arr, np.ndarray) else 0


class ModelPool:
    """Encoders of a store's models, original and perturbed, created once and reused.

    Original sessions are kept for the last ``keep`` models; the ONNX graph of the last model
    perturbed and its last perturbed session are kept, so "reset weights" and a repeated σ are
    instant. Perturbed graphs exist only in memory: the store's files are only ever read.
    """

    def __init__(self, store: ModelStore, keep: int = 2, threads: int | None = None) -> None:
        self.store = store
        self.threads = threads
        self._encoders: LruCache[str, Encoder] = LruCache(keep)
        self._graphs: LruCache[str, object] = LruCache(1)
        self._perturbed: LruCache[tuple[object, ...], Encoder] = LruCache(1)

    def encoder(self, name: str, perturbation: Perturbation | None = None) -> Encoder:
        """``name``'s encoder (the graph every lab shares, see ``mlm.graph_cache``), or the same
        graph with ``perturbation``'s noise on its weights."""
        from lab_app.core.mlm.graph_cache import lab_encoder
        from lab_app.core.models.encoder import Encoder

        base = self._encoders.get_or_make(
            name, lambda: lab_encoder(self.store.model(name), threads=self.threads)
        )
        if perturbation is None or not perturbation.active:
            return base

        def make() -> Encoder:
            graph = self._graphs.get_or_make(name, lambda: self._load_graph(base))
            changed = perturb_model(graph, perturbation, base.num_layers)
            return Encoder(base.entry, threads=self.threads, model=changed.model)  # type: ignore[arg-type]

        return self._perturbed.get_or_make((name, *perturbation.key()), make)

    @staticmethod
    def _load_graph(base: Encoder) -> object:
        """The graph ``base`` runs, to perturb (for a masked-LM model the derived one: the
        store graph would compute the head's 30,522 scores at every token of every text)."""
        import onnx

        return onnx.load(str(base.graph_file or base.entry.file("model.onnx")))

    def clear(self) -> None:
        for cache in (self._encoders, self._graphs, self._perturbed):
            cache.clear()

    def release(self) -> None:
        """Give back every session and graph (the lab is hidden); the next job loads again."""
        for cache in (self._encoders, self._graphs, self._perturbed):
            cache.release()
