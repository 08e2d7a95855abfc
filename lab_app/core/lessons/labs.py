"""The labs a lesson step may name, with the schema of each lab's saved state and its title.

The window's registry (``lab_app/qt/registry.py``) is the source of truth; this Qt-free copy lets
``bert-lab lesson check`` judge a file without a window, and ``tests/qt/shell/test_lessons.py``
fails if the two ever disagree.
"""

from __future__ import annotations

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
