"""Reading word-level entity tags: CoNLL columns and inline marks, and every error a student
can meet named with its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lab_app.core.errors import UserError
from lab_app.core.io.tag_formats import (
    TaggedSentence,
    check_iob2,
    check_tag,
    iob1_to_iob2,
    parse_conll,
    parse_inline,
    read_tagged,
    split_words,
)

TWO_COLUMNS = """Maria B-PER
flew O
to O
New B-LOC
York I-LOC
. O

Bonn B-LOC
rains O
"""

CONLL_2003 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

-DOCSTART- -X- -X- O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
"""


def test_two_columns() -> None:
    data = parse_conll(TWO_COLUMNS)
    assert data.sentences == (
        TaggedSentence(
            ("Maria", "flew", "to", "New", "York", "."),
            ("B-PER", "O", "O", "B-LOC", "I-LOC", "O"),
        ),
        TaggedSentence(("Bonn", "rains"), ("B-LOC", "O")),
    )
    assert data.types == ("LOC", "PER")
    assert data.notes == ()


def test_conll_2003_four_columns_and_docstart() -> None:
    data = parse_conll(CONLL_2003)
    assert [s.words for s in data.sentences] == [
        ("EU", "rejects", "German", "call", "."),
        ("Peter", "Blackburn"),
    ]
    assert data.sentences[0].tags == ("B-ORG", "O", "B-MISC", "O", "O")
    assert data.sentences[1].tags == ("B-PER", "I-PER")
    assert data.types == ("MISC", "ORG", "PER")
    assert data.notes == ("skipped 2 -DOCSTART- lines",)


def test_tabs_crlf_bom_and_comments() -> None:
    text = "\ufeff# text = Maria flew\r\nMaria\tB-PER\r\nflew\tO\r\n\r\n# O\r\n"
    data = parse_conll(text)
    assert data.sentences[0] == TaggedSentence(("Maria", "flew"), ("B-PER", "O"))
    # "# O" is the word '#' tagged O, not a comment
    assert data.sentences[1] == TaggedSentence(("#",), ("O",))
    assert data.notes == ("skipped 1 comment line",)


def test_iob1_is_converted() -> None:
    text = "EU I-ORG\nrejects O\nGerman I-MISC\nBritish I-MISC\nPeter B-MISC\n"
    with pytest.raises(UserError, match=r"line 1: 'I-ORG' .*--scheme iob1"):
        parse_conll(text)
    data = parse_conll(text, scheme="iob1")
    assert data.sentences[0].tags == ("B-ORG", "O", "B-MISC", "I-MISC", "B-MISC")
    assert "converted the IOB1 tags to IOB2" in data.notes


def test_i_without_b_names_its_line() -> None:
    text = "Maria B-PER\nflew O\n\nto O\nNew O\nYork I-LOC\n"
    with pytest.raises(UserError) as err:
        parse_conll(text)
    assert str(err.value).startswith("line 6: 'I-LOC' follows 'O' with no 'B-LOC'")
    assert "--scheme iob1" in str(err.value)
    # I- of another type is an orphan too
    with pytest.raises(UserError, match="line 2: 'I-LOC' follows 'B-PER'"):
        parse_conll("Maria B-PER\nYork I-LOC\n")


def test_wrong_column_count_names_its_line() -> None:
    text = "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman B-MISC\ncall NN I-NP O\n"
    with pytest.raises(UserError, match="line 3 has 2 columns, the file's other lines have 4"):
        parse_conll(text)
    with pytest.raises(UserError, match="line 1 has a word but no tag"):
        parse_conll("Maria\nflew\n")


@pytest.mark.parametrize("tag", ["B-", "LOC", "b-LOC", "E-LOC", "o", "B_LOC"])
def test_unknown_tag_names_its_line(tag: str) -> None:
    with pytest.raises(UserError, match=f"line 2: '{tag}' is not a tag"):
        parse_conll(f"Maria B-PER\nMadrid {tag}\n")


def test_empty_and_no_entities() -> None:
    for text in ("", "\n\n", "-DOCSTART- O\n\n"):
        with pytest.raises(UserError, match="no tagged words"):
            parse_conll(text)
    with pytest.raises(UserError, match="no entities"):
        parse_conll("hello O\nworld O\n")
    with pytest.raises(UserError, match="iob2 or iob1"):
        parse_conll(TWO_COLUMNS, scheme="bilou")


def test_emoji_and_right_to_left_words() -> None:
    text = "שלום O\nמריה B-PER\n🙂 O\nالقاهرة B-LOC\nnaïve O\n"
    data = parse_conll(text)
    assert data.sentences[0].words == ("שלום", "מריה", "🙂", "القاهرة", "naïve")
    assert data.sentences[0].tags == ("O", "B-PER", "O", "B-LOC", "O")


def test_tag_checks_and_conversion() -> None:
    check_iob2(["B-PER", "I-PER", "O", "B-LOC"], "sentence 1")
    with pytest.raises(UserError, match="sentence 3, word 1: 'I-PER' follows the start"):
        check_iob2(["I-PER"], "sentence 3")
    with pytest.raises(UserError, match="line 9: 'X' is not a tag"):
        check_tag("X", "line 9")
    assert iob1_to_iob2(["I-PER", "I-PER", "B-PER", "I-LOC", "O", "I-LOC"]) == [
        "B-PER",
        "I-PER",
        "B-PER",
        "B-LOC",
        "O",
        "B-LOC",
    ]


# --- inline marks -------------------------------------------------------------------------------


def test_inline_parenthesis_marks_and_punctuation() -> None:
    data = parse_inline("[Maria](PER) flew to [New York](LOC).\n\nI love [Bonn](LOC)!\n")
    assert data.sentences[0] == TaggedSentence(
        ("Maria", "flew", "to", "New", "York", "."),
        ("B-PER", "O", "O", "B-LOC", "I-LOC", "O"),
    )
    assert data.sentences[1] == TaggedSentence(("I", "love", "Bonn", "!"), ("O", "O", "B-LOC", "O"))
    assert data.types == ("LOC", "PER")


def test_inline_rasa_json_marks_and_synonyms() -> None:
    data = parse_inline('fly to [Madrid]{"entity": "city", "role": "to"} from [NYC](city:New York)')
    assert data.sentences[0] == TaggedSentence(
        ("fly", "to", "Madrid", "from", "NYC"), ("O", "O", "B-city", "O", "B-city")
    )


def test_split_words_keeps_emoji_and_scripts() -> None:
    assert split_words("Madrid. naïve 🙂 מריה, don't") == [
        "Madrid",
        ".",
        "naïve",
        "🙂",
        "מריה",
        ",",
        "don",
        "'",
        "t",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("fly to [Madrid(LOC)", "line 2: the '\\[' at character 8 is not closed"),
        ("fly to Madrid](LOC)", "line 2: a '\\]' at character 14 closes no"),
        ("fly to [Madrid] now", "line 2: \\[Madrid\\] needs its entity type"),
        ("fly to [Madrid](LOC now", "line 2: the '\\(' at character 16 is not closed"),
        ("fly to [Madrid]{LOC}", "line 2: \\{LOC\\} is not an entity mark"),
        ("fly to [Madrid]( )", "line 2: ' ' is not an entity type"),
        ("fly to [ ](LOC)", "line 2: the mark at character 8 has no words"),
        ("fly to [[Madrid]](LOC)", "line 2: the '\\[' at character 8 is not closed"),
    ],
)
def test_inline_malformed_marks_name_the_line(line: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_inline(f"[Maria](PER) flies\n{line}\n")


def test_inline_rasa_yaml_and_markdown() -> None:
    yml = """version: "3.1"
nlu:
- intent: book
  examples: |
    - fly to [Madrid](city)
    - book [Maria](person) a seat
- lookup: city
  examples: |
    - Madrid
    - Paris
- intent: greet
  examples: |
    - hello
"""
    data = parse_inline(yml)
    assert [s.words for s in data.sentences] == [
        ("fly", "to", "Madrid"),
        ("book", "Maria", "a", "seat"),
        ("hello",),
    ]
    md = "## intent:book\n- fly to [Madrid](city)\n\n## synonym:NYC\n- New York City\n"
    assert parse_inline(md).sentences == (
        TaggedSentence(("fly", "to", "Madrid"), ("O", "O", "B-city")),
    )
    with pytest.raises(UserError, match="line 5: the '\\['"):
        parse_inline(yml.replace("- fly to [Madrid](city)", "- fly to [Madrid"))


# --- files --------------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_read_tagged_by_extension_and_by_content(tmp_path: Path) -> None:
    conll = parse_conll(TWO_COLUMNS)
    for name in ("a.conll", "a.iob", "a.tsv", "a.txt", "a.data"):
        assert read_tagged(_write(tmp_path / name, TWO_COLUMNS.encode())) == conll
    inline = "[Maria](PER) flew to [Madrid](LOC).\n"
    for name in ("b.md", "b.inline", "b.txt", "b.yml"):
        assert read_tagged(_write(tmp_path / name, inline.encode())) == parse_inline(inline)
    with pytest.raises(UserError, match=r"'c\.txt' is neither CoNLL"):
        read_tagged(_write(tmp_path / "c.txt", b"just some text\nand more\n"))


def test_read_tagged_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"'e\.conll' is empty"):
        read_tagged(_write(tmp_path / "e.conll", b"  \n\n"))
    with pytest.raises(UserError, match=r"'l1\.conll' is not UTF-8 text"):
        read_tagged(_write(tmp_path / "l1.conll", "Málaga B-LOC\n".encode("latin-1")))
    with pytest.raises(UserError, match=r"'o\.conll', line 2: 'I-LOC'"):
        read_tagged(_write(tmp_path / "o.conll", b"to O\nYork I-LOC\n"))
    with pytest.raises(UserError, match=r"cannot read 'missing\.conll'"):
        read_tagged(tmp_path / "missing.conll")
    data = read_tagged(_write(tmp_path / "one.conll", b"York I-LOC\n"), scheme="iob1")
    assert data.sentences[0].tags == ("B-LOC",)


def test_read_tagged_keeps_the_first_sentences(tmp_path: Path) -> None:
    text = "".join(f"w{i} O\nBonn B-LOC\n\n" for i in range(5)) + "Maria B-PER\n"
    data = read_tagged(_write(tmp_path / "many.conll", text.encode()), max_sentences=3)
    assert [s.words[0] for s in data.sentences] == ["w0", "w1", "w2"]
    assert data.types == ("LOC",)
    assert data.notes[-1] == "kept the first 3 of 6 sentences"


def test_read_tagged_never_writes(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.conll", CONLL_2003.encode())
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    path.chmod(0o444)
    read_tagged(path)
    read_tagged(path, scheme="iob1")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.conll"]
