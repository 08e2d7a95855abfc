"""One writer per store at a time, and the half-written folders a crash leaves behind.

A build or an import writes each entry into a hidden ``.building-*`` / ``.importing-*`` folder and
renames it into place when complete. Two writers at once (a cancelled build still finishing while
the user starts another, or a second window) could rename over each other, so every writer holds
the store's lock: a thread lock inside this process and an advisory file lock across processes.
While the lock is held no other writer runs, so any hidden work folder found then is a crash's
leftover: the writer removes it and says so, rather than skipping it forever.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lab_app.core.models.store import ModelStore

WORK_PREFIXES = (".building-", ".importing-")
_LOCK_FILE = ".write.lock"
_thread_locks: dict[Path, threading.Lock] = {}
_guard = threading.Lock()


def _thread_lock(root: Path) -> threading.Lock:
    with _guard:
        return _thread_locks.setdefault(root.resolve(), threading.Lock())


@contextmanager
def write_lock(store: ModelStore) -> Iterator[None]:
    """Hold the store's write lock (waits for another writer to finish)."""
    store.root.mkdir(parents=True, exist_ok=True)
    with _thread_lock(store.root), open(store.root / _LOCK_FILE, "a+b") as handle:
        _lock_file(handle)
        try:
            yield
        finally:
            _unlock_file(handle)


def _lock_file(handle: object) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt locks a byte range of the file
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
    else:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # type: ignore[attr-defined]


def _unlock_file(handle: object) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]


def leftovers(store: ModelStore) -> list[Path]:
    """Hidden work folders in the user's store (a crash's, unless a writer is running now)."""
    found: list[Path] = []
    for kind in ("models", "tokenizers"):
        base = store.root / kind
        if base.is_dir():
            found += sorted(
                p for p in base.iterdir() if p.is_dir() and p.name.startswith(WORK_PREFIXES)
            )
    return found


def clean_leftovers(store: ModelStore) -> list[str]:
    """Remove the leftovers; call with the write lock held. Returns what was removed."""
    removed = []
    for folder in leftovers(store):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(f"{folder.parent.name}/{folder.name}")
    return removed
