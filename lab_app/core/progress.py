"""The one progress/cancel protocol every long core function takes.

A long function receives a ``progress`` and calls ``progress(done, total, message)`` at each
natural step (a batch, a file, a model). The call is both a progress tick and a cancel point: it
returns False once the caller wants the work stopped, and the function then stops, usually by
raising :class:`~lab_app.core.errors.Cancelled` (:func:`tick` does both in one line). Where the
work waits on something that does not tick (a child process), it polls ``progress.cancelled()``.

Who passes what:

- the GUI passes its runner's reporter (:class:`lab_app.qt.shell.runner.Reporter`), which turns
  ticks into a progress bar and Cancel into False;
- the CLI passes :class:`TextBar` (a one-line bar on stderr; stdout stays clean for ``--json``) or
  nothing;
- tests pass nothing: :data:`SILENT` never cancels.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol, TextIO, runtime_checkable

from lab_app.core.errors import Cancelled


@runtime_checkable
class Progress(Protocol):
    """``progress(done, total, message="") -> bool`` plus ``cancelled() -> bool``."""

    def __call__(self, done: int, total: int, message: str = "") -> bool: ...

    def cancelled(self) -> bool: ...


class Silent:
    """Progress that shows nothing and never cancels: the default of every long function."""

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return True

    def cancelled(self) -> bool:
        return False


SILENT: Progress = Silent()


def tick(progress: Progress, done: int, total: int, message: str = "") -> None:
    """Report a step, and raise :class:`Cancelled` if the caller asked to stop."""
    if progress(done, total, message) is False:
        raise Cancelled()


class TextBar:
    """A one-line text progress bar (the command line's): redrawn in place on a terminal, one line
    per step in a log; it never cancels (Ctrl+C does, as KeyboardInterrupt)."""

    def __init__(self, stream: TextIO | None = None, width: int = 24) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = False

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        filled = self.width * min(done, total) // max(total, 1)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {message}".rstrip()
        if self.tty:
            self.stream.write("\r" + line.ljust(78)[:78])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._drawn = True
        return True

    def cancelled(self) -> bool:
        return False

    def close(self) -> None:
        """End the bar's line (on a terminal) so the next output starts on its own line."""
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()


class Relabelled:
    """``progress`` with each message rewritten (``label(done, total, message)``): a step of a
    larger job says which step it is; ``cancelled()`` is the outer progress's."""

    def __init__(self, progress: Progress, label: Callable[[int, int, str], str]) -> None:
        self._progress, self._label = progress, label

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        return self._progress(done, total, self._label(done, total, message))

    def cancelled(self) -> bool:
        return self._progress.cancelled()
