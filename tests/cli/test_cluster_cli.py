"""`bert-lab cluster`: the Embeddings lab's scores as JSON, coordinates as CSV, calm errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lab_app.core.io.text_input import sample_dataset_path

pytest_plugins = ["cluster_fixtures"]

MODEL = "all-MiniLM-L6-v2"
KEYS = {"n", "k", "ari", "nmi", "silhouette_gold", "silhouette_clusters", "knn_accuracy"}


def argv(path: Path | str, *extra: str, pooling: str = "sbert", k: str = "3") -> list[str]:
    return ["cluster", str(path), "--model", MODEL, "--pooling", pooling, "--k", k, *extra]


@pytest.mark.usefixtures("built_store")
def test_json_scores_and_coordinates_csv(cli, small_csv: Path, tmp_path: Path) -> None:
    before = small_csv.read_bytes()
    out = tmp_path / "coords.csv"
    r = cli(*argv(small_csv, "--out", str(out), "--json"))
    assert r.code == 0, r.err
    doc = r.json()
    assert set(doc) >= KEYS and (doc["n"], doc["k"]) == (12, 3)
    assert all(isinstance(doc[key], float) for key in KEYS - {"n", "k"})
    assert len(doc["explained_variance"]) == 2 and 0 < sum(doc["explained_variance"]) < 1
    assert doc["caption"] == "all-MiniLM-L6-v2 · SBERT pooling · layer 6 · PCA"
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["text", "label", "cluster", "x", "y"]
    assert len(rows) == 13 and rows[1][:2] == ["when does the library open", "library"]
    assert {int(row[2]) for row in rows[1:]} == {0, 1, 2}
    assert small_csv.read_bytes() == before


@pytest.mark.usefixtures("built_store")
def test_same_numbers_as_the_core(cli, lab_session, sample_dataset) -> None:
    from lab_app.core.embeddings.lab import EmbedConfig, analyse
    from lab_app.core.embeddings.projection import ProjectionSettings

    r = cli(*argv(sample_dataset_path(), "--layer", "4", "--json", pooling="mean", k="14"))
    assert r.code == 0, r.err
    config = EmbedConfig(MODEL, "mean", 4)
    expected = analyse(lab_session, sample_dataset, config, ProjectionSettings(), 14)
    assert r.json()["ari"] == pytest.approx(expected.scores.ari)
    assert r.json()["knn_accuracy"] == pytest.approx(expected.scores.knn_accuracy)


@pytest.mark.usefixtures("built_store")
def test_perturbation_is_seeded_and_sigma_zero_is_the_original(cli, small_csv: Path) -> None:
    plain = cli(*argv(small_csv, "--json")).json()
    zero = cli(*argv(small_csv, "--perturb", "0", "--seed", "0", "--json")).json()
    assert zero["silhouette_gold"] == plain["silhouette_gold"]
    noisy = cli(*argv(small_csv, "--perturb", "0.5", "--seed", "2", "--json")).json()
    again = cli(*argv(small_csv, "--perturb", "0.5", "--seed", "2", "--json")).json()
    assert noisy["silhouette_gold"] != plain["silhouette_gold"]
    assert noisy == again
    assert "σ=0.5" in noisy["caption"] and noisy["perturbation"].startswith("weights + noise")


@pytest.mark.usefixtures("built_store")
def test_without_intents_the_gold_scores_are_null_with_a_note(cli, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("library hours\nopen the library\nwifi down\nno internet\n", encoding="utf-8")
    r = cli(*argv(plain, "--json", k="2"))
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["ari"] is None and doc["knn_accuracy"] is None
    assert doc["silhouette_clusters"] is not None
    assert "ari is not computed: the data has no intent labels" in r.err


@pytest.mark.usefixtures("built_store")
def test_human_readable_table(cli, small_csv: Path) -> None:
    r = cli(*argv(small_csv))
    assert r.code == 0, r.err
    assert "ARI clusters vs intents" in r.out and "PCA explained variance" in r.out


@pytest.mark.usefixtures("built_store")
def test_bad_input_is_one_line_that_says_what_to_do(cli, small_csv: Path, tmp_path: Path) -> None:
    two = tmp_path / "two.txt"
    two.write_text("hello\nworld\n", encoding="utf-8")
    cli(*argv(two, k="2")).assert_user_error("at least 3 utterances")
    cli(*argv(small_csv, k="1")).assert_user_error("at least 2 clusters")
    cli(*argv(small_csv, k="13")).assert_user_error("more than the 12 utterances")
    cli(*argv(small_csv, "--projection", "umap", "--n-neighbors", "12")).assert_user_error(
        "below 12"
    )
    r = cli(*argv(small_csv, pooling="pooler"), "--model", "paraphrase-MiniLM-L3-v2")
    r.assert_user_error("no pooler weights")
    cli(*argv(small_csv, "--out", str(small_csv))).assert_user_error("input file")
    cli(*argv(small_csv, "--out", str(tmp_path / "x.txt"))).assert_user_error(".csv")
    cli(*argv(small_csv, "--perturb", "nan")).assert_user_error("σ")
    cli(*argv(small_csv, "--perturb", "1e7")).assert_user_error("too large")
    cli(*argv(small_csv, "--perturb", "0.1", "--perturb-layers", "a,b")).assert_user_error(
        "--perturb-layers"
    )
    cli(*argv(small_csv, "--perturb", "0.1", "--perturb-layers", "9")).assert_user_error(
        "layer 9 does not exist"
    )
    cli(*argv(small_csv, "--layer", "0", pooling="cls")).assert_user_error("layer 1 or higher")
    broken = tmp_path / "intents.json"
    broken.write_text('{"intents": [', encoding="utf-8")
    cli(*argv(broken)).assert_user_error("not valid JSON")
    no_text = tmp_path / "cols.csv"
    no_text.write_text("id,intent\n1,a\n2,b\n3,c\n", encoding="utf-8")
    cli(*argv(no_text)).assert_user_error("no text column")
