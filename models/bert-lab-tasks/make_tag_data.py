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
# Entity slots are the keys of gazetteers.SLOTS ({PER} {FIRST} {SURNAME} {COMPANY} {UNI} {CLUB}
# {AGENCY} {ORG} {COUNTRY} {CITY} {RIVER} {PROVINCE} {NATURE} {PEAK} {SEA} {SIGHT} {CONTINENT}
# {NAT} {LANG} {SPORT} {FESTIVAL} {HOLIDAY} {HISTORY} {DEVICE} {BRAND} {PRIZE} {BOOK} {PLAY}
# {FILM} {ART} ...); a digit after a slot ({CITY2}) draws a second, different value. Slots that
# state a fact come in true pairs: {CAPITAL}/{CAPCOUNTRY} and {RCITY}/{RRIVER}. Plain slots (tag
# O): {TITLE} {DAY} {MONTH} {YEAR} {NUM} {PCT} {TEMP} {ATHLETES} {SMALL} {TIME} {WEEKS}.
TEMPLATES = """
{PER} (said|told reporters|announced) on {DAY} that {COMPANY} would open a new office in {CITY}.
{TITLE} {SURNAME} (flew|travelled|took the train) to {CITY} to meet officials from {AGENCY}.
{COMPANY} (has hired|hired|appointed) {PER} as its new chief executive.
The {NAT} government said it would send aid to {COUNTRY} after the floods.
{PER} scored twice as {CLUB} beat {CLUB2} {SMALL}-1 on {DAY}.
{CLUB} (signed|have signed) the {NAT} midfielder {PER} on a three-year contract.
Heavy rain (closed|flooded) roads (across|in parts of) {PROVINCE} on {DAY} night.
The {RRIVER} burst its banks near {RCITY}, forcing hundreds of families to leave their homes.
{PER}, a student at {UNI}, won first prize at the {FESTIVAL}.
My (sister|brother|cousin|neighbour) {FIRST} is (studying|learning) {LANG} in {CITY} this year.
{FIRST} and {FIRST2} (met|had lunch|went for a walk) (by|near) the {RIVER} on {DAY}.
Shares in {COMPANY} rose {PCT} percent after the company reported strong sales in {COUNTRY}.
{COMPANY} (said|announced) it will (cut|add) {NUM} jobs at its site in {CITY}.
The {FESTIVAL} will be held in {CITY} (next year|in {YEAR}), organisers (said|confirmed) on {DAY}.
{PER} (won|was awarded) the {PRIZE} for their work on climate science.
Is {LANG} spoken in {COUNTRY}?
We are going to {CITY} for the {FESTIVAL} in {MONTH}.
{TITLE} {SURNAME} (teaches|will teach) {LANG} at {UNI}.
According to {AGENCY}, (more|fewer) tourists visited {COUNTRY} (last year|in {YEAR}).
{AGENCY} warned that the drought in {PROVINCE} could last until {MONTH}.
The new {PRODUCT} (goes on sale|will be released|arrives in shops) in {COUNTRY} next {DAY}.
{FIRST} bought a second-hand {DEVICE} from a shop in {CITY}.
{PER} (has been named|was named) (coach|manager|captain) of {CLUB}.
The {NAT} team (arrived|landed) in {CITY} ahead of the {SPORT}.
{PER} (directed|is directing|stars in) a new production of {PLAY} that opens in {CITY} this {MONTH}.
Our class read {BOOK} and wrote letters to {TITLE} {SURNAME} about it.
{TITLE} {SURNAME} asked the class to find {COUNTRY} on the map.
{CAPITAL} is the capital of {CAPCOUNTRY}.
{RCITY} (lies|sits|was built) on the banks of the {RRIVER}.
{FIRST} (moved|has moved) from {CITY} to {CITY2} to work for {COMPANY}.
Researchers at {UNI} and {UNI2} published a study on sleep and memory.
{AGENCY} (will send|sent) a team of doctors to {COUNTRY}, a spokesperson said.
Thousands of fans (watched|celebrated) the {CUP} final in the streets of {CITY}.
{PER} (grew up|was born) in {CITY} and now lives in {COUNTRY}.
{FIRST} speaks {LANG}, {LANG2} and a little {LANG3}.
The mayor of {CITY}, {PER}, (opened|visited) the new library on {DAY}.
{COMPANY} and {COMPANY2} (agreed|have agreed) to work together on electric buses.
A court in {CITY} (ruled|decided) on {DAY} that the vote was fair.
{PER} (will speak|spoke) at the {FESTIVAL} in {CITY}.
The film about the {HISTORY} (was shot|was filmed) in {PROVINCE}.
Tickets for {CLUB}'s match against {CLUB2} sold out in {SMALL} minutes.
{FIRST}'s favourite book is {BOOK}.
{TITLE} {SURNAME} said the {DEVICE} was the best present {FIRST} had ever had.
{COUNTRY} (beat|lost to|drew with) {COUNTRY2} in the opening game of the {CUP}.
{COUNTRY} and {COUNTRY2} signed a trade agreement in {CITY} on {DAY}.
Temperatures in {CITY} (reached|climbed to|fell to) {TEMP} degrees on {DAY}.
{PER} (is a|works as a) (nurse|teacher|engineer|journalist|lawyer) at {ORG}.
{PER} (joined|left) {COMPANY} in {YEAR}.
Flights between {CITY} and {CITY2} were (cancelled|delayed) because of fog.
The {NAT} (author|writer|poet) {PER} (will visit|visited) our school on {DAY}.
{UNI} (has opened|opened) a new campus in {CITY}.
{FIRST}, can you ask {FIRST2} to bring the {DEVICE} to class tomorrow?
Volunteers from {AGENCY} (planted|helped plant) {NUM} trees along the {RIVER}.
{PER} (set|broke) a new record at the {SPORT}.
{FIRST} (celebrates|is celebrating) {HOLIDAY} with their family in {CITY}.
The museum in {CITY} (is showing|shows) {ART} until the end of {MONTH}.
{COMPANY} (sells|makes) more than {NUM} million (phones|meals|parcels) a year in {CONTINENT}.
Many {NAT} students study at {UNI}.
{PER} of {ORG} said the results were (encouraging|disappointing|better than expected).
A (small|strong) earthquake (shook|struck) {CITY} early on {DAY} morning.
The road from {CITY} to {CITY2} was closed (for repairs|after an accident).
{TITLE} {SURNAME} (met|spoke with) {TITLE2} {SURNAME2} in {CITY} on {DAY}.
{CLUB} (are|is) top of the league after a win over {CLUB2}.
I (read|heard) that {PER} is writing a book about {COUNTRY}.
{FIRST} left their {DEVICE} on the bus to {CITY}.
In {YEAR}, {PER} became the first woman to lead {AGENCY}.
The {NAT} prime minister (arrived|is expected) in {CITY} for talks with {PER}.
{AGENCY} (approved|announced) a loan of {NUM} million dollars to {COUNTRY}.
Students from {UNI} (travelled|went) to {NATURE} (for fieldwork|to study the local plants).
Please send the report to {TITLE} {SURNAME} at {COMPANY} before {DAY}.
{PER} and {PER2} (are|were) named joint winners of the {PRIZE}.
The {PRIZE} (went to|was given to) the {NAT} writer {PER}.
The {SPORT} (starts|begins) on {DAY} and ends {WEEKS} weeks later.
{FIRST} (is learning|learned) to cook {NAT} food from their grandmother.
{CITY} (wants to host|has bid to host|will host) the {SPORT} in {YEAR}.
A new bridge over the {RRIVER} (will open|is due to open) in {RCITY} next {MONTH}.
{COMPANY} (recalled|is recalling) {NUM} (products|items) sold in {COUNTRY}.
{TITLE} {SURNAME} (is|was) elected mayor of {CITY}.
{PER} (played|sang|performed) at the {FESTIVAL} in front of {NUM} people.
{FIRST} (wants|hopes) to study medicine at {UNI}.
(Yesterday|Last week|On {DAY}), {PER} (visited|toured) a factory run by {COMPANY} in {CITY}.
The (team|squad) from {COUNTRY} (won|took) gold at the {SPORT}.
{FIRST} translated {BOOK} into {LANG}.
There are more than {NUM} {LANG} speakers in {CITY}.
{AGENCY} said the storm would reach {PROVINCE} by {DAY}.
{PER} (resigned|stepped down) as head of {ORG} on {DAY}.
Police in {CITY} said the (missing|lost) hikers were found safe (near|in) {NATURE}.
{FIRST} uses (a|an old) {DEVICE} to (write|check|save) their homework.
The (concert|festival|exhibition) in {CITY} (was|has been) moved to {MONTH}.
{PER} (coaches|trains) young players at {CLUB}.
{COUNTRY}'s (economy|population) grew faster than expected last year, {AGENCY} said.
{TITLE} {SURNAME} (has lived|has worked) in {CITY} for {SMALL} years.
The {NAT} embassy in {CITY} (will be|is) closed on {DAY}.
{FIRST} asked whether {BRAND} works without the internet.
Scientists at {UNI} (found|discovered) a new species of frog in {NATURE}.
{CITY} (wants|hopes) to become a twin city of {CITY2}.
{PER} (won|took) the {SPORT} for the (second|third|fourth) time.
We (watched|saw) {PLAY} at the theatre in {CITY} last {DAY}.
{COMPANY} (opened|will open) its first store in {COUNTRY} in {MONTH}.
{FIRST} (said|says) that {CITY} is (lovely|beautiful|crowded|expensive) in {MONTH}.
{PER}, who (founded|started) {COMPANY}, (gave|donated) {NUM} books to the school.
The {NAT} (singer|band) (released|announced) a new album on {DAY}.
{UNI} (ranks|is ranked) among the top {NUM} universities (in the world|for engineering).
{TITLE} {SURNAME} (wrote|marked) the {LANG} exam for Year {SMALL}.
Hundreds of (people|runners) (took part in|joined) the {SPORT} on {DAY}.
{AGENCY} (launched|will launch) a (satellite|ship) to study {SEA}.
{PER} (criticised|praised) the plan at a meeting of {ORG}.
Engineers at {COMPANY} (took apart|tested) a {DEVICE} to see how it works.
{FIRST} has a (dog|cat|parrot) called {FIRST2}.
{CLUB} (fans|supporters) (travelled|flew) to {CITY} for the {CUP} final.
{FIRST} (flew|travelled) from {COUNTRY} to {COUNTRY2} to visit their (aunt|grandparents).
{PER} (will take over|takes over) from {PER2} as head of {UNI} in {MONTH}.
Our school trip to {CITY} (is|was) on {DAY}.
(Organisers|The mayor) (hope|hopes) to bring the {FESTIVAL} to {CITY}.
{FIRST} (grew up|was raised) speaking {LANG} and {LANG2}.
{COMPANY} (bought|took over|has bought) {COMPANY2} for {NUM} million euros.
{TITLE} {SURNAME} from {ORG} (explained|described) how vaccines work.
{FIRST} (watched|streamed) {FILM} (on|with) their {DEVICE} last night.
A {NAT} (climber|team) reached the top of {PEAK} on {DAY}.
{PER} is the (new|first) {NAT} (ambassador|envoy) to {COUNTRY}.
Fishermen on the {RIVER} (caught|reported) fewer fish this {MONTH}.
{CITY} (council|officials) (agreed|voted) to build {NUM} new homes.
{FIRST} (forgot|lost) their {DEVICE} at {FIRST2}'s house.
{PER} told {ORG} that the project would be finished by {MONTH}.
{COUNTRY} will (send|bring) {ATHLETES} athletes to the {SPORT}.
The (train|bus|ferry) from {CITY} to {CITY2} takes about {SMALL} hours.
(Last|This) {MONTH}, {AGENCY} (opened|closed) its office in {CITY}.
{PER} (teaches|studies) history at {UNI} in {CITY}.
The {NAT} (chef|cook) {PER} (opened|runs) a restaurant in {CITY}.
{COMPANY} blamed (a computer fault|bad weather) for the delays in {COUNTRY}.
{CLUB} (lost|won) the {CUP} final on penalties.
{FIRST} and their friends (learned|sang) a {LANG} song for {HOLIDAY}.
{PER} (painted|copied) {ART} for the school exhibition.
"{PER} (is|was) a (wonderful|great|patient) teacher," said {PER2}.
"We are (proud|happy|delighted) to be in {CITY}," said {TITLE} {SURNAME} of {ORG}.
{PER} (asked|urged) {AGENCY} to (help|protect) farmers in {PROVINCE}.
Is {CITY} (bigger|older|warmer) than {CITY2}?
Which river flows through {CITY}?
{FIRST}, have you (ever|already) been to {COUNTRY}?
Why did {PER} leave {COMPANY}?
How many people live in {CITY}?
Who won the {PRIZE} in {YEAR}?
{FIRST} (said|thinks) the {NAT} (translation|version) of {BOOK} is better.
{TITLE} {SURNAME}, a (doctor|nurse|scientist) at {ORG}, (said|warned) that cases were rising.
The new {DEVICE} (sold out|was sold out) in {CITY} within hours.
{FIRST} works at the {COMPANY} shop (near|next to) the station.
The (trip|journey|cruise) along the {RRIVER} (from|to) {RCITY} took {SMALL} days.
{PER} (represented|will represent) {COUNTRY} at the {SPORT}.
After the {SPORT}, {FIRST} (flew|went) home to {CITY}.
{PER} and {TITLE} {SURNAME} (founded|started) {COMPANY} in a garage in {CITY}.
Rain is (expected|forecast) in {CITY} and {CITY2} on {DAY}, {AGENCY} said.
{ORG} (has|have) (raised|collected) {NUM} pounds for children in {COUNTRY}.
{FIRST} is the only {NAT} player in the {CLUB} squad.
The exchange students from {COUNTRY} (visited|toured) {UNI} on {DAY}.
{PER} called the {FESTIVAL} the best in years.
{TITLE} {SURNAME} and {FIRST} (went|drove) to {PROVINCE} for the weekend.
At the {FESTIVAL}, {PER} (met|interviewed) {PER2}.
{FIRST} (borrowed|returned) a copy of {BOOK} from the library.
{ORG} (plans|hopes) to (double|halve) its (staff|costs) in {COUNTRY} by {YEAR}.
{PER} (lost|won) their seat in the {CITY} election.
{FIRST} has had the same {DEVICE} for {SMALL} years.
We (met|took photos) in front of {SIGHT} on our last day in {CITY}.
Our history teacher, {TITLE} {SURNAME}, (knows|talks) a lot about the {HISTORY}.
Today we learned about the {HISTORY} and how it changed {CONTINENT}.
{FIRST} wants to (sail across|swim in) {SEA} one day.
{NAT} (scientists|doctors) (met|gathered) in {CITY} to talk about malaria.
{FIRST} (booked|cancelled) a (flight|holiday) to {COUNTRY} for {HOLIDAY}.
The {NAT} anthem was played when {PER} won the {SPORT}.
According to {PER}, {BRAND} is (easier|harder) to use than it looks.
{COMPANY} (paid|gave) its staff a bonus before {HOLIDAY}.
In {CITY}, most people speak {LANG} at home.
{TITLE} {SURNAME} (showed|explained) the class how {BRAND} works.
"""

NO_ENTITY = """
The meeting (has been moved|was moved) to {DAY} afternoon.
It (rained|snowed) all (day|night) and the roads were (icy|flooded).
(Please|Remember to) bring a pencil, a ruler and your homework on {DAY}.
The shop on the corner (sells|has) fresh bread every morning.
Prices (rose|fell) by {NUM} percent last month.
The (bus|train) was {SMALL} minutes late again this morning.
Our teacher (asked|told) us to read chapter {SMALL} before {DAY}.
The (team|players) trained hard all week and won the match on {DAY}.
(Scientists|Researchers) say that (bees|dolphins|crows) can recognise human faces.
The library (opens|closes) at {TIME} on weekdays.
(My|Our) (cat|dog) sleeps on the sofa (all day|every afternoon).
The (company|factory) (will hire|hired) {NUM} new workers next year.
The price of (petrol|bread|milk) went up again this week.
We (planted|watered) tomatoes in the school garden on {DAY}.
The (storm|wind) knocked down (several|two) trees in the park.
(Water|Ice) (boils|melts) at a fixed temperature at sea level.
The (museum|zoo) is free for children under {SMALL}.
The (match|game) ended in a draw after (extra time|a late goal).
Doctors say (adults|children) should sleep at least {SMALL} hours a night.
The (new|old) bridge (will be|was) closed for repairs until {MONTH}.
(Add|Stir in) the flour slowly and mix until the batter is smooth.
The results of the (exam|test) will be posted on {DAY}.
Most of the (students|parents) voted for a longer lunch break.
(The|Our) (train|flight) leaves at {TIME}, so we should leave early.
The (election|vote) will take place in {MONTH}.
A (small|young) boy found a wallet and took it to the police station.
(Turn off|Switch off) the lights when you leave the classroom.
The (river|lake) froze over for the first time in {NUM} years.
The (council|school) (plans|wants) to build a new playground.
Sales of (bicycles|electric cars) doubled last year.
"""

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
