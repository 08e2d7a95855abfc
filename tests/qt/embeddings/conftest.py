"""Fixtures of the Embeddings tab's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lab_app.qt.embeddings.tab import EmbeddingsTab


@pytest.fixture
def make_tab(
    qtbot: QtBot, built_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], EmbeddingsTab]]:
    monkeypatch.setattr(EmbeddingsTab, "warm_up_umap", False)  # started by hand where tested
    made: list[EmbeddingsTab] = []

    def make() -> EmbeddingsTab:
        tab = EmbeddingsTab(store=str(built_store_dir))
        qtbot.addWidget(tab)
        made.append(tab)
        return tab

    yield make
    for tab in made:
        tab.shutdown()


@pytest.fixture
def tab(make_tab: Callable[[], EmbeddingsTab]) -> EmbeddingsTab:
    return make_tab()
