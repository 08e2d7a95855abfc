"""The Benchmarks lab's overview: the lecture's table "LLM Benchmarks — what does it measure?".

The rows, what each measures and whether it is a benchmark (a data set with a task) or a metric
(a way to score outputs), are read from the spec table ``resources/specs/benchmarks.json`` that
the Model specs lab shows, so the two never disagree. Each row names the page of this lab that
runs it on the lab's own models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

#: The lab's pages, in order, with their titles.
PAGE_TITLES = {
    "overview": "Overview",
    "perplexity": "Perplexity",
    "metrics": "BLEU · chrF · ROUGE · METEOR",
    "choice": "Multiple choice",
    "squad": "Reading (SQuAD)",
    "glue": "GLUE scores",
}

#: The page (and, for a shared page, the choice on it) that runs each row of the table.
_RUNS = {
    "GLUE": ("glue", "", "Accuracy, F1 and Matthews correlation of a pair model's predictions."),
    "SQuAD": ("squad", "", "Exact match and F1 of the store's QA model on SQuAD-format questions."),
    "HellaSwag": ("choice", "hellaswag", "Each ending's log-probability under the decoder."),
    "ROUGE": ("metrics", "rouge", "n-gram and longest-common-subsequence overlap with a summary."),
    "RACE": ("choice", "race", "A passage, a question, four answers scored by the decoder."),
    "BLEU": ("metrics", "bleu", "Clipped n-gram precision against reference translations."),
    "Perplexity": ("perplexity", "", "How surprised the decoder is by each token of a text."),
    "METEOR": ("metrics", "meteor", "Unigram matches (exact and stemmed) with a fragment penalty."),
}


@dataclass(frozen=True)
class Row:
    name: str
    measures: str
    kind: str  # "benchmark" or "metric"
    page: str
    choice: str  # the item set or metric the page starts on ("" for the page's own default)
    how: str  # one line: what the page runs

    def cells(self) -> tuple[str, str, str, str]:
        return (self.name, self.measures, self.kind, self.how)


COLUMNS = ("Benchmark", "What does it measure?", "Kind", "How this lab runs it")


@cache
def rows() -> tuple[Row, ...]:
    """The table's rows in the lecture's order, each with the page that runs it."""
    path = resources_dir() / "specs" / "benchmarks.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the benchmark table {path}: {exc}") from exc
    out = []
    for raw in table["rows"]:
        name = str(raw["label"]["value"])
        measures, kind = (str(c["value"]) for c in raw["cells"][:2])
        page, choice, how = _RUNS[name]
        out.append(Row(name, measures, kind, page, choice, how))
    return tuple(out)
