"""One calm sentence for the user and the whole story for the log, for every failure shown.

A :class:`~lab_app.core.errors.UserError` already says what to do; it is shown as it is. Anything
else is unexpected: its traceback goes to the log file (Help → Log file) at ERROR, and the user
reads one sentence that names what failed. Either way the text is HTML-escaped, since the labels
it lands in render rich text and an exception's message can hold ``<`` and ``&``.
"""

from __future__ import annotations

import html
import logging

from lab_app.core.errors import UserError

log = logging.getLogger("lab_app")


def describe(exc: object, doing: str) -> str:
    """``exc`` as escaped text for a label; ``doing`` names the work ("Counting the corpus")."""
    if isinstance(exc, UserError):
        return html.escape(str(exc))
    if isinstance(exc, BaseException):
        log.error("%s failed", doing, exc_info=exc)
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    else:
        log.error("%s failed: %r", doing, exc)
        detail = str(exc)
    return html.escape(
        f"{doing} failed ({detail}). The details are in the log file (Help → Log file)."
    )
