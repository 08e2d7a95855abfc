"""SQuAD v1.1 on the store's question-answering model: exact match and F1, question by question.

SQuAD (Rajpurkar et al., 2016) asks questions about Wikipedia paragraphs; each answer is a span of
its paragraph, and a question often has several gold answers, written by different people. The
model's answer is compared with each of them after the official normalisation (lower case, ASCII
punctuation dropped, then the words a/an/the, whitespace collapsed) and scores the *best* one:

- **exact match** (EM): whether the normalised answers are equal;
- **F1**: the two answers as bags of words. Precision is the share of the predicted words found in
  the gold answer, recall the share of the gold words that were predicted, F1 their harmonic mean:
  "in 1889" against "1889" has EM 0 but F1 0.67. :class:`Overlap` keeps the words behind the
  best F1, so a screen can show why it is partial.

The totals are the means over the questions times 100, as the official ``evaluate-v1.1.py``
prints them. The metrics are :mod:`lab_app.core.taskmodels.squad`'s and the model runs through
:func:`lab_app.core.taskmodels.infer.answer_texts`, as the model card's figures are made.
Questions without a gold answer (SQuAD 2.0's unanswerable ones) cannot be scored and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.resources import models_dir, resources_dir
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS
from lab_app.core.taskmodels.infer import answer_texts
from lab_app.core.taskmodels.squad import exact_match, f1, normalize_answer, read_squad
from lab_app.core.taskmodels.task_model import TaskModel, open_task_model

DEFAULT_MODEL = BUILTIN_MODELS["qa"]  # as `bert-lab answer` uses by default
HELDOUT_NAME = "held-out test questions"
MAX_QUESTIONS = 5000
#: Said of a run on the Fine-tuning lab's sample, which bert-lab-qa's training set includes.
TRAINED_ON = (
    "bert-lab-qa was trained on these questions: a score here measures memory, not reading "
    "(its held-out test questions are the default)"
)


def sample_path() -> Path:
    """The built-in SQuAD v1.1 sample (``resources/datasets/qa_sample.json``), written for BERT
    Lab: the file the Fine-tuning lab trains on when no file is chosen (bert-lab-qa's training
    set includes it)."""
    return resources_dir() / "datasets" / "qa_sample.json"


def heldout_path() -> Path:
    """bert-lab-qa's held-out test questions (120, hand-written, on passages and topics its
    training never saw): the figures of its model card, and the default of :func:`run_squad`."""
    return models_dir() / "bert-lab-tasks" / "data" / "qa_test.json"


def open_qa_model(store: str | None = None, name: str | None = None) -> TaskModel:
    """The store's QA model (``bert-lab-qa`` unless ``name`` says another), opened as
    ``bert-lab answer`` opens it; ``store`` is the store's folder (None: the default store)."""
    return open_task_model(store, name or DEFAULT_MODEL)


@dataclass(frozen=True)
class Overlap:
    """The words behind a prediction's best F1: the prediction and the gold answer that gave it,
    each normalised and split into words, and the words they share, each as many times as it is
    in both (the bags' intersection), in the prediction's order."""

    gold: str  # the gold answer with the best F1 (the first of equals)
    prediction_tokens: tuple[str, ...]
    gold_tokens: tuple[str, ...]
    common: tuple[tuple[str, int], ...]  # (word, count)

    @property
    def shared(self) -> int:
        return sum(n for _, n in self.common)

    @property
    def precision(self) -> float:
        """The share of the predicted words that are in the gold answer."""
        return self.shared / len(self.prediction_tokens) if self.shared else 0.0

    @property
    def recall(self) -> float:
        """The share of the gold answer's words that were predicted."""
        return self.shared / len(self.gold_tokens) if self.shared else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "gold": self.gold,
            "prediction_tokens": list(self.prediction_tokens),
            "gold_tokens": list(self.gold_tokens),
            "common": [{"token": t, "count": n} for t, n in self.common],
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass(frozen=True)
class QuestionScore:
    """One question: the model's answer, the gold answers, and its scores against the best of
    them (``f1`` is 0..1, as the official script scores a question)."""

    id: str
    question: str
    prediction: str
    golds: tuple[str, ...]
    exact_match: bool
    f1: float
    overlap: Overlap

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "question": self.question,
            "prediction": self.prediction,
            "golds": list(self.golds),
            "exact_match": self.exact_match,
            "f1": self.f1,
            "overlap": self.overlap.to_json(),
        }


@dataclass(frozen=True)
class SquadRun:
    """A model's run over a SQuAD file: every scored question and the totals (×100)."""

    model: str
    source: str  # the file's name, or SAMPLE_NAME
    questions: tuple[QuestionScore, ...]
    exact_match: float  # 0..100
    f1: float  # 0..100
    notes: tuple[str, ...] = ()

    def predictions(self) -> dict[str, str]:
        """The answers by question id: what the official script reads as its predictions file."""
        return {q.id: q.prediction for q in self.questions}

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "source": self.source,
            "questions": len(self.questions),
            "exact_match": self.exact_match,
            "f1": self.f1,
            "notes": list(self.notes),
            "per_question": [q.to_json() for q in self.questions],
        }


def score_answer(prediction: str, golds: Sequence[str]) -> tuple[bool, float, Overlap]:
    """Exact match and F1 of ``prediction`` against its best gold answer (each the maximum over
    ``golds``, as the official script takes it), and the overlap behind the best F1."""
    if not golds:
        raise ValueError("a question needs at least one gold answer to be scored")
    em = max(exact_match(prediction, g) for g in golds)
    scores = [f1(prediction, g) for g in golds]
    best = scores.index(max(scores))
    mine, theirs = normalize_answer(prediction).split(), normalize_answer(golds[best]).split()
    both = Counter(mine) & Counter(theirs)
    common = tuple((word, both[word]) for word in dict.fromkeys(mine) if word in both)
    return em, scores[best], Overlap(golds[best], tuple(mine), tuple(theirs), common)


def run_squad(
    model: TaskModel,
    path: Path | None = None,
    *,
    max_questions: int = MAX_QUESTIONS,
    progress: Progress = SILENT,
) -> SquadRun:
    """Answer every question of the SQuAD v1.1 file at ``path`` (the held-out test for None,
    at most ``max_questions``) with ``model`` and score each answer. The file is only read, and
    it is read and checked before the model runs; ``progress`` ticks once a batch of windows and
    may cancel between batches (:class:`~lab_app.core.errors.Cancelled`)."""
    tick(progress, 0, 1, "Reading the questions…")
    source = heldout_path() if path is None else path
    data = read_squad(source, max_questions)
    scored = [e for e in data.examples if e.answers]
    if not scored:
        raise UserError(
            f"{source.name}: no question has a gold answer to score against; a SQuAD v1.1 file "
            "gives every question its answers"
        )
    predictions = answer_texts(model, scored, progress)
    questions = []
    for e in scored:
        golds = tuple(a.text for a in e.answers)
        em, best_f1, overlap = score_answer(predictions[e.id], golds)
        questions.append(
            QuestionScore(e.id, e.question, predictions[e.id], golds, em, best_f1, overlap)
        )
    total_em = sum(q.exact_match for q in questions)
    total_f1 = sum(q.f1 for q in questions)
    notes = tuple(data.notes)
    if source.resolve() == sample_path().resolve() and model.name == DEFAULT_MODEL:
        notes = (TRAINED_ON, *notes)
    return SquadRun(
        model.name,
        HELDOUT_NAME if path is None else source.name,
        tuple(questions),
        100.0 * total_em / len(questions),
        100.0 * total_f1 / len(questions),
        notes,
    )
