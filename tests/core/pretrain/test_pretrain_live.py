"""Pre-training a tiny BERT and GPT live: they learn (loss under the unigram baseline on a text
with structure), replay with a seed, read the probe, and refuse bad settings calmly."""

from __future__ import annotations

import numpy as np
import pytest

from lab_app.core.errors import Cancelled, UserError
from lab_app.core.pretrain.corpus import Corpus, tokenize_words
from lab_app.core.pretrain.live import (
    PROMPT_WORDS,
    Progressed,
    checkpoint_steps,
    pretrain,
    probe_words,
    schedule,
    unigram_loss,
)
from lab_app.core.pretrain.tiny_lm import SPECIALS, TinyConfig, encode_corpus, word_vocab
from lab_app.core.specs.lab import bert_base_compute

SMALL = TinyConfig(vocab=60, hidden=32, layers=2, heads=4, ffn=64, seq_len=12, batch=16)


def grammar_corpus(sentences: int = 600, seed: int = 0) -> Corpus:
    """Sentences "the ADJ NOUN VERB a NOUN": each slot's word class follows from its left
    neighbour, so context helps and word frequencies alone do not."""
    rng = np.random.default_rng(seed)
    adj = [f"adj{i}" for i in range(6)]
    noun = [f"noun{i}" for i in range(8)]
    verb = [f"verb{i}" for i in range(6)]
    rows = [
        ["the", rng.choice(adj), rng.choice(noun), rng.choice(verb), "a", rng.choice(noun)]
        for _ in range(sentences)
    ]
    text = [[str(w) for w in row] for row in rows]
    return Corpus(text, "grammar", sum(len(r) for r in text))


@pytest.mark.parametrize("objective", ["mlm", "clm"])
def test_the_tiny_model_goes_below_the_unigram_baseline(objective: str) -> None:
    seen: list[Progressed] = []
    run = pretrain(
        grammar_corpus(), objective, steps=150, seed=0, config=SMALL, lr=3e-3,  # type: ignore[arg-type]
        probe="the adj1 noun2 verb3 a noun4 the adj2 noun5", on_progress=seen.append,
    )  # fmt: skip
    assert len(run.losses) == 150 and run.steps == 150
    first, last = run.checkpoints[0], run.checkpoints[-1]
    assert [c.step for c in run.checkpoints] == list(checkpoint_steps(150))
    assert last.held_out_loss < run.baseline_loss - 0.3 < first.held_out_loss
    assert np.mean(run.losses[-20:]) < run.baseline_loss
    assert run.tokens_seen == 150 * SMALL.batch * SMALL.seq_len
    assert run.flops == 6 * run.params * run.tokens_seen
    # The live view got every checkpoint, and losses that only grow.
    assert [p.checkpoint for p in seen if p.checkpoint] == run.checkpoints
    lengths = [len(p.losses) for p in seen]
    assert lengths == sorted(lengths) and lengths[-1] == 150
    doc = run.as_json()
    assert {"steps", "loss", "baseline_loss", "tokens_seen", "flops"} <= set(doc)
    assert len(doc["loss"]) == 150


def test_the_probe_is_read_as_each_objective_reads() -> None:
    words = ["the", "adj1", "noun2", "verb3", "a", "noun4", "the", "adj2", "noun5"]
    mlm = pretrain(grammar_corpus(), "mlm", steps=60, config=SMALL, probe=" ".join(words))
    shown = mlm.checkpoints[-1].probe.split()
    assert len(shown) == len(words)
    gaps = [i for i, w in enumerate(shown) if w.startswith("[")]
    assert gaps == list(range(1, len(words), 3))  # every third word, from the second
    assert all(shown[i] == words[i] for i in range(len(words)) if i not in gaps)
    assert not any(w[1:-1] in SPECIALS for w in shown if w.startswith("["))
    clm = pretrain(grammar_corpus(), "clm", steps=60, config=SMALL, probe=" ".join(words))
    prompt, _, continued = clm.checkpoints[-1].probe.partition(" → ")
    assert prompt.split() == words[:PROMPT_WORDS] and len(continued.split()) == 8


def test_a_seed_replays_the_run_and_another_seed_does_not() -> None:
    corpus = grammar_corpus()
    a = pretrain(corpus, "mlm", steps=20, seed=3, config=SMALL)
    b = pretrain(corpus, "mlm", steps=20, seed=3, config=SMALL)
    c = pretrain(corpus, "mlm", steps=20, seed=4, config=SMALL)
    assert a.losses == b.losses and a.losses != c.losses


def test_the_unigram_baseline_is_the_frequency_cross_entropy() -> None:
    train = np.array([3, 3, 3, 4, 5, 1], dtype=np.int64)
    targets = np.array([3, 4], dtype=np.int64)
    counts = np.array([0, 2, 0, 4, 2, 2], dtype=np.float64)  # add-one; [PAD], [MASK] never
    probs = counts / counts.sum()
    expected = -(np.log(probs[3]) + np.log(probs[4])) / 2
    assert unigram_loss(train, 6, targets) == pytest.approx(expected)


def test_the_vocabulary_keeps_the_frequent_words_after_the_specials() -> None:
    corpus = Corpus([["b", "a", "a", "c"], ["a", "b", "d"]], "tiny", 7)
    vocab = word_vocab(corpus, 5)
    assert vocab.words == (*SPECIALS, "a", "b")
    assert list(vocab.counts) == [0, 2, 0, 3, 2]  # c and d are [UNK]
    assert list(encode_corpus(corpus, vocab)) == [4, 3, 3, 1, 3, 4, 1]


def test_schedule_warms_up_holds_and_falls() -> None:
    factors = [schedule(s, 100) for s in range(100)]
    assert factors[0] == pytest.approx(0.2) and factors[4] == 1.0
    assert factors[50] == 1.0 and factors[-1] == pytest.approx(0.1 + 0.9 / 30)
    assert all(0 < f <= 1 for f in factors)


def test_compute_beside_bert_base() -> None:
    flops, source = bert_base_compute()
    assert 6 * 100e6 * 128e9 < flops < 6 * 120e6 * 128e9
    assert "Devlin" in source


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"steps": 0}, "steps must be"),
        ({"steps": 10**6}, "steps must be"),
        ({"seed": -1}, "a seed is a whole number"),
        ({"lr": 0.0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"objective": "nsp"}, "mlm or clm"),
        ({"probe": "two words"}, "probe needs"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict, needle: str) -> None:
    args = {"objective": "mlm", "steps": 5, "seed": 0, "config": SMALL, **kwargs}
    with pytest.raises(UserError, match=needle):
        pretrain(grammar_corpus(), **args)


def test_a_corpus_shorter_than_a_window_is_refused() -> None:
    words = tokenize_words("one two three four five six seven eight nine ten eleven")
    with pytest.raises(UserError, match="too few"):
        pretrain(Corpus(words, "short", 11), "clm", steps=5, config=SMALL)
    with pytest.raises(UserError, match="only one different word"):
        pretrain(Corpus([["la"] * 50], "la", 50), "clm", steps=5, config=SMALL)


def test_cancel_stops_the_run() -> None:
    class StopAt:
        def __init__(self) -> None:
            self.calls = 0

        def __call__(self, done: int, total: int, message: str = "") -> bool:
            self.calls += 1
            return done < 3

        def cancelled(self) -> bool:
            return False

    with pytest.raises(Cancelled):
        pretrain(grammar_corpus(), "clm", steps=50, config=SMALL, progress=StopAt())


def test_probe_words_default_and_emoji() -> None:
    assert len(probe_words(None)) > PROMPT_WORDS
    assert probe_words("Hello 👋 there, you ✨ lovely world") == [
        "hello", "there", "you", "lovely", "world"
    ]  # fmt: skip
