"""The Fine-tuning tab's other set-ups (tagging, QA, pairs): what changes when the task does, and
how their results are shown. Functions of the tab (:class:`~lab_app.qt.finetune.tab.FineTuneTab`,
passed in), kept apart so that the tab's module stays readable."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox

from lab_app.core.errors import UserError
from lab_app.core.finetune import jobs
from lab_app.core.finetune.tasks import SAMPLES, TASK_FORMATS, TASK_LABELS
from lab_app.core.models.store import open_store
from lab_app.core.taskmodels.builtin import BUILTIN_MODELS
from lab_app.qt.finetune.panels import (
    FILTERS,
    RESULT_HEADER,
    fill_per_label,
    task_row,
    task_summary,
)
from lab_app.qt.shell.tables import fill_table

VARIANTS = ("tag", "qa", "pair")  # the screenshot examples: each built-in task model tried


def variants(tab: Any) -> dict[str, Callable[[], None]]:
    """The screenshot examples: each set-up whose built-in model the store has, tried."""
    try:
        have = {e.manifest.task for e in open_store(tab._store).task_models()}
    except UserError:
        return {}
    return {f"finetune_{t}": partial(try_example, tab, t) for t in VARIANTS if t in have}


def try_example(tab: Any, task: str) -> None:
    """Show ``task``'s "Try it" page and run its example inputs on its first model."""
    tab.settings.choose_task(task)
    tab.body.setCurrentWidget(tab.try_panel)
    tab.try_panel.run()


def pair_sample_combo() -> QComboBox:
    """The pair task's two built-in samples: paraphrase identification and NSP."""
    combo = QComboBox()
    combo.setAccessibleName("Built-in pair sample")
    combo.setToolTip("The built-in pairs to train on (or open a file of your own)")
    combo.addItem("paraphrase sample", "paraphrase")
    combo.addItem("next-sentence sample", "nsp")
    combo.hide()
    return combo


def scheme_combo() -> QComboBox:
    """A tag file's scheme: IOB2 (every entity starts with B-) or IOB1 (CoNLL-2003's own: B-
    only between two entities of a type), which is converted to IOB2 when it is read."""
    combo = QComboBox()
    combo.setAccessibleName("Tagging scheme of the file")
    combo.setToolTip(
        "IOB2: every entity starts with B-. IOB1 (CoNLL-2003's own): B- only between two "
        "entities of one type; it is converted to IOB2 as it is read"
    )
    combo.addItem("IOB2 file", "iob2")
    combo.addItem("IOB1 file", "iob1")
    combo.hide()
    return combo


def choose_pair_sample(tab: Any) -> None:
    """Train the pair task on the built-in sample the combo shows."""
    from lab_app.core.io.pair_formats import builtin_pairs

    kind = tab.pair_sample.currentData()
    tab.path = None if kind == "paraphrase" else builtin_pairs(kind)
    tab.dataset_label.setText("Data:")


def task_changed(tab: Any) -> None:
    """A new set-up: its built-in sample, its pages, its models to try."""
    task = tab.settings.task()
    tab.path = None
    sample = SAMPLES[task][1] if task in SAMPLES else "help-desk chatbot sample"
    tab.dataset_label.setText("Data:" if task == "pair" else f"Data: {sample}")
    tab.pair_sample.setVisible(task == "pair")
    tab.scheme.setVisible(task == "tag")
    tab.pair_sample.setCurrentIndex(0)
    tab.open_button.setToolTip(TASK_FORMATS[task])
    body, index = tab.body, tab.body.indexOf(tab.confusion)
    body.setTabText(index, "Confusion matrix" if task == "classify" else "Per label")
    body.setTabVisible(body.indexOf(tab.try_panel), task != "classify")
    if task != "classify":
        what = BUILTIN_MODELS[task]
        tab.summary.setText(
            f"{TASK_LABELS[task]}: run a method on the sample (or your file), or try the built-in "
            f"{what} on the <i>Try it</i> page."
        )
    if task != "classify":
        t = tab.trained
        current = t.model if isinstance(t, jobs.TaskTrained) and t.result.task == task else None
        tab.try_panel.set_task(task, current)


def show_task(tab: Any, trained: jobs.TaskTrained) -> None:
    """A tagging, QA or pair run's figures: the runs table, per label, the summary, Try it."""
    r = trained.result
    if r.config.method == "features" and not tab.loss_plot.epochs:
        tab.loss_plot.start(r.config.label())
    tab.rows.append(task_row(r))
    fill_table(tab.results, [RESULT_HEADER, *tab.rows])
    tab.results.resizeColumnsToContents()
    fill_per_label(tab.confusion, r)
    tab.try_panel.set_task(r.task, trained.model)
    tab.summary.setText(task_summary(r, trained.dataset, trained.notes))
    tab.status_changed.emit(f"{r.task}: {r.headline:.3f}")
    tab.result_shown.emit()


def open_dataset(tab: Any) -> None:
    """File → Open dataset: the task's own file, by its format."""
    from lab_app.qt.shell.file_dialogs import open_path

    task = tab.settings.task()
    path = open_path(tab, f"Data for the task: {TASK_FORMATS[task]}", FILTERS[task])
    if path is not None:
        use_dataset(tab, Path(path))


def use_dataset(tab: Any, path: Path) -> None:
    """Train on ``path`` from now on; a file that is gone leaves the sample, and says so."""
    if not path.is_file():
        tab.status_changed.emit(f"The dataset {path} is not there: using the sample")
        return
    tab.path = path
    tab.dataset_label.setText(f"Data: {path.name}")
    tab.pair_sample.hide()
