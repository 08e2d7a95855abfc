"""The biography passages of ``make_qa_data.py``: slots, sentence templates and paraphrased
question templates (see :mod:`qa_passage` for the fact shape)."""

from __future__ import annotations

import random

from qa_passage import Fact
from qa_words import (
    ADJ,
    AWARD_KINDS,
    CITIES,
    FIRST_F,
    FIRST_M,
    HOBBIES,
    MONTHS,
    NOUNS,
    NUMWORDS,
    PROFESSIONS,
    SUBJECTS,
    SURNAMES,
    WORKS,
)

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
