"""The Tokenizers tab's training panel: train the three tokenizers, cut the sentence with them,
and replay BPE's merges one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from tokenizer_views import NAMES, WAIT, _chips, _ref, _wait_for

from lab_app.core.tokenizers.tokenize import display_token, tokenize
from lab_app.qt.tokenizers.tab import TokenizersTab


def _replayed(qtbot: QtBot, tab: TokenizersTab, word: str, tokenizer: object = None) -> None:
    """Wait for the merge replay of ``word`` (by ``tokenizer``, when given) to be shown."""
    replay = tab.replay
    qtbot.waitUntil(
        lambda: replay.result is not None and replay.result.replay.word == word
        and tokenizer in (None, replay.result.tokenizer) and not replay.runner.busy,
        timeout=WAIT,
    )  # fmt: skip


SMALL = (
    "the cat sat on the mat. the dog sat on the log. cats and dogs sit on mats and logs.\n"
    "tokenization splits text into tokens; tokenizers learn their vocabulary from text.\n"
) * 5


def test_train_three_and_cut_the_sentence(
    qtbot: QtBot, tab: TokenizersTab, tmp_path: Path, built_store: Path
) -> None:
    sentence = "the cats sat on mats"
    tab.set_text(sentence)
    _wait_for(qtbot, tab, sentence)
    corpus = tmp_path / "small.txt"
    corpus.write_text(SMALL, encoding="utf-8")
    panel = tab.train_panel
    tab.pages.setCurrentIndex(2)
    panel.set_file(corpus)
    panel.vocab.setValue(300)
    with qtbot.waitSignal(panel.trained_changed, timeout=WAIT) as blocker:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    trained = blocker.args[0]
    assert [len(v) for v in trained.vocabularies][1] == 300
    assert [lst.count() for lst in panel.vocab_lists] == [len(v) for v in trained.vocabularies]
    qtbot.waitUntil(lambda: len(tab.comparison.cuts) == 6 and not tab.runner.busy, timeout=WAIT)
    for col, tok in zip(panel.trained, trained.tokenizers, strict=True):
        expected = tokenize(tok.tokenizer, sentence, name=tok.name, model="m").tokens
        assert col.view.chip_texts() == [display_token(tok.name, t) for t in expected]
    for col, name in zip(panel.real, NAMES, strict=True):
        assert col.view.chip_texts() == _chips(built_store, name, sentence)
    assert "small.txt" in panel.trained[0].title.text()
    # the trained cut follows the sentence as it changes
    tab.set_text("dogs and cats")
    _wait_for(qtbot, tab, "dogs and cats")
    tok = trained.tokenizers[0]
    expected = tokenize(tok.tokenizer, "dogs and cats", name=tok.name, model="m").tokens
    assert panel.trained[0].view.chip_texts() == expected
    # merge replay can use the trained BPE's merges, and ends at its own cut
    replay = tab.replay
    replay.word.setText("tokenizers")
    replay.source.setCurrentIndex(1)
    bpe = trained.tokenizers[1]
    _replayed(qtbot, tab, "tokenizers", bpe)
    final = tokenize(bpe.tokenizer, "tokenizers", name="bpe", model="m").tokens
    assert replay.view.chip_texts() == [display_token("bpe", t) for t in final]


@pytest.mark.parametrize(
    ("size", "words"), [(0, "holds nothing"), (10_000_000, "far more"), (100, "alphabet")]
)
def test_bad_vocab_sizes_show_a_message(
    qtbot: QtBot, tab: TokenizersTab, size: int, words: str
) -> None:
    panel = tab.train_panel
    panel.vocab.setValue(size)
    qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: words in panel.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: not panel.runner.busy, timeout=WAIT)
    assert f"{size:,}" in panel.message.text()
    assert panel.result is None


def test_merge_replay_slider(qtbot: QtBot, tab: TokenizersTab, built_store: Path) -> None:
    replay = tab.replay
    tab.pages.setCurrentIndex(3)
    _replayed(qtbot, tab, "tokenization")  # the default word, replayed once GPT-2 is loaded
    word = "antidisestablishmentarianism"
    replay.word.setText(word)
    _replayed(qtbot, tab, word)
    assert replay.slider.value() == replay.slider.maximum() > 0
    assert replay.view.chip_texts() == _chips(built_store, "bpe", word)
    replay.slider.setValue(0)
    assert replay.view.chip_texts() == list(word)
    assert "Step 0" in replay.step_label.text()
    replay.slider.setValue(1)
    assert "merge #" in replay.step_label.text()
    assert len(replay.view.chip_texts()) == len(word) - 1
    replay.word.setText("Zoë")
    _replayed(qtbot, tab, "Zoë")
    assert [c.span for c in replay.view.chips()] == [
        s for s in _ref(built_store, "bpe", "Zoë").offsets
    ]
    replay.word.setText("x" * 5 + "<|endoftext|>")
    qtbot.waitUntil(lambda: "special token" in replay.message.text(), timeout=WAIT)
