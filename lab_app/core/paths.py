"""Where the model store and the download cache live.

The store is a per-user data folder (platformdirs) unless ``--store`` or ``$BERT_LAB_STORE`` says
otherwise. Downloads of pinned artifacts are cached apart from the store so that ``models build
--repair`` can rebuild a damaged store without the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "bert-lab"
STORE_ENV = "BERT_LAB_STORE"
CACHE_ENV = "BERT_LAB_CACHE"


def store_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The writable model store: the explicit override, then ``$BERT_LAB_STORE``, then per-user."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "store"


def cache_dir() -> Path:
    """Downloaded artifacts (wheels, sdists) kept for offline rebuilds."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
