"""The Benchmarks tab on the built-in store, shown at a projector's size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab_app.qt.bench.tab import BenchTab


@pytest.fixture
def tab(show: Any, built_store_dir: Path) -> Iterator[BenchTab]:
    widget = show(BenchTab(store=str(built_store_dir)))
    yield widget
    widget.shutdown()
    widget.release()
