"""What every lab tab offers the main window, and how to run one tab alone for development.

A tab is a QWidget that draws what a core function computed. The main window calls these hooks:
the example input (empty states teach; ``bert-lab screenshot`` runs it), the current input (a
lesson step, after restoring the tab's state), export (File → Export and the tab's own toolbar
button), classroom zoom, saved state, release when hidden, and shutdown on close.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from lab_app.qt.shell.flow import FlowRow
from lab_app.qt.shell.runner import Runner, shutdown_all
from lab_app.qt.shell.style import ERROR_STYLE


class LabTab(QWidget):
    """Base class of the lab tabs. Subclasses override the hooks they need."""

    #: Emitted with a short message for the window's status bar.
    status_changed = Signal(str)
    #: Emitted when the tab has drawn the result of its current input (tests and screenshots).
    result_shown = Signal()
    #: Emitted when the tab added a model to the store (the other tabs then reload their lists).
    store_modified = Signal()
    #: Emitted to show another lab at a place in it: the lab's key (``bench``) and a target its
    #: :meth:`open_target` understands (Model specs' benchmark rows open the Benchmarks lab).
    open_lab = Signal(str, str)

    #: Name of the QSettings group holding this tab's state; bump SCHEMA when its layout changes.
    SETTINGS_GROUP = "tab"
    SCHEMA = 1
    #: The attribute (dotted) holding the widget that shows the lab's answer: the classroom
    #: tests check it keeps at least half of the window (``lab_app.qt.shell.fit``).
    RESULT = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = Runner(self)

    def result_widget(self) -> QWidget | None:
        """The widget showing the answer (bars, map, chart), named by :attr:`RESULT`."""
        target: object = self
        for part in self.RESULT.split(".") if self.RESULT else ():
            target = getattr(target, part, None)
        return target if isinstance(target, QWidget) and target is not self else None

    def runners(self) -> list[Runner]:
        """Every runner of the tab and of its panels and made pages: each is a child of what owns
        it, so shutdown and the busy check find them all without a list kept by hand."""
        return self.findChildren(Runner)

    @property
    def working(self) -> bool:
        """Some job of this tab runs. A tab whose jobs exclude one another (Fine-tuning: train,
        How much data?, save) refuses every start while this holds: a key or the example as much
        as the disabled buttons."""
        return any(runner.busy for runner in self.runners())

    # -- hooks -------------------------------------------------------------------------------
    def run_example(self) -> None:
        """Load and run the tab's first example (the lectures' own)."""

    def run_current(self) -> None:
        """Compute and show the result for the inputs the tab shows now (what Ctrl+Enter or the
        tab's main button does), ending in ``result_shown`` like ``run_example``; a lesson step
        calls it after restoring the tab's state. The default runs nothing."""

    def open_target(self, target: str) -> None:
        """Show the place ``target`` names, when another lab links here (see ``open_lab``)."""

    def example_variants(self) -> dict[str, Callable[[], None]]:
        """More examples worth a screenshot of their own (``bert-lab screenshot`` saves each as
        ``<name>.png``): name → what starts it; each ends in ``result_shown``."""
        return {}

    def export_filters(self) -> str:
        """File-dialog filters for File → Export, e.g. ``"PNG image (*.png);;CSV table (*.csv)"``.

        An empty string means the tab has nothing to export yet.
        """
        return ""

    def export_to(self, path: Path) -> bool | None:
        """Write the current plot or table to ``path``; the suffix picks the format.

        Return True when the writing goes on in the background (a large table): the tab then
        reports it done (``status_changed``) or failed (inline) itself.
        """
        raise NotImplementedError

    def set_zoom(self, factor: float) -> None:
        """Classroom zoom: the app font is already scaled; scale what fonts do not reach."""

    def save_state(self, settings: QSettings) -> None:
        """Write the tab's state (inside its own group, already begun by the caller)."""

    def restore_state(self, settings: QSettings) -> None:
        """Read the state written by :meth:`save_state` (same schema only). Only
        ``settings.value(key)`` is read (:class:`lab_app.core.settings.SettingsStore`), so a state
        held in a plain dict (a lesson step's) restores as well as the window's QSettings group."""

    def store_changed(self) -> None:
        """Models were built or imported: reload the lists that show them."""

    def release(self) -> None:
        """The tab was hidden: give back the models and large results its jobs keep, so the
        labs a student is not using hold no memory (``core.models.lru``). What it shows stays;
        its next job loads again. Called by the window on every tab switch: keep it cheap."""

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop the tab's timers (a debounce must not start a job after this), then cancel every
        runner's work and wait for it (bounded). Called on window close."""
        for timer in self.findChildren(QTimer):
            timer.stop()
        return shutdown_all(self.runners(), timeout_ms)


def message_page(text: str) -> QLabel:
    """A page of an answer's stack that is only text: before the first result, or without a
    model (a plot with nothing to draw yet waits behind one)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label(name: str) -> QLabel:
    """A hidden, wrapping, red inline message next to what caused it (errors are inline and
    calm); ``name`` is its accessible name."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def spin(lo: int, hi: int, value: int, name: str) -> QSpinBox:
    """A spin box with its range, value and accessible name."""
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    box.setAccessibleName(name)
    return box


def set_choices(combo: QComboBox, names: Sequence[str], preferred: Sequence[str] = ()) -> None:
    """Replace the combo's items, keeping the current choice, else the first preferred one."""
    chosen = combo.currentText()
    combo.clear()
    combo.addItems(list(names))
    for name in (chosen, *preferred):
        if name in names:
            combo.setCurrentText(name)
            break


def scrolled(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that resizes it: a panel that would otherwise force
    the window past a projector's screen at classroom zoom scrolls instead."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    return scroll


def preview(make_tab: Callable[[], LabTab]) -> int:
    """Run one tab in a window of its own: ``python -m lab_app.qt.specs.tab``."""
    from lab_app.qt.shell.application import make_app

    app = make_app()
    widget = make_tab()
    widget.resize(1100, 720)
    widget.show()
    widget.run_example()
    code = int(app.exec())  # type: ignore[attr-defined]
    widget.shutdown()
    return code


def example_row(
    title: str, examples: Sequence[tuple[str, str]], choose: Callable[[str], None]
) -> tuple[FlowRow, list[QPushButton]]:
    """A row of example buttons (label, text), each handing its text to ``choose``; it wraps
    onto a second line when the window is narrow or the zoom big."""
    row = FlowRow()
    row.add(QLabel(title))
    buttons = []
    for label, text in examples:
        button = QPushButton(label)
        button.setAccessibleName(f"Example: {label}")
        if text != label:
            button.setToolTip(text)
        button.clicked.connect(lambda _=False, t=text: choose(t))
        row.add(button)
        buttons.append(button)
    return row, buttons
