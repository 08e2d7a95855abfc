"""The background UMAP warm-up compiles the approximate (NN-descent) stage only for data that
needs it: that stage keeps 170–450 MB of compiled code for the rest of the session."""

from __future__ import annotations

import pytest

from lab_app.core.embeddings import jobs, projection


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The stages asked of a stand-in for ``warm_umap`` (nothing is compiled here)."""
    asked: list[bool] = []

    def fake(approximate: bool = True, on_stage: object = None) -> float:
        asked.append(approximate)
        for stage in ("exact", "approximate") if approximate else ("exact",):
            on_stage(stage)  # type: ignore[operator]
        return 0.0

    monkeypatch.setattr(projection, "warm_umap", fake)
    return asked


def test_the_sample_warms_the_exact_stage_only(stages: list[bool]) -> None:
    warmup = jobs.Warmup()
    warmup.for_rows(279)
    warmup.start()
    assert warmup.wait(5) and warmup.state == "done"
    assert stages == [False]


def test_a_big_dataset_adds_the_approximate_stage(stages: list[bool]) -> None:
    warmup = jobs.Warmup()
    warmup.start()
    assert warmup.wait(5) and stages == [False]
    warmup.for_rows(jobs.APPROXIMATE_ROWS)
    assert warmup.wait(5) and warmup.state == "done"
    assert stages == [False, True]


def test_no_warm_up_starts_where_none_was_started(stages: list[bool]) -> None:
    warmup = jobs.Warmup()  # BERT_LAB_UMAP_WARMUP=0: the tab never starts it
    warmup.for_rows(50_000)
    assert warmup.state == "idle" and warmup.approximate and stages == []
