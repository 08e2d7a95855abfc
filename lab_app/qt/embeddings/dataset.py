"""Opening a student's utterance file: the file dialog, and for CSV/TSV a column picker.

The picker shows the file's header so the student chooses which column holds the utterances and
which (if any) the intents; the guess follows the reader's own rules. The file is only read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from lab_app.core.errors import UserError
from lab_app.core.io.text_input import LABEL_COLUMNS, TEXT_COLUMNS, csv_columns
from lab_app.qt.shell.file_dialogs import open_path

FILE_FILTER = (
    "Utterances (*.csv *.tsv *.txt *.json *.yml *.yaml);;CSV or TSV (*.csv *.tsv);;"
    "Text, one per line (*.txt);;intents.json (*.json);;Rasa nlu.yml (*.yml *.yaml);;All files (*)"
)
NO_LABEL = "(no intent column)"


def _guess(header: list[str], known: tuple[str, ...]) -> int:
    lowered = [h.lower() for h in header]
    for name in known:
        for i, h in enumerate(lowered):
            if h in (name, name + "s", name + "es"):
                return i
    return -1


class ColumnDialog(QDialog):
    """Pick the text column and the intent column of a CSV/TSV file."""

    def __init__(self, path: Path, header: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Columns of {path.name}")
        self.text_combo = QComboBox()
        self.text_combo.addItems(header)
        self.text_combo.setAccessibleName("Text column")
        self.label_combo = QComboBox()
        self.label_combo.addItem(NO_LABEL)
        self.label_combo.addItems(header)
        self.label_combo.setAccessibleName("Intent column")
        t = _guess(header, TEXT_COLUMNS)
        self.text_combo.setCurrentIndex(max(t, 0))
        lab = _guess(header, LABEL_COLUMNS)
        self.label_combo.setCurrentIndex(lab + 1 if lab >= 0 and lab != t else 0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        intro = QLabel("Which column holds the utterances, and which their intents?")
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow("Utterances:", self.text_combo)
        form.addRow("Intents:", self.label_combo)
        form.addRow(buttons)

    def columns(self) -> tuple[str, str | None]:
        label = self.label_combo.currentText()
        return self.text_combo.currentText(), (None if label == NO_LABEL else label)


def ask_for_dataset(parent: QWidget) -> tuple[Path, str | None, str | None] | None:
    """File dialog, then the column picker for CSV/TSV; None when the user cancels.

    Raises UserError when the CSV header itself cannot be read (shown inline by the tab).
    """
    path = open_path(parent, "Open utterances", FILE_FILTER)
    if path is None:
        return None
    if path.suffix.lower() not in (".csv", ".tsv", ".tab"):
        return path, None, None
    header = csv_columns(path)
    if not header:
        raise UserError(f"'{path.name}' has no header row; add one (e.g. text,intent)")
    dialog = ColumnDialog(path, header, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    text, label = dialog.columns()
    return path, text, label
