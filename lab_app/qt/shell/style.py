"""Colours and sizes that mean the same thing in every tab (see UX.md).

A fixed colour per tokenizer, one colour-blind-safe categorical palette (Okabe–Ito) for intents
and clusters, and one accent colour for probability bars. Both themes keep the meaning: only the
lightness of chip backgrounds changes with the palette.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Black is left out: it is the text colour.
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#999999",  # grey
)

TOKENIZER_COLOURS = {
    "wordpiece": "#0072B2",  # BERT: blue
    "bpe": "#D55E00",  # GPT: vermillion
    "sentencepiece": "#009E73",  # Llama: bluish green
}

ACCENT = "#0072B2"  # probability bars
# Errors and hints under a field: a red that is no tokenizer's or cluster's colour (vermillion
# already means GPT/BPE), the same in every tab.
ERROR_COLOUR = "#C62828"
ERROR_STYLE = f"color: {ERROR_COLOUR};"
HINT_STYLE = "font-style: italic;"  # a note that is no error (why a choice is greyed out)

BASE_POINT_SIZE_BOOST = 1.5  # "a notch above the system's" default font, for the back row


def categorical(i: int) -> QColor:
    return QColor(OKABE_ITO[i % len(OKABE_ITO)])


def is_dark() -> bool:
    pal = QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def chip_background(hex_colour: str, alternate: bool = False) -> QColor:
    """A light (or, in a dark theme, dark) tint of a tokenizer's colour for token chips."""
    colour = QColor(hex_colour)
    if is_dark():
        return colour.darker(260 if alternate else 200)
    return colour.lighter(185 if alternate else 165)


def scaled_font(base: QFont, zoom: float) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(6.0, base.pointSizeF() * zoom))
    return font
