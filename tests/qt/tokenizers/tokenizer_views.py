"""What the Tokenizers tab's test files share: the reference cut of each store tokenizer, and
waiting for the tab to show a text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pytestqt.qtbot import QtBot
from tokenizers import Tokenizer

from lab_app.core.tokenizers.tokenize import (
    TokenizeResult,
    display_token,
    load_store_tokenizer,
    tokenize,
)
from lab_app.qt.tokenizers.chips import MAX_CHIPS
from lab_app.qt.tokenizers.tab import TokenizersTab

NAMES = ("wordpiece", "bpe", "sentencepiece")
WAIT = 20_000


@cache
def _reference(root: Path, name: str) -> Tokenizer:
    return load_store_tokenizer(root / "tokenizers" / name / "tokenizer.json")


def _ref(root: Path, name: str, text: str) -> TokenizeResult:
    return tokenize(_reference(root, name), text, name=name, model="m")


def _chips(root: Path, name: str, text: str) -> list[str]:
    return [display_token(name, t) for t in _ref(root, name, text).tokens[:MAX_CHIPS]]


def _wait_for(qtbot: QtBot, tab: TokenizersTab, text: str) -> None:
    qtbot.waitUntil(
        lambda: tab.comparison is not None and tab.comparison.text == text and not tab.runner.busy,
        timeout=WAIT,
    )
