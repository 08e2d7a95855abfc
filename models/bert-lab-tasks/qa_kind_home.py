"""The recipe and garden passages of ``make_qa_data.py``: slots, sentence templates and paraphrased
question templates (see :mod:`qa_passage` for the fact shape)."""

from __future__ import annotations

import random

from qa_passage import Fact, _town
from qa_words import (
    FIRST_F,
    FIRST_M,
    MONTHS,
    NUMWORDS,
)
from qa_words_things import (
    PLANTS,
    SAVOURY,
    SWEET,
)

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
