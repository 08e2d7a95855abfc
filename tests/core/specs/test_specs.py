"""Spec tables: every cell sourced, every slip of corrections.md marked with the slide value."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir
from lab_app.core.specs.tables import (
    SpecCell,
    SpecTable,
    find_table,
    load_references,
    load_tables,
    table_to_csv,
    tables_to_dict,
    tables_to_json,
)


@pytest.fixture(scope="module")
def tables() -> list[SpecTable]:
    return load_tables()


def _cell(tables: list[SpecTable], table_id: str, row_label: str, column: str) -> SpecCell:
    table = find_table(table_id, tables)
    col = table.columns.index(column)
    for row in table.rows:
        if row[0].value == row_label:
            return row[col]
    raise AssertionError(f"{table_id}: no row {row_label!r}")


def test_resources_dir_is_the_top_level_folder() -> None:
    assert (resources_dir() / "specs" / "index.json").is_file()


def test_all_tables_load_in_notes_order(tables: list[SpecTable]) -> None:
    assert [t.id for t in tables] == [
        "llm_landscape",
        "gpt_models",
        "llama_family",
        "llama31_hyperparameters",
        "benchmarks",
        "pretraining_objectives",
    ]
    for table in tables:
        assert table.rows
        assert all(len(row) == len(table.columns) for row in table.rows)


def test_every_cell_has_a_source_and_a_display(tables: list[SpecTable]) -> None:
    for table in tables:
        for row in table.rows:
            for cell in row:
                assert cell.source.strip(), (table.id, row[0].display)
                assert cell.display.strip(), (table.id, row[0].display)


def test_every_reference_is_cited_and_complete() -> None:
    refs = load_references()
    for ref in refs.values():
        assert ref.short and ref.full
    cited = json.dumps(tables_to_dict(), ensure_ascii=False)
    for ref in refs.values():
        assert ref.short in cited, f"reference {ref.key} is never cited"


# corrections.md, one entry per slip: (table, row label, column, correct value, slide value)
CORRECTIONS = [
    ("llm_landscape", "Embedding Size", "GPT-3", 12288, "12888"),
    ("llm_landscape", "Embedding Size", "Llama 2", 4096, "3204"),
    ("llm_landscape", "Context Length", "Llama 2", 4096, "4000"),
    ("llm_landscape", "Tokenization", "Llama 2", "SentencePiece BPE", "SentencePiece"),
    ("benchmarks", "ROUGE", "Benchmark", "ROUGE", "ROGUE"),
    ("benchmarks", "Perplexity", "Kind", "metric", "benchmark"),
    ("gpt_models", "Batch Size", "GPT-1", 64 * 512, "64"),
    ("gpt_models", "Batch Size", "GPT-2", 512 * 1024, "512"),
    ("gpt_models", "Batch Size", "GPT-3", 3_200_000, "3.2M"),
    ("llama_family", "LLaMA", "Training cost (petaFLOP-day)", 6300, "6,300 Dollars??"),
]


@pytest.mark.parametrize(("table_id", "row", "column", "correct", "slide"), CORRECTIONS)
def test_correction_is_marked(
    tables: list[SpecTable], table_id: str, row: str, column: str, correct: object, slide: str
) -> None:
    cell = _cell(tables, table_id, row, column)
    assert cell.value == correct
    assert cell.slide_value == slide
    assert cell.corrected
    note = cell.teaching_note()
    assert note is not None and note.startswith(f"the slide says {slide};")


def test_gpt3_teaching_note(tables: list[SpecTable]) -> None:
    cell = _cell(tables, "llm_landscape", "Embedding Size", "GPT-3")
    assert "Brown et al. 2020" in cell.source and "Table 2.1" in cell.source
    assert cell.teaching_note() == f"the slide says 12888; {cell.source} says 12,288"


def test_llama2_details_from_corrections(tables: list[SpecTable]) -> None:
    tok = _cell(tables, "llm_landscape", "Tokenization", "Llama 2")
    assert "32,000" in tok.display and "byte fallback" in tok.display
    emb = _cell(tables, "llm_landscape", "Embedding Size", "Llama 2")
    assert "5,120" in emb.display and "8,192" in emb.display
    cost = _cell(tables, "llama_family", "LLaMA", "Training cost (petaFLOP-day)")
    assert "petaFLOP-days" in cost.display
    assert "Dollars" not in cost.display


def test_only_bert_is_mlm(tables: list[SpecTable]) -> None:
    table = find_table("pretraining_objectives", tables)
    for row in table.rows:
        objective = row[1]
        if row[0].value == "BERT":
            assert not objective.corrected and "Masked LM" in str(objective.value)
        else:
            assert objective.slide_value == "MLM on unlabelled data"


def test_no_cell_marked_without_a_difference(tables: list[SpecTable]) -> None:
    for table in tables:
        for _, _, cell in table.corrections():
            assert cell.slide_value != cell.display


def test_json_round_trip(tables: list[SpecTable]) -> None:
    doc = json.loads(tables_to_json(tables))
    assert len(doc["tables"]) == len(tables)
    first = doc["tables"][0]["rows"][0][1]
    assert set(first) == {"value", "display", "source", "slide_value", "note"}
    assert "gpt3" in doc["references"]


def test_csv(tables: list[SpecTable]) -> None:
    table = find_table("gpt-models", tables)
    rows = list(csv.reader(io.StringIO(table_to_csv(table))))
    assert rows[0] == ["", "GPT-1", "GPT-2", "GPT-3"]
    assert rows[4][3] == "12,288"
    with_sources = list(csv.reader(io.StringIO(table_to_csv(table, sources=True))))
    assert len(with_sources[0]) == 2 * len(table.columns)
    assert "the slide says 3.2M" in with_sources[5][7]


def test_unknown_table_is_a_user_error(tables: list[SpecTable]) -> None:
    with pytest.raises(UserError, match="llm_landscape"):
        find_table("nope", tables)
