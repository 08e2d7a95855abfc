"""`bert-lab words`: neighbours, analogies, training and context, and their JSON contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lab_app.core.pretrain.vectors import WordVectors, save_vectors


@pytest.fixture
def toy_npz(tmp_path: Path) -> Path:
    table = {
        "man": [0, 1, 0, 0.1],
        "woman": [0, -1, 0, 0.1],
        "king": [1, 1, 0, 0],
        "queen": [1, -1, 0, 0],
        "prince": [0.9, 1.1, 0.1, 0],
        "apple": [0, 0, 1, 0],
    }
    path = tmp_path / "toy.npz"
    save_vectors(WordVectors("toy", tuple(table), np.array(list(table.values())), "sgns"), path)
    return path


def test_neighbours_json(cli: Any, toy_npz: Path) -> None:
    r = cli("words", "neighbours", "King", "--vectors", str(toy_npz), "--k", "2", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["vectors"] == "toy" and doc["word"] == "king"
    assert next(n["word"] for n in doc["neighbours"]) == "prince" and len(doc["neighbours"]) == 2
    assert set(doc["neighbours"][0]) == {"word", "score"}


def test_analogy_json_and_text(cli: Any, toy_npz: Path) -> None:
    r = cli("words", "analogy", "man", "woman", "king", "--vectors", str(toy_npz), "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert set(doc) == {"vectors", "answers"} and doc["answers"][0]["word"] == "queen"
    assert not {"man", "woman", "king"} & {a["word"] for a in doc["answers"]}
    text = cli("words", "analogy", "man", "woman", "king", "--vectors", str(toy_npz))
    assert "man : woman :: king : ? (toy)" in text.out and "queen" in text.out


def test_builtin_vectors_are_the_default(cli: Any) -> None:
    doc = cli("words", "analogy", "man", "woman", "king", "--json").json()
    assert doc["vectors"].startswith("bert-lab-words")
    assert "queen" in [a["word"] for a in doc["answers"]]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("analogy", "man", "man", "king"), "given twice"),
        (("neighbours", "qeen"), "did you mean 'queen'"),
        (("neighbours", "king", "--k", "0"), "k must be"),
    ],
)
def test_user_errors(cli: Any, toy_npz: Path, args: tuple[str, ...], needle: str) -> None:
    cli("words", *args, "--vectors", str(toy_npz)).assert_user_error(needle)


def test_damaged_vectors_file(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_text("nope")
    cli("words", "neighbours", "king", "--vectors", str(bad)).assert_user_error("damaged")


def _text(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    topics = [
        ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse", "bird", "fish"],
        ["car", "bus", "train", "truck", "plane", "boat", "bike", "tram", "taxi", "van"],
    ]
    lines = [" ".join(rng.choice(topics[i % 2], size=8)) + "." for i in range(300)]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["ppmi-svd", "sgns"])
def test_train_writes_vectors_and_never_overwrites(cli: Any, tmp_path: Path, method: str) -> None:
    corpus, out = _text(tmp_path), tmp_path / "v.npz"
    args = ("words", "train", str(corpus), "--method", method, "--dim", "4", "--min-count", "1")
    r = cli(*args, "--out", str(out), "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["out"] == str(out) and doc["method"] == method and doc["vocabulary"] == 20
    assert doc["dim"] == 4 and doc["words"] == 2400 and doc["words_per_second"] > 0
    assert doc["vectors"].endswith("corpus.txt")
    before = out.read_bytes()
    cli(*args, "--out", str(out)).assert_user_error("already exists")
    assert out.read_bytes() == before
    n = cli("words", "neighbours", "cat", "--vectors", str(out), "--json").json()
    assert n["vectors"] == doc["vectors"]


def test_train_refusals(cli: Any, tmp_path: Path) -> None:
    corpus = _text(tmp_path)
    cli("words", "train", str(corpus), "--out", str(tmp_path / "v.txt")).assert_user_error(".npz")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\xff" * 100)
    cli("words", "train", str(binary), "--out", str(tmp_path / "v.npz")).assert_user_error("binary")
    assert not (tmp_path / "v.npz").exists()


def test_context_json(cli: Any, built_store: Path) -> None:
    pytest.importorskip("lab_app.core.pretrain.context")
    r = cli(
        "words", "context", "bank", "I sat on the river bank.", "The bank lent money.", "--json"
    )
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["word"] == "bank" and len(doc["sentences"]) == 2
    sim = np.array(doc["similarity"])
    assert sim.shape == (2, 2) and np.allclose(np.diag(sim), 1, atol=1e-4)
