"""Extractive question answering data: SQuAD v1.1 files, token windows, and the official metrics.

A SQuAD file holds articles; each paragraph (the *context*) carries questions whose answers are
spans of it, given as text and the character where it starts. :func:`read_squad` checks every
answer against its context and says where a problem is (article title, question id); it never
repairs a file. :func:`make_windows` turns each question and its context into BERT inputs
``[CLS] question [SEP] context piece [SEP]``: a long context is cut into overlapping windows
(``stride`` tokens shared by neighbours), and each window's target is the answer's first and last
token, or ``(0, 0)`` — the ``[CLS]`` position — when the answer is not inside that window.

The metrics are those of the official SQuAD v1.1 evaluation script: answers are compared after
:func:`normalize_answer`; a prediction scores the best of its gold answers. :func:`squad_scores`
returns fractions in 0..1 (the official script prints the same numbers times 100).
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lab_app.core.errors import UserError

MAX_WINDOWS = 20_000  # windows over all questions: each one is a 256-token BERT pass per epoch
# A QA window holds question + passage: its length and the context tokens neighbours share.
QA_TOKENS = 256
QA_STRIDE = 64


@dataclass(frozen=True)
class Answer:
    """A gold answer: its text and the character of the context where it starts."""

    text: str
    start: int


@dataclass(frozen=True)
class QaExample:
    """One question about one context; ``answers`` is empty for a question to predict only."""

    id: str
    title: str
    question: str
    context: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class QaData:
    """The questions of a file and what the reader wants the user to know about them."""

    examples: tuple[QaExample, ...]
    notes: tuple[str, ...]


_KINDS = {str: "a string", int: "a whole number", list: "a list [...]", dict: "an object {...}"}


def _field(obj: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise UserError(f"{where}: the key '{key}' is missing (a SQuAD v1.1 file has it)")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise UserError(f"{where}: '{key}' should be {_KINDS[kind]}, not {json.dumps(value)[:40]}")
    return value


def _answer(raw: Any, context: str, where: str) -> Answer:
    text = _field(raw, "text", str, where)
    start = _field(raw, "answer_start", int, where)
    if not text.strip():
        raise UserError(f"{where}: an answer's text is empty")
    found = context[start : start + len(text)] if 0 <= start <= len(context) else ""
    if found != text:
        hint = context.find(text)
        raise UserError(
            f"{where}: the answer {text!r} does not start at character {start} of its context"
            + (f" (there the context reads {found!r})" if found else " (past the context's end)")
            + (f"; the text first occurs at character {hint}" if hint >= 0 else "")
            + " — answer_start counts characters from 0; the file was not changed"
        )
    return Answer(text, start)


def parse_squad(text: str, max_questions: int | None = None) -> QaData:
    """The questions of a SQuAD v1.1 JSON text, checked; at most ``max_questions`` (a note says
    how many were left out). Questions without answers are kept for prediction (a note says so)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(
            f"this is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from None
    articles = _field(doc, "data", list, "the file")
    examples: list[QaExample] = []
    seen: set[str] = set()
    unanswered = 0
    for a, article in enumerate(articles, 1):
        title = _field(article, "title", str, f"article {a}")
        for p, paragraph in enumerate(_field(article, "paragraphs", list, f"article {title!r}"), 1):
            where = f"article {title!r}, paragraph {p}"
            context = _field(paragraph, "context", str, where)
            if not context.strip():
                raise UserError(f"{where}: the context is empty")
            for qa in _field(paragraph, "qas", list, where):
                qid = _field(qa, "id", str, f"{where}, a question")
                if qid in seen:
                    raise UserError(f"question id {qid!r} ({where}) is used twice")
                seen.add(qid)
                at = f"question {qid!r} ({where})"
                question = _field(qa, "question", str, at)
                if not question.strip():
                    raise UserError(f"{at}: the question is empty")
                impossible = qa.get("is_impossible") is True  # SQuAD 2.0's unanswerable
                raw = [] if impossible else _field(qa, "answers", list, at)
                answers = tuple(_answer(r, context, at) for r in raw)
                unanswered += not answers
                examples.append(QaExample(qid, title, question.strip(), context, answers))
    if not examples:
        raise UserError("the file has no questions (data → paragraphs → qas is empty)")
    notes = []
    if max_questions is not None and len(examples) > max_questions:
        notes.append(f"kept the first {max_questions} of {len(examples)} questions")
        examples = examples[:max_questions]
        unanswered = sum(not e.answers for e in examples)
    if unanswered:
        notes.append(
            f"{unanswered} question{'s have' if unanswered > 1 else ' has'} no answer: "
            "they can be predicted, not trained on or scored"
        )
    return QaData(tuple(examples), tuple(notes))


def read_squad(path: Path, max_questions: int = 5000) -> QaData:
    """Read and check a SQuAD v1.1 file (UTF-8 JSON); the file is only read, never written."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {path.name}: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(
            f"{path.name} is not UTF-8 text (byte {e.start} cannot be decoded): save it as UTF-8"
        ) from None
    try:
        return parse_squad(text, max_questions)
    except UserError as e:
        raise UserError(f"{path.name}: {e}") from None


# -- windows ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Window:
    """One model input for one question: ``[CLS] question [SEP] a piece of the context [SEP]``.

    ``offsets[i]`` is the character span in the context of token ``i`` when it is a context
    token, None for the question and the special tokens. ``start``/``end`` are the training
    targets: the gold answer's first and last token, or 0/0 (``[CLS]``) when it is not inside."""

    example: int
    ids: np.ndarray
    types: np.ndarray
    offsets: list[tuple[int, int] | None]
    start: int
    end: int

    @property
    def context_span(self) -> tuple[int, int]:
        """Token positions ``[first, last]`` of the window's context piece."""
        inside = [i for i, o in enumerate(self.offsets) if o is not None]
        return inside[0], inside[-1]


class Windows(list[Window]):
    """The windows of a dataset, in order (a plain list), with ``notes`` on what was cut."""

    def __init__(self, windows: Sequence[Window] = (), notes: Sequence[str] = ()) -> None:
        super().__init__(windows)
        self.notes = tuple(notes)

    def of(self, example: int) -> list[int]:
        """Indices of ``example``'s windows."""
        return [i for i, w in enumerate(self) if w.example == example]


def _targets(offsets: list[tuple[int, int] | None], answer: Answer | None) -> tuple[int, int]:
    if answer is None:
        return 0, 0
    a, b = answer.start, answer.start + len(answer.text)
    inside = [(i, o) for i, o in enumerate(offsets) if o is not None]
    if not inside or inside[0][1][0] > a or inside[-1][1][1] < b:
        return 0, 0
    start = max(i for i, o in inside if o[0] <= a)
    end = min(i for i, o in inside if o[1] >= b)
    return start, end


def _cut_question(tokenizer: Any, question: str, limit: int) -> tuple[str, bool]:
    enc = tokenizer.encode(question, add_special_tokens=False)
    if len(enc.ids) <= limit:
        return question, False
    return question[: enc.offsets[limit - 1][1]], True


def make_windows(
    tokenizer: object,
    examples: Sequence[QaExample],
    max_len: int = 256,
    stride: int = 64,
    max_question: int = 64,
) -> Windows:
    """Every example as one or more windows of at most ``max_len`` tokens (``tokenizer`` is a
    ``tokenizers.Tokenizer``), returned as a list that carries notes; neighbouring windows share
    ``stride`` context tokens, so an answer cut by one window's edge is whole in the next.
    Questions longer than ``max_question`` tokens are cut (a note says how many); more than
    :data:`MAX_WINDOWS` windows in all is refused. The tokenizer's own truncation and padding
    settings are put back afterwards."""
    from tokenizers import Tokenizer

    assert isinstance(tokenizer, Tokenizer)
    room = max_len - max_question - 3  # [CLS] question [SEP] context [SEP]
    if room < 16 or not 0 <= stride <= room // 2:
        raise UserError(
            f"windows of {max_len} tokens with questions of up to {max_question} leave {room} "
            f"for the context: too few for an overlap of {stride}; use longer windows or a "
            "smaller overlap"
        )
    saved_trunc, saved_pad = tokenizer.truncation, tokenizer.padding
    tokenizer.no_padding()
    out: list[Window] = []
    cut = 0
    try:
        for n, ex in enumerate(examples):
            tokenizer.no_truncation()
            question, was_cut = _cut_question(tokenizer, ex.question, max_question)
            cut += was_cut
            whole = tokenizer.encode(ex.context, add_special_tokens=False).offsets
            tokenizer.enable_truncation(max_len, stride=stride, strategy="only_second")
            enc = tokenizer.encode(question, ex.context)
            answer = ex.answers[0] if ex.answers else None
            covered: set[tuple[int, int]] = set()
            for part in [enc, *enc.overflowing]:
                offsets: list[tuple[int, int] | None] = [
                    (o[0], o[1]) if s == 1 else None
                    for o, s in zip(part.offsets, part.sequence_ids, strict=True)
                ]
                covered.update(o for o in offsets if o is not None)
                start, end = _targets(offsets, answer)
                out.append(
                    Window(
                        n,
                        np.array(part.ids, dtype=np.int64),
                        np.array(part.type_ids, dtype=np.int64),
                        offsets,
                        start,
                        end,
                    )
                )
            if not covered.issuperset(map(tuple, whole)):
                raise UserError(
                    f"question {ex.id!r}: the windows do not cover the whole context "
                    "(this tokenizer's pair encoding lost tokens); try another model"
                )
            if len(out) > MAX_WINDOWS:
                raise UserError(
                    f"the contexts need more than {MAX_WINDOWS} windows of {max_len} tokens "
                    f"(reached at question {n + 1} of {len(examples)}): use fewer questions "
                    "or shorter passages"
                )
    finally:
        tokenizer.no_truncation()
        if saved_trunc:
            tokenizer.enable_truncation(**saved_trunc)
        if saved_pad:
            tokenizer.enable_padding(**saved_pad)
    notes = []
    if cut:
        notes.append(f"{cut} question{'s' if cut > 1 else ''} cut to {max_question} tokens")
    return Windows(out, notes)


def qa_window(max_positions: int) -> tuple[int, int]:
    """Window length and stride for a model of ``max_positions`` (256 and 64 for BERT's 512)."""
    max_len = min(QA_TOKENS, max_positions)
    return max_len, min(QA_STRIDE, max_len // 4)


def window_split(
    windows: Sequence[Window], test_examples: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Window rows ``(train, test)`` for a split of the *questions*: a question's windows are
    all on one side, so a held-out question is never seen in part during training."""
    held = set(test_examples)
    flags = np.array([w.example in held for w in windows], dtype=bool)
    rows = np.arange(len(flags))
    return rows[~flags], rows[flags]


def targets_of(windows: Sequence[Window]) -> np.ndarray:
    """The ``[N, 2]`` array of each window's ``(start, end)`` (a ``Split``'s ``y``)."""
    return np.array([(w.start, w.end) for w in windows], dtype=np.int64).reshape(-1, 2)


# -- the official SQuAD v1.1 metrics -----------------------------------------------------------

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """Lower case, drop ASCII punctuation, then the words a/an/the, then collapse whitespace."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> bool:
    """Whether the two answers are equal once normalised."""
    return normalize_answer(prediction) == normalize_answer(gold)


def f1(prediction: str, gold: str) -> float:
    """The harmonic mean of precision and recall of the normalised answers' words (as bags)."""
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    same = sum((Counter(pred) & Counter(ref)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: Mapping[str, str], examples: Sequence[QaExample]) -> dict[str, float]:
    """``exact_match`` and ``f1`` as fractions (0..1) over the ``examples`` that have answers:
    each prediction scores its best gold answer; a question without a prediction scores 0."""
    scored = [e for e in examples if e.answers]
    if not scored:
        return {"exact_match": 0.0, "f1": 0.0}
    em = total_f1 = 0.0
    for ex in scored:
        if ex.id not in predictions:
            continue
        pred = predictions[ex.id]
        em += max(float(exact_match(pred, a.text)) for a in ex.answers)
        total_f1 += max(f1(pred, a.text) for a in ex.answers)
    return {"exact_match": em / len(scored), "f1": total_f1 / len(scored)}
