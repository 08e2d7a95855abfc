"""`bert-lab fill-mask`: the JSON contract, the default model, and one-line user errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lab_app.core.fill_mask.predict import predict
from lab_app.core.models.encoder import Encoder

pytest_plugins = ["fill_mask_fixtures"]


def test_json_for_the_default_model(cli: Any, mlm_store: Path) -> None:
    res = cli("fill-mask", "how are [MASK] today?", "--json")
    data = res.json()
    assert data["model"] == "tiny-mlm"  # the plain encoder sorts first but has no MLM head
    assert [m["index"] for m in data["masks"]] == [3]
    preds = data["masks"][0]["predictions"]
    assert len(preds) == 10
    assert set(preds[0]) == {"token", "id", "probability"}
    assert preds == sorted(preds, key=lambda p: -p["probability"])
    assert "per_layer" not in data


def test_json_equals_the_core(cli: Any, mlm_store: Path, mlm_fast_encoder: Encoder) -> None:
    text = "the [MASK] sat on the [MASK] mat."
    data = cli("fill-mask", text, "--top-k", "4", "--sequential", "--json").json()
    core = predict(mlm_fast_encoder, text, top_k=4, sequential=True).to_json()
    assert data["sequential"] is True
    for got, want in zip(data["masks"], core["masks"], strict=True):
        assert got["index"] == want["index"]
        for g, w in zip(got["predictions"], want["predictions"], strict=True):
            assert (g["token"], g["id"]) == (w["token"], w["id"])
            assert g["probability"] == pytest.approx(w["probability"], abs=1e-6)


def test_per_layer(cli: Any, mlm_store: Path) -> None:
    data = cli(
        "fill-mask",
        "paris is the capital of [MASK].",
        "--per-layer",
        "--model",
        "tiny-mlm",
        "--json",
    ).json()
    lens = data["per_layer"][0]
    assert lens["index"] == data["masks"][0]["index"]
    assert lens["token"] == data["masks"][0]["predictions"][0]["token"]
    assert [g["layer"] for g in lens["layers"]] == [0, 1, 2]
    assert lens["layers"][-1]["rank"] == 1


def test_plain_text_output(cli: Any, mlm_store: Path) -> None:
    res = cli("fill-mask", "how are [MASK] today?", "--top-k", "3", "--per-layer")
    assert res.code == 0
    assert "tiny-mlm: 1 mask(s)" in res.out and "layer  2: rank      1" in res.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("",), "Type a sentence"),
        (("no blank here",), "Add [MASK]"),
        (("[MASK]",), "Add some words around"),
        (("a " + "[MASK] " * 12,), "at most 10"),
        (("word " * 600 + "[MASK]",), "limit of 512 tokens"),
        (("how are [MASK] today?", "--top-k", "0"), "top-k must be between"),
        (("how are [MASK] today?", "--model", "aaa-plain-encoder"), "no masked-LM head"),
        (("how are [MASK] today?", "--model", "nope"), "unknown model 'nope'"),
    ],
)
def test_user_errors(cli: Any, mlm_store: Path, args: tuple[str, ...], needle: str) -> None:
    cli("fill-mask", *args, "--json").assert_user_error(needle)


def test_no_masked_lm_model_installed(cli: Any, tmp_path: Path) -> None:
    res = cli("--store", str(tmp_path), "fill-mask", "how are [MASK] today?", "--json")
    res.assert_user_error("no model with a masked-LM head", "bert-lab models import")
