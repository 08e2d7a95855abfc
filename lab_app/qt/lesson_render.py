"""``bert-lab lesson render``: a lesson stepped through offscreen, one PNG per step after its
answer is shown, and the two PDF handouts (``worksheet.pdf``, ``answers.pdf``).

The same window a class sees, at the asked size and zoom: each step is opened and revealed as a
teacher would, and the picture waits for the lab's result (bounded, like ``bert-lab
screenshot``). Nothing is written but ``OUTDIR/step-NN.png`` and the two PDFs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lab_app.core.errors import UserError
from lab_app.core.lessons.lesson import Lesson


@dataclass(frozen=True)
class Rendered:
    pictures: list[Path]
    answered: list[bool]
    worksheet: Path
    answers: Path


def render_lesson(
    lesson: Lesson,
    outdir: Path,
    size: tuple[int, int],
    store: str | None,
    *,
    zoom: float = 1.0,
    timeout_ms: int = 60000,
) -> Rendered:
    """Step through ``lesson`` offscreen; see the module's docstring."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lab_app.qt.lessons import LAB_KEYS
    from lab_app.qt.main_window import MainWindow
    from lab_app.qt.screenshot import _run_example
    from lab_app.qt.shell.application import make_app, store_summary
    from lab_app.qt.shell.handouts import write_handouts

    if not lesson.steps:
        raise UserError(f"{lesson.title} has no step that can be shown")
    outdir.mkdir(parents=True, exist_ok=True)
    make_app()
    window = MainWindow(store, store_summary(store)[0], remember=False)
    window.resize(*size)
    window.show()
    window.set_zoom(zoom)
    window.resize(*size)
    pictures: list[Path] = []
    answered: list[bool] = []
    controller = window.lessons
    try:
        controller.open_lesson(lesson)
        for i, step in enumerate(controller.lesson.steps if controller.lesson else ()):
            tab = window.pages[LAB_KEYS.index(step.lab)].ensure()

            def show(at: int = i) -> None:
                controller.go(at)
                controller.reveal()

            answered.append(_run_example(tab, timeout_ms, show))
            path = outdir / f"step-{i + 1:02d}.png"
            if not window.grab().save(str(path)):
                raise UserError(f"could not write {path}")
            pictures.append(path)
        shown = controller.lesson or lesson
        worksheet, answers = write_handouts(shown, outdir, pictures)
    finally:
        window.stop_all_work(3000)
        for made in window.made_tabs():
            made.release()
        window.set_zoom(1.0)
        window.close()
    return Rendered(pictures, answered, worksheet, answers)
