"""Where the data the app ships (``resources/``, and the trained weights under ``models/``) lies.

Three places, in this order: a PyInstaller bundle (``sys._MEIPASS``); a checkout, where both
folders sit at the top of the repository, two levels above this file (an editable install reads
them there too); and an installed wheel, which carries what the app reads at run time inside the
package, in ``lab_app/_data/`` (copied there by the build: ``setup.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # lab_app/
PACKAGE_DATA = _PACKAGE / "_data"  # keep in step with setup.py


def bundle_dir() -> Path | None:
    """The data folder of a PyInstaller bundle (``sys._MEIPASS``); ``None`` when not bundled."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return None


def _checkout() -> Path | None:
    """The repository around the package, when the package is run from one."""
    top = _PACKAGE.parent
    if (top / "pyproject.toml").is_file() and (top / "resources").is_dir():
        return top
    return None


def _top() -> Path:
    bundle = bundle_dir()
    if bundle is not None:
        return bundle
    checkout = _checkout()
    if checkout is not None:
        return checkout
    if PACKAGE_DATA.is_dir():
        return PACKAGE_DATA
    return _PACKAGE.parent  # nothing found: paths in error messages name where a checkout has it


def models_dir() -> Path:
    """The ``models/`` folder: the shipped weights of the project's models (``bert-lab-mlm``'s
    delta and its recipe); in a checkout also their recipes, which a wheel does not carry."""
    return _top() / "models"


def resources_dir() -> Path:
    """The ``resources/`` folder: sample dataset, prompting tasks, spec tables, lecture notes, icon.

    It sits beside the package rather than inside it, so a frozen app must carry it as data at the
    bundle root (``sys._MEIPASS``) and a wheel as package data (``lab_app/_data/resources``); a
    checkout finds it two levels above this file.
    """
    return _top() / "resources"
