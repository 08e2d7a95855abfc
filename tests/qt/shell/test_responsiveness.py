"""The window never freezes: a 10 ms heartbeat on the GUI thread while a test drives the window.

Each test drives one interaction named in the layout issue (opening each tab, typing, pasting a
huge text, the first prediction, a model switch, embedding a large file, exporting) and fails
when the GUI thread went more than :data:`LIMIT_MS` without serving its timer. The window is
measured as a student meets it: up, idle long enough for its background imports (``prewarm``)
and with the fill-mask graph already derived once on this machine (``graph_cache``). On two
busy cores a thread can miss its turn for tens of milliseconds by chance, so an interaction that
can be repeated is driven :data:`TRIES` times and passes on its best run: a real freeze shows
every time, a scheduling hiccup does not.

Opening each tab the first time builds it; a lab's hidden pages and plots are made when first
shown (``shell/lazy_tabs``), and the vocabularies, merges and tokenizers that ``tokenizers``
parses with the GIL held (60–100 ms each, which stalls the window however it is threaded) are
loaded by the prewarm thread (``TabSpec.warm``); a plot with nothing to draw yet (a map before the
first result, a loss curve before the first run) waits behind a line of text. First opens measure
10–65 ms here (before: Specs, Embeddings and Inside 100–150 ms, Tokenizers 95–125). Drawing a
2,200-point result has its own budget (:data:`RESULT_FRAMES_MS`, two frames of pyqtgraph
painting); the work before it, reading, embedding and analysing, stays under :data:`LIMIT_MS`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lab_app.core.io.text_input import read_utterances, sample_dataset_path

LIMIT_MS = 100.0
RESULT_FRAMES_MS = 150.0  # drawing a 2,200-point map, its legend, scores and elbow: 80–120 ms
TRIES = 3
WAIT = 120_000

pytestmark = pytest.mark.usefixtures("gui_thread_gc")


def settle(qtbot: QtBot, ms: int = 50) -> None:
    qtbot.wait(ms)


@pytest.fixture
def window(qtbot: QtBot, built_store: Path):  # type: ignore[no-untyped-def]
    from lab_app.core.fill_mask.predict import fill_mask_encoder
    from lab_app.core.models.store import open_store
    from lab_app.qt.main_window import MainWindow

    fill_mask_encoder(
        open_store(str(built_store)).model("bert-lab-mlm")
    )  # derived once per machine
    win = MainWindow(str(built_store), "", remember=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(win.prewarm.done.is_set, timeout=WAIT)
    settle(qtbot, 200)
    yield win
    win.stop_all_work(5000)


def test_opening_each_tab(qtbot: QtBot, window, heartbeat) -> None:  # type: ignore[no-untyped-def]
    first, again = {}, {}
    for gaps in (first, again):
        for i in range(window.tabs.count()):
            beat = heartbeat.watch()
            window.tabs.setCurrentIndex(i)
            settle(qtbot, 150)
            gaps[window.tabs.tabText(i)] = round(beat.longest_ms)
        qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=WAIT)
    print(f"\nfirst open (ms): {first}\nopen again (ms): {again}")
    assert all(p.tab is not None for p in window.pages)
    assert max(again.values()) < LIMIT_MS, again
    assert max(first.values()) < LIMIT_MS, first


def _tokenizers(qtbot: QtBot, window):  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(1)
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.loaded, timeout=WAIT)
    return tab


def best_of(  # type: ignore[no-untyped-def]
    heartbeat, action: Callable[[int], None], prepare: Callable[[int], None] | None = None
) -> float:
    """The smallest worst gap over :data:`TRIES` runs of ``action(try_number)``; ``prepare``
    runs before each, unmeasured (the test's own set-up, not the window's work)."""
    gaps = []
    for n in range(TRIES):
        if prepare is not None:
            prepare(n)
        beat = heartbeat.watch()
        action(n)
        gaps.append(beat.longest_ms)
        if gaps[-1] < LIMIT_MS:
            break
    return min(gaps)


def test_typing_in_the_tokenizers_box(qtbot: QtBot, window, heartbeat) -> None:  # type: ignore[no-untyped-def]
    tab = _tokenizers(qtbot, window)

    def type_a_sentence(n: int) -> None:
        tab.editor.clear()
        with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
            qtbot.keyClicks(tab.editor, f"the quick brown fox {n} jumps over the lazy dog " * 2)
        settle(qtbot)
        assert tab.columns[0].view.chips, "the typed text was never cut"

    assert best_of(heartbeat, type_a_sentence) < LIMIT_MS


def test_pasting_a_huge_text_goes_to_corpus_mode(qtbot: QtBot, window, heartbeat) -> None:  # type: ignore[no-untyped-def]
    tab = _tokenizers(qtbot, window)

    def copy(n: int) -> None:  # another program put a megabyte on the clipboard
        QApplication.clipboard().setText(f"tokenization {n} " * 70_000)  # ~1 MB on one line
        settle(qtbot)

    def paste(n: int) -> None:
        tab.editor.setFocus()
        with qtbot.waitSignal(tab.corpus.shown, timeout=WAIT):
            tab.editor.paste()
        settle(qtbot)

    assert best_of(heartbeat, paste, copy) < LIMIT_MS
    assert len(tab.editor.toPlainText()) < 100_000  # the box never holds the megabyte
    assert tab.pages.currentWidget() is tab.corpus
    assert "pasted" in tab.corpus.message.text().lower()
    assert tab.corpus.result is not None and tab.corpus.result.totals[0].tokens >= 140_000


def test_first_prediction_then_typing_a_sentence(qtbot: QtBot, window, heartbeat) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(0)
    tab = window.current_tab()
    beat = heartbeat.watch()
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        tab.run_example()  # loads the model: the first prediction of the session
    settle(qtbot)
    first = beat.longest_ms
    assert tab.outcome is not None and tab.outcome.result is not None

    def retype(n: int) -> None:
        tab.sentence.clear()
        with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
            qtbot.keyClicks(tab.sentence, f"the {['cat', 'dog', 'bird'][n]} sat on the [MASK].")
        settle(qtbot)

    typed = best_of(heartbeat, retype)
    assert first < LIMIT_MS and typed < LIMIT_MS, (first, typed)


def test_switching_the_embedding_model(qtbot: QtBot, window, heartbeat, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lab_app.qt.embeddings.tab import EmbeddingsTab

    monkeypatch.setattr(EmbeddingsTab, "warm_up_umap", False)
    window.tabs.setCurrentIndex(3)
    tab = window.current_tab()
    tab.use_sample()
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        tab.run_analysis()
    combo = tab.controls.picker.model_combo
    assert combo.count() >= 2

    def switch(n: int) -> None:
        with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
            combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())
        settle(qtbot)
        assert tab.analysis is not None and tab.analysis.config.model == combo.currentText()

    assert best_of(heartbeat, switch) < LIMIT_MS


@pytest.fixture
def large_csv(tmp_path: Path) -> Path:
    data = read_utterances(sample_dataset_path())
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["utterance", "tag"])
        for rep in range(8):  # ~2,200 rows
            for text, label in zip(data.texts, data.labels, strict=True):  # type: ignore[arg-type]
                writer.writerow([f"{text} ({rep})", label])
    return path


def test_embedding_a_large_file_then_exporting(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window, heartbeat, large_csv: Path, tmp_path: Path, monkeypatch
) -> None:
    from lab_app.qt.embeddings.tab import EmbeddingsTab

    monkeypatch.setattr(EmbeddingsTab, "warm_up_umap", False)
    window.tabs.setCurrentIndex(3)
    tab = window.current_tab()
    beat = heartbeat.watch()
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        tab.load_dataset(large_csv)
    at_result: list[float] = []  # the worst gap while the file was read, embedded and analysed
    tab.runner.result_ready.connect(lambda _r: at_result.append(beat.longest_ms))
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        tab.run_analysis()
    settle(qtbot)
    embedded, drawn = at_result[0], beat.longest_ms  # drawn: including the result's frames
    assert len(tab.analysis.dataset.texts) > 2000

    def export_tsv(n: int) -> None:
        with qtbot.waitSignal(tab.export_runner.result_ready, timeout=WAIT):
            tab.export_to(tmp_path / "vectors.tsv")
        settle(qtbot)

    tsv = best_of(heartbeat, export_tsv)
    assert len((tmp_path / "vectors.tsv").read_text().splitlines()) == len(
        tab.analysis.dataset.texts
    )

    def export_png(n: int) -> None:
        with qtbot.waitSignal(tab.export_runner.result_ready, timeout=WAIT):
            tab.export_to(tmp_path / "map.png")
        settle(qtbot)

    png = best_of(heartbeat, export_png)
    assert (tmp_path / "map.png").stat().st_size > 5000
    assert embedded < LIMIT_MS and tsv < LIMIT_MS and png < LIMIT_MS, (embedded, tsv, png)
    assert drawn < RESULT_FRAMES_MS, drawn


def test_keyboard_tab_switch_is_immediate(qtbot: QtBot, window, heartbeat) -> None:  # type: ignore[no-untyped-def]
    window.pages[2].ensure()  # built once before; this measures the switch itself
    settle(qtbot, 200)
    beat = heartbeat.watch()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, 150)
    assert window.tabs.currentIndex() == 2
    assert beat.longest_ms < LIMIT_MS


def test_saving_and_opening_a_lesson_zip_with_a_big_dataset(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window, heartbeat, tmp_path: Path
) -> None:
    """A zip carries a step's dataset (here 40 MB that deflate cannot shrink much: about a
    second to compress and 0.15 s to unpack on two cores): both happen off the GUI thread."""
    import base64
    import os

    from lab_app.core.lessons.lesson import Lesson, Question, Step
    from lab_app.qt.lessons import LAB_KEYS

    preds = tmp_path / "preds.csv"
    noise = base64.encodebytes(os.urandom(30_000_000))  # 76-character lines
    preds.write_bytes(b"label,prediction\n" + noise)
    state = {"page": "glue", "pages": {"glue": {"source": str(preds)}}}
    question = Question("How many right?", ("half", "most"), "most")
    lessons = window.lessons
    window.tabs.setCurrentIndex(LAB_KEYS.index("specs"))
    lessons.open_lesson(Lesson("Big", (Step("bench", state, question=question),)))
    target = tmp_path / "big.zip"

    def save(n: int) -> None:
        with qtbot.waitSignal(lessons.saver.result_ready, timeout=WAIT):
            lessons.save(target)
        settle(qtbot)

    def open_it(n: int) -> None:
        with qtbot.waitSignal(lessons.opener.result_ready, timeout=WAIT):
            lessons.open_file(target)
        settle(qtbot)

    assert best_of(heartbeat, save) < LIMIT_MS
    assert "with 1 file(s)" in window.statusBar().currentMessage()
    assert best_of(heartbeat, open_it) < LIMIT_MS
    assert lessons.lesson is not None and lessons.lesson.source == str(target)
