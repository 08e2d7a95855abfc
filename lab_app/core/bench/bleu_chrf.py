"""BLEU and chrF exactly as sacrebleu 2.6.0 computes them by default, with their workings shown.

**BLEU** (Papineni et al., 2002) measures how many of the hypothesis's word *n-grams* — runs of
1, 2, 3 and 4 words — also occur in a reference. Each n-gram counts at most as often as it occurs
in the one reference that has it most ("clipping", so repeating "the the the" earns nothing). The
four precisions are averaged geometrically, and a *brevity penalty* lowers the score of a
hypothesis shorter than the reference, since precision alone would reward saying very little.
Words come from sacrebleu's default ``13a`` tokenizer (the one of WMT's ``mteval-v13a.pl``), which
splits punctuation off words; case matters. An order with no match at all would make the
geometric mean 0, so sacrebleu's default ``exp`` smoothing gives the k-th such order the
precision ``1 / (2**k * total)``; for one sentence, the orders the hypothesis is too short to
have are left out (*effective order*). BLEU was designed for a whole test set (a *corpus*): its
counts are summed over all sentences first, and only then turned into precisions, so corpus BLEU
is not the mean of the sentences' BLEUs.

**chrF** (Popović, 2015) does the same with *character* n-grams of 1 to 6 characters, spaces
removed. It averages precision and recall over the six orders and combines them into an
F-score with beta = 2, which weighs recall twice as much as precision. Working on characters, it
gives partial credit for a word with another ending ("walked" against "walking") and needs no
tokenizer, so it works for any script.

Scores are 0..100, as sacrebleu prints them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from lab_app.core.bench.textinput import check_corpus, check_references, check_text

MAX_ORDER = 4  # BLEU's word n-grams: 1 to 4 words
CHAR_ORDER = 6  # chrF's character n-grams: 1 to 6 characters
BETA = 2  # chrF's recall counts beta times as much as precision

# sacrebleu's 13a tokenizer, rule by rule (tokenizers/tokenizer_13a.py and tokenizer_re.py).
_13A_RULES = (
    # split off most ASCII punctuation and symbols
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    # a period or comma unless it sits between digits (3.14 and 1,000 stay whole)
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    # a dash after a digit
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
)
_ENTITIES = (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"))
_LOG_OF_ZERO = -9999999999  # sacrebleu's floor for log(0): the score becomes exactly 0


def tokenize_13a(text: str, *, lowercase: bool = False) -> list[str]:
    """BLEU's words: sacrebleu's ``13a`` tokenizer, applied as sacrebleu does (after stripping
    trailing whitespace). Punctuation becomes separate tokens; case is kept unless ``lowercase``."""
    if lowercase:
        text = text.lower()
    line = text.rstrip().replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        for entity, char in _ENTITIES:
            line = line.replace(entity, char)
    line = f" {line} "
    for pattern, replacement in _13A_RULES:
        line = pattern.sub(replacement, line)
    return line.split()


@dataclass(frozen=True)
class NgramMatch:
    """One distinct n-gram of the hypothesis: how often it occurs there, and how many of those
    occurrences match (clipped to the most times a single reference contains it)."""

    ngram: tuple[str, ...]
    in_hypothesis: int
    matched: int


@dataclass(frozen=True)
class BleuResult:
    """BLEU and the numbers it is made of.

    ``matched[k]`` and ``totals[k]`` count the (k+1)-grams: clipped matches and all n-grams of
    the hypothesis (summed over sentences for a corpus). ``precisions`` are percentages, after
    smoothing, as sacrebleu reports them (all 0 when nothing matched). ``sys_len`` and ``ref_len``
    are the hypothesis and reference lengths in tokens that the brevity penalty compares; with
    several references, each sentence uses the reference length closest to its own. The score is
    the geometric mean of the first ``orders_used`` precisions (0 when no n-gram matched) times the
    brevity penalty. A sentence's result also holds its tokens and, per order, each n-gram.
    """

    score: float
    matched: tuple[int, ...]
    totals: tuple[int, ...]
    precisions: tuple[float, ...]
    brevity_penalty: float
    sys_len: int
    ref_len: int
    orders_used: int
    hyp_tokens: tuple[str, ...] = ()
    ref_tokens: tuple[tuple[str, ...], ...] = ()
    ngrams: tuple[tuple[NgramMatch, ...], ...] = ()


@dataclass(frozen=True)
class _BleuCounts:
    sys_len: int
    ref_len: int
    matched: tuple[int, ...]
    totals: tuple[int, ...]
    ngrams: tuple[tuple[NgramMatch, ...], ...]


def _word_ngrams(tokens: Sequence[str], max_order: int) -> Counter[tuple[str, ...]]:
    return Counter(
        tuple(tokens[i : i + n])
        for n in range(1, max_order + 1)
        for i in range(len(tokens) - n + 1)
    )


def _closest_ref_len(hyp_len: int, ref_lens: Sequence[int]) -> int:
    """The reference length nearest the hypothesis's; on a tie, the shorter one (sacrebleu)."""
    return min(ref_lens, key=lambda ref_len: (abs(hyp_len - ref_len), ref_len))


def _bleu_counts(hyp: Sequence[str], refs: Sequence[Sequence[str]]) -> _BleuCounts:
    most_in_a_ref: Counter[tuple[str, ...]] = Counter()
    for ref in refs:
        for ngram, count in _word_ngrams(ref, MAX_ORDER).items():
            most_in_a_ref[ngram] = max(most_in_a_ref[ngram], count)
    per_order: list[list[NgramMatch]] = [[] for _ in range(MAX_ORDER)]
    for ngram, count in _word_ngrams(hyp, MAX_ORDER).items():
        per_order[len(ngram) - 1].append(NgramMatch(ngram, count, min(count, most_in_a_ref[ngram])))
    return _BleuCounts(
        sys_len=len(hyp),
        ref_len=_closest_ref_len(len(hyp), [len(ref) for ref in refs]),
        matched=tuple(sum(m.matched for m in order) for order in per_order),
        totals=tuple(sum(m.in_hypothesis for m in order) for order in per_order),
        ngrams=tuple(tuple(order) for order in per_order),
    )


def _bleu_from_counts(
    matched: Sequence[int], totals: Sequence[int], sys_len: int, ref_len: int, effective: bool
) -> BleuResult:
    """sacrebleu's ``BLEU.compute_bleu`` with ``exp`` smoothing, step for step."""
    bp = 1.0
    if sys_len < ref_len:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    precisions = [0.0] * MAX_ORDER
    orders_used = 0
    score = 0.0
    if any(matched):
        halvings = 1.0  # exp smoothing: the k-th order with no match gets 1 / (2**k * total)
        orders_used = MAX_ORDER
        for k in range(MAX_ORDER):
            if totals[k] == 0:
                break  # no n-grams this long (or longer): an effective order stops here
            if effective:
                orders_used = k + 1
            if matched[k] == 0:
                halvings *= 2
                precisions[k] = 100.0 / (halvings * totals[k])
            else:
                precisions[k] = 100.0 * matched[k] / totals[k]
        logs = [math.log(p) if p != 0.0 else _LOG_OF_ZERO for p in precisions[:orders_used]]
        score = bp * math.exp(sum(logs) / orders_used)
    return BleuResult(
        score=score,
        matched=tuple(matched),
        totals=tuple(totals),
        precisions=tuple(precisions),
        brevity_penalty=bp,
        sys_len=sys_len,
        ref_len=ref_len,
        orders_used=orders_used,
    )


def sentence_bleu(
    hypothesis: str,
    references: Sequence[str],
    *,
    lowercase: bool = False,
    effective_order: bool = True,
) -> BleuResult:
    """BLEU of one hypothesis against its reference(s), as ``sacrebleu.sentence_bleu`` (which
    uses the effective order by default), with the tokens and every n-gram's matches."""
    check_text(hypothesis, "hypothesis")
    refs = check_references(references)
    hyp_tokens = tuple(tokenize_13a(hypothesis, lowercase=lowercase))
    ref_tokens = tuple(tuple(tokenize_13a(ref, lowercase=lowercase)) for ref in refs)
    counts = _bleu_counts(hyp_tokens, ref_tokens)
    result = _bleu_from_counts(
        counts.matched, counts.totals, counts.sys_len, counts.ref_len, effective_order
    )
    return replace(result, hyp_tokens=hyp_tokens, ref_tokens=ref_tokens, ngrams=counts.ngrams)


def corpus_bleu(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    lowercase: bool = False,
    effective_order: bool = False,
) -> BleuResult:
    """BLEU of a test set, as ``sacrebleu.corpus_bleu``: ``references[i]`` holds the reference(s)
    of ``hypotheses[i]`` (one list per hypothesis; the lists may differ in length). The n-gram
    counts and lengths of all sentences are summed before precisions and the brevity penalty are
    computed. The result carries no tokens or n-grams."""
    hyps, refs = check_corpus(hypotheses, references)
    per_sentence = [
        _bleu_counts(
            tokenize_13a(hyp, lowercase=lowercase),
            [tokenize_13a(ref, lowercase=lowercase) for ref in sentence_refs],
        )
        for hyp, sentence_refs in zip(hyps, refs, strict=True)
    ]
    return _bleu_from_counts(
        [sum(c.matched[k] for c in per_sentence) for k in range(MAX_ORDER)],
        [sum(c.totals[k] for c in per_sentence) for k in range(MAX_ORDER)],
        sum(c.sys_len for c in per_sentence),
        sum(c.ref_len for c in per_sentence),
        effective_order,
    )


@dataclass(frozen=True)
class CharOrderStats:
    """chrF's counts for the character n-grams of one length ``n``.

    ``in_hypothesis`` is 0 when the reference has no n-gram this long (sacrebleu's rule: nothing
    to match against). ``counted`` says whether this order enters the averages: only orders that
    both texts have do. ``precision`` and ``recall`` are fractions (0 for an order not counted).
    """

    n: int
    in_hypothesis: int
    in_reference: int
    matched: int
    precision: float
    recall: float
    counted: bool


@dataclass(frozen=True)
class ChrfResult:
    """chrF and its parts: ``precision`` and ``recall`` are the character precision and recall
    averaged over the counted orders (fractions), combined into the F-score ``score`` (0..100)
    with ``beta``. For one sentence with several references, ``best_reference`` is the index of
    the reference that gave the best F-score, the one whose counts are shown."""

    score: float
    precision: float
    recall: float
    beta: int
    orders: tuple[CharOrderStats, ...]
    best_reference: int | None = None


_CharCounts = tuple[tuple[int, int, int], ...]  # per order: (in hypothesis, in reference, matched)


def _char_ngrams(text: str) -> list[Counter[str]]:
    line = "".join(text.split())  # chrF ignores whitespace
    return [
        Counter(line[i : i + n] for i in range(len(line) - n + 1)) for n in range(1, CHAR_ORDER + 1)
    ]


def _chrf_counts(hyp: list[Counter[str]], ref: list[Counter[str]]) -> _CharCounts:
    counts = []
    for hyp_ngrams, ref_ngrams in zip(hyp, ref, strict=True):
        matched = sum(min(count, ref_ngrams[ng]) for ng, count in hyp_ngrams.items())
        in_hyp = sum(hyp_ngrams.values()) if ref_ngrams else 0
        counts.append((in_hyp, sum(ref_ngrams.values()), matched))
    return tuple(counts)


def _chrf_from_counts(counts: _CharCounts, best_reference: int | None = None) -> ChrfResult:
    """sacrebleu's ``CHRF._compute_f_score`` (without epsilon smoothing), step for step."""
    factor = BETA**2
    avg_prec, avg_rec, used = 0.0, 0.0, 0
    orders = []
    for n, (in_hyp, in_ref, matched) in enumerate(counts, start=1):
        counted = in_hyp > 0 and in_ref > 0
        prec = matched / in_hyp if counted else 0.0
        rec = matched / in_ref if counted else 0.0
        if counted:
            avg_prec += prec
            avg_rec += rec
            used += 1
        orders.append(CharOrderStats(n, in_hyp, in_ref, matched, prec, rec, counted))
    if used:
        avg_prec /= used
        avg_rec /= used
    score = 0.0
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        score *= 100
    return ChrfResult(score, avg_prec, avg_rec, BETA, tuple(orders), best_reference)


def _best_chrf_counts(hypothesis: str, references: Sequence[str]) -> tuple[_CharCounts, int]:
    """The counts against the reference with the best F-score (the first one on a tie)."""
    hyp = _char_ngrams(hypothesis)
    best: tuple[_CharCounts, int] = ((), -1)
    best_score = -1.0
    for index, ref in enumerate(references):
        counts = _chrf_counts(hyp, _char_ngrams(ref))
        f_score = _chrf_from_counts(counts).score
        if f_score > best_score:
            best, best_score = (counts, index), f_score
    return best


def sentence_chrf(hypothesis: str, references: Sequence[str]) -> ChrfResult:
    """chrF of one hypothesis against its reference(s), as ``sacrebleu.sentence_chrf``."""
    check_text(hypothesis, "hypothesis")
    counts, best = _best_chrf_counts(hypothesis, check_references(references))
    return _chrf_from_counts(counts, best)


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> ChrfResult:
    """chrF of a test set, as ``sacrebleu.corpus_chrf``: ``references[i]`` holds the reference(s)
    of ``hypotheses[i]``. Each sentence contributes the counts of its best reference; the counts
    are summed over sentences before precision, recall and F are computed."""
    hyps, refs = check_corpus(hypotheses, references)
    per_sentence = [
        _best_chrf_counts(hyp, sentence_refs)[0]
        for hyp, sentence_refs in zip(hyps, refs, strict=True)
    ]
    summed = tuple(
        (
            sum(c[k][0] for c in per_sentence),
            sum(c[k][1] for c in per_sentence),
            sum(c[k][2] for c in per_sentence),
        )
        for k in range(CHAR_ORDER)
    )
    return _chrf_from_counts(summed)
