"""The SmolLM2-generated source of the masked-LM corpus: its reader's filters, the pinned file,
and appending it to an existing corpus build (what the GPU machine does with fresh text)."""

from __future__ import annotations

import itertools
import json
import lzma
import sys
from pathlib import Path

RECIPE = Path(__file__).resolve().parents[2] / "models" / "bert-lab-mlm"
sys.path.insert(0, str(RECIPE))

import corpus  # noqa: E402
import generate  # noqa: E402
import sources  # noqa: E402


def _write(path: Path, items: list[dict[str, str]]) -> Path:
    with lzma.open(path, "wt", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item) + "\n")
    return path


def test_reader_strips_markup_speakers_and_assistant_talk(tmp_path: Path) -> None:
    text = (
        "Sure! Here's a short conversation about the weather.\n\n"
        "**Anna:** It is raining again today, so take an umbrella.\n"
        "- Ben: I left mine at the office yesterday, sadly.\n"
        "1. The forecast says the sun comes back on Friday.\n"
        "I hope this helps you plan the week.\n"
        "We could walk to the park if it stops and"
    )
    loop = "the cat the cat the cat the cat the cat the cat the cat the cat"
    _write(
        tmp_path / "g.jsonl.xz",
        [
            {"id": "g1", "prompt": "p", "text": text},
            {"id": "g2", "prompt": "p", "text": loop},
            {"id": "g3", "prompt": "p", "text": "Too short."},
        ],
    )
    docs = list(sources.read_generated(tmp_path, "g.jsonl.xz"))
    assert docs == [
        (
            "g1",
            [
                "It is raining again today, so take an umbrella.",
                "I left mine at the office yesterday, sadly.",
                "The forecast says the sun comes back on Friday.",
            ],
        )
    ]


def test_add_appends_a_generated_source_deduplicated_against_the_build(tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "old").mkdir(parents=True)
    (build / "old" / "train.txt").write_text("Birds sing in the trees.\n\n", encoding="utf-8")
    (build / "old" / "heldout.txt").write_text("", encoding="utf-8")
    (build / "manifest.json").write_text(json.dumps({"heldout_fraction": 0.0, "sources": {}}))
    gen = _write(
        tmp_path / "fresh.jsonl.xz",
        [{"id": "g1", "prompt": "p", "text": "Birds sing in the trees. Dogs bark at the postman."}],
    )
    corpus.main(["--out", str(build), "--add", str(gen)])
    assert (build / "smollm2" / "train.txt").read_text(encoding="utf-8") == (
        "Dogs bark at the postman.\n\n"
    )
    entry = json.loads((build / "manifest.json").read_text())["sources"]["smollm2"]
    assert entry["sha256"] == corpus.sha256_file(gen)
    assert entry["sentences"] == 1 and entry["dropped"] == 1
    # a second generated file (the stage-3 facts) goes in under a key of its own, and what the
    # build already holds, the first generated file included, is not repeated
    facts = _write(
        tmp_path / "facts.jsonl.xz",
        [{"id": "f1", "prompt": "p", "text": "Dogs bark at the postman. Cats sleep a lot."}],
    )
    corpus.main(["--out", str(build), "--add", str(facts), "--as", "smollm2-facts"])
    assert (build / "smollm2-facts" / "train.txt").read_text(encoding="utf-8") == (
        "Cats sleep a lot.\n\n"
    )
    manifest = json.loads((build / "manifest.json").read_text())["sources"]
    assert set(manifest) == {"smollm2", "smollm2-facts"}
    assert manifest["smollm2-facts"]["file"] == "facts.jsonl.xz"


def test_fact_prompts_are_seeded_and_apart_from_the_everyday_ones() -> None:
    facts = list(itertools.islice(generate.prompts(2027, "facts"), 300))
    assert facts == list(itertools.islice(generate.prompts(2027, "facts"), 300))
    assert all(i.startswith("f2027-") for i, _ in facts)
    everyday = {q for _, q in itertools.islice(generate.prompts(1234), 3000)}
    assert not everyday & {q for _, q in facts}
    subjects = {" ".join(s.split()) for s in generate.SUBJECTS}
    assert all(any(s in q for s in subjects) for _, q in facts)


def test_the_committed_text_is_the_pinned_one_from_the_seeded_prompts() -> None:
    data = RECIPE / "data" / sources.GENERATED_FILE
    assert corpus.sha256_file(data) == sources.GENERATED_SHA256
    with lzma.open(data, "rt", encoding="utf-8") as fh:
        first = [json.loads(line) for line in itertools.islice(fh, 500)]
    expected = list(itertools.islice(generate.prompts(1234), 500))
    assert [(d["id"], d["prompt"]) for d in first] == expected
    assert all(d["text"] for d in first)
