"""`bert-lab embed`: the contract, the output formats, and every bad input ending in exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.io.text_input import read_utterances, sample_dataset_path
from lab_app.core.models.embed import embed
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore

pytestmark = pytest.mark.usefixtures("built_store")


def embed_argv(
    src: Path | str, out: Path | str, model: str, pooling: str, *extra: str
) -> list[str]:
    return ["embed", str(src), "--model", model, "--pooling", pooling, "--out", str(out), *extra]


Cli = Callable[..., "object"]


def test_embed_sample_to_npy_matches_core(cli, tmp_path: Path, built_store_dir: Path) -> None:
    out = tmp_path / "v.npy"
    src = sample_dataset_path()
    r = cli(*embed_argv(str(src), str(out), "all-MiniLM-L6-v2", "sbert", "--json"))
    assert r.code == 0, r.err
    data = read_utterances(src)
    assert r.json() == {
        "n": len(data.texts),
        "dim": 384,
        "model": "all-MiniLM-L6-v2",
        "pooling": "sbert",
        "layer": 6,
        "truncated": 0,
    }
    vectors = np.load(out)
    assert vectors.dtype == np.float32 and vectors.shape == (len(data.texts), 384)
    enc = Encoder(ModelStore(built_store_dir).model("all-MiniLM-L6-v2"))
    ref = embed(enc, data.texts[:20], pooling="sbert").vectors
    np.testing.assert_allclose(vectors[:20], ref, atol=1e-5)


def test_embed_tsv_writes_projector_metadata(cli, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("hello there\nwhere is the library\n\nmy wifi\tis down\n", encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "vectors.tsv"
    r = cli(*embed_argv(str(src), str(out), "paraphrase-MiniLM-L3-v2", "cls", "--layer", "0"))
    assert r.code == 0, r.err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and all(len(row.split("\t")) == 384 for row in rows)
    meta = (tmp_path / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert meta == ["hello there", "where is the library", "my wifi is down"]
    assert src.read_bytes() == before


def test_embed_csv_labels_in_metadata(cli, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('text,intent\n"hi, there",greeting\nbye now,goodbye\n', encoding="utf-8")
    out = tmp_path / "v.tsv"
    r = cli(*embed_argv(src, out, "all-MiniLM-L6-v2", "mean"))
    assert r.code == 0, r.err
    meta = (tmp_path / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert meta == ["text\tlabel", "hi, there\tgreeting", "bye now\tgoodbye"]


def test_utf16_input_is_read(cli, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes("hello\nwhere is the café\n".encode("utf-16"))
    out = tmp_path / "v.npy"
    r = cli(*embed_argv(src, out, "all-MiniLM-L6-v2", "cls"))
    assert r.code == 0, r.err
    assert np.load(out).shape == (2, 384)


def test_a_20000_word_line_is_truncated_and_reported(cli, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("short one\n" + "word " * 20000 + "\n", encoding="utf-8")
    out = tmp_path / "v.npy"
    r = cli(*embed_argv(str(src), str(out), "all-MiniLM-L6-v2", "mean", "--json"))
    assert r.code == 0
    assert r.json()["truncated"] == 1
    assert "longer than 512 tokens" in r.err
    assert np.isfinite(np.load(out)).all()


@pytest.mark.parametrize(
    ("content", "args", "needles"),
    [
        (b"", (), ("empty",)),
        (b"name,intent\nhi,greeting\n", (), ("text column",)),
        ("caf\xe9\n".encode("latin-1"), (), ("UTF-8",)),
        (b"hello\n", ("--model", "no-such-model"), ("unknown model", "all-MiniLM-L6-v2")),
        (b"hello\n", ("--layer", "7"), ("layer 7", "0", "6")),
        (b"hello\n", ("--layer", "-1"), ("layer -1",)),
        (b"hello\n", ("--model", "paraphrase-MiniLM-L3-v2", "--pooling", "pooler"), ("pooler",)),
        (b"hello\n", ("--pooling", "sbert", "--layer", "2"), ("sbert",)),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    cli, tmp_path: Path, content: bytes, args: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    src = tmp_path / "in.csv" if content.startswith(b"name") else tmp_path / "in.txt"
    src.write_bytes(content)
    out = tmp_path / "out.npy"
    argv = {"--model": "all-MiniLM-L6-v2", "--pooling": "cls"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        argv[flag] = value
    flat = [x for kv in argv.items() for x in kv]
    r = cli("embed", str(src), *flat, "--out", str(out))
    r.assert_user_error(*needles)
    assert not out.exists()
    assert src.read_bytes() == content


def test_output_must_not_overwrite_input_or_have_unknown_suffix(cli, tmp_path: Path) -> None:
    src = tmp_path / "metadata.tsv"
    src.write_text("hello\n", encoding="utf-8")
    r = cli(*embed_argv(str(src), str(tmp_path / "v.tsv"), "all-MiniLM-L6-v2", "cls"))
    r.assert_user_error("input file")
    assert src.read_text(encoding="utf-8") == "hello\n"
    r = cli(*embed_argv(str(src), str(tmp_path / "v.txt"), "all-MiniLM-L6-v2", "cls"))
    r.assert_user_error(".npy or .tsv")


def test_missing_input_file(cli, tmp_path: Path) -> None:
    r = cli(
        *embed_argv(str(tmp_path / "nope.csv"), str(tmp_path / "o.npy"), "all-MiniLM-L6-v2", "cls")
    )
    r.assert_user_error("nope.csv")


def test_an_existing_output_or_its_metadata_needs_force(cli, tmp_path: Path) -> None:
    src = tmp_path / "u.txt"
    src.write_text("hello there\nhow are you\n", encoding="utf-8")
    out = tmp_path / "v.tsv"
    mine = tmp_path / "metadata.tsv"
    mine.write_text("the user's own metadata\n", encoding="utf-8")
    argv = embed_argv(src, out, "paraphrase-MiniLM-L3-v2", "cls")
    cli(*argv).assert_user_error("metadata.tsv already exists", "--force")
    assert mine.read_text(encoding="utf-8") == "the user's own metadata\n"
    assert not out.exists()
    r = cli(*argv, "--force")
    assert r.code == 0, r.err
    assert mine.read_text(encoding="utf-8") == "hello there\nhow are you\n"
    cli(*argv).assert_user_error("already exists", "--force")
