"""The one rule for random seeds, shared by every lab, command and control.

A seed is a whole number from 0 to 2³²−1: NumPy's generators refuse negatives, scikit-learn's
``random_state`` takes at most 2³²−1, and the same number must mean the same draw in the window
and on the command line. Core functions that take a seed call :func:`check_seed` where they start,
so a bad seed is a one-line :class:`UserError` instead of a traceback from deep inside NumPy.

Qt's spin boxes hold at most 2³¹−1, so the window offers the subset up to :data:`GUI_SEED_MAX`;
every seed it can show is one the command line takes too.
"""

from __future__ import annotations

from typing import SupportsIndex

from lab_app.core.errors import UserError

SEED_MAX = 2**32 - 1
GUI_SEED_MAX = 2**31 - 1  # a QSpinBox's largest value; every seed control's maximum


def check_seed(value: object) -> int:
    """``value`` as an ``int`` when it is a seed, else a :class:`UserError` that says the rule.

    Integers of any kind (NumPy's too) are taken; ``True``, ``1.5`` and ``"7"`` are not: a seed
    that silently became 1 or 7 would replay a draw the student did not ask for.
    """
    if isinstance(value, SupportsIndex) and not isinstance(value, bool):
        seed = value.__index__()
        if 0 <= seed <= SEED_MAX:
            return seed
        shown = str(seed)
    else:
        shown = repr(value)
    raise UserError(f"a seed is a whole number from 0 to {SEED_MAX}, not {shown}")
