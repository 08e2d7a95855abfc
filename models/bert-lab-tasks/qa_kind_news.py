"""The event and product passages of ``make_qa_data.py``: slots, sentence templates and paraphrased
question templates (see :mod:`qa_passage` for the fact shape)."""

from __future__ import annotations

import random

from qa_passage import Fact, _article, _comma, _town
from qa_words import (
    CITIES,
    COLOURS,
    EVENT_KINDS,
    FIRST_F,
    FIRST_M,
    HIGHLIGHTS,
    MONTHS,
    NUMWORDS,
    ORGANISERS,
    SURNAMES,
    VENUES,
)
from qa_words_things import (
    BRANDS,
    COMPANIES,
    MODEL_NAMES,
    PRODUCT_TYPES,
)

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
