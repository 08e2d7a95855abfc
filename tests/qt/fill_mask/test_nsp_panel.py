"""The Fill-mask tab's "Next sentence?" page: a pair in, IsNext / NotNext bars out, off the GUI
thread, with the head's held-out accuracy beside them."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from lab_app.core.fill_mask.nsp import load_head
from lab_app.qt.fill_mask.nsp_panel import NspPanel


def test_a_pair_gets_two_probabilities(qtbot: QtBot, built_store_dir: Path) -> None:
    panel = NspPanel(str(built_store_dir))
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.runner.result_ready, timeout=60_000):
        panel.button.click()
    assert panel.result is not None
    labels = [label for label, _ in panel.bars.rows]
    assert labels == ["IsNext", "NotNext"]
    assert abs(sum(p for _, p in panel.bars.rows) - 1) < 1e-6
    assert f"{load_head().heldout_accuracy:.0%}" in panel.note.text()
    panel.text_b.setText("")
    with qtbot.waitSignal(panel.runner.failed, timeout=60_000):
        panel.run()
    assert "both" in panel.error.text()
    panel.runner.shutdown()
