"""Reading students' utterance files: each format, encoding and mistake they are likely to make."""

from __future__ import annotations

import codecs
import csv
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab_app.core.errors import UserError
from lab_app.core.io.text_input import (
    UNLABELLED,
    Utterances,
    csv_columns,
    read_utterances,
    sample_dataset_path,
)

NLU_YML = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hey
    - good morning
- intent: book_flight
  examples: |
    - fly to [Berlin](city) tomorrow
    - a ticket to [New York]{"entity": "city", "value": "NYC"} please
    - [two](count) seats to [Paris](city:Paris)
- synonym: NYC
  examples: |
    - New York City
"""

INTENTS_JSON = {
    "intents": [
        {"tag": "greeting", "patterns": ["Hi", "Hello there"], "responses": ["Hello!"]},
        {"tag": "goodbye", "patterns": ["Bye", "See you later"], "responses": ["Bye!"]},
    ]
}


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_error(path: Path, **kwargs: object) -> str:
    with pytest.raises(UserError) as info:
        read_utterances(path, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# --- formats -----------------------------------------------------------------------------------


def test_csv_with_header_detects_text_and_intent_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", 'id,Utterance,Intent\n1,"Hi, there",greet\n2,bye,bye\n')
    result = read_utterances(path)
    assert result.texts == ["Hi, there", "bye"]
    assert result.labels == ["greet", "bye"]
    assert result.source == str(path)
    assert any("Utterance" in note and "Intent" in note for note in result.notes)


def test_csv_without_label_column_has_no_labels(tmp_path: Path) -> None:
    result = read_utterances(write(tmp_path, "u.csv", "sentence,source\nhello,web\nhi,app\n"))
    assert result.texts == ["hello", "hi"]
    assert result.labels is None


def test_csv_explicit_columns_and_semicolons(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "msg;kind\nhallo zusammen;greet\ntschüss;bye\n")
    result = read_utterances(path, text_column="MSG", label_column="kind")
    assert result.texts == ["hallo zusammen", "tschüss"]
    assert result.labels == ["greet", "bye"]
    assert csv_columns(path) == ["msg", "kind"]


def test_csv_skips_empty_rows_and_fills_missing_labels(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "text,intent\nhi,greet\n\n ,greet\nbye,\n")
    result = read_utterances(path)
    assert result.texts == ["hi", "bye"]
    assert result.labels == ["greet", UNLABELLED]
    assert any("skipped 1 row" in note for note in result.notes)
    assert any("no intent" in note for note in result.notes)


def test_tsv(tmp_path: Path) -> None:
    path = write(tmp_path, "u.tsv", "pattern\ttag\nwhere is the library, please\tlibrary\n")
    result = read_utterances(path)
    assert result.texts == ["where is the library, please"]
    assert result.labels == ["library"]
    assert csv_columns(path) == ["pattern", "tag"]


def test_txt_skips_blank_lines_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "u.txt", "hello there\n\n  how are you  \r\n\n\nbye\n")
    result = read_utterances(path)
    assert result.texts == ["hello there", "how are you", "bye"]
    assert result.labels is None
    assert "skipped 3 empty lines" in result.notes


def test_intents_json(tmp_path: Path) -> None:
    result = read_utterances(write(tmp_path, "intents.json", json.dumps(INTENTS_JSON)))
    assert result.texts == ["Hi", "Hello there", "Bye", "See you later"]
    assert result.labels == ["greeting", "greeting", "goodbye", "goodbye"]


def test_json_list_of_texts_and_of_records(tmp_path: Path) -> None:
    plain = read_utterances(write(tmp_path, "a.json", '["one text", "two texts"]'))
    assert plain.texts == ["one text", "two texts"] and plain.labels is None
    records = [{"text": "hi", "intent": "greet"}, {"text": "bye", "intent": "bye"}]
    result = read_utterances(write(tmp_path, "b.json", json.dumps(records)))
    assert result.texts == ["hi", "bye"] and result.labels == ["greet", "bye"]


def test_rasa_nlu_yaml_strips_entities(tmp_path: Path) -> None:
    result = read_utterances(write(tmp_path, "nlu.yml", NLU_YML))
    assert result.texts == [
        "hey",
        "good morning",
        "fly to Berlin tomorrow",
        "a ticket to New York please",
        "two seats to Paris",
    ]
    assert result.labels == ["greet", "greet", "book_flight", "book_flight", "book_flight"]
    assert any("ignored 1 nlu block" in note for note in result.notes)


def test_unknown_extension_is_guessed_from_content(tmp_path: Path) -> None:
    assert read_utterances(write(tmp_path, "data", NLU_YML)).labels is not None
    assert read_utterances(write(tmp_path, "d2", json.dumps(INTENTS_JSON))).texts[0] == "Hi"
    assert read_utterances(write(tmp_path, "d3", "text,intent\nhi,greet\n")).labels == ["greet"]
    assert read_utterances(write(tmp_path, "d4.md", "just a line\nanother")).texts == [
        "just a line",
        "another",
    ]


def test_max_rows_keeps_the_first_rows_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "u.txt", "\n".join(f"line {i}" for i in range(10)))
    result = read_utterances(path, max_rows=3)
    assert result.texts == ["line 0", "line 1", "line 2"]
    assert any("first 3" in note for note in result.notes)
    assert not read_utterances(path, max_rows=10).notes


# --- encodings ---------------------------------------------------------------------------------

CSV_TEXT = "text,intent\nCafé ouvert ?,hours\n日本語のテキスト,other\n"


@pytest.mark.parametrize(
    "raw",
    [
        CSV_TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + CSV_TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + CSV_TEXT.encode("utf-16-be"),
        CSV_TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf"],
)
def test_encodings(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path, "u.csv", raw)
    result = read_utterances(path)
    assert result.texts == ["Café ouvert ?", "日本語のテキスト"]
    assert result.labels == ["hours", "other"]
    assert csv_columns(path) == ["text", "intent"]


@pytest.mark.parametrize(
    "raw",
    [
        "text\nCafé\n".encode("cp1252"),
        "text\nCafé ouvert\n".encode("utf-16-le"),  # UTF-16 without a BOM
        codecs.BOM_UTF32_LE + "text\nhi\n".encode("utf-32-le"),
    ],
    ids=["cp1252", "utf16-no-bom", "utf32"],
)
def test_other_encodings_say_save_as_utf8(tmp_path: Path, raw: bytes) -> None:
    message = read_error(write(tmp_path, "latin.csv", raw))
    assert "latin.csv" in message
    assert "not UTF-8 or UTF-16 text; save it as UTF-8" in message


# --- the built-in dataset ----------------------------------------------------------------------


def test_sample_dataset_loads() -> None:
    path = sample_dataset_path()
    assert path.name == "helpdesk_chatbot.csv" and path.is_file()
    result = read_utterances(path)
    assert result.labels is not None
    counts = Counter(result.labels)
    assert len(counts) >= 12 and len(result.texts) >= 240
    assert min(counts.values()) >= 18
    assert len(set(result.texts)) == len(result.texts)
    assert len({t.lower().strip(" ?!.") for t in result.texts}) == len(result.texts)
    assert all(2 <= len(t.split()) <= 25 for t in result.texts)
    for intent in ("library_hours", "student_id_card", "greeting", "password_reset", "parking"):
        assert intent in counts
    assert not any("skipped" in note or "more than once" in note for note in result.notes)
    assert (path.parent / "README.md").is_file()


# --- errors ------------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    message = read_error(tmp_path / "nope.csv")
    assert "nope.csv" in message and "not found" in message


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    assert "folder" in read_error(tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\n \r\n", codecs.BOM_UTF8, b"\n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    message = read_error(write(tmp_path, "empty.txt", content))
    assert "empty.txt" in message and "empty" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("header.csv", "text,intent\n"),
        ("blank.csv", "text,intent\n , x\n,\n"),
        ("none.json", '{"intents": [{"tag": "greet", "patterns": []}]}'),
        ("none.yml", "nlu:\n- intent: greet\n  examples: |\n"),
    ],
)
def test_no_utterances(tmp_path: Path, name: str, content: str) -> None:
    message = read_error(write(tmp_path, name, content))
    assert name in message and "no utterances" in message


def test_csv_without_text_column_lists_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.csv", "question,answer\nwhere?,here\n")
    message = read_error(path)
    assert "odd.csv" in message and "'question'" in message and "'answer'" in message
    assert "Pick the column" in message
    assert read_utterances(path, text_column="question").texts == ["where?"]
    assert "'nope'" in read_error(path, text_column="nope")
    assert "'nope'" in read_error(path, text_column="question", label_column="nope")


@pytest.mark.parametrize(
    "content",
    ['text,intent\n"unclosed quote,greet\nbye,bye\n', 'text,intent\n"hi"x,greet\n', "text\na,b\n"],
    ids=["unclosed", "junk-after-quote", "extra-field"],
)
def test_malformed_csv(tmp_path: Path, content: str) -> None:
    message = read_error(write(tmp_path, "bad.csv", content))
    assert "bad.csv" in message and "not valid CSV" in message and "line" in message
    assert "quotes" in message


def test_malformed_json_names_line(tmp_path: Path) -> None:
    message = read_error(write(tmp_path, "bad.json", '{\n  "intents": [\n    {"tag": }\n]}'))
    assert "bad.json" in message and "not valid JSON" in message and "line 3" in message


@pytest.mark.parametrize(
    "content", ['{"data": []}', '"just a string"', '{"intents": {"tag": "x"}}', "[1, 2, 3]"]
)
def test_wrong_json_structure(tmp_path: Path, content: str) -> None:
    message = read_error(write(tmp_path, "shape.json", content))
    assert "shape.json" in message and "not an intents file" in message and '"patterns"' in message


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    content = "nlu:\n- intent: greet\n  examples: |\n    - hi\n\t- broken: [\n"
    message = read_error(write(tmp_path, "nlu.yml", content))
    assert "nlu.yml" in message and "not valid YAML" in message and "line 5" in message


def test_wrong_yaml_structure(tmp_path: Path) -> None:
    message = read_error(write(tmp_path, "stories.yml", "stories:\n- story: a\n"))
    assert "stories.yml" in message and "not a Rasa NLU file" in message


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        (bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04" + b"\x00" * 100, "CSV UTF-8"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 50, "binary"),
    ],
    ids=["random", "xlsx", "png"],
)
def test_binary_file(tmp_path: Path, raw: bytes, hint: str) -> None:
    message = read_error(write(tmp_path, "data.csv", raw))
    assert "data.csv" in message and hint in message


def test_max_rows_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        read_utterances(write(tmp_path, "u.txt", "hi"), max_rows=0)


def test_utterances_rejects_mismatched_labels() -> None:
    with pytest.raises(ValueError):
        Utterances(texts=["a", "b"], labels=["x"], source="s", notes=[])


# --- reading never writes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("u.csv", "text,intent\nhi,greet\n"),
        ("u.txt", "hi\nbye\n"),
        ("intents.json", json.dumps(INTENTS_JSON)),
        ("nlu.yml", NLU_YML),
    ],
)
def test_reading_leaves_the_file_untouched(tmp_path: Path, name: str, content: str) -> None:
    path = write(tmp_path, name, codecs.BOM_UTF8 + content.encode("utf-8"))
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_utterances(path)
    if name.endswith(".csv"):
        csv_columns(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# --- round trip --------------------------------------------------------------------------------

_alphabet = st.characters(codec="utf-8", exclude_characters="\x00\r\n")
_line = st.text(_alphabet, min_size=1, max_size=40).map(str.strip).filter(bool)
_tricky = st.sampled_from(
    ['say "hi", ok', "a,b,c", '""', "naïve café ☕ 日本", "'quoted'", "x;y\tz"]
)
_texts = st.lists(st.one_of(_line, _tricky), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(texts=_texts, multiline=st.booleans())
def test_csv_round_trip(texts: list[str], multiline: bool) -> None:
    if multiline:  # newlines inside quoted fields survive too
        texts = [f"{t}\n{t}" if i % 3 == 0 else t for i, t in enumerate(texts)]
    labels = [f"intent_{i % 4}" for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "round.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["text", "intent"])
            writer.writerows(zip(texts, labels, strict=True))
        result = read_utterances(path)
    assert result.texts == texts
    assert result.labels == labels
