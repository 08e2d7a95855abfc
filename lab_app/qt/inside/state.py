"""What the Inside tab remembers between sessions and what a lesson step gives it: its inputs and
page, not its results (they are computed again when asked for)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lab_app.core.inside.positions import KINDS

PAGES = ("head", "model", "token", "masks", "positions")
EXAMPLE_TEXT = "the cat sat on the [MASK] because it was tired ."


@dataclass
class InsideSettings:
    """QSettings group "inside", schema 1."""

    model: str = ""  # a store encoder; "" (or one not in the store): bert-lab-mlm
    text_a: str = EXAMPLE_TEXT
    text_b: str = ""  # "": one sentence, not a pair
    hide_special: bool = False
    page: str = "head"  # one of PAGES
    kind: str = KINDS[0]  # the Positions page's kind: one of KINDS
    length: int = 128  # the Positions page's positions (not used by "learned": the model's)


def current_settings(tab: Any) -> InsideSettings:
    return InsideSettings(
        model=tab.model_combo.currentText(),
        text_a=tab.text_a.text(),
        text_b=tab.text_b.text(),
        hide_special=tab.hide_special.isChecked(),
        page=tab.page(),
        kind=tab.kind_combo.currentText(),
        length=tab.length.value(),
    )


def apply_settings(tab: Any, state: InsideSettings) -> None:
    """Put ``state`` in the fields; nothing runs (the next Look inside, or run_current)."""
    if tab.model_combo.findText(state.model) >= 0:
        tab.model_combo.setCurrentText(state.model)
    tab.text_a.setText(state.text_a)
    tab.text_b.setText(state.text_b)
    tab.kind_combo.blockSignals(True)
    if state.kind in KINDS:
        tab.kind_combo.setCurrentText(state.kind)
    tab.kind_combo.blockSignals(False)
    tab.length.setValue(state.length)
    tab.hide_special.setChecked(state.hide_special)  # redraws a result already shown
    if state.page in PAGES:
        tab.pages.setCurrentIndex(PAGES.index(state.page))
