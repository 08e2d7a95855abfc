"""Models → Model manager: what is in the store, import a folder, build or repair the built-ins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lab_app.qt.shell.failures import describe
from lab_app.qt.shell.runner import Reporter, Runner

COLUMNS = (
    "Name",
    "Kind",
    "Family",
    "Layers",
    "Hidden",
    "Heads",
    "Context",
    "Outputs",
    "Source",
    "Licence",
    "State",
)


def _heads(m: Any) -> str:
    """Attention heads; a decoder with grouped-query attention also shows its key/value heads."""
    heads = m.extra.get("num_heads")
    if heads is None:
        return ""
    kv = m.extra.get("num_kv_heads")
    return f"{heads} ({kv} kv)" if kv and kv != heads else str(heads)


def _list_job(report: Reporter, store: str | None) -> tuple[str, list[list[str]]]:
    """Every store entry with its sha256 check (slow for big models: off the GUI thread)."""
    from lab_app.core.models.store import open_store, verify_entry

    st = open_store(store)
    rows: list[list[str]] = []
    entries = [("model", e) for e in st.models()] + [("tokenizer", e) for e in st.tokenizers()]
    for i, (kind, e) in enumerate(entries):
        m = e.manifest
        problems = verify_entry(e)
        source = m.source.get("package") or m.source.get("folder") or ""
        if m.source.get("version"):
            source += f" {m.source['version']}"
        rows.append(
            [
                m.name,
                kind,
                m.family,
                str(m.layers or ""),
                str(m.hidden_size or ""),
                _heads(m),
                str(m.max_positions or ""),
                ", ".join(m.outputs),
                source,
                m.license,
                "; ".join(problems) if problems else ("ok, read-only" if e.read_only else "ok"),
            ]
        )
        report(i + 1, len(entries))
    return str(st.root), rows


def _import_job(report: Reporter, store: str | None, folder: str) -> str:
    from lab_app.core.models.build.model_import import import_folder
    from lab_app.core.models.store import open_store

    report(0, 1, f"Importing {folder}…")
    return import_folder(open_store(store), Path(folder)).name


class ModelManagerDialog(QDialog):
    store_changed = Signal()

    def __init__(self, store: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model manager")
        self.setObjectName("model_manager")
        self.store = store
        self.where = QLabel("Reading the store…")
        self.where.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Models and tokenizers in the store")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = QLabel(
            "To add Google's bert-base-uncased (with its masked-LM head), run "
            "<code>bert-lab models fetch bert-base-uncased</code> on a machine with internet, or "
            "import a downloaded folder (config.json + model.safetensors + tokenizer files)."
        )
        self.message.setWordWrap(True)
        self.message.setObjectName("manager_message")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = QPushButton("Import a folder…")
        self.build_button = QPushButton("Build / repair built-ins…")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.build_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.choose_import)
        self.build_button.clicked.connect(self.open_build)
        layout = QVBoxLayout(self)
        for w in (self.where, self.table, self.message, buttons):
            layout.addWidget(w)
        self.runner = Runner(self)
        self.runner.result_ready.connect(self._result)
        self.runner.message_changed.connect(self.message.setText)
        self.runner.failed.connect(
            lambda exc: self.message.setText(
                f"<b>Could not:</b> {describe(exc, 'The model manager')}"
            )
        )
        self.resize(980, 420)
        self.refresh()

    def refresh(self) -> None:
        self.runner.start(_list_job, self.store)

    def _result(self, result: Any) -> None:
        if isinstance(result, str):  # an import finished
            self.message.setText(f"Imported <b>{result}</b>.")
            self.store_changed.emit()
            self.refresh()
            return
        root, rows = result
        self.where.setText(f"Store: {root}")
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def choose_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a BERT-family model folder")
        if folder:
            self.start_import(folder)

    def start_import(self, folder: str) -> None:
        self.runner.start(_import_job, self.store, folder)

    def open_build(self) -> None:
        from lab_app.qt.shell.build_dialog import BuildDialog

        dialog = BuildDialog(self.store, self, repair=True)
        dialog.store_changed.connect(self.refresh)
        dialog.store_changed.connect(self.store_changed)
        dialog.open()

    def done(self, result: int) -> None:
        self.runner.shutdown(2000)
        super().done(result)
