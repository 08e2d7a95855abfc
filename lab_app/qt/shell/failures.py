"""One calm sentence for the user and the whole story for the log, for every failure shown;
and the one question asked before an export replaces a file the user did not name.

A :class:`~lab_app.core.errors.UserError` already says what to do; it is shown as it is. Anything
else is unexpected: its traceback goes to the log file (Help → Log file) at ERROR, and the user
reads one sentence that names what failed. Either way the text is HTML-escaped, since the labels
it lands in render rich text and an exception's message can hold ``<`` and ``&``.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

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


def confirm_overwrite(parent: object, path: Path) -> bool:
    """The save dialog asked about ``path`` itself; ask about what an export writes beside it
    (a .tsv's ``metadata.tsv``) before it is replaced. True: go ahead."""
    from PySide6.QtWidgets import QMessageBox

    from lab_app.core.io.export import written_by

    beside = [p for p in written_by(path)[1:] if p.exists()]
    if not beside:
        return True
    names = ", ".join(p.name for p in beside)
    answer = QMessageBox.question(
        parent,  # type: ignore[arg-type]
        "Replace files?",
        f"Exporting {path.name} also writes {names} beside it, and that file exists. Replace it?",
    )
    return answer == QMessageBox.StandardButton.Yes
