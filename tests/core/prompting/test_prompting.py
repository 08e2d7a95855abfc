"""The prompting lab's core: prompt anatomy, tasks (built-in or a user's CSV), the shots runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.prompting import shots
from lab_app.core.prompting.anatomy import (
    FORMATS,
    LECTURE_SLIDE,
    MAX_EXAMPLES,
    Example,
    PromptParts,
    assemble,
    prefix_and_query,
)
from lab_app.core.prompting.shots import run_shots
from lab_app.core.prompting.tasks import MIN_ITEMS, builtin_names, builtin_task, load_task

SLIDE = LECTURE_SLIDE


def test_the_slide_prompt_assembles_line_by_line_with_its_parts_marked() -> None:
    out = assemble(SLIDE)
    assert out.text == (
        "Translate English to French:\nsea otter => loutre de mer\npeppermint => menthe poivrée\n"
        "plush girafe => girafe peluche\ncheese =>"
    )
    assert [s.kind for s in out.spans] == ["task", "example", "example", "example", "query"]
    assert [out.text[s.start : s.end] for s in out.spans][-1] == "cheese =>"
    assert out.shots == 3


def test_examples_switch_off_and_formats_change_the_text() -> None:
    parts = PromptParts(
        task="",
        examples=(Example("hot", "cold"), Example("big", "small", enabled=False)),
        query="tall",
        format="Q:/A:",
        example_separator="blank line",
    )
    out = assemble(parts)
    assert out.text == "Q: hot\nA: cold\n\nQ: tall\nA:"
    assert out.shots == 1 and set(FORMATS) >= {"=>", ":", "Q:/A:"}


@pytest.mark.parametrize(
    ("parts", "needle"),
    [
        (PromptParts(query="  "), "query is empty"),
        (PromptParts(examples=(Example("hot", ""),), query="x"), "example 1 needs both"),
        (PromptParts(examples=(Example("a", "b"),) * (MAX_EXAMPLES + 1), query="x"), "too many"),
        (PromptParts(query="x", format="??"), "unknown format"),
    ],
)
def test_prompts_that_cannot_be_made_say_why(parts: PromptParts, needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        assemble(parts)


def test_an_off_example_may_be_incomplete() -> None:
    parts = PromptParts(examples=(Example("hot", "", enabled=False),), query="x")
    assert assemble(parts).text == "x =>"


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_tasks_have_thirty_items_and_split_where_tokens_split(
    name: str, decoder: Any
) -> None:
    task = builtin_task(name)
    assert len(task.items) >= 30
    assert len({i for i, _ in task.items}) == len(task.items)  # no duplicate inputs
    examples = task.items[:3]
    prefix, query = prefix_and_query(task.description, examples, task.items[5][0], task.format)
    answer = " " + task.items[5][1]
    # Scoring tokenizes prefix, query and answer apart; that must equal the whole prompt's ids.
    whole = decoder.encode(prefix + query + answer)
    parts = decoder.encode(prefix) + decoder.encode(query) + decoder.encode(answer)
    assert parts == whole
    for _, out in task.items:
        assert not task.labels or out in task.labels


def _csv(tmp_path: Path, text: str, name: str = "mine.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_csv_loads_and_is_never_written(tmp_path: Path) -> None:
    rows = "input,output\n" + "".join(f"w{i},o{i}\n" for i in range(12))
    path = _csv(tmp_path, rows)
    before = path.stat().st_mtime_ns, path.read_bytes()
    task = load_task(str(path))
    assert task.name == "mine" and len(task.items) == 12 and task.items[0] == ("w0", "o0")
    assert not task.labels
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_a_csv_with_few_outputs_is_a_choice_between_labels(tmp_path: Path) -> None:
    rows = "".join(f"text {i},{'yes' if i % 2 else 'no'}\n" for i in range(12))
    assert load_task(str(_csv(tmp_path, rows))).labels == ("no", "yes")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a,b,c\n" * 12, "3 column"),
        ("just one column\n" * 12, "1 column"),
        ("input,output\nhot,cold\n", "1 row"),
        ('x,"unclosed\n' * 12, "not valid CSV"),
        ("hot,\n" * 12, "empty input or output"),
        ("", "empty"),
    ],
)
def test_bad_csvs_are_one_clear_message(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        load_task(str(_csv(tmp_path, text)))


def test_ten_thousand_rows_are_refused_quickly(tmp_path: Path) -> None:
    path = _csv(tmp_path, "".join(f"w{i},o{i}\n" for i in range(10_000)))
    with pytest.raises(UserError, match="more than"):
        load_task(str(path))


def test_an_unknown_task_names_the_builtin_ones() -> None:
    with pytest.raises(UserError, match="antonyms"):
        load_task("no-such-task")
    assert MIN_ITEMS <= 30


def test_few_shot_beats_zero_shot_on_antonyms(decoder: Any) -> None:
    report = run_shots(decoder, builtin_task("antonyms"), (0, 4), draws=1, seed=0)
    zero, four = report.results
    assert report.test_items == len(builtin_task("antonyms").items) - 4
    assert four.mean_prob > zero.mean_prob + 0.1
    assert four.accuracy >= zero.accuracy
    assert 0 <= zero.accuracy <= 1 and len(zero.draws) == 1


def test_a_choice_task_renormalises_over_its_labels(decoder: Any) -> None:
    from lab_app.core.models.activations import log_softmax
    from lab_app.core.prompting.anatomy import prefix_and_query

    task = builtin_task("sentiment")
    report = run_shots(decoder, task, (0,), draws=1, seed=1)
    r = report.results[0]
    assert r.accuracy >= 0.8 and 0.5 < r.mean_prob <= 1.0  # the instruct model reads reviews
    # One item by hand: P(right label) among the two labels.
    review, label = task.items[0]
    prefix, query = prefix_and_query(task.description, [], review, task.format)
    logits, _ = decoder.forward(decoder.encode(prefix + query))
    logp = log_softmax(logits[-1])
    ids = [decoder.tokenizer.encode(" " + x, add_special_tokens=False).ids for x in task.labels]
    assert all(len(i) == 1 for i in ids)  # single tokens: one pass scores both
    p = np.exp([logp[i[0]] for i in ids])
    one = run_shots(decoder, replace(task, items=(task.items[0],) * 3), (0,), draws=1)
    assert one.results[0].mean_prob == pytest.approx(
        p[task.labels.index(label)] / p.sum(), abs=1e-4
    )
    rows = report.csv_rows()
    assert rows[0] == ["shots", "draw", "accuracy", "mean_prob"] and len(rows) == 2


def test_the_experiment_checks_its_settings(decoder: Any) -> None:
    task = builtin_task("antonyms")
    with pytest.raises(UserError, match="too few"):
        run_shots(decoder, task, (0, 40))
    with pytest.raises(UserError, match="draws"):
        run_shots(decoder, task, (0,), draws=0)
    with pytest.raises(UserError, match="negative"):
        run_shots(decoder, task, (-1,))


@pytest.mark.parametrize("positions", [shots.BATCH_POSITIONS, 80])
def test_batched_items_give_the_figures_of_one_pass_per_item(
    decoder: Any, positions: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items scored in batches after the shared prefix (one pass, or several when the budget is
    small) give the figures of one pass per item: an open task and a choice between labels of
    several tokens."""
    monkeypatch.setattr(shots, "BATCH_POSITIONS", positions)
    antonyms = builtin_task("antonyms")
    words = replace(antonyms, items=antonyms.items[:10])
    labels = ("rather good", "quite bad")
    sentiment = builtin_task("sentiment")
    relabelled = tuple((text, labels[out == "negative"]) for text, out in sentiment.items[:8])
    reviews = replace(sentiment, items=relabelled, labels=labels)
    for task in (words, reviews):
        batched = run_shots(decoder, task, (0, 2), draws=1, seed=3)
        try:
            decoder.padded_rows = False
            alone = run_shots(decoder, task, (0, 2), draws=1, seed=3)
        finally:
            decoder.padded_rows = True
        for b, a in zip(batched.results, alone.results, strict=True):
            assert b.accuracy == a.accuracy
            assert b.mean_prob == pytest.approx(a.mean_prob, abs=1e-5)
