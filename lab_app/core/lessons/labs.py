"""The labs a lesson step may name, with the schema of each lab's saved state and its title.

The window's registry (``lab_app/qt/registry.py``) is the source of truth; this Qt-free copy lets
``bert-lab lesson check`` judge a file without a window, and ``tests/qt/shell/test_lessons.py``
fails if the two ever disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LAB_TITLES: dict[str, str] = {
    "fill_mask": "Fill-mask",
    "tokenizers": "Tokenizers",
    "specs": "Model specs",
    "embeddings": "Embeddings",
    "prompting": "Prompting",
    "finetune": "Fine-tuning",
    "inside": "Inside",
    "pretrain": "Pre-training",
    "bench": "Benchmarks",
}
LAB_SCHEMAS: dict[str, int] = {lab: 1 for lab in LAB_TITLES}

#: How a lab's saved state moves forward: ``MIGRATIONS[lab][n]`` turns a schema-``n`` state into a
#: schema-``n + 1`` one. A lab that changes its state's layout bumps its schema here and in its tab
#: and adds the step, so a lesson made before still opens. (Every lab is at schema 1 so far.)
MIGRATIONS: dict[str, dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}


def migrate(lab: str, schema: int, state: dict[str, Any]) -> dict[str, Any]:
    """``state``, saved at ``schema``, brought to the lab's current schema; a KeyError names the
    first step no migration covers."""
    for n in range(schema, LAB_SCHEMAS[lab]):
        state = MIGRATIONS.get(lab, {})[n](dict(state))
    return state
