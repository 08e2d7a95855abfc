"""The Pre-training lab's overview: the lecture's first slide, the road from word2vec to BERT.

The slide lists eight methods under one heading, "MLM on unlabelled data"; only BERT is trained
with a masked language model (``resources/lecture/corrections.md``). Each step here says what it
was trained to do (the objective, read from the spec table ``pretraining_objectives`` so the two
never disagree), what kind of vectors it produces, and which page of the lab demonstrates that
kind. The years are those of first publication (BERT: arXiv, October 2018; the NAACL paper is
2019), as the references in ``resources/specs/references.json`` give them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

#: What a method produces, and the lab page that shows that kind of vector.
WORD, CONTEXT, SENTENCE = "word vectors", "contextual word vectors", "sentence vectors"
PAGE_OF = {WORD: "words", CONTEXT: "context", SENTENCE: "sentences"}
#: GPT's and BERT's objectives are run from random weights on the Pre-train live page.
LIVE = {"GPT", "BERT"}


@dataclass(frozen=True)
class Step:
    """One method on the slide."""

    name: str
    year: int
    objective: str
    produces: str  # WORD, CONTEXT or SENTENCE
    page: str  # "words", "context", "sentences" or "live": the page that demonstrates it
    reference: str  # e.g. "Mikolov et al. 2013 (word2vec)"
    note: str = ""

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.name, str(self.year), self.objective, self.produces, self.reference)


COLUMNS = ("Method", "Year", "Pre-training objective", "Produces", "Reference")

# name on the slide, year, what it produces, key in references.json, a note the table lacks
_STEPS = (
    ("word2vec", 2013, WORD, "word2vec", "One static vector per word: 'bank' has one vector."),
    ("GloVe", 2014, WORD, "glove", "One static vector per word, from co-occurrence counts."),
    ("skip-thought", 2015, SENTENCE, "skipthought", ""),
    ("InferSent", 2017, SENTENCE, "infersent", "The ancestor of SBERT's training on NLI pairs."),
    ("ELMo", 2018, CONTEXT, "elmo", "A word's vector depends on its sentence."),
    ("ULMFiT", 2018, CONTEXT, "ulmfit", "Pre-train a LM, then fine-tune the whole network."),
    ("GPT", 2018, CONTEXT, "gpt1", "A Transformer decoder: each word sees only its left."),
    ("BERT", 2018, CONTEXT, "bert", "A Transformer encoder: each word sees both sides."),
)


def _read(name: str) -> dict:
    path = resources_dir() / "specs" / name
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc


@cache
def lineage() -> tuple[Step, ...]:
    """The eight methods of the slide, oldest first."""
    table = _read("pretraining_objectives.json")
    refs = _read("references.json")
    objectives: dict[str, tuple[str, str]] = {}
    for row in table["rows"]:
        cell = row["cells"][0]
        objectives[row["label"]["value"]] = (cell["value"], cell.get("note", ""))
    steps = []
    for name, year, produces, ref, note in _STEPS:
        objective, table_note = objectives.get(name, ("", ""))
        steps.append(
            Step(
                name=name,
                year=year,
                objective=objective,
                produces=produces,
                page="live" if name in LIVE else PAGE_OF[produces],
                reference=str(refs.get(ref, {}).get("short", "")),
                note=" ".join(n for n in (note, table_note) if n),
            )
        )
    return tuple(steps)


SLIDE_NOTE = (
    "The slide heads this list “MLM on unlabelled data”, but only BERT is trained with a masked "
    "language model: word2vec predicts words from their window, GloVe factorises co-occurrence "
    "counts, ELMo, ULMFiT and GPT are (bi)directional language models, skip-thought and "
    "InferSent encode whole sentences (InferSent from labelled NLI pairs)."
)
