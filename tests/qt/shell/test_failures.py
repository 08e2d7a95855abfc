"""Every failure shown is one escaped sentence, and an unexpected one is logged in full."""

from __future__ import annotations

import logging
import sys

import pytest

from lab_app.core.errors import UserError
from lab_app.qt.shell.failures import describe


def test_a_user_error_is_shown_as_it_is_but_escaped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        text = describe(UserError("'<b>a&b</b>.txt' is empty"), "Counting the corpus")
    assert text == "&#x27;&lt;b&gt;a&amp;b&lt;/b&gt;.txt&#x27; is empty"
    assert not caplog.records


def test_an_unexpected_error_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise KeyError("<script>")
    except KeyError as exc:
        with caplog.at_level(logging.INFO):
            text = describe(exc, "Counting the corpus")
    assert text.startswith("Counting the corpus failed (KeyError: &#x27;&lt;script&gt;&#x27;)")
    assert "Log file" in text and "<" not in text
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_the_log_file_rotates(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from logging.handlers import RotatingFileHandler

    from lab_app.qt.shell import application

    monkeypatch.setattr(application, "log_file", lambda: tmp_path / "bert-lab.log")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # setup_logging replaces it
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)
    before = list(root.handlers)
    try:
        application.setup_logging()
        (handler,) = [h for h in root.handlers if h not in before]
        assert isinstance(handler, RotatingFileHandler)
        assert handler.maxBytes == application.LOG_BYTES and handler.backupCount == 3
        for _ in range(3 * application.LOG_BYTES // 100 + 10):
            logging.getLogger("lab_app.test").warning("x" * 90)
        assert (tmp_path / "bert-lab.log").stat().st_size <= application.LOG_BYTES
        assert (tmp_path / "bert-lab.log.1").is_file()
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
