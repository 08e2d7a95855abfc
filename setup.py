"""Build hook only: pyproject.toml holds BERT Lab's configuration.

The app reads data that lies at the top of the repository (``resources/``, and the masked-LM
delta under ``models/``), beside the package rather than in it. A checkout and the PyInstaller
bundle find it there; a wheel (``pip install .``, a package index, pipx) has no tree beside it, so
``build_py`` copies what the app reads at run time into the package, under ``lab_app/_data/``,
where ``lab_app.core.resources`` looks last. An editable install copies nothing: it reads the
checkout. MANIFEST.in puts the same files into the sdist, so a wheel built from it has them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACKAGE_DATA = Path("lab_app", "_data")  # keep in step with lab_app/core/resources.py
# What the running app reads, relative to the project root (a folder is taken whole). Of models/
# only the trained weights of bert-lab-mlm and of the task models, with their recipe and cards
# (whose sha256 the built models record):
# the training scripts and corpus stay in the repository.
SHIPPED = (
    "resources",
    "models/bert-lab-mlm/weights/delta.safetensors",
    "models/bert-lab-mlm/weights/recipe.json",
    "models/bert-lab-tasks/weights",
    # the task models' held-out test files: the Benchmarks lab scores the models on them
    "models/bert-lab-tasks/data",
)
_SKIP = ("__pycache__", ".DS_Store")


def _files(root: Path) -> list[Path]:
    """The files of ``SHIPPED`` under the project ``root``, relative to it."""
    found: list[Path] = []
    for name in SHIPPED:
        path = root / name
        if path.is_file():
            found.append(Path(name))
        elif path.is_dir():
            found += sorted(
                p.relative_to(root)
                for p in path.rglob("*")
                if p.is_file() and not any(part in _SKIP for part in p.parts)
            )
        else:
            raise SystemExit(
                f"{name} is missing: a wheel of BERT Lab needs it (build from a checkout or from "
                "the complete sdist)"
            )
    return found


class BuildPyWithData(build_py):
    """``build_py`` that also copies the top-level data the app reads into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / PACKAGE_DATA
        if target.exists():  # no stale file from an earlier build
            shutil.rmtree(target)
        for rel in _files(Path.cwd()):
            dest = target / rel
            self.mkpath(str(dest.parent))
            self.copy_file(str(rel), str(dest))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        target = Path(self.build_lib) / PACKAGE_DATA
        return outputs + [str(target / rel) for rel in _files(Path.cwd())]


setup(cmdclass={"build_py": BuildPyWithData})
