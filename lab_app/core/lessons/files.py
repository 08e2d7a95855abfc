"""A lesson's own files: a dataset or a corpus that travels with it, in its folder or its zip.

In a step's state, a text value ``"lesson:data/tickets.csv"`` names a file relative to the
lesson's folder (the folder of its ``.yaml``, or the inside of its ``.zip``). When the lesson is
opened, each such name becomes the file's full path, so the lab reads it like any file the user
chose. A name that leaves the folder (``lesson:../x``, an absolute path) or a file that is not
there is a :class:`~lab_app.core.lessons.lesson.Problem` naming the step, and that step is left
out; the rest of the lesson stays usable.

:func:`write_zip` does the reverse for sharing: every file a step's state points to (a full path
to an existing file) is copied into the zip under ``files/`` and named ``lesson:files/…``, so a
colleague's BERT Lab opens the lesson with its datasets. :func:`read_zip` refuses members whose
paths leave the zip's folder (``../``, absolute, links) and keeps the rest.
"""

from __future__ import annotations

import atexit
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from lab_app.core.errors import UserError
from lab_app.core.lessons.lesson import Lesson, Problem, Step, read_lesson, to_yaml

PREFIX = "lesson:"
MAX_ZIP_BYTES = 200_000_000  # everything a lesson zip unpacks to
MAX_MEMBERS = 1000
MAX_FILE_BYTES = 50_000_000  # one file a step may carry
LESSON_NAME = "lesson.yaml"
_UNPACKED: list[Path] = []  # the folders read_zip made: removed when the process ends


@atexit.register
def _remove_unpacked() -> None:
    for folder in _UNPACKED:
        shutil.rmtree(folder, ignore_errors=True)


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


def _inside(folder: Path, name: str) -> Path | None:
    """``folder / name`` when ``name`` is a relative path that stays inside ``folder``."""
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or not rel.parts or ".." in rel.parts or ":" in rel.parts[0]:
        return None
    return folder.joinpath(*rel.parts)


def _step_files(step: Step, folder: Path) -> Step:
    """``step`` with its ``lesson:`` names as full paths; a UserError names a bad one."""

    def resolve(text: str) -> str:
        if not text.startswith(PREFIX):
            return text
        name = text[len(PREFIX) :]
        path = _inside(folder, name)
        if path is None:
            raise UserError(f"its file '{name}' lies outside the lesson's folder")
        if not path.is_file():
            raise UserError(f"needs the file '{name}', which the lesson's folder lacks")
        return str(path)

    return replace(step, state=_map_strings(step.state, resolve))


def resolve_files(lesson: Lesson, folder: Path) -> Lesson:
    """The lesson with every step's ``lesson:`` file names as full paths under ``folder``; a step
    whose file is missing or outside the folder becomes a problem and is left out."""
    steps: list[Step] = []
    problems = list(lesson.problems)
    for number, step in enumerate(lesson.steps, start=1):
        try:
            steps.append(_step_files(step, folder))
        except UserError as exc:
            problems.append(Problem(number, str(exc)))
    return replace(lesson, steps=tuple(steps), problems=tuple(problems))


def _unsafe(info: zipfile.ZipInfo) -> bool:
    is_link = stat.S_ISLNK(info.external_attr >> 16)
    return is_link or _inside(Path("."), info.filename) is None


def read_zip(path: Path, into: Path | None = None, *, contents: bool = True) -> Lesson:
    """The lesson in the zip at ``path`` (its ``lesson.yaml``, or its only ``.yaml``), unpacked
    into ``into`` (default: a new temporary folder) with its files. Members whose paths leave
    the folder are not unpacked: a problem names them, and a step needing one is left out.
    Without ``contents`` the other files are empty stand-ins (nothing decompressed but the
    lesson): enough to list it and check its steps."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UserError(f"{Path(path).name} is not a readable zip: {exc}") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UserError(f"{Path(path).name} holds {len(members)} files; at most {MAX_MEMBERS}")
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise UserError(f"{Path(path).name} unpacks to more than {MAX_ZIP_BYTES // 10**6} MB")
        flagged = [_unsafe(m) for m in members]
        unsafe = [m.filename for m, bad in zip(members, flagged, strict=True) if bad]
        safe = [m for m, bad in zip(members, flagged, strict=True) if not bad and not m.is_dir()]
        lessons = [m for m in safe if m.filename.endswith((".yaml", ".yml"))]
        chosen = [m for m in lessons if m.filename == LESSON_NAME] or lessons
        if len(chosen) != 1:
            raise UserError(
                f"{Path(path).name} must hold one lesson (.yaml) at its top, found {len(chosen)}"
            )
        if into is None:
            folder = Path(tempfile.mkdtemp(prefix="bert-lab-lesson-"))
            _UNPACKED.append(folder)  # the lesson's steps read from it while the app runs
        else:
            folder = Path(into)
        for member in safe:
            if contents or member is chosen[0]:
                archive.extract(member, folder)
            else:
                stand_in = _inside(folder, member.filename)
                assert stand_in is not None  # a safe member stays inside
                stand_in.parent.mkdir(parents=True, exist_ok=True)
                stand_in.touch()
    lesson = read_lesson(folder / chosen[0].filename)
    lesson = resolve_files(lesson, (folder / chosen[0].filename).parent)
    if unsafe:
        shown = ", ".join(unsafe[:3]) + (" …" if len(unsafe) > 3 else "")
        note = Problem(0, f"left out {len(unsafe)} file(s) whose paths leave the zip: {shown}")
        lesson = replace(lesson, problems=(note, *lesson.problems))
    return replace(lesson, source=str(path))


def write_zip(lesson: Lesson, path: Path, overwrite: bool = False) -> list[str]:
    """Write ``lesson`` and the files its steps point to into a new zip at ``path``: each file
    under ``files/`` (named ``lesson:files/…`` in the states). Returns the files it carried."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise UserError(f"{path} exists; choose another name")
    carried: dict[str, Path] = {}

    def carry(text: str) -> str:
        candidate = Path(text)
        if len(text) > 4096 or not candidate.is_absolute() or not candidate.is_file():
            return text
        if candidate.stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"{candidate.name} is larger than {MAX_FILE_BYTES // 10**6} MB")
        known = {v: k for k, v in carried.items()}
        if candidate in known:
            return PREFIX + known[candidate]
        stem, n = f"files/{candidate.name}", 1
        name = stem
        while name in carried:
            n += 1
            name = f"files/{candidate.stem}-{n}{candidate.suffix}"
        carried[name] = candidate
        return PREFIX + name

    steps = tuple(replace(s, state=_map_strings(s.state, carry)) for s in lesson.steps)
    text = to_yaml(replace(lesson, steps=steps))
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(LESSON_NAME, text)
        for name, source in carried.items():
            archive.write(source, name)
    partial.replace(path)
    return sorted(carried)


def open_lesson(path: Path) -> Lesson:
    """A lesson from its ``.yaml`` (its files beside it) or its ``.zip`` (its files inside)."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        return read_zip(path)
    return resolve_files(read_lesson(path), path.parent)


def peek_lesson(path: Path) -> Lesson:
    """As :func:`open_lesson`, for a listing: of a zip only the lesson is unpacked, into a folder
    removed at once (the steps' file paths then lead nowhere; the titles, steps and problems
    are right)."""
    if Path(path).suffix.lower() != ".zip":
        return open_lesson(path)
    with tempfile.TemporaryDirectory(prefix="bert-lab-") as folder:
        return read_zip(path, Path(folder), contents=False)
