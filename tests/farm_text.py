"""A short, very regular English-like text for tests that train on a corpus file: "the cat sees
a dog." and so on, 10 nouns and 8 verbs, seeded. Word order carries most of the information, so a
tiny model learns it in a few dozen steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np

NOUNS = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse", "hen", "duck"]
VERBS = ["sees", "likes", "finds", "hears", "follows", "feeds", "meets", "calls"]


def write_farm_text(folder: Path, sentences: int = 600, seed: int = 0) -> Path:
    """``folder/farm.txt`` with ``sentences`` lines; returns its path."""
    rng = np.random.default_rng(seed)
    lines = [
        f"the {rng.choice(NOUNS)} {rng.choice(VERBS)} a {rng.choice(NOUNS)}."
        for _ in range(sentences)
    ]
    path = folder / "farm.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
