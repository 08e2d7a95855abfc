"""The parameter calculator: a form for BERT, GPT or Llama sizes, the exact total, where the
parameters sit, and the training compute 6·N·D beside the published figure.

Every number comes from :mod:`lab_app.core.specs.params` / :mod:`lab_app.core.specs.lab`; a size the
core refuses shows its message in red under the field that caused it, never as an exception.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.io.export import csv_text
from lab_app.core.specs.lab import (
    ARCH_LABELS,
    PRESET_LABELS,
    TRAINING_TOKENS,
    breakdown_rows,
    default_inputs,
    estimate_compute,
    human_count,
    matching_preset,
    parse_count,
    pf_days_text,
    scientific,
)
from lab_app.core.specs.params import ARCHS, PRESETS, ParamCount, ParamError, count_params
from lab_app.qt.shell.tab import error_label, scrolled
from lab_app.qt.specs.fields import (
    ARCH_FIELDS,
    ARCH_FLAGS,
    ARCH_NOTES,
    FIELDS,
    FLAGS,
    INVALID_STYLE,
    SHORT_NAMES,
    IntField,
)
from lab_app.qt.specs.plots import BreakdownChart


class CalculatorPanel(QWidget):
    """Inputs on the left; total, compute and breakdown on the right (input → answer → why)."""

    #: Emitted after every recomputation (valid or not).
    recomputed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count: ParamCount | None = None
        self._filling = False
        self.arch_combo = QComboBox()
        self.arch_combo.setAccessibleName("Architecture")
        self.arch_combo.setToolTip("Which family of Transformer to count")
        for arch in ARCHS:
            self.arch_combo.addItem(ARCH_LABELS[arch], arch)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Preset")
        self.preset_combo.setToolTip("Fill every field with a published model's sizes")

        form = QGridLayout()
        form.addWidget(QLabel("Architecture"), 0, 0)
        form.addWidget(self.arch_combo, 0, 1)
        form.addWidget(QLabel("Preset"), 1, 0)
        form.addWidget(self.preset_combo, 1, 1)
        self.fields: dict[str, IntField] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        row = 2
        for key, (text, tip) in FIELDS.items():
            self.fields[key] = IntField(text, tip)
            self.field_labels[key] = QLabel(text)
            self.field_labels[key].setBuddy(self.fields[key])
            self.errors[key] = error_label(f"{text} error")
            form.addWidget(self.field_labels[key], row, 0)
            form.addWidget(self.fields[key], row, 1)
            form.addWidget(self.errors[key], row + 1, 0, 1, 2)
            row += 2
        self.flags: dict[str, QCheckBox] = {}
        for key, (text, tip) in FLAGS.items():
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.setToolTip(tip)
            self.flags[key] = box
            form.addWidget(box, row, 0, 1, 2)
            row += 1
        self.arch_note = QLabel()
        self.arch_note.setWordWrap(True)
        form.addWidget(self.arch_note, row, 0, 1, 2)
        self.tokens = IntField("Training tokens (D)", "Tokens seen in training: 300B, 15.6T, …")
        self.tokens.setPlaceholderText("e.g. 300B or 15.6T")
        self.errors["tokens"] = error_label("Training tokens error")
        self.tokens_source = QLabel()
        self.tokens_source.setWordWrap(True)
        form.addWidget(QLabel("Training tokens (D)"), row + 1, 0)
        form.addWidget(self.tokens, row + 1, 1)
        form.addWidget(self.errors["tokens"], row + 2, 0, 1, 2)
        form.addWidget(self.tokens_source, row + 3, 0, 1, 2)
        form.setRowStretch(row + 4, 1)
        form.setColumnStretch(1, 1)
        self.form = form

        self.total_label = QLabel()
        self.total_label.setAccessibleName("Total parameters")
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.human_label = QLabel()
        self.human_label.setAccessibleName("Total in words")
        self.general_error = error_label("Calculator error")
        self.compute_label = QLabel()
        self.compute_label.setWordWrap(True)
        self.compute_label.setAccessibleName("Training compute")
        self.compute_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.breakdown = QTableWidget(0, 3)
        self.breakdown.setHorizontalHeaderLabels(["Part", "Parameters", "Share"])
        self.breakdown.setAccessibleName("Parameter breakdown")
        self.breakdown.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.breakdown.verticalHeader().hide()
        self.breakdown.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = BreakdownChart()

        inputs = QWidget()
        inputs.setLayout(form)
        scroll = scrolled(inputs)
        answer = QVBoxLayout()
        for widget in (self.total_label, self.human_label, self.general_error, self.compute_label):
            answer.addWidget(widget)
        answer.addWidget(self.breakdown, 1)
        answer.addWidget(self.chart, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 2)
        layout.addLayout(answer, 3)
        self.set_zoom(1.0)

        self.arch_combo.currentIndexChanged.connect(self._arch_chosen)
        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        for field in self.fields.values():
            field.textChanged.connect(self.recompute)
        for box in self.flags.values():
            box.toggled.connect(self.recompute)
        self.tokens.textChanged.connect(self.recompute)
        self._arch_chosen()

    # -- choosing ------------------------------------------------------------------------------
    def arch(self) -> str:
        return str(self.arch_combo.currentData())

    def current_preset(self) -> str | None:
        """The preset whose sizes the form holds, or None for a custom model."""
        return self.preset_combo.currentData() or None

    def set_preset(self, name: str) -> None:
        """Select ``name`` (switching architecture if needed) and fill the form from it."""
        arch, _ = PRESETS[name]
        self.arch_combo.setCurrentIndex(self.arch_combo.findData(arch))
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
        self.preset_combo.blockSignals(False)
        self._preset_chosen()  # refill even when the combo already showed it (edited fields)

    def _arch_chosen(self) -> None:
        arch = self.arch()
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        for name, (preset_arch, _) in PRESETS.items():
            if preset_arch == arch:
                self.preset_combo.addItem(PRESET_LABELS.get(name, name), name)
        self.preset_combo.addItem("Custom", "")
        self.preset_combo.blockSignals(False)
        for key, field in self.fields.items():
            shown = key in ARCH_FIELDS[arch]
            field.setVisible(shown)
            self.field_labels[key].setVisible(shown)
        for key, box in self.flags.items():
            box.setVisible(key in ARCH_FLAGS[arch])
        self.arch_note.setText(ARCH_NOTES[arch])
        self._preset_chosen()

    def _preset_chosen(self) -> None:
        name = self.current_preset()
        if name is None:
            self.recompute()
            return
        _, kwargs = PRESETS[name]
        values: dict[str, Any] = {**default_inputs(self.arch()), **kwargs}
        self._filling = True
        for key, field in self.fields.items():
            if isinstance(values.get(key), int):
                field.setText(f"{values[key]:,}")
        for key, box in self.flags.items():
            if isinstance(values.get(key), bool):
                box.setChecked(values[key])
        known = TRAINING_TOKENS.get(name)
        self.tokens.setText(f"{known.tokens:,}" if known else "")
        self._filling = False
        self.recompute()

    # -- computing -----------------------------------------------------------------------------
    def inputs(self) -> dict[str, Any]:
        """The counter's keyword arguments as typed; a field that does not parse raises."""
        arch = self.arch()
        kwargs: dict[str, Any] = {
            key: parse_count(self.fields[key].text(), key) for key in ARCH_FIELDS[arch]
        }
        kwargs.update({key: self.flags[key].isChecked() for key in ARCH_FLAGS[arch]})
        return kwargs

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()
        for field in (*self.fields.values(), self.tokens):
            field.setStyleSheet("")

    def _show_error(self, exc: UserError) -> None:
        named = exc.fields if isinstance(exc, ParamError) else ()
        fields = [f for f in named if f in self.errors]
        shown = [f for f in fields if f == "tokens" or f in ARCH_FIELDS[self.arch()]]
        if not shown:
            self.general_error.setText(str(exc))
            self.general_error.show()
            return
        self.errors[shown[0]].setText(str(exc))
        self.errors[shown[0]].show()
        for key in shown:
            (self.tokens if key == "tokens" else self.fields[key]).setStyleSheet(INVALID_STYLE)

    def recompute(self) -> None:
        """Count, show the total and breakdown, then the compute; errors go next to the field."""
        if self._filling:
            return
        self._clear_errors()
        arch = self.arch()
        try:
            kwargs = self.inputs()
            count = count_params(arch, **kwargs)
        except UserError as exc:
            self._show_error(exc)
            self._show_preset(None)  # what the fields hold is no published model any more
            self.count = None
            self.total_label.setText("—")
            self.human_label.setText("Fix the field marked in red to see the total.")
            self.compute_label.setText("")
            self.breakdown.setRowCount(0)
            self.chart.clear_breakdown(self.caption())
            self.recomputed.emit()
            return
        self.count = count
        self._show_preset(matching_preset(arch, kwargs))
        self.total_label.setText(f"{count.total:,} parameters")
        self.human_label.setText(f"≈ {human_count(count.total)} parameters")
        self._show_breakdown(count)
        self.chart.show_breakdown(breakdown_rows(count), self.caption())
        self._show_compute(count)
        self.recomputed.emit()

    def _show_preset(self, name: str | None) -> None:
        """Show which preset the fields hold ("Custom" for none) without refilling them."""
        if name != self.current_preset():
            self.preset_combo.blockSignals(True)
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(name or ""))
            self.preset_combo.blockSignals(False)

    def _show_breakdown(self, count: ParamCount) -> None:
        rows = breakdown_rows(count)
        self.breakdown.setRowCount(len(rows))
        for i, (part, n, share) in enumerate(rows):
            cells = (part, f"{n:,}", f"{share:.1%}")
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.breakdown.setItem(i, j, item)

    def _show_compute(self, count: ParamCount) -> None:
        preset = self.current_preset()
        known = TRAINING_TOKENS.get(preset or "")
        text = self.tokens.text().strip()
        if not text:
            self.tokens_source.setText("")
            self.compute_label.setText(
                "Type the training tokens D (e.g. 300B) to estimate the compute C ≈ 6·N·D."
            )
            return
        try:
            tokens = parse_count(text, "tokens", suffixes=True)
            estimate = estimate_compute(count.total, tokens, preset)
        except UserError as exc:
            self._show_error(exc)
            self.compute_label.setText("")
            return
        from_preset = known is not None and known.tokens == tokens
        self.tokens_source.setText(
            f"= {human_count(tokens)} tokens · source: {known.source}"
            if from_preset and known
            else f"= {human_count(tokens)} tokens · typed by you"
        )
        lines = [
            f"<b>Training compute</b> C ≈ 6 · N · D = 6 × {count.total:,} × {human_count(tokens)}"
            f" = <b>{scientific(estimate.flops)} FLOPs ≈ {pf_days_text(estimate.pf_days)} "
            "petaFLOP-days</b> (1 petaFLOP-day = 8.64 × 10¹⁹ FLOPs)"
        ]
        if estimate.published is not None and estimate.ratio is not None:
            lines.append(
                f"Published: <b>{estimate.published.display}</b>; 6·N·D gives "
                f"{estimate.ratio:.2f}× that. <i>Source: {estimate.published.source}.</i>"
            )
        self.compute_label.setText("<br>".join(lines))

    def breakdown_csv(self) -> str:
        if self.count is None:
            raise UserError("nothing to export: fix the field marked in red first")
        rows = [(part, n, f"{share:.6f}") for part, n, share in breakdown_rows(self.count)]
        rows.append(("Total", self.count.total, "1.000000"))
        return csv_text(("part", "parameters", "share"), rows)

    def caption(self) -> str:
        """Model and settings behind the breakdown chart, for its caption."""
        preset = self.current_preset()
        name = PRESET_LABELS.get(preset, preset) if preset else "custom model"
        sizes = ", ".join(
            f"{SHORT_NAMES[k]}={self.fields[k].text()}" for k in ARCH_FIELDS[self.arch()]
        )
        total = f"{human_count(self.count.total)} parameters" if self.count else "invalid input"
        return f"{name} · {sizes} · {total}"

    def set_zoom(self, factor: float) -> None:
        """The app font already carries the zoom; the total is drawn larger than it."""
        big = QFont(QApplication.font())
        big.setPointSizeF(big.pointSizeF() * 1.7)
        big.setBold(True)
        self.total_label.setFont(big)
        self.chart.set_zoom(factor)
