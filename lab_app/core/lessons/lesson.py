"""A lesson: a versioned, human-readable YAML file of steps a teacher prepares once and steps
through at the projector.

A step names a lab (its registry key: ``fill_mask``, ``pretrain``…), that lab's saved state (the
fields its tab's ``save_state`` writes, with the tab's schema number; fields left out keep the
lab's defaults), an optional question (choices, or a free answer) whose answer waits for "Reveal",
a short explanation, and the models it needs (a name, and optionally the sha256 of the model's
``model.onnx``, so a lesson made on another store says what differs instead of showing another
model's answer). The file is read with ``yaml.safe_load`` only (never pickle, never arbitrary
objects), at most :data:`MAX_BYTES` and :data:`MAX_STEPS` steps.

A step that cannot be read (an unknown lab, a state that is not a mapping, a schema from a newer
BERT Lab) is kept out with a :class:`Problem` naming it: the rest of the lesson stays usable. A
file that is not a lesson at all is one :class:`~lab_app.core.errors.UserError`.

    bert_lab_lesson: 1
    title: Pre-training, fine-tuning, in-context learning
    steps:
      - title: BERT fills in a blank
        lab: fill_mask
        schema: 1
        state: {text: "how are [MASK] today?"}
        question:
          text: Which word will BERT put in the blank, and how sure will it be?
          choices: [you, they, we]
          answer: you
        explanation: Masked-LM pre-training is exactly this guess, billions of times.
        models: [{name: bert-lab-mlm}]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.lessons.labs import LAB_SCHEMAS, LAB_TITLES, migrate

FORMAT = 1  # the lesson file's own version (``bert_lab_lesson:``)
MAX_BYTES = 2_000_000
MAX_STEPS = 200
MAX_TEXT = 4000  # characters of a title, question, choice or explanation


@dataclass(frozen=True)
class ModelRef:
    name: str
    sha256: str = ""  # of model.onnx; empty: any model of that name will do


@dataclass(frozen=True)
class Question:
    """A prediction to commit to before the lab shows its answer."""

    text: str
    choices: tuple[str, ...] = ()  # empty: a free answer
    answer: str = ""  # the expected choice (or a model answer); shown on Reveal

    @property
    def free(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Step:
    lab: str
    state: dict[str, Any]
    schema: int = 1
    title: str = ""
    question: Question | None = None
    explanation: str = ""
    models: tuple[ModelRef, ...] = ()

    @property
    def hides_answer(self) -> bool:
        """A step with a question shows the lab's result only after "Reveal"."""
        return self.question is not None

    def heading(self, number: int) -> str:
        return f"{number}. {self.title or LAB_TITLES.get(self.lab, self.lab)}"


@dataclass(frozen=True)
class Problem:
    """Why step ``step`` (1-based; 0: the lesson as a whole) cannot be used as it is."""

    step: int
    message: str

    def __str__(self) -> str:
        return f"step {self.step}: {self.message}" if self.step else self.message


@dataclass(frozen=True)
class Lesson:
    title: str
    steps: tuple[Step, ...]
    description: str = ""
    source: str = ""  # the file it came from ("" for a lesson made in the window)
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def labs(self) -> list[str]:
        """The labs the lesson uses, in the order they first appear."""
        return list(dict.fromkeys(s.lab for s in self.steps))


def _text(value: Any, what: str, required: bool = False) -> str:
    if value is None:
        if required:
            raise UserError(f"{what} is missing")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise UserError(f"{what} must be text")
    text = str(value).strip()
    if required and not text:
        raise UserError(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise UserError(f"{what} is longer than {MAX_TEXT:,} characters")
    return text


def _question(raw: Any) -> Question | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Question(_text(raw, "the question", required=True))
    if not isinstance(raw, Mapping):
        raise UserError("the question must be text or a mapping with text, choices, answer")
    choices = raw.get("choices") or []
    if not isinstance(choices, list):
        raise UserError("the question's choices must be a list")
    picked = tuple(_text(c, "a choice", required=True) for c in choices)
    if len(picked) == 1:
        raise UserError("a question with choices needs at least two")
    answer = _text(raw.get("answer"), "the answer")
    if picked and answer and answer not in picked:
        raise UserError(f"the answer '{answer}' is not one of the choices")
    return Question(_text(raw.get("text"), "the question's text", required=True), picked, answer)


def _models(raw: Any) -> tuple[ModelRef, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise UserError("models must be a list of {name, sha256}")
    refs = []
    for item in raw:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping):
            raise UserError("each model is a name or {name, sha256}")
        sha = _text(item.get("sha256"), "a model's sha256").lower()
        if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            raise UserError(f"'{sha[:20]}' is not a sha256 (64 hexadecimal digits)")
        refs.append(ModelRef(_text(item.get("name"), "a model's name", required=True), sha))
    return tuple(refs)


def parse_step(raw: Any) -> Step:
    """One step from its YAML mapping; a :class:`UserError` says what is wrong with it."""
    if not isinstance(raw, Mapping):
        raise UserError("a step must be a mapping with at least 'lab'")
    lab = _text(raw.get("lab"), "the lab", required=True)
    if lab not in LAB_SCHEMAS:
        raise UserError(f"unknown lab '{lab}'; the labs are {', '.join(LAB_SCHEMAS)}")
    schema = raw.get("schema", LAB_SCHEMAS[lab])
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise UserError(f"the schema must be a whole number from 1, not {schema!r}")
    if schema > LAB_SCHEMAS[lab]:
        raise UserError(
            f"its {lab} state was saved by a newer BERT Lab (schema {schema}; this one reads "
            f"up to {LAB_SCHEMAS[lab]}): update BERT Lab to use this step"
        )
    state = raw.get("state") or {}
    if not isinstance(state, Mapping) or not all(isinstance(k, str) for k in state):
        raise UserError("the state must be a mapping of field names to values")
    try:  # an older lab's state, brought forward (the step is then at the current schema)
        moved = migrate(lab, schema, _plain(dict(state)))
    except KeyError:
        raise UserError(
            f"its {lab} state (schema {schema}) is older than this BERT Lab can bring forward"
        ) from None
    return Step(
        lab=lab,
        state=moved,
        schema=LAB_SCHEMAS[lab],
        title=_text(raw.get("title"), "the title"),
        question=_question(raw.get("question")),
        explanation=_text(raw.get("explanation"), "the explanation"),
        models=_models(raw.get("models")),
    )


def _plain(state: dict[str, Any]) -> dict[str, Any]:
    """Only what JSON can hold (YAML's dates and sets are refused as a value of text)."""
    try:
        return dict(json.loads(json.dumps(state)))
    except (TypeError, ValueError):
        raise UserError(
            "the state holds a value that is not text, a number, a list or a mapping"
        ) from None


def parse_lesson(data: Any, source: str = "") -> Lesson:
    """A lesson from the mapping ``yaml.safe_load`` gave; bad steps become problems."""
    if not isinstance(data, Mapping) or "steps" not in data:
        raise UserError(f"{source or 'this'} is not a BERT Lab lesson (no 'steps')")
    version = data.get("bert_lab_lesson", FORMAT)
    if not isinstance(version, int) or version > FORMAT:
        raise UserError(
            f"{source or 'this lesson'} is lesson format {version}; this BERT Lab reads format "
            f"{FORMAT}: update BERT Lab"
        )
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise UserError(f"{source or 'this lesson'} has no steps")
    steps: list[Step] = []
    problems: list[Problem] = []
    if len(raw_steps) > MAX_STEPS:  # the first ones stay usable; the rest are named
        problems.append(
            Problem(
                MAX_STEPS + 1,
                f"steps {MAX_STEPS + 1}–{len(raw_steps)} are left out: a lesson has at most "
                f"{MAX_STEPS} steps; split it into two",
            )
        )
        raw_steps = raw_steps[:MAX_STEPS]
    for number, raw in enumerate(raw_steps, start=1):
        try:
            steps.append(parse_step(raw))
        except UserError as exc:
            problems.append(Problem(number, str(exc)))
    title = _text(data.get("title"), "the lesson's title") or Path(source).stem or "Lesson"
    description = _text(data.get("description"), "the description")
    return Lesson(title, tuple(steps), description, source, tuple(problems))


def read_lesson(path: Path) -> Lesson:
    """Read a lesson file; a missing, huge, binary, non-UTF-8 or malformed one is a UserError."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} is not a file")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB: not a lesson")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise UserError(f"{path.name} is a binary file, not a lesson (.yaml)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path.name} is not UTF-8 text (byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise UserError(f"{path.name} is not valid YAML{line}") from None
    return replace(parse_lesson(data, str(path)), source=str(path))


def to_yaml(lesson: Lesson) -> str:
    """The lesson as the file :func:`read_lesson` reads back (steps that had problems are gone)."""
    import yaml

    steps = []
    for s in lesson.steps:
        step: dict[str, Any] = {"lab": s.lab, "schema": s.schema}
        if s.title:
            step["title"] = s.title
        step["state"] = s.state
        if s.question is not None:
            q: dict[str, Any] = {"text": s.question.text}
            if s.question.choices:
                q["choices"] = list(s.question.choices)
            if s.question.answer:
                q["answer"] = s.question.answer
            step["question"] = q
        if s.explanation:
            step["explanation"] = s.explanation
        if s.models:
            step["models"] = [
                {"name": m.name, **({"sha256": m.sha256} if m.sha256 else {})} for m in s.models
            ]
        steps.append(step)
    doc = {"bert_lab_lesson": FORMAT, "title": lesson.title}
    if lesson.description:
        doc["description"] = lesson.description
    doc["steps"] = steps
    return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))


def write_lesson(lesson: Lesson, path: Path, overwrite: bool = False) -> None:
    """Write ``lesson`` to ``path`` (UTF-8 YAML); an existing file only when ``overwrite``."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise UserError(f"{path} already exists; choose another name")
    path.write_text(to_yaml(lesson), encoding="utf-8")
