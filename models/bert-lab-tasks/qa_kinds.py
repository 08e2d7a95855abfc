"""The passage kinds of ``make_qa_data.py`` (biography, event, product, recipe, garden, school,
town), each from its module: slot maker, opening sentences and their questions, facts."""

from __future__ import annotations

from qa_kind_home import (
    GARDEN_FACTS,
    GARDEN_INTRO,
    GARDEN_INTRO_Q,
    RECIPE_FACTS,
    RECIPE_INTRO,
    RECIPE_INTRO_Q,
    garden_slots,
    recipe_slots,
)
from qa_kind_local import (
    SCHOOL_FACTS,
    SCHOOL_INTRO,
    SCHOOL_INTRO_Q,
    TOWN_FACTS,
    TOWN_INTRO,
    TOWN_INTRO_Q,
    school_slots,
    town_slots,
)
from qa_kind_news import (
    EVENT_FACTS,
    EVENT_INTRO,
    EVENT_INTRO_Q,
    PRODUCT_FACTS,
    PRODUCT_INTRO,
    PRODUCT_INTRO_Q,
    event_slots,
    product_slots,
)
from qa_kind_people import BIO_FACTS, BIO_INTRO, BIO_INTRO_Q, bio_slots

KINDS = [  # (kind, slot maker, intro templates, intro questions, facts, title slot)
    ("biography", bio_slots, BIO_INTRO, BIO_INTRO_Q, BIO_FACTS, "name"),
    ("event", event_slots, EVENT_INTRO, EVENT_INTRO_Q, EVENT_FACTS, "event"),
    ("product", product_slots, PRODUCT_INTRO, PRODUCT_INTRO_Q, PRODUCT_FACTS, "model"),
    ("recipe", recipe_slots, RECIPE_INTRO, RECIPE_INTRO_Q, RECIPE_FACTS, "dish"),
    ("garden", garden_slots, GARDEN_INTRO, GARDEN_INTRO_Q, GARDEN_FACTS, "plant"),
    ("school", school_slots, SCHOOL_INTRO, SCHOOL_INTRO_Q, SCHOOL_FACTS, "school"),
    ("town", town_slots, TOWN_INTRO, TOWN_INTRO_Q, TOWN_FACTS, "town"),
]
