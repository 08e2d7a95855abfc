"""Generation metrics: how close a model's text (the *hypothesis*) is to a person's (a *reference*).

A model that writes text — a translation, a summary, an answer — cannot be graded by checking a
label; these metrics instead count what the hypothesis shares with one or more references:

* **BLEU** — word n-gram precision with a brevity penalty (translation; 0..100).
* **chrF** — character n-gram F-score, recall-weighted (translation, any script; 0..100).
* **ROUGE** — word and word-pair overlap and longest common subsequence (summaries; 0..1).
* **METEOR** — one-to-one word alignment with stems, recall-weighted, penalising scattered
  matches (translation; 0..1).

BLEU and chrF match sacrebleu and ROUGE matches rouge-score number for number; METEOR is nltk's
(:mod:`~lab_app.core.bench.bleu_chrf` and :mod:`~lab_app.core.bench.rouge_meteor` explain each).
None of them understands meaning: they reward shared surface text. :data:`TRAPS` are the classic
cases where that misleads, ready to show. :func:`score` is the one entry point of the command
line (``bert-lab metric bleu|chrf|rouge|meteor --hyp TEXT --ref TEXT … --json``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lab_app.core.bench.bleu_chrf import (
    CHAR_ORDER,
    BleuResult,
    CharOrderStats,
    ChrfResult,
    NgramMatch,
    corpus_bleu,
    corpus_chrf,
    sentence_bleu,
    sentence_chrf,
    tokenize_13a,
)
from lab_app.core.bench.rouge_meteor import (
    MATCHING,
    ROUGE_TYPES,
    MeteorMatch,
    MeteorReference,
    MeteorResult,
    RougeResult,
    RougeScore,
    meteor,
    meteor_tokenize,
    rouge,
    rouge_tokenize,
)
from lab_app.core.bench.textinput import MAX_CHARS
from lab_app.core.errors import UserError

__all__ = [
    "MATCHING",
    "MAX_CHARS",
    "METRICS",
    "ROUGE_TYPES",
    "TRAPS",
    "BleuResult",
    "Candidate",
    "CharOrderStats",
    "ChrfResult",
    "MeteorMatch",
    "MeteorReference",
    "MeteorResult",
    "MetricResult",
    "NgramMatch",
    "RougeResult",
    "RougeScore",
    "Trap",
    "corpus_bleu",
    "corpus_chrf",
    "meteor",
    "meteor_tokenize",
    "rouge",
    "rouge_tokenize",
    "score",
    "sentence_bleu",
    "sentence_chrf",
    "tokenize_13a",
]

METRICS = ("bleu", "chrf", "rouge", "meteor")

AnyResult = BleuResult | ChrfResult | RougeResult | MeteorResult


@dataclass(frozen=True)
class MetricResult:
    """One metric's score of one hypothesis, in the metric's own scale (``details["scale"]``),
    with ``details``: the metric's workings as plain JSON values. ``result`` is the same as a
    dataclass, for a screen that draws it."""

    metric: str
    score: float
    details: dict[str, Any]
    result: AnyResult = field(repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        """``{"metric", "score", "details"}``, what ``bert-lab metric … --json`` prints."""
        return {"metric": self.metric, "score": self.score, "details": self.details}


def _plain(value: Any) -> Any:
    """Tuples become lists, recursively, so ``json.loads(json.dumps(x)) == x``."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def score(metric: str, hyp: str, refs: Sequence[str], *, use_stemmer: bool = False) -> MetricResult:
    """Score hypothesis ``hyp`` against its reference(s) ``refs`` with ``metric``, one of
    :data:`METRICS`. BLEU and chrF are sentence-level, as sacrebleu's ``sentence_bleu`` and
    ``sentence_chrf``; ROUGE's headline score is ROUGE-L's F-measure (ROUGE-1 and -2 are in the
    details); ``use_stemmer`` applies to ROUGE only. An empty hypothesis scores 0; no reference,
    an unknown metric or a text over :data:`MAX_CHARS` characters is a :class:`UserError`."""
    name = metric.strip().lower()
    result: AnyResult
    extra: dict[str, Any]
    if name == "bleu":
        result = sentence_bleu(hyp, refs)
        headline, extra = result.score, {"scale": "0-100", "tokenizer": "13a", "smoothing": "exp"}
    elif name == "chrf":
        result = sentence_chrf(hyp, refs)
        headline, extra = (
            result.score,
            {"scale": "0-100", "char_order": CHAR_ORDER, "word_order": 0},
        )
    elif name == "rouge":
        result = rouge(hyp, refs, use_stemmer=use_stemmer)
        headline, extra = result.scores["rougeL"].fmeasure, {"scale": "0-1", "headline": "rougeL"}
    elif name == "meteor":
        result = meteor(hyp, refs)
        headline, extra = result.score, {"scale": "0-1"}
    else:
        raise UserError(f"unknown metric '{metric}': choose one of {', '.join(METRICS)}")
    details = _plain({**dataclasses.asdict(result), **extra})
    return MetricResult(name, headline, details, result)


@dataclass(frozen=True)
class Candidate:
    """A hypothesis to score, its reference(s), and a label saying what kind of text it is."""

    label: str
    hypothesis: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Trap:
    """A classic way a generation metric misleads, ready to load and score.

    ``candidates`` are scored with ``metrics`` and compared, as ``explanation`` says. ``source``
    is the input the hypotheses were written from, when the trap is about it. When ``corpus`` is
    true the candidates are one test set's sentences, to compare the mean of their sentence
    scores with the corpus score.
    """

    key: str
    title: str
    explanation: str
    metrics: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    source: str = ""
    corpus: bool = False


_VOTE = "The committee has postponed the vote until next week."
_ARTICLE = (
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring. "
    "Engineers found that its steel supports had rusted badly after decades of salt spray. "
    "Cyclists and pedestrians will still be allowed to cross while a replacement is designed. "
    "The mayor said that repairing the bridge would cost far less than building a new one."
)
_SUMMARY = (
    "The council voted to close the old harbour bridge to cars from next spring because its "
    "supports have rusted; cyclists and pedestrians can still cross."
)
_CAT = "Η γάτα κοιμάται πάνω στο ζεστό χαλί."  # Greek: "The cat sleeps on the warm rug."

TRAPS: tuple[Trap, ...] = (
    Trap(
        key="paraphrase",
        title="A good paraphrase that BLEU punishes",
        explanation=(
            "BLEU counts shared words, not shared meaning: a faithful paraphrase scores near 0, "
            "while a sentence that says the opposite with the reference's words scores high."
        ),
        metrics=("bleu", "chrf", "meteor"),
        candidates=(
            Candidate(
                "Paraphrase (same meaning)",
                "The panel delayed its decision by seven days.",
                (_VOTE,),
            ),
            Candidate(
                "Same words, opposite meaning",
                "The committee has not postponed the vote until next week.",
                (_VOTE,),
            ),
        ),
    ),
    Trap(
        key="copied_input",
        title="Copying the input scores well",
        explanation=(
            "ROUGE rewards words shared with the reference summary, so copying the article's "
            "first sentence, or even the whole article, beats a faithful summary in new words."
        ),
        metrics=("rouge", "bleu"),
        source=_ARTICLE,
        candidates=(
            Candidate(
                "The article's first sentence, copied",
                _ARTICLE.split(". ")[0] + ".",
                (_SUMMARY,),
            ),
            Candidate(
                "A faithful summary in new words",
                "Rusted by sea salt, the town's old bridge will be shut to motor traffic next "
                "year, though people on foot or bicycles may keep using it.",
                (_SUMMARY,),
            ),
            Candidate("The whole article, copied", _ARTICLE, (_SUMMARY,)),
        ),
    ),
    Trap(
        key="non_latin",
        title="ROUGE cannot see non-Latin text",
        explanation=(
            "rouge-score's tokenizer keeps only a-z and 0-9, so Greek has no tokens and ROUGE is "
            "0 even for a perfect copy, while chrF, which reads characters of any script, gives "
            "the copy 100 and the wrong sentence little."
        ),
        metrics=("rouge", "chrf"),
        candidates=(
            Candidate("The reference itself", _CAT, (_CAT,)),
            Candidate(
                'A wrong sentence ("The dog runs fast in the garden.")',
                "Ο σκύλος τρέχει γρήγορα στον κήπο.",
                (_CAT,),
            ),
        ),
    ),
    Trap(
        key="sentence_vs_corpus",
        title="The mean of sentence BLEUs is not corpus BLEU",
        explanation=(
            "Corpus BLEU adds up the n-gram counts of all sentences before dividing, so short "
            "sentences that swing their own BLEU barely move it: the mean of these sentence "
            "BLEUs is about twice the corpus BLEU."
        ),
        metrics=("bleu",),
        corpus=True,
        candidates=(
            Candidate("A short thank-you", "Thanks!", ("Thank you!",)),
            Candidate("A one-word answer", "Yes.", ("Yes.",)),
            Candidate(
                "A long sentence",
                "The new library opens on Monday and will lend books, films and games to "
                "everyone in town.",
                (
                    "The new library will open on Monday, lending books, films and video games "
                    "to all residents.",
                ),
            ),
            Candidate("A short request", "Please close the door.", ("Please shut the door.",)),
        ),
    ),
)
