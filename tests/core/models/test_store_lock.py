"""One writer per store, and the half-built folders a crash leaves are removed, not skipped."""

from __future__ import annotations

import threading
from pathlib import Path

from lab_app.core.models.store import ModelStore
from lab_app.core.models.store_lock import clean_leftovers, leftovers, write_lock


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    order: list[str] = []
    trying, got_it = threading.Event(), threading.Event()

    def second() -> None:
        trying.set()
        with write_lock(store):
            order.append("second")
            got_it.set()

    with write_lock(store):
        thread = threading.Thread(target=second)
        thread.start()
        assert trying.wait(5)
        assert not got_it.wait(0.2)  # it is waiting for the lock, not writing
        order.append("first done")
    assert got_it.wait(5)
    thread.join(5)
    assert order == ["first done", "second"]


def test_leftovers_are_listed_and_removed(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    crashed = tmp_path / "models" / ".building-bert-lab-mlm-x1"
    imported = tmp_path / "models" / ".importing-mine-y2"
    whole = tmp_path / "models" / "all-MiniLM-L6-v2"
    for folder in (crashed, imported, whole):
        folder.mkdir(parents=True)
        (folder / "model.onnx").write_bytes(b"half")
    assert leftovers(store) == [crashed, imported]
    with write_lock(store):
        removed = clean_leftovers(store)
    assert removed == ["models/.building-bert-lab-mlm-x1", "models/.importing-mine-y2"]
    assert not crashed.exists() and not imported.exists() and whole.is_dir()


def test_a_build_removes_a_crash_leftover(tmp_path: Path) -> None:
    from lab_app.core.models.build.builtin_build import build_builtins

    store = ModelStore(tmp_path / "store")
    (tmp_path / "store" / "tokenizers" / ".building-wordpiece-z").mkdir(parents=True)
    report = build_builtins(store, tmp_path / "empty-cache", progress=_Stop())
    assert report.cleaned == ["tokenizers/.building-wordpiece-z"]
    assert report.cancelled and not report.built


class _Stop:
    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return False

    def cancelled(self) -> bool:
        return True
