"""The school and town passages of ``make_qa_data.py``: slots, sentence templates and paraphrased
question templates (see :mod:`qa_passage` for the fact shape)."""

from __future__ import annotations

import random

from qa_passage import Fact, _comma, _town
from qa_words import (
    CITIES,
    COLOURS,
    DAYS,
    FIRST_F,
    FIRST_M,
    MONTHS,
    RIVERS,
    SURNAMES,
)
from qa_words_things import (
    CLASSES,
    CLUBS,
    DIRECTIONS,
    LANDMARKS,
    LUNCH_PLACES,
    LUNCH_TIMES,
    SCHOOL_KINDS,
    SCHOOL_SUBJECTS,
    TIMES_AM,
    TIMES_PM,
    TOWN_PRODUCTS,
    TRIP_PLACES,
)

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
