"""Where the data the app ships (``resources/``) lies, from a checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def bundle_dir() -> Path | None:
    """The data folder of a PyInstaller bundle (``sys._MEIPASS``); ``None`` when not bundled."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return None


def _top() -> Path:
    return bundle_dir() or Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    """The top-level ``models/`` folder: recipes and the shipped weights of the project's models."""
    return _top() / "models"


def resources_dir() -> Path:
    """The top-level ``resources/`` folder.

    ``resources/`` sits beside the package rather than inside it, so a frozen app must carry it as
    data at the bundle root (``sys._MEIPASS``); a checkout finds it two levels above this file.
    """
    return _top() / "resources"
