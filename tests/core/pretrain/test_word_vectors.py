"""Static word vectors: corpus reading, PPMI-SVD and SGNS training, neighbours and analogies."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.errors import Cancelled, UserError
from lab_app.core.pretrain.corpus import Corpus, read_corpus, tokenize_words
from lab_app.core.pretrain.train_vectors import (
    build_vocab,
    cooccurrence,
    encode,
    ppmi,
    sgns_gradients,
    train_ppmi_svd,
    train_sgns,
)
from lab_app.core.pretrain.vectors import (
    WordVectors,
    builtin_vectors,
    load_vectors,
    project_2d,
    save_vectors,
)


def toy_vectors() -> WordVectors:
    """Four axes: royalty, gender, plus two noise words; ``king - man + woman = queen``."""
    table = {
        "man": [0, 1, 0, 0.1],
        "woman": [0, -1, 0, 0.1],
        "king": [1, 1, 0, 0],
        "queen": [1, -1, 0, 0],
        "prince": [0.9, 1.1, 0.1, 0],
        "apple": [0, 0, 1, 0],
        "orange": [0, 0, 1, 0.2],
    }
    rows = np.array(list(table.values()), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return WordVectors("toy", tuple(table), rows, "ppmi-svd")


def synthetic_corpus(sentences: int = 400, seed: int = 0) -> Corpus:
    """Two topics that never share a sentence: animals and vehicles."""
    rng = np.random.default_rng(seed)
    topics = [
        ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse", "bird", "fish"],
        ["car", "bus", "train", "truck", "plane", "boat", "bike", "tram", "taxi", "van"],
    ]
    out = []
    for i in range(sentences):
        words = topics[i % 2]
        out.append([words[j] for j in rng.integers(0, len(words), size=8)])
    return Corpus(out, "synthetic", sum(len(s) for s in out))


# --- corpus ----------------------------------------------------------------------------------


def test_tokenize_drops_punctuation_keeps_apostrophes_and_splits_sentences() -> None:
    got = tokenize_words("Don\u2019t stop! The king's horse, said Mr. Bean.\n\nNew line")
    assert got == [
        ["don't", "stop"],
        ["the", "king's", "horse", "said", "mr"],
        ["bean"],
        ["new", "line"],
    ]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "no words"),
        (b"only a few words here.", "only 5 words"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("caf\u00e9 ".encode("latin-1") * 200, "not UTF-8"),
    ],
)
def test_bad_corpora_are_refused(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with pytest.raises(UserError, match=needle):
        read_corpus(path)


def test_missing_file_and_word_limit(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a file"):
        read_corpus(tmp_path / "nope.txt")
    path = tmp_path / "c.txt"
    path.write_text("\n".join(f"word{i} and word{i + 1} again." for i in range(100)), "utf-8")
    corpus = read_corpus(path, max_words=200)
    assert corpus.words <= 200 and corpus.notes and "200" in corpus.notes[0]


def test_builtin_corpus_reads() -> None:
    corpus = read_corpus(None)
    assert corpus.words > 300_000 and "built-in" in corpus.name and not corpus.notes


# --- queries ---------------------------------------------------------------------------------


def test_neighbours_exclude_the_word_and_are_sorted() -> None:
    v = toy_vectors()
    got = v.neighbours("King", k=3)
    assert next(w for w, _ in got) == "prince" and "king" not in [w for w, _ in got]
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)
    assert len(v.neighbours("apple", k=100)) == len(v.words) - 1


def test_analogy_is_3cosadd_and_excludes_the_question_words() -> None:
    v = toy_vectors()
    got = v.analogy("man", "woman", "king", k=7)
    assert got[0][0] == "queen"
    assert not {"man", "woman", "king"} & {w for w, _ in got}
    target = v.vector("woman") - v.vector("man") + v.vector("king")
    expected = float(v.vector("queen") @ target / np.linalg.norm(target))
    assert got[0][1] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("words", [("man", "man", "king"), ("man", "king", "Man ")])
def test_analogy_refuses_repeated_words(words: tuple[str, str, str]) -> None:
    with pytest.raises(UserError, match="'man' is given twice"):
        toy_vectors().analogy(*words)


def test_unknown_word_suggests_the_nearest_spelling() -> None:
    v = toy_vectors()
    with pytest.raises(UserError, match=r"'qeen' is not in .*7 words.*did you mean 'queen'\?"):
        v.neighbours("qeen")
    with pytest.raises(UserError) as info:
        v.index("zzzzzz")
    assert "did you mean" not in str(info.value)
    with pytest.raises(UserError, match="k must be"):
        v.neighbours("king", k=0)


def test_project_2d_is_pca_of_the_chosen_words() -> None:
    v = toy_vectors()
    words = ["king", "queen", "apple", "orange"]
    points = project_2d(v, words)
    assert points.shape == (4, 2)
    rows = np.stack([v.vector(w) for w in words])
    centred = rows - rows.mean(axis=0)
    var = np.sort(np.linalg.eigvalsh(np.cov(centred.T, bias=True)))[::-1][:2]
    assert np.var(points, axis=0) == pytest.approx(var, rel=1e-4)
    assert np.array_equal(points, project_2d(v, words))
    assert project_2d(v, ["king"]).shape == (1, 2)


def test_save_load_round_trip_and_damaged_files(tmp_path: Path) -> None:
    v = toy_vectors()
    path = tmp_path / "v.npz"
    save_vectors(v, path)
    back = load_vectors(path)
    assert back.words == v.words and back.name == "toy" and back.method == "ppmi-svd"
    assert np.allclose(back.vectors, v.vectors, atol=1e-3)
    assert np.allclose(np.linalg.norm(back.vectors, axis=1), 1, atol=1e-5)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="damaged"):
        load_vectors(bad)


def test_builtin_vectors_answer_analogies() -> None:
    v = builtin_vectors()
    assert v.name.startswith("bert-lab-words") and v.method == "ppmi-svd"
    assert 15_000 <= len(v.words) <= 20_000 and v.dim == 100
    assert "spain" in [w for w, _ in v.neighbours("france", 5)]
    assert "queen" in [w for w, _ in v.analogy("man", "woman", "king", 5)]
    assert v.meta["figures"]["analogies"]["all"]["covered"] >= 90
    assert builtin_vectors() is v  # cached


# --- training --------------------------------------------------------------------------------


def dense_ppmi(sentences: list[list[int]], vocab: int, window: int, alpha: float) -> np.ndarray:
    """PPMI written out the slow way, straight from its definition."""
    counts = np.zeros((vocab, vocab))
    for s in sentences:
        for i, w in enumerate(s):
            for j, c in enumerate(s):
                d = abs(i - j)
                if 0 < d <= window:
                    counts[w, c] += (window - d + 1) / window
    n = counts.sum()
    p_c = counts.sum(axis=0) ** alpha
    p_c /= p_c.sum()
    out = np.zeros_like(counts)
    for w in range(vocab):
        for c in range(vocab):
            if counts[w, c] > 0:
                pmi = math.log((counts[w, c] / n) / ((counts[w].sum() / n) * p_c[c]))
                out[w, c] = max(0.0, pmi)
    return out


def test_ppmi_matches_a_dense_computation() -> None:
    sentences = [[0, 1, 2, 3, 1], [2, 4, 0], [3, 3, 1, 4, 2, 0, 1]]
    ids = np.array([w for s in sentences for w in s])
    sent = np.array([n for n, s in enumerate(sentences) for _ in s])
    counts = cooccurrence(ids, sent, 5, window=2)
    assert np.allclose(counts.toarray(), counts.toarray().T)
    got = ppmi(counts, alpha=0.75).toarray()
    assert np.allclose(got, dense_ppmi(sentences, 5, 2, 0.75))
    assert np.allclose(ppmi(counts, alpha=1.0).toarray(), dense_ppmi(sentences, 5, 2, 1.0))


def test_vocab_and_encoding_drop_rare_words() -> None:
    corpus = Corpus([["a", "b", "a", "rare"], ["b", "a"]] * 5 + [["c"] * 10], "t", 40)
    with pytest.raises(UserError, match="lower min_count"):
        build_vocab(corpus, 3)
    corpus = Corpus([[f"w{i}" for i in range(12)]] * 3 + [["w0", "odd"]], "t", 38)
    words, counts = build_vocab(corpus, 2)
    assert words[0] == "w0" and counts[0] == 4 and "odd" not in words
    ids, sent = encode(corpus, words)
    assert len(ids) == 37 and sent[-1] == 3


def test_sgns_gradients_match_torch_autograd() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    centre, context = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    negative = rng.normal(size=(3, 2, 4))
    loss, g_c, g_o, g_n = sgns_gradients(centre, context, negative)
    tc, to, tn = (torch.tensor(x, requires_grad=True) for x in (centre, context, negative))
    pos = torch.nn.functional.logsigmoid((tc * to).sum(-1))
    neg = torch.nn.functional.logsigmoid(-torch.einsum("bkd,bd->bk", tn, tc))
    t_loss = -(pos.sum() + neg.sum())
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item())
    for ours, theirs in ((g_c, tc), (g_o, to), (g_n, tn)):
        assert np.allclose(ours, theirs.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("method", ["ppmi-svd", "sgns"])
def test_training_separates_the_two_topics(method: str) -> None:
    corpus = synthetic_corpus(sentences=3000)
    if method == "sgns":
        v = train_sgns(corpus, dim=10, window=3, epochs=3, min_count=1)
        again = train_sgns(corpus, dim=10, window=3, epochs=3, min_count=1)
        assert np.array_equal(v.vectors, again.vectors)  # seeded
    else:
        v = train_ppmi_svd(corpus, dim=5, window=3, min_count=1)
    assert v.method == method and len(v.words) == 20 and v.vectors.shape == (20, v.dim)
    assert np.allclose(np.linalg.norm(v.vectors, axis=1), 1, atol=1e-5)
    animals = set(["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse", "bird", "fish"])
    assert {w for w, _ in v.neighbours("cat", 5)} <= animals
    assert v.meta["words_per_second"] > 0 and v.meta["corpus"]["words"] == corpus.words


class CancelAfter:
    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.seen: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        self.seen.append((done, total))
        return len(self.seen) < self.calls

    def cancelled(self) -> bool:
        return len(self.seen) >= self.calls


@pytest.mark.parametrize("method", ["ppmi-svd", "sgns"])
def test_cancel_stops_training_midway(method: str) -> None:
    corpus = synthetic_corpus(sentences=8000)
    progress = CancelAfter(3)
    with pytest.raises(Cancelled):
        if method == "sgns":
            train_sgns(corpus, dim=8, epochs=5, min_count=1, progress=progress)
        else:
            train_ppmi_svd(corpus, dim=8, min_count=1, progress=progress)
    assert len(progress.seen) == 3
    done, total = progress.seen[-1]
    assert 0 < done < total
