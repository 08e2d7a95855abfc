"""The Tokenizers tab's fixture, shared by its test files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tokenizer_views import WAIT

from lab_app.qt.tokenizers.tab import TokenizersTab


@pytest.fixture
def tab(qtbot: QtBot, built_store: Path) -> Iterator[TokenizersTab]:
    widget = TokenizersTab(built_store)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded, timeout=WAIT)
    yield widget
    assert widget.shutdown(10_000)
