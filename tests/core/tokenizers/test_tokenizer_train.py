"""Train your own: sizes, validation, the sentence's cut, and the built-in sample text."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_app.core.errors import UserError
from lab_app.core.tokenizers.stats import Cancelled
from lab_app.core.tokenizers.train import (
    MAX_VOCAB,
    check_vocab_size,
    minimum_vocab_size,
    sample_training_text,
    train_tokenizers,
    training_text_from_file,
)

SMALL = (
    "the cat sat on the mat. the dog sat on the log. cats and dogs sit on mats and logs.\n"
    "tokenization splits text into tokens; tokenizers learn their vocabulary from text.\n"
) * 5


def _always(done: int, total: int) -> bool:
    return True


def test_sample_text_is_the_labs_own() -> None:
    text = sample_training_text()
    assert "How a language model reads a sentence" in text
    assert "What time does the library open tomorrow?" in text
    assert minimum_vocab_size(text) == 257  # English: the 256 bytes + <|endoftext|> dominate


@pytest.mark.parametrize("size", [0, -5, 10_000_000, MAX_VOCAB + 1, 100, 256])
def test_bad_vocab_sizes_say_what_works(size: int) -> None:
    with pytest.raises(UserError, match="257") as info:
        check_vocab_size(size, SMALL)
    assert f"{size:,}" in str(info.value)


def test_alphabet_larger_than_the_bytes() -> None:
    text = "".join(chr(0x4E00 + i) for i in range(400)) + " 東京"
    low = minimum_vocab_size(text)
    assert low == 401 + 2  # 401 different characters (京 is among the 400), ▁ and <unk>
    with pytest.raises(UserError, match="smaller than the alphabet"):
        check_vocab_size(low - 1, text)
    trained = train_tokenizers(_always, text, low, "東京")
    assert all(len(v) >= low for v in trained.vocabularies)


def test_train_three_on_a_small_text() -> None:
    ticks: list[tuple[int, int]] = []

    def report(done: int, total: int) -> bool:
        ticks.append((done, total))
        return True

    sentence = "the cats sat on 🙂 mats"
    res = train_tokenizers(report, SMALL, 300, sentence, source="small")
    assert ticks == [(0, 3), (1, 3), (2, 3), (3, 3)]
    names = [t.name for t in res.tokenizers]
    assert names == ["wordpiece", "bpe", "sentencepiece"]
    assert [t.algorithm for t in res.tokenizers] == [
        "WordPiece", "BPE (byte-level)", "Unigram (SentencePiece)",
    ]  # fmt: skip
    wp, bpe, uni = res.vocabularies
    assert len(bpe) == 300  # 256 bytes + <|endoftext|> + 43 merges
    assert bpe[0] == "<|endoftext|>" and len(set(bpe[1:257])) == 256
    assert wp[:5] == ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
    assert uni[0] == "<unk>"
    assert len(wp) <= 300 and len(uni) <= 300
    assert res.vocab_size == 300 and res.source == "small"
    for tok, cut, vocab in zip(res.tokenizers, res.cuts, res.vocabularies, strict=True):
        enc = tok.tokenizer.encode(sentence)
        assert cut.ids == enc.ids
        assert all(
            vocab[i] == t for i, t in zip(cut.ids, cut.tokens, strict=True) if i != tok.unk_id
        )
    assert "[UNK]" in res.cuts[0].tokens  # WordPiece never saw 🙂
    assert res.cuts[1].tokens[-1] == "Ġmats" or "Ġm" in "".join(res.cuts[1].tokens)
    assert res.tokenizers[2].unk_id == 0 and 0 in res.cuts[2].ids  # Unigram: 🙂 is <unk>
    # a too-large request is noted, never an error
    assert any("too short" in n for n in train_tokenizers(_always, SMALL, 5000).notes)


def test_trained_bpe_beats_bytes_on_its_own_text() -> None:
    small = train_tokenizers(_always, SMALL, 257, "tokenization")
    large = train_tokenizers(_always, SMALL, 600, "tokenization")
    assert len(small.cuts[1].tokens) == len("tokenization")  # no merges: one byte each
    assert len(large.cuts[1].tokens) < len(small.cuts[1].tokens)


def test_train_cancels() -> None:
    with pytest.raises(Cancelled):
        train_tokenizers(lambda d, t: d < 1, SMALL, 300)


def test_empty_text_is_refused() -> None:
    with pytest.raises(UserError, match="empty"):
        train_tokenizers(_always, "  \n", 300)


def test_training_text_from_files(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("Zoë says hi\u200d👋\n", encoding="utf-8")
    assert training_text_from_file(txt) == "Zoë says hi\u200d👋\n"
    table = tmp_path / "b.csv"
    table.write_text("text,intent\nhello there,greet\nbye now,bye\n", encoding="utf-8")
    assert training_text_from_file(table) == "hello there\nbye now\n"
    bad = tmp_path / "c.txt"
    bad.write_bytes(b"\xff\xfe\xfa not utf-8 \xc3")
    with pytest.raises(UserError, match="UTF"):
        training_text_from_file(bad)
