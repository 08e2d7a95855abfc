"""Guard against a Qt binding that leaks references to True (PySide6 6.12.0 aborted Python)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_signal_emit_keeps_the_refcount_of_true() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.fired.emit()
    assert sys.getrefcount(True) >= before - 10


def test_void_methods_keep_the_refcount_of_none(qtbot: object) -> None:
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    before = sys.getrefcount(None)
    for _ in range(5000):
        widget.setToolTip("x")
    assert sys.getrefcount(None) >= before - 10
