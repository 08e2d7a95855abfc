"""ROUGE exactly as Google's rouge-score 0.1.2 computes it, and METEOR through nltk's own code.

**ROUGE** (Lin, 2004) was made to grade summaries. ROUGE-1 counts the words the hypothesis
shares with the reference, ROUGE-2 the word pairs; ROUGE-L takes the *longest common
subsequence*, the longest list of words both texts contain in the same order (not necessarily
side by side), so it rewards keeping the reference's word order. Each gives a precision (the
share of the hypothesis that matches), a recall (the share of the reference that is matched) and
their harmonic mean, the F-measure. Summaries are judged mostly by recall: did it say what
mattered? With several references, each ROUGE type keeps the reference with the best F-measure
(rouge-score's ``score_multi``).

rouge-score's tokenizer lowercases the text and replaces every character other than ``a-z`` and
``0-9`` with a space, so accents split words ("café" becomes "caf") and text in Greek, Arabic,
Chinese or any other non-Latin script has no tokens at all: it scores 0, even against itself.
The tokens are returned so this can be seen. With ``use_stemmer``, words longer than three
letters are cut to their Porter stem ("running" -> "run"), so word forms match.

**METEOR** (Banerjee & Lavie, 2005) aligns the hypothesis's words one to one with the
reference's: first identical words, then words with the same stem, then WordNet synonyms. From
the number of aligned words it takes a recall-heavy mean of precision and recall, then lowers it
by a *fragmentation penalty*: aligned words that form few contiguous runs ("chunks") in the same
order in both texts are penalised less than scattered ones. The score is nltk's
``meteor_score``, the reference implementation; WordNet's data cannot be downloaded here, so a
WordNet with no synonyms is passed and only exact and stem matches count (:data:`MATCHING`).
METEOR needs words, so the texts are cut by :func:`meteor_tokenize`. nltk is imported only when
METEOR or the stemmer is first used (it takes a second to load) and never reads nltk_data.

Scores are fractions 0..1, as rouge-score and nltk give them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lab_app.core.bench.textinput import check_references, check_text

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
MATCHING = "exact + stem matches only (no WordNet synonyms)"
# ROUGE-L's length needs no table; the common subsequence is spelled out when the table that
# finds it has at most this many cells (hypothesis tokens x reference tokens).
LCS_SHOWN_CELLS = 250_000

# rouge-score's tokenizer (rouge_score/tokenize.py), pattern for pattern.
_NON_ALPHANUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_VALID_TOKEN = re.compile(r"^[a-z0-9]+$")
_METEOR_TOKEN = re.compile(r"\w+|[^\w\s]")
# nltk's METEOR parameters (its defaults): precision's weight, penalty shape and weight.
_ALPHA, _BETA, _GAMMA = 0.9, 3.0, 0.5
_WEIGHTS = {"alpha": _ALPHA, "beta": _BETA, "gamma": _GAMMA}


@functools.cache
def _porter() -> Any:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def rouge_tokenize(text: str, *, use_stemmer: bool = False) -> list[str]:
    """ROUGE's words, as rouge-score's default tokenizer makes them: lowercased, every run of
    characters other than ``a-z0-9`` a separator, and (with ``use_stemmer``) each word longer than
    three characters replaced by its Porter stem."""
    tokens = _SPACES.split(_NON_ALPHANUM.sub(" ", text.lower()))
    if use_stemmer:
        tokens = [_porter().stem(token) if len(token) > 3 else token for token in tokens]
    return [token for token in tokens if _VALID_TOKEN.match(token)]


@dataclass(frozen=True)
class RougeScore:
    """One ROUGE type against the reference it was scored on (``reference``, an index).

    ``overlap`` is the number of shared n-grams (each counted at most as often as the rarer side
    has it) or, for ROUGE-L, the length of the longest common subsequence; ``hyp_count`` and
    ``ref_count`` are the n-grams (tokens for ROUGE-L) of each side. ``common`` lists the shared
    n-grams, or the subsequence's tokens in order (left empty when too long to find cheaply).
    """

    precision: float
    recall: float
    fmeasure: float
    overlap: int
    hyp_count: int
    ref_count: int
    reference: int
    common: tuple[str, ...]


@dataclass(frozen=True)
class RougeResult:
    """ROUGE-1, ROUGE-2 and ROUGE-L (``scores``, keyed as in rouge-score) and the tokens they
    were computed on: an empty token list means the tokenizer dropped the whole text."""

    scores: dict[str, RougeScore]
    hyp_tokens: tuple[str, ...]
    ref_tokens: tuple[tuple[str, ...], ...]
    use_stemmer: bool


def _fmeasure(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _counts(overlap: int, hyp_count: int, ref_count: int) -> tuple[float, float, float]:
    """Precision, recall and F-measure from counts (rouge-score divides by at least 1)."""
    precision = overlap / max(hyp_count, 1)
    recall = overlap / max(ref_count, 1)
    return precision, recall, _fmeasure(precision, recall)


def _rouge_n(hyp: Sequence[str], ref: Sequence[str], n: int, reference: int) -> RougeScore:
    hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
    ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    common = tuple(
        " ".join(ngram)
        for ngram, count in hyp_ngrams.items()
        for _ in range(min(count, ref_ngrams[ngram]))
    )
    hyp_count, ref_count = sum(hyp_ngrams.values()), sum(ref_ngrams.values())
    precision, recall, fmeasure = _counts(len(common), hyp_count, ref_count)
    return RougeScore(
        precision, recall, fmeasure, len(common), hyp_count, ref_count, reference, common
    )


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest common subsequence of two token lists, bit-parallel (Hyyrö,
    2004): one big-integer step per token of ``b``, so 10,000 x 10,000 tokens take milliseconds
    instead of the table's 100 million cells. Equals the length from the classic table."""
    masks: dict[str, int] = {}
    for i, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full  # bit i is 0 where the subsequence so far has grown at a[i]
    for token in b:
        hits = row & masks.get(token, 0)
        row = ((row + hits) | (row - hits)) & full
    return len(a) - row.bit_count()


def _lcs_tokens(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
    """One longest common subsequence, read back from the classic table (rouge-score's
    ``lcs_ind``: the same table and the same way back)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    found: list[str] = []
    i, j = len(a), len(b)
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1]:
            found.append(a[i - 1])
            i, j = i - 1, j - 1
        elif table[i][j - 1] > table[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return tuple(reversed(found))


def _rouge_l(hyp: Sequence[str], ref: Sequence[str], reference: int) -> RougeScore:
    if not hyp or not ref:
        return RougeScore(0.0, 0.0, 0.0, 0, len(hyp), len(ref), reference, ())
    length = lcs_length(ref, hyp)
    common = _lcs_tokens(ref, hyp) if len(ref) * len(hyp) <= LCS_SHOWN_CELLS else ()
    precision, recall = length / len(hyp), length / len(ref)
    fmeasure = _fmeasure(precision, recall)
    return RougeScore(precision, recall, fmeasure, length, len(hyp), len(ref), reference, common)


def rouge(hypothesis: str, references: Sequence[str], *, use_stemmer: bool = False) -> RougeResult:
    """ROUGE-1, ROUGE-2 and ROUGE-L of a hypothesis, as rouge-score's
    ``RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=...)``: its ``score`` for one
    reference, its ``score_multi`` (the best F-measure per type) for several."""
    hyp = tuple(rouge_tokenize(check_text(hypothesis, "hypothesis"), use_stemmer=use_stemmer))
    refs = tuple(
        tuple(rouge_tokenize(ref, use_stemmer=use_stemmer)) for ref in check_references(references)
    )
    candidates = {
        "rouge1": [_rouge_n(hyp, ref, 1, k) for k, ref in enumerate(refs)],
        "rouge2": [_rouge_n(hyp, ref, 2, k) for k, ref in enumerate(refs)],
        "rougeL": [_rouge_l(hyp, ref, k) for k, ref in enumerate(refs)],
    }
    # max() keeps the first of equal maxima, as rouge-score's numpy.argmax does
    scores = {kind: max(found, key=lambda s: s.fmeasure) for kind, found in candidates.items()}
    return RougeResult(scores, hyp, refs, use_stemmer)


def meteor_tokenize(text: str) -> list[str]:
    """METEOR's words: the text lowercased, cut into runs of letters and digits (any script)
    and single punctuation marks or symbols ("Don't!" -> ``don ' t !``). A small stand-in for
    nltk's ``word_tokenize``, which needs the punkt data download."""
    return _METEOR_TOKEN.findall(text.lower())


class _NoWordNet:
    """Stands in for nltk's WordNet, whose data is not installed: no word has synonyms."""

    def synsets(self, word: str) -> list[Any]:
        return []


@dataclass(frozen=True)
class MeteorMatch:
    """An aligned pair: hypothesis token ``hyp_index`` with reference token ``ref_index``,
    matched as identical words (``"exact"``) or by their Porter stem (``"stem"``)."""

    hyp_index: int
    ref_index: int
    kind: str


@dataclass(frozen=True)
class MeteorReference:
    """METEOR against one reference: ``fmean`` = P·R / (0.9·P + 0.1·R) from the aligned words'
    precision and recall, ``penalty`` = 0.5·(chunks / matches)³, ``score`` = (1 − penalty)·fmean
    (nltk's ``single_meteor_score``; 0 when nothing is aligned)."""

    tokens: tuple[str, ...]
    score: float
    precision: float
    recall: float
    fmean: float
    chunks: int
    penalty: float
    matches: tuple[MeteorMatch, ...]


@dataclass(frozen=True)
class MeteorResult:
    """METEOR (nltk's ``meteor_score``: the best reference's score) with every reference's
    workings; ``matching`` says which kinds of match were possible."""

    score: float
    hyp_tokens: tuple[str, ...]
    references: tuple[MeteorReference, ...]
    best_reference: int
    matching: str = MATCHING


def _chunks(matches: Sequence[MeteorMatch]) -> int:
    """Runs of matches that are adjacent, in the same order, in both texts."""
    return sum(
        1
        for k, match in enumerate(matches)
        if k == 0
        or (match.hyp_index, match.ref_index)
        != (matches[k - 1].hyp_index + 1, matches[k - 1].ref_index + 1)
    )


def _meteor_against(nltk_meteor: Any, hyp: list[str], ref: list[str]) -> MeteorReference:
    options = {"stemmer": _porter(), "wordnet": _NoWordNet()}
    score = nltk_meteor.single_meteor_score(ref, hyp, **options, **_WEIGHTS)
    aligned, _, _ = nltk_meteor.align_words(hyp, ref, **options)
    matches = tuple(
        MeteorMatch(i, j, "exact" if hyp[i].lower() == ref[j].lower() else "stem")
        for i, j in aligned
    )
    found = len(matches)
    precision = found / len(hyp) if hyp else 0.0
    recall = found / len(ref) if ref else 0.0
    fmean = precision * recall / (_ALPHA * precision + (1 - _ALPHA) * recall) if found else 0.0
    chunks = _chunks(matches)
    penalty = _GAMMA * (chunks / found) ** _BETA if found else 0.0
    return MeteorReference(tuple(ref), score, precision, recall, fmean, chunks, penalty, matches)


def meteor(hypothesis: str, references: Sequence[str]) -> MeteorResult:
    """METEOR of a hypothesis against its reference(s), computed by nltk's ``meteor_score``
    on :func:`meteor_tokenize`'s words with exact and stem matches only."""
    from nltk.translate import meteor_score as nltk_meteor

    hyp = meteor_tokenize(check_text(hypothesis, "hypothesis"))
    refs = [meteor_tokenize(ref) for ref in check_references(references)]
    score = nltk_meteor.meteor_score(refs, hyp, stemmer=_porter(), wordnet=_NoWordNet(), **_WEIGHTS)
    per_reference = tuple(_meteor_against(nltk_meteor, hyp, ref) for ref in refs)
    best = max(range(len(refs)), key=lambda k: per_reference[k].score)
    return MeteorResult(score, tuple(hyp), per_reference, best)
