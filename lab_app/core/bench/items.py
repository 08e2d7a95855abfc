"""The multiple-choice item sets the lab ships (``resources/bench/choice_sets.json``).

Four small sets written for BERT Lab in the styles of HellaSwag, ARC, PIQA and RACE, each with
the prompt lm-evaluation-harness uses for the benchmark it imitates, and the scores published
for the store's decoder on the real benchmarks, to set beside a run. None is copied from a
benchmark: RACE forbids redistribution, and the others are not on this machine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from lab_app.core.bench.choice import ChoiceItem
from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir


@dataclass(frozen=True)
class ItemSet:
    name: str
    title: str
    benchmark: str
    items: tuple[ChoiceItem, ...]
    published: float | None  # the model's published score on the real benchmark, in %


@dataclass(frozen=True)
class Published:
    model: str
    source: str


def _item(raw: dict[str, Any], prompt: str, where: str) -> ChoiceItem:
    """One question with the set's prompt filled in: the context the model reads."""
    options = tuple(str(o) for o in raw["options"])
    gold = int(raw["gold"])
    if len(options) < 2 or not 0 <= gold < len(options):
        raise UserError(f"{where}: needs two or more options and a gold index among them")
    fields = {"context": str(raw["context"]), "passage": str(raw.get("passage", ""))}
    return ChoiceItem(prompt.format(**fields), options, gold)


@cache
def _data() -> dict[str, Any]:
    path = resources_dir() / "bench" / "choice_sets.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the item sets {path}: {exc}") from exc
    return data


def published() -> Published:
    raw = _data()["published"]
    return Published(str(raw["model"]), str(raw["source"]))


@cache
def item_sets() -> dict[str, ItemSet]:
    """Every shipped set by name (``hellaswag``, ``arc``, ``piqa``, ``race``)."""
    data = _data()
    scores = data["published"]["scores"]
    sets = {}
    for name, raw in data["sets"].items():
        items = tuple(
            _item(it, raw["prompt"], f"{name} item {i + 1}") for i, it in enumerate(raw["items"])
        )
        score = scores.get(name)
        sets[name] = ItemSet(name, raw["title"], raw["benchmark"], items, score)
    return sets


def item_set(name: str) -> ItemSet:
    sets = item_sets()
    if name not in sets:
        raise UserError(f"no item set '{name}': choose one of {', '.join(sets)}, squad or nsp")
    return sets[name]


def names() -> Sequence[str]:
    return tuple(item_sets())
