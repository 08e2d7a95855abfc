"""The shots experiment: how accuracy grows with the number of examples in the prompt.

For each draw the task's items are shuffled with the seed; the first ``max(shots)`` are the
examples and the rest are the test items, so every shot count of a draw is tested on the same
items. A ``k``-shot prompt is the task line, the first ``k`` examples and the item's query. Nothing
is generated: each answer is scored (its log-probability, one forward pass), and the examples'
keys and values are computed once per draw and shot count and shared by every item, and the items
run after them in batches (one pass for a draw's items when they are short): the weights are
read once per pass, which is what a pass of a few tokens costs. On two cores that made
``bert-lab shots antonyms`` about 5x faster than one pass per item, and sentiment (longer items,
where the arithmetic is the cost) 2x (``benchmarks/shots_bench.py``). Measured and left: full
prompts in one batch without the shared prefix, 2.4x slower on antonyms (each 8-shot item runs
43 tokens, not 3); items sorted by length into passes to cut the padding, 5% less CPU time on
sentiment.

- A task with fixed labels (sentiment) is a choice: correct when the right label scores highest;
  the answer's probability is renormalised over the labels, so guessing gives ``1 / labels``.
- An open task (antonyms, capitals) is correct when the model's greedy continuation starts with
  the right answer (every answer token is the model's first choice); the answer's probability is
  its probability among all continuations.

No gradient is computed: the model sees the examples and nothing else changes (the lecture's
point about in-context learning).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.activations import log_softmax
from lab_app.core.models.decoder import Cache, Decoder
from lab_app.core.models.generate import score_many
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.prompting.anatomy import prefix_and_query
from lab_app.core.prompting.tasks import Task
from lab_app.core.seeds import check_seed

DEFAULT_SHOTS = (0, 1, 2, 4, 8)
MAX_DRAWS = 20
MAX_TEST_ITEMS = 200
# Rows × (prefix + row) positions per batched pass. Each row gets its own copy of the prefix's
# keys and values (about 0.1 MB a position for SmolLM2, counting ONNX Runtime's own), so this
# bounds the pass's memory (~100 MB); a pass over twenty short rows costs about three over one.
BATCH_POSITIONS = 1024


@dataclass(frozen=True)
class DrawResult:
    accuracy: float
    mean_prob: float


@dataclass(frozen=True)
class ShotResult:
    shots: int
    draws: tuple[DrawResult, ...]

    @property
    def accuracy(self) -> float:
        return float(np.mean([d.accuracy for d in self.draws]))

    @property
    def mean_prob(self) -> float:
        return float(np.mean([d.mean_prob for d in self.draws]))

    @property
    def accuracy_spread(self) -> tuple[float, float]:
        values = [d.accuracy for d in self.draws]
        return min(values), max(values)

    def to_json(self) -> dict[str, Any]:
        return {
            "shots": self.shots,
            "accuracy": self.accuracy,
            "mean_prob": self.mean_prob,
            "draws": [{"accuracy": d.accuracy, "mean_prob": d.mean_prob} for d in self.draws],
        }


@dataclass(frozen=True)
class ShotsReport:
    task: str
    model: str
    test_items: int
    results: tuple[ShotResult, ...]
    seed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "model": self.model,
            "test_items": self.test_items,
            "seed": self.seed,
            "results": [r.to_json() for r in self.results],
        }

    def csv_rows(self) -> list[list[str]]:
        rows = [["shots", "draw", "accuracy", "mean_prob"]]
        for r in self.results:
            for n, d in enumerate(r.draws, 1):
                rows.append([str(r.shots), str(n), f"{d.accuracy:.4f}", f"{d.mean_prob:.4f}"])
        return rows


def parse_shot_counts(text: str) -> list[int]:
    """``"0,1,2,4,8"`` → ``[0, 1, 2, 4, 8]``; anything else is a :class:`UserError`."""
    try:
        values = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise UserError(
            f"shot counts are whole numbers separated by commas, not {text!r}"
        ) from None
    if not values:
        raise UserError("give at least one shot count, e.g. 0,1,2,4,8")
    return values


def check_settings(task: Task, shots: Sequence[int], draws: int) -> None:
    if not shots:
        raise UserError("give at least one shot count, e.g. 0,1,2,4,8")
    if any(k < 0 for k in shots):
        raise UserError("shot counts cannot be negative")
    if not 1 <= draws <= MAX_DRAWS:
        raise UserError(f"draws must be from 1 to {MAX_DRAWS}, not {draws}")
    if len(task.items) < max(shots) + 2:
        raise UserError(
            f"{task.title} has {len(task.items)} items: too few for {max(shots)} examples and "
            "at least two to test on"
        )


def run_shots(
    decoder: Decoder,
    task: Task,
    shots: Sequence[int] = DEFAULT_SHOTS,
    *,
    draws: int = 3,
    seed: int = 0,
    progress: Progress = SILENT,
) -> ShotsReport:
    """Accuracy and mean answer probability per shot count (see the module docstring)."""
    shots = sorted(set(int(k) for k in shots))
    check_settings(task, shots, draws)
    seed = check_seed(seed)
    pool_size = max(shots)
    per_draw: dict[int, list[DrawResult]] = {k: [] for k in shots}
    test_count = min(len(task.items) - pool_size, MAX_TEST_ITEMS)
    total = draws * len(shots) * test_count
    done = 0
    for d in range(draws):
        order = np.random.default_rng([seed, d]).permutation(len(task.items))
        examples = [task.items[i] for i in order[:pool_size]]
        tests = [task.items[i] for i in order[pool_size : pool_size + test_count]]
        for k in shots:
            message = f"{k}-shot, draw {d + 1} of {draws}"
            tick(progress, done, total, message)
            scorer = _Scorer(decoder, task, examples[:k])

            def advance(n: int, message: str = message) -> None:
                nonlocal done
                done += n
                tick(progress, done, total, message)

            scored = scorer.score_all(tests, advance)
            correct = [ok for ok, _ in scored]
            probs = [p for _, p in scored]
            per_draw[k].append(DrawResult(float(np.mean(correct)), float(np.mean(probs))))
    tick(progress, total, total, "done")
    results = tuple(ShotResult(k, tuple(per_draw[k])) for k in shots)
    return ShotsReport(task.name, decoder.name, test_count, results, seed)


class _Scorer:
    """Scores items after one shared prefix (task line + examples), run once."""

    def __init__(self, decoder: Decoder, task: Task, examples: Sequence[tuple[str, str]]) -> None:
        self.decoder = decoder
        self.task = task
        prefix, _ = prefix_and_query(task.description, examples, "x", task.format)
        self.cache: Cache | None = None
        if prefix:
            _, self.cache = decoder.forward(decoder.encode(prefix))
        self.examples = examples
        self.labels = [self._answer_ids(label) for label in task.labels]

    def _answer_ids(self, text: str) -> list[int]:
        return list(self.decoder.tokenizer.encode(" " + text, add_special_tokens=False).ids)

    def score_all(
        self, items: Sequence[tuple[str, str]], done: Callable[[int], None]
    ) -> list[tuple[bool, float]]:
        """(correct, P(right answer)) for each item, a batch at a time; ``done(n)`` after each."""
        queries = [self._query_ids(inp) for inp, _ in items]
        answers = self.labels or [self._answer_ids(output) for _, output in items]
        one_pass = bool(self.labels) and all(len(ids) == 1 for ids in self.labels)
        rows_per_item = len(self.labels) if self.labels and not one_pass else 1
        longest = max(len(q) for q in queries) + (0 if one_pass else max(map(len, answers)))
        size = self._items_per_pass(longest, rows_per_item, len(items))
        out: list[tuple[bool, float]] = []
        for first in range(0, len(items), size):
            chunk, part = items[first : first + size], queries[first : first + size]
            if self.labels:
                out += [
                    self._choice(t, item[1])
                    for t, item in zip(self._label_scores(part), chunk, strict=True)
                ]
            else:
                pairs = list(zip(part, answers[first : first + size], strict=True))
                for s in score_many(self.decoder, pairs, self.cache, batch=len(pairs)):
                    out.append((all(t.rank == 1 for t in s.tokens), float(np.exp(s.total))))
            done(len(chunk))
        return out

    def _items_per_pass(self, longest: int, rows_per_item: int, count: int) -> int:
        """As many items as :data:`BATCH_POSITIONS` lets one pass take, spread evenly over the
        passes (27 items at 23 a pass run as 14 and 13)."""
        past = self.cache.length if self.cache is not None else 0
        rows = max(1, BATCH_POSITIONS // (past + longest))
        passes = -(-count // max(1, rows // rows_per_item))
        return -(-count // passes)

    def _query_ids(self, text: str) -> list[int]:
        _, query = prefix_and_query(self.task.description, self.examples, text, self.task.format)
        return self.decoder.encode(query)

    def _choice(self, totals: np.ndarray, answer: str) -> tuple[bool, float]:
        if answer not in self.task.labels:
            raise UserError(f"{answer!r} is not one of the task's labels {self.task.labels}")
        right = self.task.labels.index(answer)
        probs = np.exp(totals - totals.max())
        probs /= probs.sum()
        return int(np.argmax(totals)) == right, float(probs[right])

    def _label_scores(self, queries: list[list[int]]) -> list[np.ndarray]:
        """Each label's log-probability after each query."""
        if all(len(ids) == 1 for ids in self.labels):  # one pass: the next-token distribution
            rows = self.decoder.forward_rows(queries, [len(q) - 1 for q in queries], self.cache)
            logps = [log_softmax(r[0]) for r in rows]
            return [np.array([lp[ids[0]] for ids in self.labels]) for lp in logps]
        pairs = [(q, ids) for q in queries for ids in self.labels]
        scores = score_many(self.decoder, pairs, self.cache, batch=len(pairs))
        n = len(self.labels)
        return [
            np.array([s.total for s in scores[i * n : (i + 1) * n]]) for i in range(len(queries))
        ]
