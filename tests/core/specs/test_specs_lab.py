"""What the Model specs tab shows, computed without Qt: parsing, compute, sorting, plot series."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from lab_app.core.errors import UserError
from lab_app.core.specs.lab import (
    PRESET_LABELS,
    TRAINING_TOKENS,
    attention_series,
    breakdown_rows,
    cell_sort_key,
    default_inputs,
    describe_cell,
    estimate_compute,
    human_count,
    matching_preset,
    model_sizes,
    parse_count,
    pf_days_text,
    published_compute,
    rows_to_tsv,
    scientific,
    short_count,
)
from lab_app.core.specs.params import (
    PRESETS,
    ParamError,
    attention_cost,
    bert_schedule_saving,
    count_params,
    preset,
)
from lab_app.core.specs.tables import SpecCell, find_table, load_tables


@pytest.mark.parametrize(
    ("text", "suffixes", "expected"),
    [
        ("30522", False, 30522),
        ("30,522", False, 30522),
        (" 30 522 ", False, 30522),
        ("30_522", False, 30522),
        ("15.6T", True, 15_600_000_000_000),
        ("300B", True, 300_000_000_000),
        ("2e12", True, 2_000_000_000_000),
        ("15,600,000,000,000", True, 15_600_000_000_000),
        ("128k", True, 128_000),
    ],
)
def test_parse_count_reads_numbers_as_people_type_them(
    text: str, suffixes: bool, expected: int
) -> None:
    assert parse_count(text, "n", suffixes=suffixes) == expected


@pytest.mark.parametrize(("text", "suffixes"), [("", False), ("abc", False), ("15.6T", False),
                                               ("1.5", False), ("lots", True)])  # fmt: skip
def test_parse_count_names_the_field(text: str, suffixes: bool) -> None:
    with pytest.raises(ParamError) as info:
        parse_count(text, "vocab", suffixes=suffixes)
    assert info.value.fields == ("vocab",)
    assert "vocab" in str(info.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hidden": 100, "heads": 3}, "heads"),
        ({"layers": 0}, "layers"),
        ({"hidden": 10**8, "heads": 1}, "hidden"),
        ({"vocab": -5}, "vocab"),
    ],
)
def test_count_errors_name_the_field(change: dict[str, int], field: str) -> None:
    arch, kwargs = preset("bert-base")
    with pytest.raises(ParamError) as info:
        count_params(arch, **{**kwargs, **change})
    assert info.value.fields[0] == field
    assert isinstance(info.value, UserError)  # the CLI still prints it as one line


def test_gqa_error_names_kv_heads() -> None:
    arch, kwargs = preset("llama-3.1-8b")
    with pytest.raises(ParamError) as info:
        count_params(arch, **{**kwargs, "kv_heads": 5})
    assert info.value.fields[0] == "kv_heads"


def test_schedule_refuses_short_longer_than_long() -> None:
    with pytest.raises(ParamError) as info:
        bert_schedule_saving(short_len=512, long_len=128)
    assert set(info.value.fields) == {"short_len", "long_len"}


def test_number_formats() -> None:
    assert human_count(109_482_240) == "109.5 million"
    assert human_count(128 * 10**9) == "128 billion"
    assert human_count(15.6e12) == "15.6 trillion"
    assert short_count(110e6) == "110M"
    assert short_count(1e12) == "1T"
    assert scientific(3.8e25) == "3.80 × 10²⁵"
    assert scientific(9.999e19) == "1.00 × 10²⁰"
    assert pf_days_text(439_674.6) == "439,675"
    assert pf_days_text(0.9735) == "0.974"


def test_llama31_405b_compute_matches_the_table() -> None:
    arch, kwargs = preset("llama-3.1-405b")
    n = count_params(arch, **kwargs).total
    est = estimate_compute(n, TRAINING_TOKENS["llama-3.1-405b"].tokens, "llama-3.1-405b")
    assert est.flops == pytest.approx(3.8e25, rel=0.01)
    assert est.pf_days == pytest.approx(440_000, rel=0.01)
    assert est.published is not None and est.published.pf_days == 440_000
    assert est.ratio == pytest.approx(1.0, abs=0.01)


def test_published_figure_is_read_from_the_table() -> None:
    tables = load_tables()
    family = find_table("llama_family", tables)
    cell = next(r for r in family.rows if r[0].value == "Llama 3.1")[3]
    published = published_compute("llama-3.1-405b", tables)
    assert published is not None and published.pf_days == cell.value
    assert "LLaMA family" in published.source


def test_gpt3_compute_matches_its_paper_and_small_models_have_no_figure() -> None:
    arch, kwargs = preset("gpt-3")
    est = estimate_compute(count_params(arch, **kwargs).total, 300 * 10**9, "gpt-3")
    assert est.ratio == pytest.approx(1.0, abs=0.01)
    assert published_compute("bert-base") is None
    assert estimate_compute(1, 1).ratio is None


def test_breakdown_rows_add_up() -> None:
    arch, kwargs = preset("bert-base")
    count = count_params(arch, **kwargs)
    rows = breakdown_rows(count)
    assert sum(n for _, n, _ in rows) == count.total
    assert math.fsum(s for _, _, s in rows) == pytest.approx(1.0)
    assert "Output heads" not in [p for p, _, _ in rows]  # no MLM head: nothing to show


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_matches_itself_with_defaults_filled(name: str) -> None:
    arch, kwargs = preset(name)
    assert matching_preset(arch, {**default_inputs(arch), **kwargs}) == name
    assert matching_preset(arch, {**kwargs, "layers": kwargs["layers"] + 1}) is None
    assert name in PRESET_LABELS


def test_model_sizes_run_from_bert_base_to_llama_405b() -> None:
    sizes = model_sizes()
    assert sizes[0].label == "BERT-base" and sizes[0].params == 109_482_240
    assert sizes[-1].label == "Llama 3.1 405B" and sizes[-1].params == 405_853_388_800
    assert [s.preset for s in sizes] == list(PRESETS)


def test_attention_series_matches_attention_cost() -> None:
    series = attention_series(768, 12, max_len=1024, step=16)
    assert series.lengths[0] == 16 and series.lengths[-1] == 1024
    i = series.lengths.index(512)
    cost = attention_cost(512, 768, 12)
    assert (series.quadratic[i], series.linear[i]) == (cost.quadratic, cost.linear)
    assert series.crossover == 4608
    at = attention_cost(series.crossover, 768, 12)
    assert at.quadratic == at.linear


def test_cells_sort_numbers_as_numbers_and_blanks_apart() -> None:
    def cell(value: object, display: str = "") -> SpecCell:
        return SpecCell(value=value, display=display or str(value), source="s")  # type: ignore[arg-type]

    keys = [
        cell_sort_key(c)
        for c in (cell(None, "—"), cell("abc"), cell(131072), cell(2048), cell((7, 70)))
    ]
    assert sorted(keys) == [keys[4], keys[3], keys[2], keys[1], keys[0]]  # (7, 70) sorts as 70


def test_describe_cell_carries_source_and_slide_value() -> None:
    table = find_table("llm_landscape")
    corrected = [c for _, _, c in table.corrections()]
    text = describe_cell(corrected[0])
    assert "the slide says 12888" in text and "Brown et al. 2020" in text
    assert "source:" in describe_cell(table.rows[0][1])


def test_tsv_keeps_one_line_per_row() -> None:
    assert rows_to_tsv([["a\tb", "c\nd"], ["1", ""]]) == "a b\tc d\n1\t\n"


def test_specs_lab_imports_no_qt() -> None:
    code = "import sys, lab_app.core.specs.lab; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
