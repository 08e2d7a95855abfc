"""ONNX Runtime sessions and decoders shared by every lab that runs them, and memory given back.

A session holds its model's weights, repacked for the CPU's kernels: about 140 MB for an 87 MB
encoder, about 160 MB for the decoder (its output head included). Each lab used to open its own,
so one sitting held bert-lab-mlm three times (Fill-mask, Fine-tuning, Inside). Here a session
is kept per graph file and thread count, and a decoder per model file, for as long as something
uses it: the table holds them weakly, so two labs holding the same model hold one copy, and a
lab that lets go of its models gives the memory back without telling anyone. A lock per key
makes a second caller wait for a load in progress instead of making a second copy.

Freed memory does not always leave the process: glibc keeps freed heap in its arenas (ONNX
Runtime frees a session as many medium blocks), so a released session went on counting in the
resident size. :func:`give_back` drops what a hidden lab held on a thread of its own, then
returns the free heap to the system (``malloc_trim``): a tab switch never waits for a session's
destructor (5–15 ms each) or the trim (5–10 ms).
"""

from __future__ import annotations

import ctypes
import logging
import queue
import sys
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:  # what builds a session imports ONNX Runtime; a lab's cache need not
    import onnxruntime as ort

log = logging.getLogger(__name__)

T = TypeVar("T")
_LIVE: weakref.WeakValueDictionary[Hashable, Any] = weakref.WeakValueDictionary()
_LOADING: dict[Hashable, threading.Lock] = {}
_LOCK = threading.Lock()


def file_key(path: Path) -> tuple[str, int, int]:
    """This version of the file: a model rebuilt or imported again is another one."""
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size


def shared(key: Hashable, make: Callable[[], T]) -> T:
    """The object under ``key`` while anyone holds it, else ``make()``'s (kept weakly)."""
    with _LOCK:
        found = _LIVE.get(key)
        if found is not None:
            return cast(T, found)
        lock = _LOADING.setdefault(key, threading.Lock())
    try:
        with lock:  # one load per key at a time; other keys load meanwhile
            found = _LIVE.get(key)
            if found is None:
                found = make()
                _LIVE[key] = found
                # Whoever drops the last reference (a job's thread, a hidden lab), the heap it
                # frees goes back to the system too.
                weakref.finalize(found, give_back, None).atexit = False
            return cast(T, found)
    finally:
        with _LOCK:
            _LOADING.pop(key, None)


def shared_session(
    path: Path, threads: int | None, make: Callable[[], ort.InferenceSession]
) -> ort.InferenceSession:
    """The session of the graph at ``path`` with ``threads``, made by ``make()`` unless some
    user still holds one."""
    return shared(("session", *file_key(path), threads), make)


_GIVEN: queue.SimpleQueue[object] = queue.SimpleQueue()
_REAPER: threading.Thread | None = None
# Reentrant: a finalizer calls give_back, and the collector may run one mid-call.
_REAPER_LOCK = threading.RLock()
_SETTLE_S = 0.05  # lets the caller's frame, which may still name what it gave, end first


def give_back(held: object) -> None:
    """Drop ``held`` (a lab's sessions, a decoder: pass the only reference) and trim the heap,
    on the reaper thread."""
    global _REAPER
    _GIVEN.put(held)
    with _REAPER_LOCK:
        if _REAPER is None:
            _REAPER = threading.Thread(target=_reap, name="bert-lab-give-back", daemon=True)
            _REAPER.start()


def _reap() -> None:
    while True:
        held: object = _GIVEN.get()
        time.sleep(_SETTLE_S)
        del held
        if _GIVEN.empty():
            trim_heap()


def trim_heap() -> None:
    """Return the free heap to the system where the C library can (glibc, macOS)."""
    trim = _trimmer()
    if trim is not None:
        trim()


@cache
def _trimmer() -> Callable[[], object] | None:
    try:
        libc = ctypes.CDLL(None)
        if sys.platform.startswith("linux"):
            return partial(libc.malloc_trim, 0)
        if sys.platform == "darwin":
            return partial(libc.malloc_zone_pressure_relief, None, 0)
    except (AttributeError, OSError):  # musl and others: nothing to call, nothing lost
        log.debug("no heap trim on this C library")
    return None
