"""The Fill-mask tab's "Next sentence?" page: a pair in, IsNext / NotNext bars out, off the GUI
thread, with the model's held-out accuracy beside them."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from lab_app.core.fill_mask.nsp import heldout, open_nsp
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
    assert f"{heldout(open_nsp(str(built_store_dir)))[0]:.0%}" in panel.note.text()
    assert panel.result.is_next > 0.5  # the paper's IsNext example, the page's default
    panel.text_b.setText("")
    with qtbot.waitSignal(panel.runner.failed, timeout=60_000):
        panel.run()
    assert "both" in panel.error.text()
    panel.runner.shutdown()
    panel.release()  # its model shares bert-lab-mlm's session with the other labs
