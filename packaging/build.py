"""Build the classroom bundle: a prebuilt model store, then a one-folder PyInstaller app.

    python packaging/build.py                         # store in build/bundle-store, app in dist/
    python packaging/build.py --add bert-base-uncased # also download and carry bert-base-uncased
    python packaging/build.py --add ~/bert-base-uncased --store /tmp/store

Needs the ``bundle`` extra (``pip install -e ".[bundle]"``); ``--add HF_ID`` also needs the
``fetch`` extra and internet, once, on the teacher's machine. The result is ``dist/bert-lab/``: copy
that folder as it is; students run ``bert-lab`` (``BERT Lab.exe`` on Windows) from it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "bert_lab.spec"
APP = "bert-lab"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _bert_lab(*args: str) -> None:
    """Run this checkout's ``bert-lab`` with the build's own Python (not a bundled one)."""
    cmd = [sys.executable, "-m", "lab_app", *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=_env())


def ensure_store(store: Path, add: list[str]) -> None:
    """Build the built-ins into ``store`` if they are not there (idempotent), then add models."""
    _bert_lab("--store", str(store), "models", "build")
    for item in add:
        if Path(item).expanduser().is_dir():
            _bert_lab("--store", str(store), "models", "import", item)
        else:
            _bert_lab("--store", str(store), "models", "fetch", item)
    for kind in ("models", "tokenizers"):
        if not (store / kind).is_dir():
            raise SystemExit(f"{store} has no {kind}/: not a built store")
        strays = [p for p in (store / kind).iterdir() if p.name.startswith(".")]
        for p in strays:  # an interrupted build's temporary folder must not ship
            shutil.rmtree(p, ignore_errors=True)


def run_pyinstaller(store: Path, dist: Path, work: Path) -> Path:
    from lab_app import __version__

    env = _env()
    env["BERT_LAB_BUNDLE_STORE"] = str(store)
    env["BERT_LAB_VERSION"] = __version__
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    return dist / APP


# Debug symbols that are safe to drop (about 40 MB on Linux). Not PyInstaller's strip=True: it
# also strips the auditwheel-patched libraries in numpy.libs/scipy.libs, which then fail to load
# ("ELF load command address/offset not page-aligned").
STRIPPABLE = ("llvmlite/binding/libllvmlite.so", "libpython3*.so*", "python3*/lib-dynload/*.so")


def strip_debug_symbols(bundle: Path) -> None:
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return
    internal = bundle / "_internal"
    for pattern in STRIPPABLE:
        for path in internal.glob(pattern):
            if path.is_file() and not path.is_symlink():
                subprocess.run([strip, "--strip-unneeded", str(path)], check=True)


def add_desktop_files(bundle: Path) -> None:
    """The Linux menu entry, its icon and the script that installs both for the current user."""
    if not sys.platform.startswith("linux"):
        return
    linux = ROOT / "packaging" / "linux"
    shutil.copy2(linux / "bert-lab.desktop", bundle / "bert-lab.desktop")
    shutil.copy2(linux / "install-desktop-entry.sh", bundle / "install-desktop-entry.sh")
    shutil.copy2(ROOT / "resources" / "icons" / "bert-lab.png", bundle / "bert-lab.png")


def folder_size(path: Path) -> int:
    """Bytes on disk under ``path``; links (PyInstaller's aliases of Qt and BLAS libraries) are
    not counted twice."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(bundle: Path, top: int = 14) -> list[tuple[str, int]]:
    """The bundle's total and its biggest parts: each model, then the largest folders/files."""
    internal = bundle / "_internal"
    parts: list[tuple[str, int]] = []
    for kind in ("models", "tokenizers"):
        for entry in sorted((internal / "store" / kind).iterdir()):
            parts.append((f"store/{kind}/{entry.name}", folder_size(entry)))
    others = [
        (p.name, folder_size(p))
        for p in internal.iterdir()
        if p.name != "store" and not p.is_symlink()
    ]
    # The executables carry the compiled Python modules (PyInstaller's PYZ archive).
    others += [(p.name, folder_size(p)) for p in bundle.iterdir() if p.is_file()]
    qt = internal / "PySide6" / "Qt"
    if qt.is_dir():
        others += [(f"PySide6/Qt/{p.name}", folder_size(p)) for p in qt.iterdir()]
    others.sort(key=lambda item: -item[1])
    parts += others[:top]
    return [("TOTAL", folder_size(bundle)), *parts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store",
        type=Path,
        default=ROOT / "build" / "bundle-store",
        help="the store to carry (built there if missing; default build/bundle-store)",
    )
    parser.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="HF_ID_OR_FOLDER",
        help="a further model to carry: a Hugging Face id (needs internet) or a local folder",
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument(
        "--skip-store-build", action="store_true", help="carry --store as it is (already built)"
    )
    args = parser.parse_args(argv)
    store = args.store.expanduser().resolve()
    if not args.skip_store_build:
        ensure_store(store, args.add)
    bundle = run_pyinstaller(store, args.dist.resolve(), args.work.resolve())
    strip_debug_symbols(bundle)
    add_desktop_files(bundle)
    print(f"\nbundle: {bundle}")
    for name, size in size_report(bundle):
        print(f"  {size / 2**20:8.1f} MiB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
