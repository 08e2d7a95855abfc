"""`bert-lab tokenize`: the JSON contract, offsets into the typed text, and special tokens."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("built_store")


def test_all_three_tokenizers(cli) -> None:
    text = "how are you today? naïve 🙂"
    r = cli("tokenize", text, "--tokenizer", "all", "--json")
    assert r.code == 0, r.err
    results = {x["tokenizer"]: x for x in r.json()["results"]}
    assert list(results) == ["wordpiece", "bpe", "sentencepiece"]
    assert {k: v["model"] for k, v in results.items()} == {
        "wordpiece": "bert-base-uncased",
        "bpe": "gpt2",
        "sentencepiece": "llama-2",
    }
    for res in results.values():
        assert set(res) == {"tokenizer", "model", "tokens", "ids", "offsets"}
        assert len(res["tokens"]) == len(res["ids"]) == len(res["offsets"])
        assert all(0 <= s <= e <= len(text) for s, e in res["offsets"])
    wp = results["wordpiece"]
    assert wp["tokens"][:5] == ["how", "are", "you", "today", "?"]
    assert [text[s:e] for s, e in wp["offsets"][:3]] == ["how", "are", "you"]
    assert results["bpe"]["ids"][:4] == [4919, 389, 345, 1909]  # GPT-2: how ' are' ' you' ' today'
    assert "[CLS]" not in wp["tokens"]


def test_special_tokens_on_request(cli) -> None:
    r = cli("tokenize", "hello world", "--tokenizer", "wordpiece", "--special", "--json")
    tokens = r.json()["results"][0]["tokens"]
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    r = cli("tokenize", "hello world", "--tokenizer", "sentencepiece", "--special", "--json")
    assert r.json()["results"][0]["ids"][0] == 1  # <s>


def test_plain_output_and_unknown_tokenizer(cli) -> None:
    r = cli("tokenize", "tokenization", "--tokenizer", "wordpiece")
    assert r.code == 0 and "token | ##ization" in r.out
    with pytest.raises(SystemExit) as exc:
        cli("tokenize", "x", "--tokenizer", "nope")
    assert exc.value.code == 2


def test_empty_text_gives_no_tokens(cli) -> None:
    r = cli("tokenize", "", "--json")
    assert r.code == 0
    assert all(x["ids"] == [] for x in r.json()["results"])
