"""Build the classroom bundle once (PyInstaller, one folder) and use it as a student would.

Each run uses a fresh home folder, no Python on PATH, no PYTHONPATH, and, where the system lets an
unprivileged process have its own network namespace, no network at all. Slow (a minute or two to
build): skipped where PyInstaller is not installed, unless ``BERT_LAB_BUNDLE_TEST=required``
(``.ci/run`` sets it). ``BERT_LAB_BUNDLE_DIR`` reuses a bundle built earlier.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from window_check import assert_window_stays_up

from lab_app import __version__

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "datasets" / "helpdesk_chatbot.csv"
TABS = [
    "fill_mask", "tokenizers", "specs", "embeddings", "prompting", "finetune", "inside", "pretrain"
]  # fmt: skip
# The labs' further examples: each built-in task model tried; a word in contexts, sentences.
SHOTS = [*TABS[:6], "finetune_tag", "finetune_qa", "finetune_pair", "inside", "pretrain",
         "pretrain_context", "pretrain_sentences", "pretrain_live",
         "bench", "bench_metrics", "bench_choice", "bench_squad", "bench_glue"]  # fmt: skip
pytestmark = pytest.mark.bundle


def _no_network_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and sys.platform.startswith("linux"):
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-rn"]
    return []


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@dataclass
class Bundle:
    folder: Path
    home: Path
    prefix: list[str]
    before: dict[str, tuple[int, int]]

    @property
    def exe(self) -> Path:
        return self.folder / ("bert-lab.exe" if sys.platform == "win32" else "bert-lab")

    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "BERT_LAB_UMAP_WARMUP": "0",
        }

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, str(self.exe), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.home,
        )


@pytest.fixture(scope="module")
def bundle(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    reuse = os.environ.get("BERT_LAB_BUNDLE_DIR")
    if reuse:
        folder = Path(reuse)
    else:
        if importlib.util.find_spec("PyInstaller") is None:
            why = 'PyInstaller is not installed (pip install -e ".[bundle]")'
            if os.environ.get("BERT_LAB_BUNDLE_TEST") == "required":
                pytest.fail(why)
            pytest.skip(why)
        out = tmp_path_factory.mktemp("bundle")
        cmd = [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--store",
            str(built_store_dir),
            "--skip-store-build",
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ]
        started = time.monotonic()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        print(f"bundle built in {time.monotonic() - started:.0f} s\n{done.stdout[-1500:]}")
        folder = out / "dist" / "bert-lab"
    home = tmp_path_factory.mktemp("student-home")
    yield Bundle(folder, home, _no_network_prefix(), _snapshot(folder))


def test_version(bundle: Bundle) -> None:
    r = bundle.run("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"bert-lab {__version__}\n"


def test_bundle_carries_only_what_the_app_needs(bundle: Bundle) -> None:
    internal = bundle.folder / "_internal"
    for name in ("resources/specs/index.json", "resources/icons/bert-lab.png"):
        assert (internal / name).is_file(), name
    for unwanted in ("torch", "transformers", "matplotlib", "tkinter", "PIL", "pandas", "pytest"):
        assert not (internal / unwanted).exists(), unwanted
    qt_libs = " ".join(p.name for p in (internal / "PySide6" / "Qt" / "lib").iterdir())
    for module in ("WebEngine", "Quick", "Qml", "3D", "Multimedia", "Pdf"):
        assert f"libQt6{module}" not in qt_libs, module
    if sys.platform.startswith("linux"):
        platforms = {p.name for p in (internal / "PySide6/Qt/plugins/platforms").iterdir()}
        assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= platforms
        assert not platforms & {"libqvnc.so", "libqlinuxfb.so", "libqeglfs.so"}
        assert (internal / "PySide6/Qt/plugins/imageformats/libqsvg.so").is_file()
        assert not (internal / "PySide6/Qt/translations").exists()
        assert (bundle.folder / "bert-lab.desktop").is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux desktop entry")
def test_desktop_entry_points_at_the_copied_folder(bundle: Bundle) -> None:
    data = bundle.home / "xdg-data"
    env = {**bundle.env(), "XDG_DATA_HOME": str(data)}
    script = bundle.folder / "install-desktop-entry.sh"
    r = subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    entry = (data / "applications" / "bert-lab.desktop").read_text(encoding="utf-8")
    assert f'Exec="{bundle.folder}/bert-lab"' in entry
    assert "Icon=bert-lab" in entry and "@BUNDLE_DIR@" not in entry
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "bert-lab.png"
    assert icon.read_bytes() == (ROOT / "resources" / "icons" / "bert-lab.png").read_bytes()


def test_bundled_store_first_user_store_second(bundle: Bundle) -> None:
    r = bundle.run("models", "list", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["bundled"] == [str(bundle.folder / "_internal" / "store")]
    assert Path(doc["store"]).is_relative_to(bundle.home)  # the student's own, writable store
    names = {m["name"] for m in doc["models"]}
    assert {"all-MiniLM-L6-v2", "bert-lab-mlm", "paraphrase-MiniLM-L3-v2"} <= names
    assert all(m["read_only"] for m in doc["models"])
    assert {t["name"] for t in doc["tokenizers"]} == {"wordpiece", "bpe", "sentencepiece"}
    # Nothing to build: the built-ins are inside, and the bundle has no pip to download with.
    r = bundle.run("models", "build", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["built"] == []


def test_screenshot_every_tab_working(bundle: Bundle) -> None:
    from PySide6.QtGui import QImage

    shots = bundle.home / "shots"
    r = bundle.run("screenshot", str(shots), "--size", "1280x800", "--json")
    assert r.returncode == 0, r.stderr
    tabs = json.loads(r.stdout)["tabs"]
    assert [t["tab"] for t in tabs] == SHOTS
    for t in tabs:
        assert t["answered"], f"{t['tab']}: the example's answer never arrived"
        image = QImage(t["file"])
        assert (image.width(), image.height()) == (1280, 800)
        small = image.scaled(64, 44)
        colours = {small.pixel(x, y) for x in range(64) for y in range(44)}
        assert len(colours) > 40, f"{t['tab']} looks blank ({len(colours)} colours)"


def test_umap_compiles_into_the_user_cache(bundle: Bundle) -> None:
    r = bundle.run(
        "cluster", str(SAMPLE), "--model", "all-MiniLM-L6-v2", "--pooling", "sbert",
        "--k", "14", "--projection", "umap", "--json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["n"] == 279 and doc["projection"] == "umap"
    numba_cache = bundle.home / ".cache" / "bert-lab" / "numba"
    assert any(numba_cache.rglob("*.nbi")), "numba's kernels were not cached for the next start"
    assert not (bundle.home / ".cache" / "numba").exists()


def test_no_arguments_opens_the_window(bundle: Bundle) -> None:
    assert_window_stays_up([*bundle.prefix, str(bundle.exe)], bundle.env(), bundle.home, 15)
    assert list(bundle.home.rglob("bert-lab.log")), "the app did not start its log file"


def test_nothing_was_written_inside_the_bundle(bundle: Bundle) -> None:
    # Runs last in this module: every command above has run from the bundle by now.
    after = _snapshot(bundle.folder)
    added = sorted(set(after) - set(bundle.before))
    changed = sorted(k for k in bundle.before if after.get(k) != bundle.before[k])
    assert not added and not changed, (added[:10], changed[:10])
