"""Closing the window mid-job: every tab's and dialog's work is cancelled at once, the window is
gone in under 2 s, and no half-built model is left in the store."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from lab_app.core.io.text_input import read_utterances, sample_dataset_path

WAIT = 120_000
pytestmark = pytest.mark.usefixtures("gui_thread_gc")


@pytest.fixture
def rows_20k(tmp_path: Path) -> Path:
    data = read_utterances(sample_dataset_path())
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["utterance", "tag"])
        n = 0
        while n < 20_000:
            for text, label in zip(data.texts, data.labels, strict=True):  # type: ignore[arg-type]
                writer.writerow([f"{text} #{n}", label])
                n += 1
    return path


def _window(qtbot: QtBot, store: Path):  # type: ignore[no-untyped-def]
    from lab_app.qt.main_window import MainWindow

    win = MainWindow(str(store), "", remember=False)
    qtbot.addWidget(win)
    win.show()
    return win


def test_closing_mid_embedding_of_20000_rows(
    qtbot: QtBot, built_store: Path, rows_20k: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab_app.qt.embeddings.tab import EmbeddingsTab

    monkeypatch.setattr(EmbeddingsTab, "warm_up_umap", False)
    win = _window(qtbot, built_store)
    win.tabs.setCurrentIndex(3)
    tab = win.current_tab()
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        tab.load_dataset(rows_20k)
    ticks: list[int] = []
    tab.runner.progress_changed.connect(lambda done, total: ticks.append(done))
    tab.run_analysis()
    qtbot.waitUntil(lambda: len(ticks) >= 2, timeout=WAIT)  # embedding is under way
    t0 = time.perf_counter()
    win.close()
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_closing_mid_build_moves_nothing_into_the_store(
    qtbot: QtBot, built_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab_app.core.models.build import builtin_build

    store = tmp_path / "store"
    shutil.copytree(built_store_dir, store)
    target = store / "models" / "paraphrase-MiniLM-L3-v2"
    shutil.rmtree(target)  # the build has this one to make
    making, closed = threading.Event(), threading.Event()
    real = {b.name: b for b in builtin_build.BUILTINS}

    def slow_make(cache: Path, out: Path):  # type: ignore[no-untyped-def]
        making.set()
        closed.wait(WAIT / 1000)  # the window closes while the entry is being made
        return real["paraphrase-MiniLM-L3-v2"].make(cache, out)

    patched = tuple(
        b if b.name != "paraphrase-MiniLM-L3-v2" else dataclasses.replace(b, make=slow_make)
        for b in builtin_build.BUILTINS
    )
    monkeypatch.setattr(builtin_build, "BUILTINS", patched)
    win = _window(qtbot, store)
    win.open_build_dialog()
    from lab_app.qt.shell.build_dialog import BuildDialog

    dialog = win.findChild(BuildDialog)
    assert dialog is not None
    dialog.start_button.click()
    qtbot.waitUntil(making.is_set, timeout=WAIT)
    t0 = time.perf_counter()
    win.close()
    assert time.perf_counter() - t0 < 2.0
    closed.set()
    QThreadPool.globalInstance().waitForDone(WAIT)  # the entry that was being made finishes
    assert not target.exists()  # cancelled: never renamed into the store
    assert not list((store / "models").glob(".building-*"))
