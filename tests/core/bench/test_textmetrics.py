"""The Benchmarks lab's generation metrics against their reference implementations.

BLEU and chrF must equal sacrebleu 2.6.0's defaults and ROUGE rouge-score 0.1.2's, number for
number (the same float operations in the same order, so equality is exact), on hand-picked texts
(emoji, right-to-left scripts, HTML entities, empty hypotheses, ties between references) and on
generated ones. METEOR is nltk's own; the test checks the lab's workings add up to nltk's score
and that nothing reaches for WordNet's data or the network. The traps must behave as their
explanations say.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_app.core.bench import textmetrics as tm
from lab_app.core.bench.rouge_meteor import lcs_length

HAND_CASES: list[tuple[str, list[str]]] = [
    ("The cat sat on the mat.", ["The cat is on the mat.", "There is a cat on the mat."]),
    ("the the the the the the the", ["The cat is on the mat."]),  # clipping, case
    ("", ["A reference with some words."]),  # empty hypothesis
    ("   \t ", ["Only whitespace in the hypothesis."]),
    ("Something said.", [""]),  # empty reference
    ("Something said.", ["", "Something was said."]),
    ("It was good 😀👍🏽!", ["It was really good 😀!"]),  # emoji, skin-tone modifier
    ("Family: 👨‍👩‍👧 at home", ["The family 👨‍👩‍👧 is at home"]),  # zero-width joiners
    ("القطة تجلس على السجادة.", ["القطة على السجادة الحمراء."]),  # Arabic, right to left
    ("\u200fשלום עולם 2024\u200f", ["שלום לכל העולם 2024"]),  # Hebrew with RLM marks and digits
    ("Η γάτα κοιμάται.", ["Η γάτα κοιμάται."]),  # Greek, identical
    ("我喜欢猫。", ["我很喜欢猫。"]),  # Chinese, no spaces
    ("Café crème brûlée, s'il vous plaît!", ["Cafe creme brulee, s'il vous plait."]),
    (
        "&quot;Rock &amp; roll&quot; <skipped> costs 3.14, or 1,000-2 in 2-3 days; end-\nline",
        ['"Rock & roll" costs 3.14 , or 1,000 - 2 in 2 - 3 days ; endline'],
    ),
    ("one two three", ["one two", "one two three four"]),  # closest length tie: the shorter
    ("Running runners ran quickly; the runner runs.", ["A runner was running quickly."]),
    ("Hello\u00a0world\u2028again  ", ["hello world again"]),  # non-breaking space, LS
    ("Yes", ["Yes"]),
    ("A B C D E F G", ["a b c d e f g"]),
]

# Texts that share words often enough for partial matches, across scripts and punctuation.
_WORDS = ["the", "The", "cat", "cats", "sat", "on", "mat", ".", ",", "!", "3.14", "1,000", "-",
          "don't", "café", "running", "runs", "ran", "&amp;", "a-b", "😀", "γάτα", "القطة",
          "猫", "New", "new", "York", "(hi)", "\n", "<skipped>"]  # fmt: skip
_texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=20).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=12).map("".join),
    st.text(max_size=40),
)
_refs = st.lists(_texts, min_size=1, max_size=3)
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def sacrebleu() -> Any:
    return pytest.importorskip("sacrebleu")


@pytest.fixture(scope="module")
def rouge_scorer() -> Any:
    return pytest.importorskip("rouge_score.rouge_scorer")


def _streams(references: Sequence[Sequence[str]]) -> list[list[str | None]]:
    """Per-hypothesis reference lists as sacrebleu's streams, padded with None (which it skips)."""
    width = max(len(refs) for refs in references)
    return [[refs[k] if k < len(refs) else None for refs in references] for k in range(width)]


# --- BLEU -----------------------------------------------------------------------------------


def _assert_bleu_equal(ours: tm.BleuResult, theirs: Any) -> None:
    assert ours.score == theirs.score
    assert list(ours.matched) == list(theirs.counts)
    assert list(ours.totals) == list(theirs.totals)
    assert list(ours.precisions) == list(theirs.precisions)
    assert (ours.brevity_penalty, ours.sys_len, ours.ref_len) == (
        theirs.bp,
        theirs.sys_len,
        theirs.ref_len,
    )


def _check_sentence_bleu(sacrebleu: Any, hyp: str, refs: list[str]) -> None:
    ours = tm.sentence_bleu(hyp, refs)
    _assert_bleu_equal(ours, sacrebleu.sentence_bleu(hyp, refs))
    # the shown n-grams add up to the counts, and the tokens are sacrebleu's
    assert [sum(m.matched for m in order) for order in ours.ngrams] == list(ours.matched)
    assert [sum(m.in_hypothesis for m in order) for order in ours.ngrams] == list(ours.totals)
    assert " ".join(ours.hyp_tokens) == sacrebleu.BLEU().tokenizer(hyp.rstrip())


@pytest.mark.parametrize(("hyp", "refs"), HAND_CASES)
def test_sentence_bleu_matches_sacrebleu(sacrebleu: Any, hyp: str, refs: list[str]) -> None:
    _check_sentence_bleu(sacrebleu, hyp, refs)


@_SETTINGS
@given(hyp=_texts, refs=_refs)
def test_sentence_bleu_matches_sacrebleu_generated(
    sacrebleu: Any, hyp: str, refs: list[str]
) -> None:
    _check_sentence_bleu(sacrebleu, hyp, refs)


def test_bleu_shows_clipped_ngrams() -> None:
    result = tm.sentence_bleu("the the the cat", ["the cat sat on the mat"])
    unigrams = {m.ngram: (m.in_hypothesis, m.matched) for m in result.ngrams[0]}
    assert unigrams == {("the",): (3, 2), ("cat",): (1, 1)}
    assert result.orders_used == 4 and result.ref_len == 6


def test_corpus_bleu_matches_sacrebleu(sacrebleu: Any) -> None:
    hyps = [hyp for hyp, _ in HAND_CASES]
    refs = [refs for _, refs in HAND_CASES]  # one or two references per hypothesis
    _assert_bleu_equal(tm.corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, _streams(refs)))
    both = sacrebleu.corpus_bleu(hyps, _streams(refs), use_effective_order=True)
    _assert_bleu_equal(tm.corpus_bleu(hyps, refs, effective_order=True), both)
    lower = sacrebleu.corpus_bleu(hyps, _streams(refs), lowercase=True)
    _assert_bleu_equal(tm.corpus_bleu(hyps, refs, lowercase=True), lower)


@_SETTINGS
@given(corpus=st.lists(st.tuples(_texts, _refs), min_size=1, max_size=5))
def test_corpus_bleu_and_chrf_match_sacrebleu_generated(
    sacrebleu: Any, corpus: list[tuple[str, list[str]]]
) -> None:
    hyps = [hyp for hyp, _ in corpus]
    refs = [refs for _, refs in corpus]
    _assert_bleu_equal(tm.corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, _streams(refs)))
    assert tm.corpus_chrf(hyps, refs).score == sacrebleu.corpus_chrf(hyps, _streams(refs)).score


# --- chrF -----------------------------------------------------------------------------------


def _check_sentence_chrf(sacrebleu: Any, hyp: str, refs: list[str]) -> None:
    ours = tm.sentence_chrf(hyp, refs)
    assert ours.score == sacrebleu.sentence_chrf(hyp, refs).score
    stats = sacrebleu.CHRF()._extract_corpus_statistics([hyp], [[ref] for ref in refs])[0]
    assert [x for o in ours.orders for x in (o.in_hypothesis, o.in_reference, o.matched)] == stats


@pytest.mark.parametrize(("hyp", "refs"), HAND_CASES)
def test_sentence_chrf_matches_sacrebleu(sacrebleu: Any, hyp: str, refs: list[str]) -> None:
    _check_sentence_chrf(sacrebleu, hyp, refs)


@_SETTINGS
@given(hyp=_texts, refs=_refs)
def test_sentence_chrf_matches_sacrebleu_generated(
    sacrebleu: Any, hyp: str, refs: list[str]
) -> None:
    _check_sentence_chrf(sacrebleu, hyp, refs)


def test_corpus_chrf_matches_sacrebleu(sacrebleu: Any) -> None:
    hyps = [hyp for hyp, _ in HAND_CASES]
    refs = [refs for _, refs in HAND_CASES]
    assert tm.corpus_chrf(hyps, refs).score == sacrebleu.corpus_chrf(hyps, _streams(refs)).score


def test_chrf_details_add_up() -> None:
    result = tm.sentence_chrf("walked home", ["a man", "walking home"])
    assert result.best_reference == 1
    counted = [o for o in result.orders if o.counted]
    assert result.precision == pytest.approx(sum(o.precision for o in counted) / len(counted))
    assert result.recall == pytest.approx(sum(o.recall for o in counted) / len(counted))
    p, r = result.precision, result.recall
    assert result.score == pytest.approx(100 * 5 * p * r / (4 * p + r))


# --- ROUGE ----------------------------------------------------------------------------------


def _check_rouge(rouge_scorer: Any, hyp: str, refs: list[str], use_stemmer: bool) -> None:
    scorer = rouge_scorer.RougeScorer(list(tm.ROUGE_TYPES), use_stemmer=use_stemmer)
    theirs = scorer.score(refs[0], hyp) if len(refs) == 1 else scorer.score_multi(refs, hyp)
    ours = tm.rouge(hyp, refs, use_stemmer=use_stemmer)
    for kind in tm.ROUGE_TYPES:
        got = ours.scores[kind]
        assert (got.precision, got.recall, got.fmeasure) == tuple(theirs[kind]), kind
        if got.common or got.overlap == 0:
            assert len(got.common) == got.overlap
    assert list(ours.hyp_tokens) == scorer._tokenizer.tokenize(hyp)


@pytest.mark.parametrize("use_stemmer", [False, True])
@pytest.mark.parametrize(("hyp", "refs"), HAND_CASES)
def test_rouge_matches_rouge_score(
    rouge_scorer: Any, hyp: str, refs: list[str], use_stemmer: bool
) -> None:
    _check_rouge(rouge_scorer, hyp, refs, use_stemmer)


@_SETTINGS
@given(hyp=_texts, refs=_refs, use_stemmer=st.booleans())
def test_rouge_matches_rouge_score_generated(
    rouge_scorer: Any, hyp: str, refs: list[str], use_stemmer: bool
) -> None:
    _check_rouge(rouge_scorer, hyp, refs, use_stemmer)


@_SETTINGS
@given(
    a=st.lists(st.sampled_from("abcd"), max_size=80),
    b=st.lists(st.sampled_from("abcd"), max_size=80),
)
def test_bit_parallel_lcs_equals_the_table(rouge_scorer: Any, a: list[str], b: list[str]) -> None:
    assert lcs_length(a, b) == rouge_scorer._lcs_table(a, b)[-1][-1]


def test_rouge_stems_only_longer_words_and_drops_non_latin() -> None:
    assert tm.rouge_tokenize("Cats running ran, café!", use_stemmer=True) == [
        "cat",
        "run",
        "ran",
        "caf",
    ]
    assert tm.rouge_tokenize("Η γάτα 😀 القطة") == []


def test_rouge_l_on_the_longest_texts_is_quick() -> None:
    hyp = ("a b c " * 4000)[: tm.MAX_CHARS]
    ref = ("b a c " * 4000)[: tm.MAX_CHARS]
    start = time.perf_counter()
    result = tm.rouge(hyp, [ref]).scores["rougeL"]
    assert time.perf_counter() - start < 10  # the 45-million-cell table would take minutes
    assert result.common == ()  # too long to spell out
    assert 0 < result.fmeasure < 1


# --- METEOR ---------------------------------------------------------------------------------


class _NoSynonyms:
    def synsets(self, word: str) -> list[Any]:
        return []


@pytest.fixture
def no_nltk_data(monkeypatch: pytest.MonkeyPatch) -> Any:
    """nltk, with any look-up of its data (WordNet, punkt) made to fail loudly."""
    nltk = pytest.importorskip("nltk")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"nltk looked for data: {args}")

    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    return nltk


@pytest.mark.parametrize(("hyp", "refs"), HAND_CASES)
def test_meteor_is_nltks(no_nltk_data: Any, hyp: str, refs: list[str]) -> None:
    from nltk.stem.porter import PorterStemmer
    from nltk.translate.meteor_score import meteor_score, single_meteor_score

    result = tm.meteor(hyp, refs)
    hyp_tokens = tm.meteor_tokenize(hyp)
    ref_tokens = [tm.meteor_tokenize(ref) for ref in refs]
    options = {"stemmer": PorterStemmer(), "wordnet": _NoSynonyms()}
    assert result.score == meteor_score(ref_tokens, hyp_tokens, **options)
    assert result.score == result.references[result.best_reference].score
    for ours, ref in zip(result.references, ref_tokens, strict=True):
        assert ours.score == single_meteor_score(ref, hyp_tokens, **options)
        assert ours.score == pytest.approx((1 - ours.penalty) * ours.fmean, abs=1e-12)
        assert len(ours.matches) <= min(len(hyp_tokens), len(ref))
    assert result.matching == "exact + stem matches only (no WordNet synonyms)"
    # WordNet's lazy loader was never touched (it replaces its own class when it loads)
    assert type(no_nltk_data.corpus.wordnet).__name__ == "LazyCorpusLoader"


def test_meteor_matches_exact_words_and_stems_only(no_nltk_data: Any) -> None:
    result = tm.meteor("The dogs were running home", ["the dog runs home"])
    kinds = {(m.hyp_index, m.ref_index): m.kind for m in result.references[0].matches}
    assert kinds == {(0, 0): "exact", (1, 1): "stem", (3, 2): "stem", (4, 3): "exact"}
    assert result.references[0].chunks == 2
    assert tm.meteor("a big house", ["a large house"]).references[0].chunks == 2  # no synonyms


def test_meteor_tokenizer() -> None:
    assert tm.meteor_tokenize("Don't STOP, 3.5 cats!") == [
        "don", "'", "t", "stop", ",", "3", ".", "5", "cats", "!",
    ]  # fmt: skip
    assert tm.meteor_tokenize("القطة 😀 γάτα") == ["القطة", "😀", "γάτα"]
