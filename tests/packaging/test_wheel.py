"""A wheel of BERT Lab works on its own: built from this checkout, installed with no tree beside it.

``pip wheel .`` (no build isolation and no index: nothing is downloaded), then ``pip install
--target`` into a folder that is the only place ``lab_app`` is found (``PYTHONPATH``; the editable
install's finder comes after it on the path), and every command of the README's list run from
there, in a working directory outside the checkout, as a wheel from a package index would be: the
data under ``resources/`` and the masked-LM delta under ``models/`` must come from the wheel.
``models build`` builds every built-in from the test artifact cache ($BERT_LAB_CACHE: no download)
into a fresh store, whose files must equal the test store's; the other commands run on it.

Slow-ish (about a minute: the build is most of it). The build writes nothing into the checkout:
its ``build/`` and ``*.egg-info`` folders go to a temporary folder (``DIST_EXTRA_CONFIG``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from window_check import assert_window_stays_up

from lab_app import __version__

ROOT = Path(__file__).resolve().parents[2]
DATA = "lab_app/_data/"  # where setup.py puts the data in the wheel
MODEL_FILES = (
    "models/bert-lab-mlm/weights/delta.safetensors",
    "models/bert-lab-mlm/weights/recipe.json",
)
SAMPLE = "resources/datasets/helpdesk_chatbot.csv"
pytestmark = pytest.mark.slow


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Installed:
    wheel: Path
    site: Path
    home: Path
    store: Path
    cache: Path

    @property
    def data(self) -> Path:
        return self.site / DATA

    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BERT_LAB_", "XDG_"))
        }
        env.update(
            PYTHONPATH=str(self.site),
            PYTHONNOUSERSITE="1",
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_STATE_HOME=str(self.home / "state"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            BERT_LAB_NO_NETWORK="1",  # the network guard, in every process started here
            BERT_LAB_STORE=str(self.store),
            BERT_LAB_CACHE=str(self.cache),  # the pinned artifacts: a build downloads nothing
            BERT_LAB_UMAP_WARMUP="0",
            QT_QPA_PLATFORM="offscreen",
        )
        return env

    def python(self, code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code], env=self.env(), cwd=self.home,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``bert-lab ARGS`` through the wheel's own console script."""
        script = self.site / "bin" / "bert-lab"
        return subprocess.run(
            [sys.executable, str(script), *args], env=self.env(), cwd=self.home,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def json(self, *args: str, timeout: float = 300) -> dict[str, object]:
        r = self.run(*args, "--json", timeout=timeout)
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
        doc: dict[str, object] = json.loads(r.stdout)
        return doc


@pytest.fixture(scope="module")
def installed(
    artifact_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Installed]:
    # --no-build-isolation builds with this environment's setuptools (torch and PyInstaller need
    # it too); none is downloaded
    pytest.importorskip("setuptools", reason="pip wheel --no-build-isolation needs setuptools")
    tmp = tmp_path_factory.mktemp("wheel")
    # setuptools' build/ and egg-info go here, not into the checkout others work in
    extra = tmp / "setup.cfg"
    extra.write_text(
        f"[build]\nbuild_base = {tmp / 'build'}\n[egg_info]\negg_base = {tmp}\n", encoding="utf-8"
    )
    pip_env = {**os.environ, "DIST_EXTRA_CONFIG": str(extra), "PIP_NO_INDEX": "1",
               "PIP_DISABLE_PIP_VERSION_CHECK": "1"}  # fmt: skip
    pip = [sys.executable, "-m", "pip"]
    started = time.monotonic()
    done = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(ROOT)],
        env=pip_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("bert_lab-*.whl")
    done = subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(tmp / "site"), str(wheel)],
        env=pip_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"wheel built and installed in {time.monotonic() - started:.1f} s")
    home = tmp / "home"  # the working directory too: outside the checkout
    home.mkdir()
    yield Installed(wheel, tmp / "site", home, tmp / "store", artifact_cache)


def test_the_wheel_carries_what_the_app_reads(installed: Installed) -> None:
    expected = (
        {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / "resources").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        | set(MODEL_FILES)
        | {
            p.relative_to(ROOT).as_posix()
            for folder in ("weights", "data")
            for p in (ROOT / "models" / "bert-lab-tasks" / folder).glob("*")
            if p.is_file()
        }
    )
    with zipfile.ZipFile(installed.wheel) as whl:
        names = whl.namelist()
        shipped = {n[len(DATA) :] for n in names if n.startswith(DATA)}
        assert shipped == expected  # the training scripts and corpus under models/ stay out
        assert "lab_app/py.typed" in names
        assert not [n for n in names if n.startswith(("resources/", "models/", "tests/"))]
    for rel in expected:
        assert _sha256(installed.data / rel) == _sha256(ROOT / rel), rel
    scripts = {p.name for p in (installed.site / "bin").iterdir()}
    assert {"bert-lab", "bert-lab-gui"} <= scripts


def test_the_installed_package_is_the_wheel(installed: Installed) -> None:
    r = installed.python(
        "import json, lab_app\n"
        "from lab_app.core import resources as r\n"
        "print(json.dumps([lab_app.__file__, str(r.resources_dir()), str(r.models_dir())]))"
    )
    assert r.returncode == 0, r.stderr
    package, resources, models = (Path(p) for p in json.loads(r.stdout))
    assert package.is_relative_to(installed.site), package  # not the checkout's (editable) copy
    assert resources == installed.data / "resources"
    assert models == installed.data / "models"


def test_every_reader_of_shipped_data_finds_it(installed: Installed) -> None:
    # What the labs read from resources/ at run time, through their own functions.
    r = installed.python(
        "from lab_app.core.io.text_input import read_utterances, sample_dataset_path\n"
        "from lab_app.core.prompting.tasks import builtin_names\n"
        "from lab_app.core.specs import tables\n"
        "from lab_app.core.tokenizers.train import sample_training_text\n"
        "from lab_app.core.finetune.tasks import read_task_data\n"
        "from lab_app.qt.shell.application import make_app\n"
        "from lab_app.qt.shell.notes_dialog import LectureNotesDialog\n"
        "assert len(read_utterances(sample_dataset_path()).texts) == 279\n"
        "assert set(builtin_names()) >= {'antonyms', 'capitals'}, builtin_names()\n"
        "assert len(tables.load_tables()) >= 5\n"
        "assert 'WordPiece' in sample_training_text()\n"
        "assert all(read_task_data(t, None)[0] for t in ('tag', 'qa', 'pair'))\n"
        "app = make_app([])\n"
        "assert not app.windowIcon().isNull(), 'no icon'\n"
        "notes = LectureNotesDialog()\n"
        "pages = [p.toPlainText() for p in notes.pages]\n"
        "assert all(len(p) > 1000 and 'could not be read' not in p for p in pages), pages\n"
        "print('ok')"
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_version(installed: Installed) -> None:
    r = installed.run("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"bert-lab {__version__}\n"


@pytest.fixture(scope="module")
def build_report(installed: Installed) -> dict[str, object]:
    """``models build`` from the wheel into a fresh store; the commands below run on that store."""
    assert not installed.store.exists()
    doc = installed.json("models", "list")
    assert doc["store"] == str(installed.store) and doc["models"] == []
    started = time.monotonic()
    doc = installed.json("models", "build", timeout=600)
    print(f"models build from the wheel: {time.monotonic() - started:.1f} s")
    assert doc["failed"] == [], doc
    return doc


def test_models_build_from_the_wheel(
    installed: Installed, build_report: dict[str, object], built_store_dir: Path
) -> None:
    built = set(build_report["built"])  # type: ignore[call-overload]
    assert {"bert-lab-mlm", "all-MiniLM-L6-v2", "SmolLM2-135M-Instruct", "wordpiece"} <= built
    # bert-lab-mlm was made from the wheel's delta, and every file equals the test store's
    for kind in ("models", "tokenizers"):
        names = sorted(p.name for p in (built_store_dir / kind).iterdir() if p.is_dir())
        assert sorted(p.name for p in (installed.store / kind).iterdir()) == names
        for name in names:
            ours, theirs = (
                json.loads((root / kind / name / "manifest.json").read_text(encoding="utf-8"))
                for root in (installed.store, built_store_dir)
            )
            assert ours["files"] == theirs["files"], name
            if name == "bert-lab-mlm":
                assert ours["source"]["delta_sha256"] == _sha256(ROOT / MODEL_FILES[0])
    doc = installed.json("models", "list", "--verify")
    entries = [*doc["models"], *doc["tokenizers"]]  # type: ignore[misc]
    assert len(entries) == len(built) and not [e for e in entries if e["problems"]], entries


# Each command of the README's list (models: above; screenshot and the window: below), small.
# The sample dataset is the wheel's own copy; shots reads the wheel's prompting tasks, nsp its
# head, fill-mask and the learned positions the bert-lab-mlm built from its delta.
COMMANDS = {
    "tokenize": (("tokenize", "how are you today?", "--tokenizer", "all"), "results"),
    "specs": (("specs",), "tables"),
    "params": (("params", "--arch", "bert", "--preset", "bert-base"), "total"),
    "shots": (("shots", "antonyms", "--shots", "0", "--draws", "1"), "test_items"),
    "finetune": (
        (
            "finetune",
            SAMPLE,
            "--model",
            "paraphrase-MiniLM-L3-v2",
            "--method",
            "features",
            "--epochs",
            "1",
        ),
        "accuracy",
    ),
    "fill-mask": (
        ("fill-mask", "how are [MASK] today?", "--model", "bert-lab-mlm", "--top-k", "3"),
        "masks",
    ),
    "nsp": (("nsp", "The man went to the store.", "He bought a gallon of milk."), "is_next"),
    "embed": (
        (
            "embed",
            SAMPLE,
            "--model",
            "paraphrase-MiniLM-L3-v2",
            "--pooling",
            "mean",
            "--out",
            "vectors.npy",
            "--force",
        ),
        "dim",
    ),
    "cluster": (
        (
            "cluster",
            SAMPLE,
            "--model",
            "paraphrase-MiniLM-L3-v2",
            "--pooling",
            "mean",
            "--k",
            "14",
            "--projection",
            "pca",
        ),
        "ari",
    ),
    "generate": (("generate", "France: Paris\\nItaly:", "--max-new-tokens", "2"), "tokens"),
    "score": (("score", "France: Paris\\nItaly:", " Rome"), "total_logprob"),
    "attention": (
        ("attention", "the cat sat on the [MASK] .", "--layer", "1", "--head", "1"),
        "attentions",
    ),
    "positions-learned": (
        ("positions", "--kind", "learned", "--model", "bert-lab-mlm", "--length", "8"),
        "table",
    ),
    "positions-rope": (("positions", "--kind", "rope", "--length", "8"), "table"),
    # The Benchmarks lab: the task models' held-out files are the wheel's own copies.
    "perplexity": (("perplexity", "The cat sat on the mat."), "bits_per_byte"),
    "metric": (("metric", "meteor", "--hyp", "the cats sat", "--ref", "the cat sat"), "score"),
    "choice": (
        ("choice", "The capital of France is", "--option", "Paris", "--option", "Oslo"),
        "options",
    ),
    "bench-squad": (("bench", "squad"), "per_question"),
    "bench-nsp": (("bench", "nsp"), "confusion"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_command(installed: Installed, build_report: dict[str, object], name: str) -> None:
    args, key = COMMANDS[name]
    doc = installed.json(*(str(installed.data / a) if a == SAMPLE else a for a in args))
    assert doc.get(key), sorted(doc)


def test_screenshot_every_tab(installed: Installed, build_report: dict[str, object]) -> None:
    from PySide6.QtGui import QImage

    shots = installed.home / "shots"
    doc = installed.json("screenshot", str(shots), "--size", "1024x640", "--state", "start")
    tabs = {t["tab"]: Path(t["file"]) for t in doc["tabs"]}  # type: ignore[attr-defined]
    assert {"specs", "prompting", "embeddings"} <= set(tabs)
    for tab, file in tabs.items():
        image = QImage(str(file))
        assert (image.width(), image.height()) == (1024, 640), tab
        small = image.scaled(64, 40)
        colours = {small.pixel(x, y) for x in range(64) for y in range(40)}
        assert len(colours) > 40, f"{tab} looks blank ({len(colours)} colours)"


def test_the_window_opens(installed: Installed, build_report: dict[str, object]) -> None:
    command = [sys.executable, str(installed.site / "bin" / "bert-lab")]
    assert_window_stays_up(command, installed.env(), installed.home, 6)
    (log,) = installed.home.rglob("bert-lab.log")
    assert "ERROR" not in log.read_text(encoding="utf-8")
