"""Colours and sizes that mean the same thing in every tab.

A fixed colour per tokenizer, colour-blind-safe categorical colours for intents and clusters
(Okabe–Ito up to 8, Paul Tol's discrete rainbow up to 23), and one accent colour for probability
bars. Both themes keep the meaning: only the lightness of chip backgrounds changes with the
palette.
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


# Paul Tol's discrete rainbow (personal.sron.nl/~pault, "colour schemes", fig. 22): 29 colours
# and, for each number of categories from 9 to 23, the subset that stays distinguishable, also
# to colour-blind eyes. Up to 8 categories keep Okabe–Ito.
TOL_RAINBOW = (
    "#E8ECFB", "#D9CCE3", "#D1BBD7", "#CAACCB", "#BA8DB4", "#AE76A3", "#AA6F9E", "#994F88",
    "#882E72", "#1965B0", "#437DBF", "#5289C7", "#6195CF", "#7BAFDE", "#4EB265", "#90C987",
    "#CAE0AB", "#F7F056", "#F7CB45", "#F6C141", "#F4A736", "#F1932D", "#EE8026", "#E8601C",
    "#E65518", "#DC050C", "#A5170E", "#72190E", "#42150A",
)  # fmt: skip
_TOL_SUBSETS = {  # number of categories -> 1-based indices into TOL_RAINBOW (Tol's table)
    9: (9, 10, 14, 15, 17, 18, 23, 26, 28),
    10: (9, 10, 14, 15, 17, 18, 21, 24, 26, 28),
    11: (9, 10, 12, 14, 15, 17, 18, 21, 24, 26, 28),
    12: (3, 6, 9, 10, 12, 14, 15, 17, 18, 21, 24, 26),
    13: (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 21, 24, 26),
    14: (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26),
    15: (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    16: (3, 5, 7, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    17: (3, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    18: (3, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    19: (2, 4, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    20: (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    21: (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28),
    22: (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28, 29),
    23: (1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28, 29),
}


def category_colours(n: int) -> tuple[str, ...]:
    """``n`` distinct colour-blind-safe colours (up to 23; beyond, they repeat and the map's
    marker shapes tell the groups apart)."""
    if n <= len(OKABE_ITO):
        return OKABE_ITO
    subset = _TOL_SUBSETS[min(n, max(_TOL_SUBSETS))]
    return tuple(TOL_RAINBOW[i - 1] for i in subset)


def categorical(i: int, n: int = len(OKABE_ITO)) -> QColor:
    colours = category_colours(n)
    return QColor(colours[i % len(colours)])


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
