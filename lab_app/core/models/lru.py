"""The bounded cache every lab keeps its models and results in, and gives back when hidden.

Loading a model takes a while, so a lab keeps what its last jobs loaded; but a lab that is not
shown should not hold hundreds of megabytes while the student works in another one (an 8 GB
laptop runs a browser beside the app). Every lab therefore keeps its sessions, decoders and
larger results in an :class:`LruCache`, bounded by entries and optionally by bytes, and the
window calls each lab's ``release`` when it is hidden: :meth:`LruCache.release` empties the cache
and hands what it held to :func:`~lab_app.core.models.sessions.give_back`, which frees it off
the GUI thread. A job still running keeps its own references until it ends.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from lab_app.core.models.sessions import give_back

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """Least-recently-used, bounded by entries and (optionally) by a size function's total; safe
    to share between worker threads: a second caller of :meth:`get_or_make` waits for a load in
    progress instead of repeating it."""

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
        self._lock = threading.RLock()  # held only for a moment: release never waits on a load
        self._making = threading.RLock()  # held through a load
        self._generation = 0  # bumped by clear and release: a load begun before is not kept

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
        """The cached value, or ``make()`` stored; a second caller waits for a load in progress
        instead of repeating it. A value made while the cache was cleared or released is handed
        to its caller but not kept (the lab was hidden meanwhile)."""
        value = self.get(key)
        if value is not None:
            return value
        with self._making:
            value = self.get(key)
            if value is None:
                generation = self._generation
                self._make_room()
                value = make()
                with self._lock:
                    if generation == self._generation:
                        self.put(key, value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._generation += 1

    def release(self) -> None:
        """Empty the cache and free what it held on the give-back thread: the GUI thread calls
        this on a tab switch, and a session's destructor takes 5–15 ms. It never waits for a
        load in progress (that takes a second)."""
        with self._lock:
            held, self._items = self._items, OrderedDict()
            self._generation += 1
        if held:
            give_back(held)

    def total_size(self) -> int:
        if self._size_of is None:
            return len(self._items)
        return sum(self._size_of(v) for v in self._items.values())

    def _make_room(self) -> None:
        """Drop the oldest entries a new one would evict, before it loads: a full cache of one
        model would otherwise hold the old model and the new one at once while it loads."""
        with self._lock:
            while self._items and len(self._items) >= self.max_entries:
                self._items.popitem(last=False)

    def _evict(self) -> None:
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)
        if self.max_size is not None:
            # The newest entry stays even if it alone is over the bound.
            while len(self._items) > 1 and self.total_size() > self.max_size:
                self._items.popitem(last=False)
