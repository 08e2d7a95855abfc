"""The Benchmarks tab, driven as a student would: the lecture's table opens the pages that run
its rows, each page's example runs off the GUI thread, and bad files get one calm line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lab_app.core.bench.overview import rows
from lab_app.qt.bench.choice_page import FLIP
from lab_app.qt.bench.tab import PAGES, BenchTab
from lab_app.qt.shell.lesson_state import DictSettings

TIMEOUT = 60_000
STALL_MS = 250
pytestmark = pytest.mark.usefixtures("gui_thread_gc")


def test_every_row_of_the_lecture_table_opens_a_page_that_runs(qtbot: QtBot, tab: BenchTab) -> None:
    table = tab.overview.table
    assert table.rowCount() == len(rows()) == 8
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["GLUE", "SQuAD", "HellaSwag", "ROUGE", "RACE", "BLEU", "Perplexity", "METEOR"]
    for r, row in enumerate(rows()):
        table.cellDoubleClicked.emit(r, 0)
        if row.page in PAGES:
            assert tab.page() == row.page
        tab.open_page("overview")


def test_glue_example_shows_accuracy_and_mcc_disagreeing(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any, tmp_path: Path
) -> None:
    heartbeat.watch()
    tab.open_page("glue")
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()
    assert heartbeat.longest_ms < STALL_MS
    page: Any = tab.page_widget("glue")
    cells = {page.table.item(r, 0).text(): page.table.item(r, 1).text()
             for r in range(page.table.rowCount())}  # fmt: skip
    assert cells["Accuracy"] == "0.900" and cells["MCC"] == "0.000"
    out = tmp_path / "glue.csv"
    tab.export_to(out)
    assert "accuracy,0.9" in out.read_text(encoding="utf-8")
    # A bad file: one calm line, the scores shown stay, the file is untouched.
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    page.source = str(bad)
    with qtbot.waitSignal(page.runner.failed, timeout=TIMEOUT):
        page.run()
    assert "not UTF-8" in page.error.text() and page.table.rowCount() > 0
    assert bad.read_bytes() == b"\xff\xfe\x00"


def test_state_round_trips(qtbot: QtBot, tab: BenchTab, tmp_path: Path) -> None:
    tab.open_page("glue")
    page: Any = tab.page_widget("glue")
    page.source = str(tmp_path / "p.csv")
    store = DictSettings()
    tab.save_state(store)
    tab.open_page("overview")
    page.source = "example"
    tab.restore_state(store)
    assert tab.page() == "glue" and page.source == str(tmp_path / "p.csv")


def test_perplexity_page_colours_tokens_and_ranks_the_variants(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any
) -> None:
    heartbeat.watch()
    tab.open_page("perplexity")
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()
    assert heartbeat.longest_ms < STALL_MS
    page: Any = tab.page_widget("perplexity")
    table = page.compare
    values = {table.item(r, 0).text(): float(table.item(r, 1).text().replace(",", ""))
              for r in range(table.rowCount())}  # fmt: skip
    bpb = {table.item(r, 0).text(): float(table.item(r, 2).text()) for r in range(4)}
    assert min(values, key=values.__getitem__) == "original"
    # Per byte, the order is the one a reader expects (per token, random characters cut into
    # short pieces can look better than shuffled words: the page says why).
    assert bpb["original"] < bpb["shuffled words"] < bpb["random characters"]
    assert bpb["original"] < bpb["Finnish"]
    assert "background:#" in page.tokens.toHtml() or page.tokens.toPlainText()
    assert "bits per byte" in page.summary.text()
    # One token: a calm line, the results shown stay.
    page.text.setPlainText("a")
    with qtbot.waitSignal(page.runner.failed, timeout=TIMEOUT):
        page.run()
    assert "at least two tokens" in page.error.text() and table.rowCount() == 4
    # The decoder stays loaded while the lab is shown, and goes when it is hidden.
    from lab_app.core.bench import jobs

    assert len(jobs._HELD) >= 1
    tab.release()
    assert len(jobs._HELD) == 0


def test_choice_page_runs_a_set_against_chance_and_flags_flips(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any, tmp_path: Path
) -> None:
    heartbeat.watch()
    tab.overview.open_row(4)  # RACE
    assert tab.page() == "choice"
    page: Any = tab.page_widget("choice")
    assert page.sets.currentData() == "race"
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_current()
    assert heartbeat.longest_ms < STALL_MS
    run = page.run_result
    assert page.items.rowCount() == len(run.items) == 8
    assert run.acc > run.chance  # the decoder reads the passages better than a coin
    flipped = set(run.flipped)
    for r in range(page.items.rowCount()):
        painted = page.items.item(r, 0).background().color() == FLIP
        assert painted == (r in flipped)
    assert page.options.rowCount() == 4
    tab.export_to(tmp_path / "choice.png")
    assert (tmp_path / "choice.png").stat().st_size > 0
    # One option only: a calm line at once, nothing else changes.
    page.own_options.setPlainText("Paris")
    with qtbot.waitSignal(page.runner.failed, timeout=TIMEOUT):
        page.score_own()
    assert "at least two options" in page.error.text() and page.items.rowCount() == 8
    page.own_options.setPlainText("Paris\nBerlin")
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        page.score_own()
    assert page.options.rowCount() == 2 and "← acc" in page.options.item(0, 0).text()


def test_metrics_page_traps_show_what_the_counts_miss(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any
) -> None:
    heartbeat.watch()
    tab.overview.open_row(5)  # BLEU
    assert tab.page() == "metrics"
    page: Any = tab.page_widget("metrics")
    assert page.detail_metric.currentData() == "bleu"
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()  # the paraphrase trap
    assert heartbeat.longest_ms < STALL_MS
    run = page.metrics_run
    paraphrase, opposite = run.rows
    assert paraphrase.results["bleu"].score < opposite.results["bleu"].score
    assert paraphrase.similarity is not None and opposite.similarity is not None
    assert page.table.rowCount() == 2 and "brevity penalty" in page.details.toPlainText()
    # The non-Latin trap: ROUGE sees no token, chrF still scores the copy.
    page.traps.setCurrentIndex([t.key for t in page_traps()].index("non_latin"))
    page.load_trap()
    page.choose("rouge")
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        page.run()
    copy = page.metrics_run.rows[0]
    assert copy.results["rouge"].score == 0 and copy.results["chrf"].score == 100
    assert "none: nothing left to count" in page.details.toHtml()
    # A candidate without a reference: one calm line, the table stays.
    page.references.setPlainText("")
    page.candidates.setPlainText("a hypothesis")
    page.run()
    assert "no reference" in page.error.text() and page.table.rowCount() == 2


def page_traps() -> Any:
    from lab_app.core.bench.textmetrics import TRAPS

    return TRAPS


def test_squad_page_shows_why_f1_is_partial(qtbot: QtBot, tab: BenchTab, heartbeat: Any) -> None:
    from lab_app.core.models.build.builtin_tasks import available_tasks

    if "bert-lab-qa" not in available_tasks():
        pytest.skip("the QA model's weights are not trained")
    heartbeat.watch()
    tab.overview.open_row(1)  # SQuAD
    assert tab.page() == "squad"
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        tab.run_example()
    assert heartbeat.longest_ms < STALL_MS
    page: Any = tab.page_widget("squad")
    run = page.squad_run
    assert page.table.rowCount() == len(run.questions) > 100
    first = run.questions[page.order[0]]
    assert not first.exact_match and 0 < first.f1 < 1  # partial answers come first
    assert f"F1 {first.f1:.2f}" in page.overlap.toPlainText()
    assert 0 < run.exact_match <= run.f1 <= 100


def test_glue_page_scores_the_nsp_model_on_its_held_out_pairs(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any
) -> None:
    from lab_app.core.models.build.builtin_tasks import available_tasks

    if "bert-lab-nsp" not in available_tasks():
        pytest.skip("the NSP model's weights are not trained")
    heartbeat.watch()
    tab.open_page("glue")
    page: Any = tab.page_widget("glue")
    assert page.models.currentText() == "bert-lab-nsp"
    with qtbot.waitSignal(tab.result_shown, timeout=TIMEOUT):
        page.heldout_button.click()
    assert heartbeat.longest_ms < STALL_MS
    scores = page.scores
    assert scores["n"] == 200 and scores["labels"] == ["IsNext", "NotNext"]
    assert 0.5 < scores["accuracy"] < 1 and -1 <= scores["mcc"] <= 1
    assert sum(map(sum, scores["confusion"])) == 200
    assert "bert-lab-nsp on nsp_test.tsv" in page.source_label.text()


def test_a_long_pseudo_perplexity_can_be_cancelled(
    qtbot: QtBot, tab: BenchTab, heartbeat: Any
) -> None:
    tab.open_page("perplexity")
    page: Any = tab.page_widget("perplexity")
    page.text.setPlainText(" ".join(["the library opens at nine in the morning ."] * 60))
    page.choose("masked")
    heartbeat.watch()
    page.run()
    qtbot.waitUntil(lambda: page.cancel_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(page.runner.busy_changed, timeout=TIMEOUT):
        page.cancel_button.click()
    assert not page.runner.busy and page.compared is None and page.error.isHidden()
    assert heartbeat.longest_ms < STALL_MS
