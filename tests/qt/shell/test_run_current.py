"""``run_current``: what a lesson step calls after restoring a lab's state from a plain dict.

For every lab in the registry: a state of another schema is ignored; the step's state (a dict,
read through ``value(key)`` only, as a lesson's YAML gives it) is restored; ``run_current`` then
computes and shows the result for those inputs, ending in ``result_shown``, and never puts the
lab's example in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lab_app.qt.registry import TABS, TabSpec, make_tab
from lab_app.qt.shell.tab import LabTab

TIMEOUT = 120_000

pytestmark = pytest.mark.usefixtures("gui_thread_gc")


class DictSettings:
    """A lesson step's state: a plain dict behind QSettings' ``value`` / ``setValue``."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = dict(values)

    def value(self, key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
        return self.values.get(key, default)

    def setValue(self, key: str, value: Any) -> None:
        self.values[key] = value


@dataclass(frozen=True)
class Case:
    state: dict[str, Any]
    #: What the inputs show now: the state's after the restore, and still after the run.
    inputs: Callable[[Any], object]
    expected: object
    #: The result drawn when ``result_shown`` came is the one for those inputs.
    answered: Callable[[Any], bool]
    #: Wait for this (after ``result_shown``) before the tab is shut down, if anything.
    settled: Callable[[Any], bool] = lambda tab: True


def _fill_mask_inputs(tab: Any) -> object:
    return tab.sentence.toPlainText(), tab.top_k.value()


def _inside_inputs(tab: Any) -> object:
    return tab.text_a.text(), tab.page()


def _prompt_inputs(tab: Any) -> object:
    parts = tab.builder.parts()
    return parts.query, len(parts.active())


def _finetune_inputs(tab: Any) -> object:
    state = tab.settings.state()
    return state.task, state.model, state.method, state.seed


MINI = "paraphrase-MiniLM-L3-v2"
ANTONYMS_4 = [
    ["hot", "cold", True],
    ["big", "small", True],
    ["fast", "slow", True],
    ["up", "down", True],
]

CASES: dict[str, list[Case]] = {
    "fill_mask": [
        Case(
            {"text": "the weather is [MASK] today.", "top_k": 3},
            _fill_mask_inputs,
            ("the weather is [MASK] today.", 3),
            lambda tab: (
                tab.outcome is not None
                and tab.outcome.text == "the weather is [MASK] today."
                and len(tab.guesses.bars[0].rows) == 3
            ),
        )
    ],
    "tokenizers": [
        Case(
            {"text": "Unbelievably, the tokenizers disagree.", "page": 0},
            lambda tab: tab.text(),
            "Unbelievably, the tokenizers disagree.",
            lambda tab: (
                tab.comparison is not None
                and tab.comparison.text == "Unbelievably, the tokenizers disagree."
            ),
        ),
        Case(
            {"text": "", "page": 3, "replay_word": "lowering"},
            lambda tab: (tab.pages.currentIndex(), tab.replay.word.text()),
            (3, "lowering"),
            lambda tab: tab.replay.result is not None,
        ),
    ],
    "specs": [
        Case(
            {"page": "calculator", "preset": "gpt-2", "arch": "gpt", "table": "gpt_models"},
            lambda tab: (tab.page(), tab.calculator.current_preset(), tab.current_table.id),
            ("calculator", "gpt-2", "gpt_models"),
            lambda tab: tab.calculator.count is not None,
        )
    ],
    "embeddings": [
        Case(
            {"model": "paraphrase-MiniLM-L3-v2", "pooling": "mean", "method": "pca", "k": 5},
            lambda tab: (tab.controls.picker.pooling(), tab.controls.k_spin.value()),
            ("mean", 5),
            lambda tab: (
                tab.analysis is not None
                and tab.analysis.clusters.k == 5
                and tab.analysis.config.model == "paraphrase-MiniLM-L3-v2"
                and tab.analysis.config.pooling == "mean"
            ),
        )
    ],
    "prompting": [
        Case(
            {"task": "Give the opposite of each word:", "query": "early", "examples": []},
            _prompt_inputs,
            ("early", 0),
            lambda tab: tab.next is not None and tab.next.prompt.shots == 0,
        ),
        Case(
            {"task": "Give the opposite of each word:", "query": "early", "examples": ANTONYMS_4},
            _prompt_inputs,
            ("early", 4),
            lambda tab: (
                tab.next is not None
                and tab.next.prompt.shots == 4
                and tab.next.prompt.text.rstrip().endswith("early =>")
            ),
        ),
    ],
    "finetune": [
        # The feature-based method on the smallest encoder: seconds, where LoRA takes longer.
        Case(
            {"task": "classify", "method": "features", "model": MINI, "seed": 7},
            _finetune_inputs,
            ("classify", MINI, "features", 7),
            lambda tab: (
                tab.trained is not None
                and tab.trained.result.config.model == "paraphrase-MiniLM-L3-v2"
                and tab.trained.result.config.seed == 7
            ),
            settled=lambda tab: not tab.working,
        ),
        Case(  # the tagging set-up; LoRA (a lesson's other case) trains for ~10 s even at 1 epoch
            {"task": "tag", "method": "features", "model": MINI, "seed": 5},
            _finetune_inputs,
            ("tag", MINI, "features", 5),
            lambda tab: tab.trained is not None and tab.trained.result.task == "tag",
            settled=lambda tab: not tab.working,
        ),
    ],
    "inside": [
        Case(
            {"text_a": "she read the [MASK] twice .", "page": "head"},
            _inside_inputs,
            ("she read the [MASK] twice .", "head"),
            lambda tab: tab.looked is not None and "twice" in tab.looked.attention.tokens,
            settled=lambda tab: not tab.pos_runner.busy,
        ),
        Case(
            {"page": "positions", "kind": "sinusoidal", "length": 64},
            lambda tab: (tab.page(), tab.kind_combo.currentText(), tab.length.value()),
            ("positions", "sinusoidal", 64),
            lambda tab: tab.positions is not None and tab.positions.table.shape[0] == 64,
        ),
    ],
    "pretrain": [
        Case(
            {"page": "words", "words": {"word": "queen", "analogy": "paris france rome"}},
            lambda tab: (tab.page(), tab.words.word.text()),
            ("words", "queen"),
            lambda tab: tab.words.answer is not None and tab.words.answer.query.word == "queen",
        ),
        Case(
            {"page": "lineage"},
            lambda tab: tab.page(),
            "lineage",
            lambda tab: True,
        ),
    ],
    "bench": [
        Case(
            {
                "page": "perplexity",
                "pages": {
                    "perplexity": {
                        "text": "The cat sat on the mat.",
                        "kind": "decoder",
                        "seed": "3",
                    }
                },
            },
            lambda tab: (
                tab.page(),
                tab.page_widget("perplexity").text.toPlainText(),
                tab.page_widget("perplexity").seed.value(),
            ),
            ("perplexity", "The cat sat on the mat.", 3),
            lambda tab: (
                "".join(t.text for t in tab.current().compared.result.tokens)
                == " cat sat on the mat."
            ),
        ),
        Case(
            {"page": "choice", "pages": {"choice": {"set": "piqa"}}},
            lambda tab: (tab.page(), tab.page_widget("choice").sets.currentData()),
            ("choice", "piqa"),
            lambda tab: tab.page_widget("choice").shown_set.name == "piqa",
        ),
    ],
}


def _ids() -> list[tuple[str, int]]:
    return [(key, n) for key, cases in CASES.items() for n in range(len(cases))]


def test_every_lab_has_a_case() -> None:
    assert sorted(CASES) == sorted(spec.object_name.removeprefix("tab_") for spec in TABS)


@pytest.fixture
def made(built_store_dir: Path, show: Any) -> Iterator[Callable[[TabSpec], LabTab]]:
    tabs: list[LabTab] = []

    def make(spec: TabSpec) -> LabTab:
        tab = show(make_tab(spec, str(built_store_dir)))
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.shutdown()
        tab.release()


@pytest.mark.parametrize(("lab", "number"), _ids(), ids=[f"{k}-{n}" for k, n in _ids()])
def test_run_current_shows_the_restored_inputs(
    qtbot: QtBot, made: Callable[[TabSpec], LabTab], lab: str, number: int
) -> None:
    case = CASES[lab][number]
    spec = next(s for s in TABS if s.object_name == f"tab_{lab}")
    tab: Any = made(spec)
    before = case.inputs(tab)
    tab.restore_state(DictSettings({"schema": tab.SCHEMA + 1, **case.state}))
    assert case.inputs(tab) == before  # another schema's state is not applied
    tab.restore_state(DictSettings({"schema": tab.SCHEMA, **case.state}))
    assert case.inputs(tab) == case.expected
    qtbot.waitUntil(lambda: not tab.working, timeout=TIMEOUT)  # what the restore started
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_current()
    assert case.answered(tab)
    assert case.inputs(tab) == case.expected  # not the example's
    qtbot.waitUntil(lambda: case.settled(tab), timeout=TIMEOUT)


def test_the_default_runs_nothing(qtbot: QtBot) -> None:
    tab = LabTab()
    qtbot.addWidget(tab)
    with qtbot.assertNotEmitted(tab.result_shown, wait=50):
        tab.run_current()
