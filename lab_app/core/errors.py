"""Errors a user can fix. The CLI prints them as one line and exits 2; the GUI shows them inline."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment, with a message that says what to do."""


class StoreError(UserError):
    """The model store is missing something or a file is damaged."""


class FetchError(UserError):
    """A pinned artifact could not be downloaded or did not match its sha256."""


class Cancelled(Exception):
    """Long work stopped because the caller asked it to (a new request, or the window closing)."""
