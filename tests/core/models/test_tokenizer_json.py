"""tokenizer.json read in short steps gives exactly the tokenizer ``Tokenizer.from_file`` gives.

The piecewise reader exists only so that the prewarm thread never holds the GIL for long (issue
29; ``tests/qt/shell/test_idle_start.py`` measures that); what it must never do is give a
different tokenizer, so every store file is compared with ``from_file`` down to ``to_str()``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers

from lab_app.core.models.store import ModelStore
from lab_app.core.models.tokenizer_json import (
    loads_in_pieces,
    merge_pairs,
    read_utf8,
    release,
    tokenizer_from_file,
    tokenizer_from_str,
)

TEXT = "Hello  world, ünïcode 🎉 <|endoftext|> [CLS] <|im_start|>user\n12345 naïve café"


def _store_files(root: Path) -> list[Path]:
    store = ModelStore(root)
    files = [e.file("tokenizer.json") for e in store.tokenizers()]
    files += [e.file("tokenizer.json") for e in store.encoders() + store.decoders()]
    return files


def test_every_store_tokenizer_is_the_one_from_file_gives(built_store_dir: Path) -> None:
    files = _store_files(built_store_dir)
    assert len(files) >= 5  # the three lab tokenizers, the encoders' and the decoder's
    for path in files:
        ours, theirs = tokenizer_from_file(path), Tokenizer.from_file(str(path))
        assert ours.to_str() == theirs.to_str(), path
        assert ours.encode(TEXT).ids == theirs.encode(TEXT).ids, path


def _wordpiece_with_everything() -> Tokenizer:
    vocab = {t: i for i, t in enumerate(["[UNK]", "[PAD]", "[CLS]", "hello", "##s", "world"])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=50))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.add_special_tokens(["[CLS]", AddedToken("<new>", lstrip=True, special=True)])
    tok.add_tokens([AddedToken("hello world", single_word=True, normalized=True)])
    tok.enable_padding(pad_id=1, pad_token="[PAD]", length=12)
    tok.enable_truncation(max_length=12, stride=2)
    return tok


def _bpe(string_merges: bool) -> str:
    vocab = {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5}
    tok = Tokenizer(models.BPE(vocab, [("a", "b"), ("ab", "c")], unk_token="<unk>", fuse_unk=True))
    tok.add_special_tokens(["<s>", "</s>"])
    data = json.loads(tok.to_str())
    if string_merges:  # the older spelling, still read by tokenizers
        data["model"]["merges"] = [" ".join(m) for m in data["model"]["merges"]]
    return json.dumps(data, indent=2)


@pytest.mark.parametrize(
    "text",
    [_wordpiece_with_everything().to_str(), _bpe(False), _bpe(True)],
    ids=["wordpiece-padding-truncation-added", "bpe-pairs", "bpe-strings"],
)
def test_built_in_pieces_equals_from_str(text: str) -> None:
    ours, theirs = tokenizer_from_str(text), Tokenizer.from_str(text)
    assert ours.to_str() == theirs.to_str()
    sample = "abc hello world <new> [CLS] <s>"
    assert ours.encode(sample).ids == theirs.encode(sample).ids


def test_models_it_does_not_build_and_odd_files_fall_back_to_from_str() -> None:
    unigram = Tokenizer(models.Unigram([("<unk>", 0.0), ("a", -1.0), ("b", -2.0)], 0))
    text = unigram.to_str()
    assert tokenizer_from_str(text).to_str() == text
    data = json.loads(_bpe(False))
    data["added_tokens"][0]["id"] = 0  # an id the vocabulary gives another token
    odd = json.dumps(data)
    assert tokenizer_from_str(odd).to_str() == Tokenizer.from_str(odd).to_str()


def test_a_broken_file_raises_what_from_file_raises(tmp_path: Path) -> None:
    broken = tmp_path / "tokenizer.json"
    broken.write_text(_bpe(False)[:-40], encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        with pytest.raises(Exception) as theirs:  # tokenizers raises a bare Exception
            Tokenizer.from_file(str(path))
        with pytest.raises(Exception) as ours:
            tokenizer_from_file(path)
        assert str(ours.value) == str(theirs.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6), st.sampled_from([None, 0, 2]))
def test_loads_in_pieces_is_json_loads(data: dict[str, object], indent: int | None) -> None:
    text = json.dumps({"model": data, **data}, indent=indent, ensure_ascii=False)
    assert loads_in_pieces(text, nested=("model",)) == json.loads(text)


@pytest.mark.parametrize("text", ['{"a": 1', '{"a": 1} x', '{"a" 1}', '["a"]', '{"a": 1,}', ""])
def test_loads_in_pieces_rejects_what_json_rejects(text: str) -> None:
    with pytest.raises((ValueError, IndexError)):
        loads_in_pieces(text)


def test_helpers(tmp_path: Path) -> None:
    merges: list[object] = [["a", "b"], "ab c"]
    assert merge_pairs(merges) is merges and merges == [("a", "b"), ("ab", "c")]
    big_list, big_dict = list(range(5000)), {str(i): i for i in range(5000)}
    release(big_list, big_dict, None)
    assert big_list == [] and big_dict == {}
    path = tmp_path / "t.json"
    text = "é🎉\r\n" * 200_000  # multi-byte characters across the decoding steps
    path.write_bytes(text.encode("utf-8"))
    assert read_utf8(path) == text


def test_a_model_tokenizers_rejects_fails_as_from_str_fails() -> None:
    data = json.loads(_bpe(False))
    data["model"]["merges"].append(["c", "zz"])  # a merge of a token the vocabulary lacks
    text = json.dumps(data)
    with pytest.raises(Exception) as theirs:  # tokenizers raises a bare Exception
        Tokenizer.from_str(text)
    with pytest.raises(Exception) as ours:
        tokenizer_from_str(text)
    assert str(ours.value) == str(theirs.value)
