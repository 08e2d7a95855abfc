"""Try a task model: tag a sentence's entities, answer a question from a passage, judge a pair.

The Fine-tuning lab's "Try it" panel and ``bert-lab tag | answer | pair`` call these on a
:class:`~lab_app.core.taskmodels.task_model.TaskModel` (a built-in one or one the lab saved), and
the recipe and benchmarks score whole files with :func:`evaluate_file` (a SQuAD run's answers:
:func:`answer_texts`). They sit below the labs, so any lab may run a task model. Every character
offset points into the text the user gave, so ``text[start:end]`` is what is shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.progress import SILENT, Progress, tick
from lab_app.core.taskmodels.task_model import TaskModel

MAX_CHARS = 250_000  # a pasted passage of 20,000 words and more; QA reads it in windows
MAX_TAG_CHARS = 5_000  # a sentence or a paragraph to tag
EVAL_BATCH = 32
#: Tokens a batch of QA windows may hold: the base model returns every layer's hidden states
#: for them (13 x tokens x 768 floats). ``bert-lab bench squad`` peaked at 714 MB resident with
#: 32 windows of 384 tokens a batch, at 426 MB with 1,024 tokens (2 windows), 3% faster.
EVAL_TOKENS = 1024


def _need(model: TaskModel, task: str) -> None:
    if model.task != task:
        noun = {"tag": "a tagger", "qa": "a question-answering model", "pair": "a pair model"}
        raise UserError(
            f"'{model.name}' is {noun.get(model.task, 'a ' + model.task + ' model')}, not "
            f"{noun[task]}; choose a model made for this task"
        )


def _is_punct(ch: str) -> bool:
    return (ch.isascii() and not ch.isalnum() and not ch.isspace()) or unicodedata.category(
        ch
    ).startswith("P")


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Words as the tagger was trained on them (split at whitespace, each punctuation mark a
    word of its own), with their character offsets in ``text``."""
    out: list[tuple[str, int, int]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch.isspace() or _is_punct(ch):
            if start >= 0:
                out.append((text[start:i], start, i))
                start = -1
            if not ch.isspace():
                out.append((ch, i, i + 1))
        elif start < 0:
            start = i
    if start >= 0:
        out.append((text[start:], start, len(text)))
    return out


# --- tagging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaggedWord:
    text: str
    start: int
    end: int
    label: str  # IOB2
    score: float  # the label's probability at the word's first piece


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int
    end: int
    score: float  # the mean of its words' probabilities


@dataclass(frozen=True)
class TagResult:
    model: str
    words: tuple[TaggedWord, ...]
    tokens: tuple[str, ...]  # the WordPiece pieces the model read
    entities: tuple[Entity, ...]
    truncated: bool
    word_ids: tuple[int | None, ...] = ()  # each piece's word (None: [CLS], [SEP])

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "tokens": list(self.tokens),
            "entities": [
                {"text": e.text, "label": e.label, "start": e.start, "end": e.end,
                 "score": round(e.score, 6)}
                for e in self.entities
            ],
        }  # fmt: skip


def tag_words(
    model: TaskModel, sentences: Sequence[Sequence[str]]
) -> list[list[tuple[str, float]]]:
    """Each word's IOB2 label and probability, for pre-split sentences (batched)."""
    from lab_app.core.taskmodels.tags import predict_words

    _need(model, "tag")
    out: list[list[tuple[str, float]]] = []
    for i in range(0, len(sentences), EVAL_BATCH):
        part = [list(s) for s in sentences[i : i + EVAL_BATCH]]
        encodings = model.encode(part)
        scores = model.scores(encodings)
        for row, (words, enc) in enumerate(zip(part, encodings, strict=True)):
            found = predict_words(scores[row, : len(enc.ids)], enc.word_ids, model.labels)
            out.append(found + [("O", 0.0)] * (len(words) - len(found)))
    return out


def tag(model: TaskModel, text: str) -> TagResult:
    """The entities in ``text``, with character offsets into it."""
    from lab_app.core.taskmodels.iob import entities

    if not text.strip():
        raise UserError("type a sentence to tag")
    if len(text) > MAX_TAG_CHARS:
        raise UserError(
            f"the text has {len(text):,} characters; tag at most {MAX_TAG_CHARS:,} at a time"
        )
    spans = word_spans(text)
    if not spans:
        raise UserError("the text has no words to tag")
    [labelled] = tag_words(model, [[w for w, _, _ in spans]])
    words = tuple(
        TaggedWord(w, a, b, label, score)
        for (w, a, b), (label, score) in zip(spans, labelled, strict=True)
    )
    found = []
    for kind, first, last in entities([w.label for w in words]):
        a, b = words[first].start, words[last - 1].end
        score = float(np.mean([w.score for w in words[first:last]]))
        found.append(Entity(text[a:b], kind, a, b, score))
    enc = model.encode([[w for w, _, _ in spans]])[0]
    return TagResult(
        model.name,
        words,
        tuple(enc.tokens),
        tuple(found),
        bool(enc.overflowing) or len(labelled) < len(spans),
        tuple(enc.word_ids),
    )


# --- question answering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    model: str
    answer: str
    start: int
    end: int
    score: float
    candidates: tuple[tuple[str, float, int, int], ...]  # text, score, start, end
    probably_absent: bool
    windows: int
    # For the span view: the first window's context tokens and their start/end probabilities.
    pieces: tuple[tuple[int, int], ...] = ()
    p_start: tuple[float, ...] = ()
    p_end: tuple[float, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "answer": self.answer,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 6),
            "candidates": [{"text": t, "score": round(s, 6)} for t, s, _, _ in self.candidates],
        }


def no_answer_below(model: object) -> float:
    """Below this best-span probability the answer is "probably not in the passage": the
    threshold a built-in QA model's recipe calibrated (its card), else a cautious default."""
    from lab_app.core.taskmodels.spans import NO_ANSWER_BELOW

    entry = getattr(model, "entry", None)
    card = entry.manifest.extra.get("card") if entry is not None else None
    value = card.get("no_answer_below") if isinstance(card, dict) else None
    return float(value) if isinstance(value, int | float) else NO_ANSWER_BELOW


def answer(
    model: TaskModel,
    question: str,
    context: str,
    top_k: int = 5,
    threshold: float | None = None,
) -> AnswerResult:
    """The best span of ``context`` answering ``question``, and the runners-up; the answer is
    flagged "probably not in the passage" when its probability is below ``threshold`` (default:
    :func:`no_answer_below`)."""
    from lab_app.core.taskmodels.spans import answer as decode
    from lab_app.core.taskmodels.spans import start_end_probs
    from lab_app.core.taskmodels.squad import QaExample, make_windows, qa_window

    _need(model, "qa")
    if not question.strip():
        raise UserError("type a question about the passage")
    if not context.strip():
        raise UserError("paste a passage for the question to be answered from")
    if len(context) > MAX_CHARS:
        raise UserError(f"the passage has {len(context):,} characters; use at most {MAX_CHARS:,}")
    if not 1 <= top_k <= 50:
        raise UserError(f"ask for 1 to 50 candidates, not {top_k}")
    example = QaExample("q", "", question, context, ())
    max_len, stride = qa_window(model.max_positions)
    windows = make_windows(model.tokenizer, [example], max_len=max_len, stride=stride)
    logits = _window_scores(model, windows)
    found = decode(example, windows, logits, top_k=top_k)
    if not found.spans:
        raise UserError("the passage has no words to answer from")
    best = found.spans[0]
    p_start, p_end = start_end_probs(logits[0][:, 0], logits[0][:, 1], windows[0])
    inside = [i for i, o in enumerate(windows[0].offsets) if o is not None]
    return AnswerResult(
        model.name,
        best.text,
        best.start_char,
        best.end_char,
        best.score,
        tuple((s.text, s.score, s.start_char, s.end_char) for s in found.spans),
        best.score < (no_answer_below(model) if threshold is None else threshold),
        len(windows),
        tuple(windows[0].offsets[i] for i in inside),  # type: ignore[misc]
        tuple(float(p_start[i]) for i in inside),
        tuple(float(p_end[i]) for i in inside),
    )


def _window_scores(
    model: TaskModel, windows: Sequence[Any], progress: Progress = SILENT
) -> list[np.ndarray]:
    from lab_app.core.models.encoder import TokenBatch

    out: list[np.ndarray] = []
    rows = max(1, min(EVAL_BATCH, EVAL_TOKENS // max((len(w.ids) for w in windows), default=1)))
    batches = -(-len(windows) // rows)
    for i in range(0, len(windows), rows):
        part = windows[i : i + rows]
        width = max(len(w.ids) for w in part)
        ids = np.zeros((len(part), width), dtype=np.int64)
        mask, types = np.zeros_like(ids), np.zeros_like(ids)
        for row, w in enumerate(part):
            n = len(w.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = w.ids, 1, w.types
        scores = model.run(TokenBatch(ids, mask, types, (False,) * len(part)))
        out += [scores[row, : len(w.ids)] for row, w in enumerate(part)]
        done = i // rows + 1
        tick(progress, done, batches, f"Answering: {len(out)} of {len(windows)} windows read")
    return out


def answer_texts(
    model: TaskModel, examples: Sequence[Any], progress: Progress = SILENT
) -> dict[str, str]:
    """Each question's best answer by its id (``examples`` are
    :class:`~lab_app.core.taskmodels.squad.QaExample`), every window of every question run in
    batches; ``progress`` ticks once a batch and may cancel between batches."""
    from lab_app.core.taskmodels.spans import answer as decode
    from lab_app.core.taskmodels.squad import make_windows, qa_window

    _need(model, "qa")
    max_len, stride = qa_window(model.max_positions)
    windows = make_windows(model.tokenizer, examples, max_len=max_len, stride=stride)
    logits = _window_scores(model, windows, progress)
    by_example: dict[int, list[int]] = {}
    for i, w in enumerate(windows):
        by_example.setdefault(w.example, []).append(i)
    return {
        e.id: decode(e, [windows[i] for i in rows], [logits[i] for i in rows]).text
        for n, e in enumerate(examples)
        if (rows := by_example.get(n))
    }


# --- pairs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairResult:
    model: str
    label: str
    probs: dict[str, float]
    truncated: bool

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "label": self.label,
            "probs": {k: round(v, 6) for k, v in self.probs.items()},
        }


def pair_probs(model: TaskModel, first: Sequence[str], second: Sequence[str]) -> np.ndarray:
    """``[N, labels]`` probabilities for pairs (batched, cut to the model's positions)."""
    _need(model, "pair")
    out = []
    for i in range(0, len(first), EVAL_BATCH):
        encodings = model.encode(first[i : i + EVAL_BATCH], second[i : i + EVAL_BATCH])
        scores = model.scores(encodings).astype(np.float64)
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        out.append(e / e.sum(axis=1, keepdims=True))
    return np.concatenate(out) if out else np.zeros((0, len(model.labels)))


def pair(model: TaskModel, a: str, b: str) -> PairResult:
    """The pair's label and every label's probability."""
    if not a.strip() or not b.strip():
        raise UserError("type both texts: A, and the B to judge with it")
    if len(a) + len(b) > MAX_TAG_CHARS:
        raise UserError(f"the pair has {len(a) + len(b):,} characters; use at most 5,000")
    probs = pair_probs(model, [a], [b])[0]
    enc = model.encode([a], [b])[0]
    label = model.labels[int(probs.argmax())]
    return PairResult(
        model.name,
        label,
        {name: float(p) for name, p in zip(model.labels, probs, strict=True)},
        bool(enc.overflowing),
    )


# --- whole files ---------------------------------------------------------------------------------


def _read_task_file(task: str, path: Path) -> object:
    """``task``'s labelled file, read and checked (only ever read): the readers the Fine-tuning
    lab trains from, so a file it takes is scored the same way."""
    if task == "tag":
        from lab_app.core.io.tag_formats import read_tagged

        return read_tagged(path, scheme="iob2")
    if task == "qa":
        from lab_app.core.taskmodels.squad import read_squad

        return read_squad(path)
    if task == "pair":
        from lab_app.core.io.pair_formats import read_pairs

        return read_pairs(path)
    from lab_app.core.io.text_input import read_utterances

    return read_utterances(path)


def evaluate_file(model: TaskModel, path: Path) -> dict[str, Any]:
    """A task model's figures on a labelled file of its task (the model card's held-out
    figures, and the benchmarks'): entity P/R/F1, SQuAD EM/F1, or pair accuracy."""
    task = model.task
    data = _read_task_file(task, path)
    if task == "tag":
        from lab_app.core.taskmodels.iob import entity_scores

        gold = [list(s.tags) for s in data.sentences]  # type: ignore[attr-defined]
        pred = [[t for t, _ in ws] for ws in tag_words(model, [s.words for s in data.sentences])]  # type: ignore[attr-defined]
        s = entity_scores(gold, pred)
        return {
            "entity_f1": s.f1, "precision": s.precision, "recall": s.recall,
            "sentences": len(gold),
            "per_label": {k: round(v.f1, 4) for k, v in sorted(s.per_label.items())},
        }  # fmt: skip
    if task == "qa":
        from lab_app.core.taskmodels.squad import squad_scores

        examples = list(data.examples)  # type: ignore[attr-defined]
        scores = squad_scores(answer_texts(model, examples), examples)
        return {**scores, "questions": sum(1 for e in examples if e.answers)}
    probs = pair_probs(model, data.first, data.second)  # type: ignore[attr-defined]
    guess = [model.labels[int(i)] for i in probs.argmax(axis=1)]
    right = [g == t for g, t in zip(guess, data.labels, strict=True)]  # type: ignore[attr-defined]
    return {"accuracy": float(np.mean(right)), "pairs": len(right)}
