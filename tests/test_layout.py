"""The layout's rules: a lab is a folder on each side of the Qt line, and the imports obey it.

The import rules themselves are import-linter contracts in ``pyproject.toml`` (core never imports
Qt, the CLI imports only core, labs never import each other, run-time code never imports
``core/models/build``, no cycles); this runs them, so a broken rule fails the suite and not only
``lint-imports``.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lab_app"
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def test_import_contracts_are_kept() -> None:
    """In a process of its own: in this one, a library that set up logging on a test's captured
    stderr (rouge-score's absl) made import-linter's run end the whole pytest process."""
    run = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    assert "0 broken" in run.stdout


def test_the_graph_sees_real_imports() -> None:
    """The contracts are not vacuous: the graph they check sees the imports that do exist."""
    import grimp

    graph = grimp.build_graph("lab_app", include_external_packages=True, cache_dir=None)

    def chains(importer: str, imported: str) -> set[tuple[str, ...]]:
        return graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True)

    assert not chains("lab_app.core", "PySide6")
    assert not chains("lab_app.cli", "lab_app.qt")
    # the same query finds the imports that do exist, so an empty answer above means something
    assert chains("lab_app.qt", "PySide6")
    assert chains("lab_app.cli", "lab_app.core")
    # the build code's exceptions are real imports too (inside functions: the graph sees those)
    assert chains("lab_app.cli.models_cmd", "lab_app.core.models.build")


def _fresh_python(code: str) -> str:
    """What ``code`` prints in a new interpreter (nothing imported before it)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def _labs(side: str) -> set[str]:
    return {p.name for p in (PACKAGE / side).iterdir() if (p / "__init__.py").is_file()}


def test_every_lab_is_a_folder_on_both_sides() -> None:
    from lab_app.qt.registry import TABS

    shared_core = {"models", "io", "mlm", "taskmodels", "engine", "lessons"}
    shared_qt = {"shell"}
    core_labs, qt_labs = _labs("core") - shared_core, _labs("qt") - shared_qt
    assert core_labs == qt_labs, (core_labs, qt_labs)
    registered = {spec.module.split(".")[2] for spec in TABS}
    assert registered == qt_labs


def test_every_registered_tab_module_imports() -> None:
    """A lab missing from a build fails here loudly (there is no placeholder tab any more)."""
    from lab_app.qt.registry import TABS

    for spec in TABS:
        module = importlib.import_module(spec.module)
        assert hasattr(module, spec.cls), spec


def test_modules_stay_small() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert not too_long, too_long


def test_importing_all_of_core_loads_no_qt() -> None:
    """What the contracts say statically, checked at run time: every core module, imported in a
    fresh interpreter, leaves PySide6 and pyqtgraph unloaded (the CLI and tests stay Qt-free)."""
    code = (
        "import importlib, pkgutil, sys, lab_app.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'lab_app.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'pyqtgraph'}))\n"
    )
    assert _fresh_python(code) == "[]"


#: What nothing may load just by being imported, outside ``core/models/build``: ``import onnx``
#: holds the GIL for about a second (measured: 1.1 s on two cores), which freezes the window even
#: from a worker thread; ``gguf`` and ``safetensors`` only read checkpoints, which is building too.
BUILD_ONLY = ("onnx", "gguf", "safetensors", "lab_app.core.models.build")


def _first_to_load(modules: list[str], watched: tuple[str, ...] = BUILD_ONLY) -> dict[str, list]:
    """Import ``modules`` in order in a fresh interpreter: each one that loads a ``watched``
    module (or a submodule of one), with what it loaded. Empty when none does."""
    code = (
        "import importlib, json, os, sys\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        f"modules, watched = {modules!r}, {watched!r}\n"
        "inside = tuple(w + '.' for w in watched)\n"
        "seen, found = set(), {}\n"
        "for name in modules:\n"
        "    importlib.import_module(name)\n"
        "    now = {m for m in sys.modules if m in watched or m.startswith(inside)}\n"
        "    if now - seen:\n"
        "        found[name] = sorted(now - seen)\n"
        "    seen |= now\n"
        "print(json.dumps(found))\n"
    )
    found: dict[str, list] = json.loads(_fresh_python(code))
    return found


def _tab_modules() -> list[str]:
    from lab_app.qt.registry import TABS

    return [spec.module for spec in TABS]


def test_the_warm_up_never_imports_onnx() -> None:
    """The prewarm thread imports every registered tab's module (with the heavy libraries and the
    tabs' ``warm`` functions) while the window is up: none of that may bring in ``onnx``."""
    from lab_app.qt.registry import TABS
    from lab_app.qt.shell.prewarm import HEAVY_MODULES

    warm = [spec.warm.split(":")[0] for spec in TABS if spec.warm]
    assert _first_to_load([*HEAVY_MODULES, *_tab_modules(), *warm], ("onnx",)) == {}


def test_the_window_and_the_tabs_import_no_build_code() -> None:
    """The window and every registered tab module, each imported as the app does, load none of
    the build-time libraries. The last module, a builder, shows that the check sees them."""
    control = "lab_app.core.models.build.bert_onnx"
    found = _first_to_load(["lab_app.qt.main_window", *_tab_modules(), control])
    assert list(found) == [control], found
    assert {"onnx", "lab_app.core.models.build"} <= set(found[control])


def test_core_run_time_modules_import_no_build_code() -> None:
    """Every module of core outside ``core/models/build`` (what the tabs import when they
    compute, and the command line) imports onnx, gguf and safetensors, if at all, only inside the
    function that needs them."""
    import pkgutil

    import lab_app.core as core

    run_time = [
        m.name
        for m in pkgutil.walk_packages(core.__path__, "lab_app.core.")
        if not m.name.startswith("lab_app.core.models.build")
    ]
    assert _first_to_load(run_time) == {}


def test_a_missing_reference_library_fails_when_ci_requires_it(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import pytest\n\ndef test_needs_it():\n    pytest.importorskip('no_such_reference_lib')\n",
        encoding="utf-8",
    )
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    env.pop("BERT_LAB_REFERENCE_TEST", None)  # CI sets it for this very run
    cmd = [*base, "--rootdir", str(tmp_path), str(probe)]
    relaxed = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "1 skipped" in relaxed.stdout, relaxed.stdout[-2000:]
    env["BERT_LAB_REFERENCE_TEST"] = "required"
    strict = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert strict.returncode != 0 and "1 failed" in strict.stdout, strict.stdout[-2000:]


def test_the_window_opens_without_the_heavy_libraries() -> None:
    """First paint waits for none of them: they are imported in the background once the window
    is up (the NSP panel's module imported ONNX Runtime through the encoder and put 90 ms on
    every start; numpy, through the export and NSP modules, put 110 ms more)."""
    code = (
        "import os, sys\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from lab_app.qt.main_window import MainWindow\n"
        "window = MainWindow(None, '', remember=False)\n"
        "heavy = ('onnxruntime', 'onnx', 'sklearn', 'umap', 'numba', 'torch', 'scipy', 'numpy')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    assert _fresh_python(code) == "[]"
