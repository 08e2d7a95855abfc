"""Start the GUI: a QApplication, the main window, and the event loop."""

from __future__ import annotations

import sys


def _store_line(store: str | None) -> str:
    from lab_app.core.store import open_store

    st = open_store(store)
    try:
        n_models, n_toks = len(st.models()), len(st.tokenizers())
    except Exception as exc:  # a damaged manifest must not stop the window from opening
        return f"Model store {st.root}: {exc}"
    if n_models == 0:
        return f"Model store {st.root} is empty: run <code>bert-lab models build</code>."
    return f"Model store {st.root}: {n_models} models, {n_toks} tokenizers."


def main(store: str | None = None, argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from lab_app.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("BERT Lab")
    app.setOrganizationName("bert-lab")
    window = MainWindow(_store_line(store))
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
