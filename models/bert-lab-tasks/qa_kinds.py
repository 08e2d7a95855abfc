"""The passage kinds of ``make_qa_data.py``: each kind's slots, sentence templates and question
templates (biography, event, product, recipe, garden, school, town)."""

from __future__ import annotations

import random
import re

from qa_words import (
    ADJ,
    AWARD_KINDS,
    BRANDS,
    CITIES,
    CLASSES,
    CLUBS,
    COLOURS,
    COMPANIES,
    DAYS,
    DIRECTIONS,
    EVENT_KINDS,
    FIRST_F,
    FIRST_M,
    HIGHLIGHTS,
    HOBBIES,
    LANDMARKS,
    LUNCH_PLACES,
    LUNCH_TIMES,
    MODEL_NAMES,
    MONTHS,
    NOUNS,
    NUMWORDS,
    ORGANISERS,
    PLANTS,
    PRODUCT_TYPES,
    PROFESSIONS,
    RIVERS,
    SAVOURY,
    SCHOOL_KINDS,
    SCHOOL_SUBJECTS,
    SUBJECTS,
    SURNAMES,
    SWEET,
    TIMES_AM,
    TIMES_PM,
    TOWN_A,
    TOWN_B,
    TOWN_PRODUCTS,
    TRIP_PLACES,
    VENUES,
    WORKS,
)


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
