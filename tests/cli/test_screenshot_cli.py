"""`bert-lab screenshot`: a PNG per tab at the asked size, without a screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage


@pytest.mark.usefixtures("built_store", "qapp", "gui_thread_gc")
def test_screenshot_writes_a_png_per_tab(cli, tmp_path: Path) -> None:
    r = cli("screenshot", str(tmp_path / "shots"), "--size", "1280x800", "--json")
    assert r.code == 0, r.err
    files = [Path(f) for f in r.json()["files"]]
    assert [f.name for f in files] == [
        "fill_mask.png",
        "tokenizers.png",
        "specs.png",
        "embeddings.png",
        "prompting.png",
        "finetune.png",
        "finetune_tag.png",  # each other set-up, its built-in model tried ("Try it")
        "finetune_qa.png",
        "finetune_pair.png",
        "inside.png",
        "pretrain.png",
        "pretrain_context.png",  # a word in several contexts, and three sentence similarities
        "pretrain_sentences.png",
        "pretrain_live.png",  # a tiny GPT pre-trained from random weights
        "bench.png",  # perplexity, then each other page of the Benchmarks lab
        "bench_metrics.png",
        "bench_choice.png",
        "bench_squad.png",
        "bench_glue.png",
    ]
    for f in files:
        image = QImage(str(f))
        assert (image.width(), image.height()) == (1280, 800)
    tabs = r.json()["tabs"]
    assert [t["file"] for t in tabs] == [str(f) for f in files]
    assert all(t["answered"] for t in tabs), tabs


def test_bad_size_is_a_user_error(cli, tmp_path: Path) -> None:
    cli("screenshot", str(tmp_path), "--size", "big").assert_user_error("1280x800")
    cli("screenshot", str(tmp_path), "--size", "10x10").assert_user_error("between")
