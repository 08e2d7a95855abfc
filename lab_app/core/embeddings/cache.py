"""Caches that make the Embeddings lab feel instant: sessions, graphs, vectors and analyses.

Creating an ONNX Runtime session takes about a second and embedding a dataset several, so the lab
keeps the last few of each and a student flipping back to a configuration gets it at once. Every
cache is bounded (entries, and bytes for vectors) and safe to share between the GUI's worker
threads: a lock makes a second job wait for a load in progress instead of repeating it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from lab_app.core.embeddings.perturb import Perturbation, perturb_model
from lab_app.core.models.store import ModelStore

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """Least-recently-used, bounded by entries and (optionally) by a size function's total."""

    def __init__(
        self,
        max_entries: int,
        max_size: int | None = None,
        size_of: Callable[[V], int] | None = None,
    ) -> None:
        self.max_entries = max_entries
        self.max_size = max_size
        self._size_of = size_of
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            self._evict()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The cached value, or ``make()`` stored; the lock keeps a second caller waiting."""
        with self._lock:
            value = self.get(key)
            if value is None:
                value = make()
                self.put(key, value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def total_size(self) -> int:
        if self._size_of is None:
            return len(self._items)
        return sum(self._size_of(v) for v in self._items.values())

    def _evict(self) -> None:
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)
        if self.max_size is not None:
            # The newest entry stays even if it alone is over the bound.
            while len(self._items) > 1 and self.total_size() > self.max_size:
                self._items.popitem(last=False)


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
        from lab_app.core.models.encoder import Encoder

        base = self._encoders.get_or_make(
            name, lambda: Encoder(self.store.model(name), threads=self.threads)
        )
        if perturbation is None or not perturbation.active:
            return base

        def make() -> Encoder:
            graph = self._graphs.get_or_make(name, lambda: self._load_graph(name))
            changed = perturb_model(graph, perturbation, base.num_layers)
            return Encoder(base.entry, threads=self.threads, model=changed.model)  # type: ignore[arg-type]

        return self._perturbed.get_or_make((name, *perturbation.key()), make)

    def _load_graph(self, name: str) -> object:
        import onnx

        return onnx.load(str(self.store.model(name, verify=False).file("model.onnx")))

    def clear(self) -> None:
        for cache in (self._encoders, self._graphs, self._perturbed):
            cache.clear()
