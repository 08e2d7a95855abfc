"""The task models' hand-written training files are well formed and stay apart from the held-out
test files, so the cards' held-out figures measure text the models did not train on."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lab_app.core.taskmodels.squad import read_squad

TASKS = Path(__file__).resolve().parents[2] / "models" / "bert-lab-tasks"
WRITTEN_QA = ("qa_written_a.json", "qa_written_b.json")


def pair_data_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_pair_data", TASKS / "make_pair_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pair_data"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", WRITTEN_QA)
def test_written_qa_files_read_cleanly_and_share_no_passage_with_the_test(name: str) -> None:
    data = read_squad(TASKS / name)
    assert len(data.examples) >= 300 and not data.notes
    for e in data.examples:  # every gold answer is the passage's own characters
        assert e.answers
        assert all(e.context[a.start : a.start + len(a.text)] == a.text for a in e.answers)
    test = read_squad(TASKS / "data" / "qa_test.json").examples
    test_contexts = {e.context for e in test}
    assert not {e.context for e in data.examples} & test_contexts
    assert len({e.id for e in data.examples}) == len(data.examples)


def test_stories_hold_no_test_pair_and_near_copies_of_test_sentences_are_dropped() -> None:
    m = pair_data_module()
    stories = m.story_documents()
    test = m.read_pairs(m.TEST_FILE)
    assert len(stories) > 400 and len(test) == 200
    sentences = {s for doc in stories for s in doc}
    assert not sentences & {s for pair in test for s in pair}
    near = m.near_test(test)
    a, b = next(iter(test))
    assert near(a) and near(b.rstrip(".") + " again.") and not near("Penguins cannot fly at all.")
    rows = m.generate(2000, 0, stories, [], exclude=test)
    assert not any(near(x) or near(y) for x, y, _ in rows)
    assert {label for *_, label in rows} == {"IsNext", "NotNext"}
