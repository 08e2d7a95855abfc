"""A lesson's handouts as PDF, with Qt's own text engine (QTextDocument → QPdfWriter, no web
engine): a worksheet (each step's question, what the lab is given, room to answer; no results)
and an answer sheet (each step's picture after Reveal, the expected answer, the explanation)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from lab_app.core.errors import UserError
from lab_app.core.lessons.labs import LAB_TITLES
from lab_app.core.lessons.lesson import Lesson, Step

IMAGE_WIDTH = 640  # points on the page a step's picture takes
ANSWER_LINES = 4


def _inputs(state: dict[str, Any], limit: int = 6) -> str:
    """The step's text inputs, shortly: what a student needs to set the lab up alone."""
    parts: list[str] = []
    for key, value in state.items():
        if isinstance(value, dict):
            parts += [f"{key}.{k}: {v}" for k, v in value.items() if isinstance(v, str) and v]
        elif isinstance(value, str | int | float) and str(value):
            parts.append(f"{key}: {value}")
    shown = [html.escape(p if len(p) < 160 else p[:157] + "…") for p in parts[:limit]]
    return "<br>".join(shown)


def _step_head(step: Step, number: int) -> str:
    lab = LAB_TITLES.get(step.lab, step.lab)
    return f"<h2>{html.escape(step.heading(number))}</h2><p><i>Lab: {html.escape(lab)}</i></p>"


def _question(step: Step, room: bool) -> str:
    q = step.question
    if q is None:
        return ""
    out = f"<p><b>{html.escape(q.text)}</b></p>"
    if q.choices:
        out += "".join(f"<p>☐ {html.escape(c)}</p>" for c in q.choices)
    elif room:
        out += "<p>" + "<br>".join(["_" * 70] * ANSWER_LINES) + "</p>"
    return out


def worksheet_html(lesson: Lesson) -> str:
    body = [f"<h1>{html.escape(lesson.title)}</h1>"]
    if lesson.description:
        body.append(f"<p>{html.escape(lesson.description)}</p>")
    body.append("<p>Predict each answer before the lab shows it. Name: ____________________</p>")
    for number, step in enumerate(lesson.steps, start=1):
        body.append(_step_head(step, number))
        inputs = _inputs(step.state)
        if inputs:
            body.append(f"<p style='color:#555'>{inputs}</p>")
        body.append(_question(step, room=True) or "<p>Watch, then note one thing you saw.</p>")
    return "\n".join(body)


def answers_html(lesson: Lesson, pictures: Sequence[str | None]) -> str:
    body = [f"<h1>{html.escape(lesson.title)} — answers</h1>"]
    for number, (step, picture) in enumerate(zip(lesson.steps, pictures, strict=True), start=1):
        body.append(_step_head(step, number))
        body.append(_question(step, room=False))
        q = step.question
        if q is not None and q.answer:
            body.append(f"<p>Expected: <b>{html.escape(q.answer)}</b></p>")
        if picture:
            body.append(f"<p><img src='{picture}' width='{IMAGE_WIDTH}'></p>")
        if step.explanation:
            body.append(f"<p>{html.escape(step.explanation)}</p>")
    return "\n".join(body)


def write_pdf(markup: str, path: Path, images: dict[str, Path] | None = None) -> Path:
    """``markup`` (Qt's HTML subset) as an A4 PDF at ``path``; ``images`` name → PNG file."""
    doc = QTextDocument()
    for name, file in (images or {}).items():
        image = QImage(str(file))
        if not image.isNull():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setHtml(markup)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(96)
    writer.setTitle(path.stem)
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    doc.print_(writer)
    del writer  # the file is finished when the writer goes
    if not path.is_file() or path.stat().st_size == 0:
        raise UserError(f"could not write {path}")
    return path


def write_handouts(
    lesson: Lesson, outdir: Path, pictures: Sequence[Path | None] = ()
) -> tuple[Path, Path]:
    """``outdir/worksheet.pdf`` and ``outdir/answers.pdf``; ``pictures[i]``: step i's PNG."""
    shots = list(pictures) + [None] * (len(lesson.steps) - len(pictures))
    names = [f"step{i + 1}.png" if p is not None else None for i, p in enumerate(shots)]
    images = {n: p for n, p in zip(names, shots, strict=True) if n is not None and p is not None}
    worksheet = write_pdf(worksheet_html(lesson), outdir / "worksheet.pdf")
    answers = write_pdf(answers_html(lesson, names), outdir / "answers.pdf", images)
    return worksheet, answers
