"""The Inside tab, driven as a student would: a sentence with a [MASK], its heads, the model view,
one token across layers, the two masks, and the three kinds of positions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from lab_app.core.models.store import ModelStore
from lab_app.core.models.tokenizer_cache import warm_decoder_tokenizer
from lab_app.qt.inside.tab import InsideTab

TIMEOUT = 60_000


@pytest.fixture
def tab(show: Any, built_store_dir: Path) -> Iterator[InsideTab]:
    warm_decoder_tokenizer(
        ModelStore(built_store_dir)
    )  # as the app's prewarm thread does after start-up
    widget = show(InsideTab(store=str(built_store_dir)))
    yield widget
    widget.shutdown()


def _look(qtbot: QtBot, tab: InsideTab) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()
    qtbot.waitUntil(lambda: tab.positions is not None, timeout=TIMEOUT)


def test_the_example_shows_every_view(qtbot: QtBot, tab: InsideTab, heartbeat: Any) -> None:
    heartbeat.watch()
    _look(qtbot, tab)
    assert heartbeat.longest_ms < 250  # the encoder runs off the GUI thread
    assert tab.looked is not None
    a = tab.looked.attention
    assert a.model == "bert-lab-mlm" and "[MASK]" in a.tokens
    mv = tab.model_view
    assert (mv.layers, mv.heads) == (a.layers, a.heads) == (6, 12)
    assert mv.image.image.shape == (6 * mv.tile - 1, 12 * mv.tile - 1)
    assert tab.head_view.tokens == list(a.tokens) and tab.head_view.lines()
    # The [MASK] is the token the "from one token" page opens on.
    assert a.tokens[tab.token_combo.currentIndex()] == "[MASK]"
    assert tab.token_map.matrix.shape == (6, len(a.tokens))
    assert tab.encoder_mask.matrix.min() == 1.0  # BERT: everyone sees everyone
    dec = tab.decoder_mask.matrix
    assert dec[0, 1] == 0.0 and dec[1, 0] == 1.0  # the decoder: only what came before


def test_hover_isolates_a_token_and_a_click_opens_a_head(qtbot: QtBot, tab: InsideTab) -> None:
    _look(qtbot, tab)
    tab.head_view.hover = ("left", 2)
    assert {q for q, _, _ in tab.head_view.lines()} == {2}
    tile = tab.model_view.tile
    assert tab.model_view.tile_at(4 * tile + 1, 1 * tile + 1) == (2, 5)
    tab.model_view._clicked(4 * tile + 1, 1 * tile + 1)  # a click on layer 2, head 5
    assert (tab.layer.value(), tab.head.value(), tab.pages.currentIndex()) == (2, 5, 0)
    assert "head 5" in tab.head_view.caption


def test_hiding_specials_and_positions(qtbot: QtBot, tab: InsideTab) -> None:
    _look(qtbot, tab)
    n = len(tab.head_view.tokens)
    tab.hide_special.setChecked(True)
    assert len(tab.head_view.tokens) == n - 2 and "[CLS]" not in tab.head_view.tokens
    assert tab.table_map.matrix.shape == (128, 384)  # sinusoidal, 128 positions
    with qtbot.waitSignal(tab.pos_runner.result_ready, timeout=TIMEOUT):
        tab.kind_combo.setCurrentText("rope")
    assert tab.positions is not None and tab.positions.kind == "rope"
    assert "distance" in tab.pos_note.text()


def test_an_empty_sentence_is_a_calm_message(qtbot: QtBot, tab: InsideTab) -> None:
    tab.text_a.setText("  ")
    with qtbot.waitSignal(tab.runner.failed, timeout=TIMEOUT):
        tab.run()
    assert "type a sentence" in tab.error.text()


def test_a_long_input_stays_responsive(qtbot: QtBot, tab: InsideTab, heartbeat: Any) -> None:
    tab.text_a.setText("the cat sat on the mat . " * 120)  # cut to 512 tokens
    heartbeat.watch()
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run()
    for page in range(tab.pages.count()):
        tab.pages.setCurrentIndex(page)
        qtbot.wait(20)
    assert heartbeat.longest_ms < 250
    assert tab.looked is not None and len(tab.looked.attention.tokens) == 512
    assert tab.model_view.tile == 64 + 1  # 512 tokens averaged into 64 bins per tile
    # The head view pages through the input 64 tokens at a time and says what it leaves out.
    assert tab.window_combo.count() == 8 and not tab.window_combo.isHidden()
    assert len(tab.head_view.tokens) == 64 and "tokens 1–64 of 512" in tab.head_view.caption
    tab.window_combo.setCurrentIndex(7)
    assert tab.head_view.tokens == list(tab.looked.attention.tokens[448:512])
    assert "of their attention goes to tokens on other pages" in tab.head_view.caption
    # The share left out counts only tokens shown at all: hidden [CLS]/[SEP] are no "page".
    tab.hide_special.setChecked(True)
    a, shown = tab.looked.attention, tab.shown()
    grid = a.cut(tab.layer.value(), tab.head.value() or None).mean(axis=1)[0]
    idx = shown[448:512]
    expected = 1 - grid[np.ix_(idx, idx)].sum() / grid[np.ix_(idx, shown)].sum()
    assert f"{expected:.0%} of their attention" in tab.head_view.caption


def test_a_pair_colours_its_sentences_and_every_view_exports(
    qtbot: QtBot, tab: InsideTab, tmp_path: Path
) -> None:
    from xml.etree import ElementTree

    from PySide6.QtGui import QImage

    tab.text_a.setText("the cat sat on the mat .")
    tab.text_b.setText("it was very tired .")
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run()
    view = tab.head_view
    sep = view.tokens.index("[SEP]")
    assert view.types[: sep + 1] == [0] * (sep + 1) and set(view.types[sep + 1 :]) == {1}
    assert tab.window_combo.isHidden()  # a short input is one page
    image = view.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(60) for y in range(image.height())}
    assert {"#0072b2", "#d55e00"} <= colours  # sentence A blue, sentence B orange
    svg = tmp_path / "head.svg"
    tab.export_to(svg)
    texts = "".join(ElementTree.parse(svg).getroot().itertext())
    assert "tired" in texts and "layer 6" in texts
    tab.export_to(tmp_path / "head.png")
    assert QImage(str(tmp_path / "head.png")).width() >= 2 * view.width()
    tab.pages.setCurrentIndex(1)
    tab.export_to(tmp_path / "model.svg")
    assert "<svg" in (tmp_path / "model.svg").read_text("utf-8")


def test_hidden_the_tab_gives_back_its_encoder_and_its_next_run_loads_it_again(
    qtbot: QtBot, tab: InsideTab
) -> None:
    import gc
    import weakref

    from lab_app.core.inside import jobs

    _look(qtbot, tab)
    assert len(jobs._HELD) == 1
    session = weakref.ref(jobs._HELD.get((tab._store, "bert-lab-mlm")).session)  # type: ignore[union-attr]
    tab.release()  # the window calls it when another tab is shown
    assert len(jobs._HELD) == 0

    def freed() -> bool:
        gc.collect()
        return session() is None

    qtbot.waitUntil(freed, timeout=5000)
    assert tab.looked is not None  # what it shows stays
    _look(qtbot, tab)  # and the next run opens the model again
    assert tab.looked.attention.model == "bert-lab-mlm"
