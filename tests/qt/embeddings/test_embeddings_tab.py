"""The Embeddings tab, driven as a student would: assertions on plotted data and score labels.

Most tests use a third of the chatbot sample (93 utterances, all 14 intents) to stay quick; one
test runs UMAP, on twelve utterances, after the background warm-up (numba compiles once per
process). Every wait is on a signal or a condition, never a sleep.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from lab_app.core.embeddings import jobs
from lab_app.core.embeddings.perturb import Perturbation
from lab_app.core.io.text_input import read_utterances, sample_dataset_path
from lab_app.qt.embeddings.dataset import NO_LABEL, ColumnDialog
from lab_app.qt.embeddings.plot import points_in_polygon
from lab_app.qt.embeddings.tab import EmbeddingsTab

pytest_plugins = ["cluster_fixtures"]
pytestmark = pytest.mark.usefixtures("gui_thread_gc")  # collect cycles on the GUI thread only

WAIT = 90_000


@pytest.fixture
def third_csv(tmp_path: Path) -> Path:
    data = read_utterances(sample_dataset_path())
    path = tmp_path / "third.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["utterance", "tag"])
        writer.writerows(zip(data.texts[::3], data.labels[::3], strict=True))  # type: ignore[index]
    return path


def wait_for(qtbot: QtBot, tab: EmbeddingsTab, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(tab.result_shown, timeout=WAIT):
        action()


def loaded(qtbot: QtBot, tab: EmbeddingsTab, path: Path, run: bool = True) -> None:
    wait_for(qtbot, tab, lambda: tab.load_dataset(path))
    if run:
        wait_for(qtbot, tab, tab.run_analysis)


def plotted(tab: EmbeddingsTab) -> np.ndarray:
    x, y = tab.map.scatter.getData()
    return np.column_stack([x, y])


def test_empty_state_teaches_and_one_click_embeds_the_sample(
    qtbot: QtBot, tab: EmbeddingsTab
) -> None:
    assert tab.ui.stack.currentIndex() == 0
    assert "279 utterances, 14 intents" in tab.ui.empty_label.text()
    assert tab.ui.empty_button.text() == "Embed the chatbot sample"
    assert tab.export_filters() == ""
    wait_for(qtbot, tab, tab.ui.empty_button.click)
    assert tab.ui.stack.currentIndex() == 1
    a = tab.analysis
    assert a is not None
    assert len(tab.map.scatter.points()) == 279
    np.testing.assert_allclose(plotted(tab), a.projection.coords)
    assert len(tab.map.legend.items) == 14
    title = tab.map.plot.plotItem.titleLabel.text
    assert "all-MiniLM-L6-v2 · SBERT pooling · layer 6 · PCA" in title
    assert tab.map.plot.getAxis("bottom").labelText.startswith("PC1 (")
    assert tab.scores.text("ari") == f"{a.scores.ari:.3f}"
    assert tab.scores.text("knn_accuracy") == f"{a.scores.knn_accuracy:.3f}"
    assert len(tab.ui.elbow.get().inertia_curve.getData()[0]) == len(a.elbow.ks)  # type: ignore[union-attr]


def test_a_missing_representation_is_greyed_out_with_its_reason(tab: EmbeddingsTab) -> None:
    picker = tab.controls.picker
    picker.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2")
    pooler = picker.repr_combo.model().item(picker.repr_combo.findData("pooler"))  # type: ignore[attr-defined]
    assert not pooler.isEnabled()
    assert "no pooler weights" in picker.reason.text() and not picker.reason.isHidden()
    assert picker.layer_slider.maximum() == 3
    picker.set_pooling("cls")
    assert picker.layer_slider.isEnabled()
    picker.set_pooling("sbert")
    assert not picker.layer_slider.isEnabled() and picker.layer() == 3


def test_switching_model_representation_layer_and_colours(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path
) -> None:
    loaded(qtbot, tab, third_csv)
    first = plotted(tab)
    assert len(first) == 93 and "third.csv: 93 utterances, 14 intents" in tab.ui.data_label.text()
    picker = tab.controls.picker
    wait_for(qtbot, tab, lambda: picker.set_pooling("cls"))  # re-runs by itself (debounced)
    wait_for(qtbot, tab, lambda: picker.layer_slider.setValue(3))
    assert "[CLS] · layer 3" in tab.map.plot.plotItem.titleLabel.text
    assert not np.allclose(plotted(tab), first)
    wait_for(qtbot, tab, lambda: picker.model_combo.setCurrentText("paraphrase-MiniLM-L3-v2"))
    a = tab.analysis
    assert a is not None and a.config.model == "paraphrase-MiniLM-L3-v2"
    assert tab.scores.text("nmi") == f"{a.scores.nmi:.3f}"
    tab.controls.colour_combo.setCurrentIndex(1)  # by K-Means cluster: a redraw, no job
    assert len(tab.map.legend.items) == tab.controls.k_spin.value()
    wait_for(qtbot, tab, lambda: picker.model_combo.setCurrentText("all-MiniLM-L6-v2"))
    wait_for(qtbot, tab, lambda: picker.set_pooling("sbert"))
    np.testing.assert_array_equal(plotted(tab), first)  # flipping back: the cached analysis


def test_perturb_then_reset_restores_the_exact_map(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path
) -> None:
    loaded(qtbot, tab, third_csv)
    original, ari = plotted(tab), tab.scores.text("ari")
    tab.noise.panel.sigma.setValue(0.8)
    wait_for(qtbot, tab, tab.noise.panel.apply_button.click)
    assert "σ = 0.8" in tab.noise.panel.state_label.text()
    assert "noise σ=0.8" in tab.map.plot.plotItem.titleLabel.text
    assert tab.scores.text("ari") != ari
    assert not np.allclose(plotted(tab), original)
    wait_for(qtbot, tab, tab.noise.panel.reset_button.click)
    assert tab.noise.panel.state_label.text() == "Weights: original"
    np.testing.assert_array_equal(plotted(tab), original)
    assert tab.scores.text("ari") == ari
    tab.noise.panel.show_weights(Perturbation(1e6, 0, (1, 2)))
    assert "effectively random" in tab.noise.panel.state_label.text()


def test_sweep_plots_ari_against_sigma(qtbot: QtBot, tab: EmbeddingsTab, small_csv: Path) -> None:
    loaded(qtbot, tab, small_csv)
    wait_for(qtbot, tab, tab.noise.panel.sweep_button.click)
    x, _ = tab.noise.panel.sweep_plot.curve.getData()
    assert len(x) == 5  # the σ > 0 values; σ = 0 is the dashed baseline
    assert tab.noise.panel.sweep_plot.baseline.isVisible()
    assert "k = 3" in tab.noise.panel.sweep_plot.note.text()


def test_a_new_utterance_is_placed_with_a_knn_intent(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path
) -> None:
    loaded(qtbot, tab, third_csv)
    tab.place.edit.setText("what time does the library close on sunday")
    wait_for(qtbot, tab, tab.place.button.click)
    xs, ys = tab.map.placed.getData()
    assert len(xs) == 1 and np.isfinite([xs[0], ys[0]]).all()
    assert "kNN intent <b>library_hours</b>" in tab.place.result.text()
    tab.place.edit.setText("   ")
    wait_for(qtbot, tab, tab.place.button.click)
    assert "type an utterance first" in tab.ui.error_label.text()


def test_click_lists_neighbours_and_lasso_lists_the_selection(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path
) -> None:
    loaded(qtbot, tab, third_csv)
    point = tab.map.scatter.points()[0]
    tab.map._hovered(tab.map.scatter, [point], None)
    hovered = tab.map.hover_label.text()
    assert hovered.startswith(f"“{tab.dataset.texts[0]}” — intent ") and "· cluster " in hovered
    assert tab.map._tip(0.0, 0.0, 0) == hovered
    tab.map._clicked(tab.map.scatter, [point], None)
    lines = tab.ui.details.lines()
    assert len(lines) == 8 and "[intent " in lines[0]
    assert "Nearest to" in tab.ui.details.title.text()
    coords = plotted(tab)
    lo, hi = coords.min(axis=0) - 1, coords.max(axis=0) + 1
    box = np.array([lo, (hi[0], lo[1]), hi, (lo[0], hi[1])])
    assert len(tab.map.select_polygon(box)) == 93
    assert "93 selected utterances" in tab.ui.details.title.text()
    tab.map.view.mode = "box"
    tab.map.view._trace = [tuple(lo), tuple(hi)]
    assert points_in_polygon(coords, tab.map.view.current_polygon()).all()


def test_compare_two_configurations_in_one_table(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path
) -> None:
    loaded(qtbot, tab, third_csv)
    tab.compare.picker.set_pooling("cls")
    wait_for(qtbot, tab, tab.compare.button.click)
    table = tab.compare.scores.table
    assert tab.ui.error_label.isHidden(), tab.ui.error_label.text()
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert heads == ["A", "B", "What it means"]  # short: the names are above the table
    names = [table.horizontalHeaderItem(c).toolTip() for c in range(2)]
    assert names[0].startswith("A: all-MiniLM-L6-v2 · SBERT pooling")
    assert names[1].startswith("B: all-MiniLM-L6-v2 · [CLS]")
    assert html.escape(names[1]) in tab.compare.scores.caption.text()
    assert len(tab.compare.map_a.scatter.points()) == len(tab.compare.map_b.scatter.points()) == 93
    assert tab.compare.scores.text("ari", 0) != tab.compare.scores.text("ari", 1)


def test_exports_png_svg_csv_and_projector_tsv(
    qtbot: QtBot, tab: EmbeddingsTab, third_csv: Path, tmp_path: Path
) -> None:
    before = third_csv.read_bytes()
    loaded(qtbot, tab, third_csv)
    assert "PNG" in tab.export_filters()
    out = tmp_path / "out"
    out.mkdir()
    assert tab.export_to(out / "map.svg") is False  # written now, on the GUI thread
    for name in ("map.png", "coords.csv", "vectors.tsv"):
        with qtbot.waitSignal(tab.export_runner.result_ready, timeout=WAIT):
            assert tab.export_to(out / name) is True  # encoded or formatted off the GUI thread
    assert (out / "map.png").stat().st_size > 5000
    assert "SBERT pooling · layer 6 · PCA" in (out / "map.svg").read_text(encoding="utf-8")
    rows = list(csv.reader((out / "coords.csv").open(encoding="utf-8")))
    assert rows[0] == ["text", "label", "cluster", "x", "y"] and len(rows) == 94
    assert len((out / "vectors.tsv").read_text().splitlines()) == 93
    assert (out / "metadata.tsv").read_text(encoding="utf-8").startswith("text\tlabel\n")
    with qtbot.waitSignal(tab.export_runner.failed, timeout=WAIT) as refused:
        tab.export_to(third_csv)
    assert "input file" in str(refused.args[0])
    assert third_csv.read_bytes() == before


def test_unlabelled_data_and_bad_input_are_explained_inline(
    qtbot: QtBot, tab: EmbeddingsTab, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("open the pod bay doors\nlibrary hours\nwifi is down\nfees due\n")
    loaded(qtbot, tab, plain)
    assert tab.scores.text("ari") == "—"
    assert "no intent labels" in tab.scores.notes.text()
    two = tmp_path / "two.txt"
    two.write_text("hello\nworld\n")
    loaded(qtbot, tab, two)
    assert "at least 3" in tab.ui.error_label.text()
    broken = tmp_path / "intents.json"
    broken.write_text('{"intents": [')
    wait_for(qtbot, tab, lambda: tab.load_dataset(broken))
    assert "not valid JSON" in tab.ui.error_label.text()


def test_column_dialog_guesses_text_and_intent_columns(qtbot: QtBot, third_csv: Path) -> None:
    dialog = ColumnDialog(third_csv, ["id", "utterance", "tag"])
    qtbot.addWidget(dialog)
    assert dialog.columns() == ("utterance", "tag")
    dialog.label_combo.setCurrentText(NO_LABEL)
    assert dialog.columns() == ("utterance", None)


def test_cancel_stops_a_long_embedding(qtbot: QtBot, tab: EmbeddingsTab, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    texts = read_utterances(sample_dataset_path()).texts
    big.write_text("\n".join(f"{t} (variant {i})" for i in range(20) for t in texts))
    wait_for(qtbot, tab, lambda: tab.load_dataset(big))
    assert "5580 utterances" in tab.ui.data_label.text()
    with qtbot.waitSignal(tab.runner.progress_changed, timeout=WAIT):
        tab.run_analysis()
    tab.ui.busy.cancel_button.click()
    assert tab.ui.busy.label.text() == "Cancelled."
    assert not tab.runner.busy and tab.analysis is None


def test_umap_after_the_background_warm_up(
    qtbot: QtBot, tab: EmbeddingsTab, small_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The exact-neighbour stage only: the NN-descent stage (inputs ≥ 4,096 rows) takes ≈3× longer.
    monkeypatch.setattr(jobs, "WARMUP", jobs.Warmup(approximate=False))
    tab.start_warmup()
    qtbot.waitUntil(lambda: jobs.WARMUP.state == "done", timeout=300_000)
    qtbot.waitUntil(lambda: tab.controls.umap_note.text() == "UMAP is ready.", timeout=5000)
    loaded(qtbot, tab, small_csv)
    tab.controls.n_neighbors.setValue(5)
    wait_for(qtbot, tab, lambda: tab.controls.method_combo.setCurrentIndex(1))
    a = tab.analysis
    assert a is not None and a.settings.method == "umap" and a.settings.n_neighbors == 5
    assert tab.map.plot.getAxis("bottom").labelText == "UMAP 1 (no unit)"
    assert "UMAP n=5" in tab.map.plot.plotItem.titleLabel.text
    assert tab.scores.text("ari") == f"{a.scores.ari:.3f}"  # scores use the full vectors
    tab.place.edit.setText("the campus wifi does not work")
    wait_for(qtbot, tab, tab.place.button.click)
    assert len(tab.map.placed.getData()[0]) == 1
    tab.controls.n_neighbors.setValue(12)  # ≥ n = 12 utterances: said inline
    wait_for(qtbot, tab, lambda: None)
    assert "choose n_neighbors below 12" in tab.ui.error_label.text()


def test_importing_the_tab_loads_no_heavy_library() -> None:
    """The main window makes every tab before its first paint: this one must stay light."""
    import os
    import subprocess
    import sys

    heavy = ("onnxruntime", "onnx", "sklearn", "umap", "numba", "scipy", "tokenizers")
    code = (
        f"import sys, lab_app.qt.embeddings.tab; print([m for m in {heavy!r} if m in sys.modules])"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_an_empty_store_says_how_to_get_models(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(EmbeddingsTab, "warm_up_umap", False)
    tab = EmbeddingsTab(store=str(tmp_path / "empty-store"))
    qtbot.addWidget(tab)
    assert "No models yet" in tab.ui.empty_label.text()
    assert not tab.ui.empty_button.isEnabled()
    with qtbot.waitSignal(tab.result_shown, timeout=1000):
        tab.run_example()  # the screenshot command must not wait for a result that never comes
    tab.run_analysis()
    assert "Choose a model" in tab.ui.error_label.text()


def test_exporting_over_a_neighbouring_metadata_tsv_asks_first(
    qtbot: QtBot,
    tab: EmbeddingsTab,
    third_csv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    loaded(qtbot, tab, third_csv)
    out = tmp_path / "vectors.tsv"
    mine = tmp_path / "metadata.tsv"
    mine.write_text("the user's own\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    asked: list[str] = []

    def say_no(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    tab._export_dialog()
    qtbot.wait(200)
    assert asked and "metadata.tsv" in asked[0]
    assert mine.read_text(encoding="utf-8") == "the user's own\n" and not out.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(tab.export_runner.result_ready, timeout=WAIT):
        tab._export_dialog()
    assert out.is_file() and mine.read_text(encoding="utf-8").startswith("text\tlabel\n")


def test_umap_is_warmed_only_once_the_lab_is_set_to_use_it(
    qtbot: QtBot, built_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """umap, numba and the compiled kernels stay for the session (a third of a GB): a lab left
    on PCA, the default, never loads them; choosing UMAP starts the warm-up at once."""
    from lab_app.qt.embeddings import tab as tab_module

    started: list[bool] = []

    class Recorder(jobs.Warmup):
        def start(self) -> None:
            started.append(True)

    monkeypatch.setenv("BERT_LAB_UMAP_WARMUP", "1")
    monkeypatch.setattr(tab_module, "WARMUP_DELAY_MS", 50)
    monkeypatch.setattr(jobs, "WARMUP", Recorder(approximate=False))
    made = EmbeddingsTab(store=str(built_store_dir))
    qtbot.addWidget(made)
    qtbot.wait(300)  # the delayed check has run: still PCA
    assert made.controls.method() == "pca" and not started
    made.controls.method_combo.setCurrentIndex(made.controls.method_combo.findData("umap"))
    assert started
    made.shutdown()
