"""Where lessons come from (the built-in ones, a user's files) and whether a store can give them.

The built-in lessons are ``resources/lessons/*.yaml``; they use the built-in models only. A check
compares each step's models with the store: a model that is missing, or whose ``model.onnx``
differs from the sha256 the lesson names, is a :class:`~lab_app.core.lessons.lesson.Problem`
naming the step, so a class never sees another model's answer passed off as the lesson's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lab_app.core.errors import StoreError, UserError
from lab_app.core.lessons.files import open_lesson, peek_lesson
from lab_app.core.lessons.lesson import Lesson, Problem
from lab_app.core.resources import resources_dir

if TYPE_CHECKING:
    from lab_app.core.models.store import ModelStore

SUFFIXES = (".yaml", ".yml", ".zip")


def builtin_dir() -> Path:
    return resources_dir() / "lessons"


@dataclass(frozen=True)
class Listed:
    """A lesson found on disk: its name (file stem), where, and the lesson or why not."""

    name: str
    path: Path
    builtin: bool
    lesson: Lesson | None
    error: str = ""


def builtin_lessons() -> list[Path]:
    folder = builtin_dir()
    return sorted(p for p in folder.glob("*") if p.suffix in SUFFIXES) if folder.is_dir() else []


def list_lessons(folders: list[Path] | tuple[Path, ...] = ()) -> list[Listed]:
    """The built-in lessons, then the ``.yaml`` files in ``folders``, each read (or its error)."""
    found: list[Listed] = []
    sources = [(p, True) for p in builtin_lessons()]
    for folder in folders:
        if Path(folder).is_dir():
            sources += [(p, False) for p in sorted(Path(folder).glob("*")) if p.suffix in SUFFIXES]
    for path, builtin in sources:
        try:
            found.append(Listed(path.stem, path, builtin, peek_lesson(path)))
        except UserError as exc:
            found.append(Listed(path.stem, path, builtin, None, str(exc)))
    return found


def find_lesson(name_or_path: str) -> Lesson:
    """A lesson by file path, or by the name of a built-in lesson."""
    path = Path(name_or_path)
    if path.suffix in SUFFIXES or path.exists():
        return open_lesson(path)
    for candidate in builtin_lessons():
        if candidate.stem == name_or_path:
            return open_lesson(candidate)
    names = ", ".join(p.stem for p in builtin_lessons()) or "none"
    raise UserError(f"no lesson file or built-in lesson '{name_or_path}' (built-in: {names})")


def model_problems(lesson: Lesson, store: ModelStore) -> list[Problem]:
    """Each step's models that the store lacks or holds in another version."""
    problems: list[Problem] = []
    for number, step in enumerate(lesson.steps, start=1):
        for ref in step.models:
            try:
                entry = store.model(ref.name, verify=False)
            except (UserError, StoreError):
                problems.append(
                    Problem(number, f"needs the model '{ref.name}', which this store lacks")
                )
                continue
            have = entry.manifest.files.get("model.onnx", "")
            if ref.sha256 and have != ref.sha256:
                problems.append(
                    Problem(
                        number,
                        f"was made with another '{ref.name}' (model.onnx sha256 "
                        f"{ref.sha256[:12]}…, this store's {have[:12]}…)",
                    )
                )
    return problems


def check(lesson: Lesson, store: ModelStore | None) -> list[Problem]:
    """Everything that keeps a step of ``lesson`` from running as it was made."""
    problems = list(lesson.problems)
    if store is not None:
        problems += model_problems(lesson, store)
    return sorted(problems, key=lambda p: p.step)
