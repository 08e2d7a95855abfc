"""Generate BERT Lab's templated named-entity training sentences (CoNLL, IOB2: PER ORG LOC MISC).

    python models/bert-lab-tasks/make_tag_data.py --out DIR [--sentences 6000] [--seed 0]

Writes ``DIR/tag_train.conll``: one ``token TAG`` per line, a blank line between sentences.
Each sentence comes from one of the hand-written templates below with its slots filled from the
gazetteers in ``gazetteers.py`` (persons, organisations, locations, MISC: nationalities,
languages, events, products, prizes, works); ``(a|b|c)`` in a template picks one wording.
About one template in eight has no entity at all, and a few sentences are written all in lower
case, as people type. The same seed gives the same file byte for byte (stdlib only, no
hash-order dependence); no sentence is written twice. A sentence that is also in the
hand-written test set (``data/tag_test.conll`` next to this script) is never written.

Everything here was written for BERT Lab (CC0 1.0); see DATASHEET.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gazetteers import CAPITALS, RIVER_CITIES, SLOTS, TITLES  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")
TEST_FILE = HERE / "data" / "tag_test.conll"

# --- tokenising and the [TYPE words] markup ------------------------------------------------------
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., a.m.
    r"|(?:Mr|Mrs|Ms|Dr|St|Jr|Prof|Mt|No|vs)\.(?=\s|$)"
    r"|\d+(?:[.,:]\d+)+"  # 1,200  3.5  7:30
    r"|'s\b"
    r"|\w+(?:-\w+)*(?:'(?!s\b)\w+)*(?:-\w+)*"  # O'Brien, d'Or, don't, Saint-Germain
    r"|[^\w\s]"
)
_MARK = re.compile(r"\[(PER|ORG|LOC|MISC) ([^\[\]]+)\]")


def tokenize(text: str) -> list[str]:
    """Words, numbers and abbreviations as tokens; punctuation and possessive 's apart."""
    return _TOKEN.findall(text)


def parse_markup(text: str) -> list[tuple[str, str]]:
    """``"[PER Ada Obi] visited [LOC Accra] ."`` as (token, IOB2 tag) pairs."""
    out: list[tuple[str, str]] = []
    pos = 0
    for match in _MARK.finditer(text):
        out += [(tok, "O") for tok in tokenize(text[pos : match.start()])]
        kind, words = match.group(1), tokenize(match.group(2))
        out += [(tok, ("B-" if i == 0 else "I-") + kind) for i, tok in enumerate(words)]
        pos = match.end()
    out += [(tok, "O") for tok in tokenize(text[pos:])]
    if "[" in "".join(tok for tok, _ in out) or "]" in "".join(tok for tok, _ in out):
        raise ValueError(f"unbalanced markup: {text}")
    return out


def to_conll(sentences: list[list[tuple[str, str]]]) -> str:
    return "".join("".join(f"{t} {g}\n" for t, g in s) + "\n" for s in sentences)


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        tok, tag = line.split(" ")
        current.append((tok, tag))
    if current:
        sentences.append(current)
    return sentences


def sentence_key(sentence: list[tuple[str, str]]) -> str:
    return " ".join(tok.lower() for tok, _ in sentence)


# --- templates -----------------------------------------------------------------------------------
from tag_templates import NO_ENTITY, TEMPLATES  # noqa: E402

FILL = {
    "DAY": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "MONTH": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def _plain(slot: str, rng: random.Random) -> str | None:
    if slot in FILL:
        return rng.choice(FILL[slot])
    if slot == "TITLE":
        return rng.choice(TITLES)
    if slot == "YEAR":
        return str(rng.randint(1950, 2030))
    if slot == "NUM":
        return rng.choice(
            [
                str(rng.randint(2, 99)),
                str(rng.randint(100, 950)),
                f"{rng.randint(1, 9)},{rng.randint(0, 9)}00",
            ]
        )
    if slot == "PCT":
        return rng.choice([str(rng.randint(2, 30)), f"{rng.randint(1, 9)}.{rng.randint(1, 9)}"])
    if slot == "TEMP":
        return str(rng.randint(-12, 44))
    if slot == "ATHLETES":
        return str(rng.randint(12, 600))
    if slot == "SMALL":
        return str(rng.randint(2, 9))
    if slot == "WEEKS":
        return str(rng.randint(2, 6))
    if slot == "TIME":
        return f"{rng.randint(7, 11)}{rng.choice([':00', ':30', ' a.m.', ' p.m.'])}"
    return None


PAIRS = {"capital": CAPITALS, "river": RIVER_CITIES}
LINKED = {
    "CAPITAL": ("capital", 0),
    "CAPCOUNTRY": ("capital", 1),
    "RRIVER": ("river", 0),
    "RCITY": ("river", 1),
}
_ALT = re.compile(r"\(([^()]*\|[^()]*)\)")
_SLOT = re.compile(r"\{([A-Z]+?)(\d?)\}")


def render(template: str, rng: random.Random) -> str:
    """The template as markup text: alternatives chosen, slots filled (distinct per slot name)."""
    text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    used: dict[str, set[str]] = {}
    pairs: dict[str, tuple[str, str]] = {}

    def fill(match: re.Match[str]) -> str:
        slot = match.group(1)
        plain = _plain(slot, rng)
        if plain is not None:
            return plain
        if slot in LINKED:
            table, index = LINKED[slot]
            if table not in pairs:
                pairs[table] = rng.choice(PAIRS[table])
            return f"[LOC {pairs[table][index]}]"
        kind, values = SLOTS[slot]
        taken = used.setdefault(kind, set())
        value = rng.choice(values)
        while value in taken:
            value = rng.choice(values)
        taken.add(value)
        if value.startswith("the "):
            return f"the [{kind} {value[4:]}]"
        return f"[{kind} {value}]"

    return _SLOT.sub(fill, text)


def templates() -> tuple[list[str], list[str]]:
    lines = [t.strip() for t in TEMPLATES.strip().splitlines() if t.strip()]
    plain = [t.strip() for t in NO_ENTITY.strip().splitlines() if t.strip()]
    return lines, plain


def generate(n: int, seed: int, exclude: set[str] | None = None) -> list[list[tuple[str, str]]]:
    rng = random.Random(seed)
    with_entities, without = templates()
    exclude = exclude or set()
    out: list[list[tuple[str, str]]] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 50 * n + 1000:
            raise SystemExit("could not make enough sentences")
        template = rng.choice(without if rng.random() < 0.12 else with_entities)
        sentence = parse_markup(render(template, rng))
        if sentence and sentence[0][0][:1].islower():
            sentence[0] = (sentence[0][0][:1].upper() + sentence[0][0][1:], sentence[0][1])
        if rng.random() < 0.04:  # typed all in lower case
            sentence = [(tok.lower(), tag) for tok, tag in sentence]
        key = sentence_key(sentence)
        if key in exclude or key in seen:  # never a test sentence, never a repeat
            continue
        seen.add(key)
        out.append(sentence)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for tag_train.conll")
    parser.add_argument("--sentences", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default="tag_train.conll", help="file name inside --out")
    args = parser.parse_args()
    exclude = {sentence_key(s) for s in read_conll(TEST_FILE)} if TEST_FILE.is_file() else set()
    sentences = generate(args.sentences, args.seed, exclude)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / args.name
    path.write_text(to_conll(sentences), encoding="utf-8")
    counts = {k: sum(tag == f"B-{k}" for s in sentences for _, tag in s) for k in TYPES}
    tokens = sum(len(s) for s in sentences)
    print(f"{path}: {len(sentences)} sentences, {tokens} tokens, entities {counts}")


if __name__ == "__main__":
    main()
