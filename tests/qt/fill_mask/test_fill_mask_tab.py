"""The Fill-mask tab, driven as a student would: type, Ctrl+Enter, click a word, slide layers."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lab_app.core.fill_mask.predict import predict
from lab_app.core.models.encoder import Encoder
from lab_app.qt.fill_mask.tab import EXAMPLES, FillMaskTab

pytest_plugins = ["fill_mask_fixtures"]

TIMEOUT = 20_000


@pytest.fixture
def tab(qtbot: QtBot, mlm_store_dir: Path) -> Iterator[FillMaskTab]:
    widget = FillMaskTab(store=str(mlm_store_dir))
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def shown_rows(tab: FillMaskTab) -> list[list[str]]:
    return [[token for token, _ in bar.rows] for bar in tab.guesses.bars]


def click_chip(qtbot: QtBot, tab: FillMaskTab, text: str) -> None:
    """Click the first chip showing ``text``, as a student would, and wait for the answer."""
    i = tab.chips.texts().index(text)
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        qtbot.mouseClick(
            tab.chips.viewport(), Qt.MouseButton.LeftButton, pos=tab.chips.chip_rect(i).center()
        )


def predict_text(qtbot: QtBot, tab: FillMaskTab, text: str) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.set_text(text, now=True)


def test_the_model_picker_lists_only_masked_lm_models(tab: FillMaskTab) -> None:
    items = [tab.model_combo.itemText(i) for i in range(tab.model_combo.count())]
    assert items == ["tiny-mlm"]
    assert "2 layers" in tab.model_card.text() and "hidden 32" in tab.model_card.text()
    description = tab._entries["tiny-mlm"].manifest.description
    assert description and html.escape(description) in tab.model_card.text()  # on screen
    assert "Licence" in tab.model_combo.toolTip()
    assert tab.stack.currentWidget() is tab.empty  # before any input: the examples teach
    assert [b.text() for b in tab.example_buttons] == list(EXAMPLES)


def test_typing_then_ctrl_enter_shows_the_core_predictions(
    qtbot: QtBot, tab: FillMaskTab, mlm_encoder: Encoder
) -> None:
    text = "how are [MASK] today?"
    qtbot.keyClicks(tab.sentence, text)
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        qtbot.keyClick(tab.sentence, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.sentence.toPlainText() == text  # Ctrl+Enter predicted; it added no line break
    expected = predict(mlm_encoder, text, top_k=10)
    bar = tab.guesses.bars[0]
    assert [t for t, _ in bar.rows] == [p.token for p in expected.masks[0].predictions]
    assert [p for _, p in bar.rows] == pytest.approx(
        [p.probability for p in expected.masks[0].predictions], abs=1e-6
    )
    assert bar.title == "[MASK] 1 (token 3)"
    assert tab.chips.texts() == ["[CLS]", "how", "are", "[MASK]", "today", "?", "[SEP]"]
    assert not tab.error_label.isVisible()


def test_typing_refreshes_after_a_pause(qtbot: QtBot, tab: FillMaskTab) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        qtbot.keyClicks(tab.sentence, "she opened the [MASK].")
    assert len(tab.guesses.bars) == 1 and len(tab.guesses.bars[0].rows) == 10


def test_an_example_button_predicts(qtbot: QtBot, tab: FillMaskTab) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        qtbot.mouseClick(tab.example_buttons[2], Qt.MouseButton.LeftButton)
    assert tab.sentence.toPlainText() == EXAMPLES[2]
    assert tab.stack.currentWidget() is tab.results


def test_clicking_a_word_masks_it_and_predicts(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "paris is the capital of france.")
    assert tab.error_label.isVisible() and "Add [MASK]" in tab.error_label.text()
    assert tab.guesses.bars == []
    click_chip(qtbot, tab, "france")
    assert tab.sentence.toPlainText() == "paris is the capital of [MASK]."
    assert not tab.error_label.isVisible()
    assert len(tab.guesses.bars) == 1


def test_a_split_word_is_one_mask(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "an unbelievably good [MASK]")
    texts = tab.chips.texts()
    assert "##bel" in "".join(texts) and any(t.startswith("##") for t in texts)
    click_chip(qtbot, tab, next(t for t in texts if t.startswith("##")))
    assert tab.sentence.toPlainText() == "an [MASK] good [MASK]"
    assert tab.chips.texts().count("[MASK]") == 2 and len(tab.guesses.bars) == 2


def test_moving_the_layer_view(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "how are [MASK] today?")
    tab.results.setCurrentIndex(1)
    view = tab.layer_view
    answer = tab.guesses.bars[0].rows[0][0]
    assert view.table.rowCount() == 3 and view.table.columnCount() == 1
    assert view.slider.value() == 2
    assert view.table.item(2, 0).text().startswith("rank 1 ·")
    assert f"the final answer <b>{answer}</b> ranks <b>1</b>" in view.summary.text()
    view.slider.setValue(0)
    assert "the embedding output (layer 0)" in view.summary.text()
    assert view.table.currentRow() == 0
    qtbot.keyClick(view.slider, Qt.Key.Key_Right)
    assert view.slider.value() == 1 and "At layer 1 of 2" in view.summary.text()


def test_left_to_right_changes_only_the_later_masks(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "the [MASK] sat on the [MASK] mat.")
    independent = shown_rows(tab)
    assert "predicted independently" in tab.guesses.filled.text()
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        qtbot.mouseClick(tab.sequential, Qt.MouseButton.LeftButton)
    assert tab.sequential.isChecked()
    sequential = shown_rows(tab)
    assert sequential[0] == independent[0] and sequential[1] != independent[1]
    assert "predicted left to right" in tab.guesses.filled.text()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[MASK]", "Add some words around"),
        ("a " + "[MASK] " * 12, "at most 10"),
        ("word " * 600 + "[MASK]", "limit of 512 tokens"),
    ],
)
def test_bad_input_is_calm_and_inline(
    qtbot: QtBot, tab: FillMaskTab, text: str, needle: str
) -> None:
    predict_text(qtbot, tab, text)
    assert tab.error_label.isVisible() and needle in tab.error_label.text()
    assert QApplication.activeModalWidget() is None
    if "512" in needle:  # 603 tokens: the chips stop at 600 and say how many more there are
        assert tab.chips.texts()[-1] == "… 3 more tokens"
    predict_text(qtbot, tab, "🙂 שלום [MASK] مرحبا\x07")
    assert not tab.error_label.isVisible() and len(tab.guesses.bars) == 1


def test_clearing_the_text_shows_the_examples(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "how are [MASK] today?")
    tab.set_text("", now=True)
    assert tab.stack.currentWidget() is tab.empty and tab.chips.texts() == []


def test_the_masking_panel_draws_with_a_seed(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "my dog is hairy and he likes to play in the [MASK] every day")
    tab.results.setCurrentIndex(2)
    panel = tab.masking
    first = panel.draw
    assert first is not None and first.seed == 0 and len(first.chosen) == 2
    qtbot.mouseClick(panel.again, Qt.MouseButton.LeftButton)
    assert panel.draw is not None and panel.draw.seed == 1
    assert "Seed 1: 2 of 14 tokens chosen" in panel.outcome.text()  # the [MASK] is its guess
    panel.seed.setValue(0)
    assert panel.draw == first
    assert panel.counts.rowCount() == 3
    assert panel.counts.verticalHeaderItem(2).text() == "after 1,000 draws"
    assert panel.counts.item(2, 0).text() == "2,000"


def test_export_png_svg_csv(qtbot: QtBot, tab: FillMaskTab, tmp_path: Path) -> None:
    assert tab.export_filters() == ""
    predict_text(qtbot, tab, "how are [MASK] today?")
    assert "CSV" in tab.export_filters()
    for page in (0, 1, 2):
        tab.results.setCurrentIndex(page)
        for suffix in ("png", "svg"):
            path = tmp_path / f"page{page}.{suffix}"
            tab.export_to(path)
            assert path.stat().st_size > 500
    assert "tiny-mlm · fill-mask" in (tmp_path / "page0.svg").read_text(encoding="utf-8")
    tab.results.setCurrentIndex(0)
    tab.export_to(tmp_path / "guesses.csv")
    lines = (tmp_path / "guesses.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "mask,index,rank,token,id,probability" and len(lines) == 11
    tab.results.setCurrentIndex(1)
    tab.export_to(tmp_path / "layers.csv")
    lens = (tmp_path / "layers.csv").read_text(encoding="utf-8").splitlines()
    assert lens[0].startswith("mask,index,answer,layer,rank") and len(lens) == 4


def test_state_is_remembered(qtbot: QtBot, tab: FillMaskTab, mlm_store_dir: Path) -> None:
    predict_text(qtbot, tab, "she opened the [MASK].")
    tab.top_k.setValue(5)
    tab.masking.seed.setValue(42)
    settings = QSettings()
    settings.beginGroup("tabs/fill_mask")
    tab.save_state(settings)
    again = FillMaskTab(store=str(mlm_store_dir))
    qtbot.addWidget(again)
    again.restore_state(settings)
    settings.endGroup()
    assert again.sentence.toPlainText() == "she opened the [MASK]."
    assert again.top_k.value() == 5 and again.masking.seed.value() == 42
    assert again.model_combo.currentText() == "tiny-mlm"
    with qtbot.waitSignal(again.result_shown, timeout=TIMEOUT):
        again.show()  # restored text is predicted once the tab is seen
    assert len(again.guesses.bars[0].rows) == 5
    again.shutdown()


def test_zoom_keeps_what_is_shown(qtbot: QtBot, tab: FillMaskTab) -> None:
    predict_text(qtbot, tab, "how are [MASK] today?")
    chips = tab.chips.texts()
    tab.set_zoom(1.5)
    assert tab.chips.texts() == chips and tab.chips.zoom == 1.5
    assert tab.chips.spacing() == round(3 * 1.5)


def test_no_masked_lm_model_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    empty = FillMaskTab(store=str(tmp_path))
    qtbot.addWidget(empty)
    empty.show()
    assert empty.stack.currentWidget() is empty.no_model
    assert "bert-lab models import" in empty.no_model.text()
    assert not empty.model_combo.isEnabled()
    with qtbot.waitSignal(empty.result_shown, timeout=TIMEOUT):
        empty.run_example()


def test_closing_during_a_prediction_exits_cleanly(qtbot: QtBot, mlm_store_dir: Path) -> None:
    widget = FillMaskTab(store=str(mlm_store_dir))
    qtbot.addWidget(widget)
    widget.show()
    shown: list[object] = []
    widget.result_shown.connect(lambda: shown.append(1))
    with qtbot.waitSignal(widget.runner.busy_changed, timeout=TIMEOUT):
        widget.set_text("how are [MASK] today?", now=True)  # the first job also loads the model
    assert widget.runner.busy
    assert widget.shutdown(timeout_ms=TIMEOUT)
    widget.close()
    QApplication.processEvents()
    assert shown == []  # the cancelled job's result never reached the closed tab


def test_the_masking_demo_keeps_the_users_sentence_whole(qtbot: QtBot, tab: FillMaskTab) -> None:
    """A typed [MASK] is filled with the model's top guess, never dropped (it was: "paris is the
    capital of and is [MASK] …")."""
    predict_text(qtbot, tab, "paris is the capital of [MASK] .")
    assert tab.outcome is not None and tab.outcome.result is not None
    guess = tab.outcome.result.masks[0].top.token
    draw = tab.masking.draw
    assert draw is not None
    assert draw.original == ("paris", "is", "the", "capital", "of", guess, ".")
    assert "[MASK]" not in draw.original and f"top guess ({guess})" in tab.masking.outcome.text()
    assert tab.outcome.counts and tab.outcome.counts[0].chosen > 0
