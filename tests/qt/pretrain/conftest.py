"""The Pre-training tab on the built-in store, shown at a projector's size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab_app.qt.pretrain.tab import PretrainTab


@pytest.fixture
def tab(show: Any, built_store_dir: Path) -> Iterator[PretrainTab]:
    widget = show(PretrainTab(store=str(built_store_dir)))
    yield widget
    widget.shutdown()
    widget.release()  # its encoders share bert-lab-mlm's session with the other labs
