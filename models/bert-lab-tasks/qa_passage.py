"""What every passage kind of ``make_qa_data.py`` shares: the fact shape, the slot helpers, and
rendering sentences into a passage with the character offset of every slot."""

from __future__ import annotations

import random
import re

from qa_words import TOWN_A, TOWN_B

# A fact: (name, [sentence templates], [(question template, answer slot), ...]). Sentence and
# question templates use {slot} fields; a question uses only the slots of its own fact and of the
# passage's opening sentence. The answer is the slot's span in the sentence that states the fact.
Fact = tuple[str, list[str], list[tuple[str, str]]]

_FIELD = re.compile(r"\{(\w+)\}")


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


def _comma(n: int) -> str:
    return f"{n:,}"


def _town(rng: random.Random) -> str:
    return rng.choice(TOWN_A) + rng.choice(TOWN_B)


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
