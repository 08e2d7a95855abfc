"""Train your own: WordPiece, byte-level BPE and Unigram learned from the same text.

With the real tokenizers, algorithm, training data and vocabulary size all differ at once. Here
the student fixes the text and the size, so only the algorithm differs. Each tokenizer is set up
the way its famous user has it: WordPiece as BERT (lower-cased, ``##`` continuations), BPE as
GPT-2 (byte-level, 256 bytes to start from), Unigram as SentencePiece (``▁`` for spaces, Kudo's
default algorithm).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from lab_app.core.errors import UserError
from lab_app.core.progress import Progress
from lab_app.core.resources import resources_dir
from lab_app.core.tokenizers.corpus import read_text_file
from lab_app.core.tokenizers.stats import Cancelled, LabTokenizer, lab_tokenizer
from lab_app.core.tokenizers.tokenize import TokenizeResult

#: Real vocabularies reach about 256,000 entries (Gemma); far beyond is a typing slip.
MAX_VOCAB = 500_000
#: Training reads at most this much text, so a big file still trains in seconds.
MAX_TRAIN_CHARS = 2_000_000
BYTE_ALPHABET = 256
WORDPIECE_SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
BPE_SPECIALS = ["<|endoftext|>"]
UNIGRAM_SPECIALS = ["<unk>"]
SAMPLE_NAME = "built-in sample"


def sample_training_text() -> str:
    """The lab's own text: the short passage on tokenization and the help-desk chatbot's texts."""
    base = resources_dir()
    passage = (base / "texts" / "tokenizers_sample.txt").read_text(encoding="utf-8")
    with (base / "datasets" / "helpdesk_chatbot.csv").open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    return passage.strip() + "\n" + "\n".join(texts) + "\n"


def training_text_from_file(path: Path) -> str:
    """A .csv/.tsv of utterances gives its text column; any other file is read as plain text."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv", ".json", ".yml", ".yaml"):
        from lab_app.core.io.text_input import read_utterances

        return "\n".join(read_utterances(path).texts) + "\n"
    return read_text_file(path)


def alphabet(text: str) -> set[str]:
    """The characters a vocabulary must hold to spell every word of ``text``."""
    return {c for c in text if not c.isspace()}


def minimum_vocab_size(text: str) -> int:
    """The smallest size all three trainers accept: byte-level BPE needs its 256 bytes (+ one
    special token), Unigram every character, ``▁`` and ``<unk>``."""
    return max(BYTE_ALPHABET + len(BPE_SPECIALS), len(alphabet(text)) + 1 + len(UNIGRAM_SPECIALS))


def check_vocab_size(vocab_size: int, text: str) -> None:
    """Refuse sizes that cannot work, with the size range that would."""
    low = minimum_vocab_size(text)
    if vocab_size < 1:
        raise UserError(
            f"A vocabulary of {vocab_size:,} entries holds nothing; choose between {low:,} "
            f"and {MAX_VOCAB:,} (try 1,000)."
        )
    if vocab_size > MAX_VOCAB:
        raise UserError(
            f"{vocab_size:,} entries is far more than any real tokenizer has (the largest have "
            f"about 256,000); choose between {low:,} and {MAX_VOCAB:,} (try 1,000)."
        )
    if vocab_size < low:
        chars = len(alphabet(text))
        raise UserError(
            f"{vocab_size:,} is smaller than the alphabet: byte-level BPE starts from "
            f"{BYTE_ALPHABET} bytes and this text has {chars:,} different characters, so every "
            f"vocabulary needs at least {low:,} entries (try 1,000)."
        )


def _lines(text: str) -> Iterator[str]:
    return (line for line in io.StringIO(text) if line.strip())


def _wordpiece(text: str, vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=WORDPIECE_SPECIALS, show_progress=False
    )
    tok.train_from_iterator(_lines(text), trainer)
    return tok


def _bpe(text: str, vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=BPE_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(_lines(text), trainer)
    return tok


def _unigram(text: str, vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=UNIGRAM_SPECIALS,
        unk_token="<unk>",
        show_progress=False,
    )
    tok.train_from_iterator(_lines(text), trainer)
    return tok


_RECIPES = (
    ("wordpiece", "WordPiece", _wordpiece),
    ("bpe", "BPE (byte-level)", _bpe),
    ("sentencepiece", "Unigram (SentencePiece)", _unigram),
)


@dataclass(frozen=True, eq=False)
class TrainedTokenizers:
    """The three trained tokenizers, their vocabularies in id order, and the sentence's cuts.

    Id order is learning order for BPE and WordPiece (alphabet first, then each merge), and
    most-probable-first for Unigram.
    """

    tokenizers: list[LabTokenizer]
    vocabularies: list[list[str]]
    cuts: list[TokenizeResult]
    vocab_size: int
    source: str
    notes: list[str]


def vocabulary(tok: Tokenizer) -> list[str]:
    by_id = {i: t for t, i in tok.get_vocab(with_added_tokens=True).items()}
    return [by_id[i] for i in sorted(by_id)]


def train_tokenizers(
    report: Progress, text: str, vocab_size: int, sentence: str = "", source: str = SAMPLE_NAME
) -> TrainedTokenizers:
    """Train the three algorithms on ``text`` (each one is a progress tick and cancel point)."""
    notes: list[str] = []
    if not text.strip():
        raise UserError("The training text is empty; pick the built-in sample or a text file.")
    if len(text) > MAX_TRAIN_CHARS:
        notes.append(f"Trained on the first {MAX_TRAIN_CHARS:,} of {len(text):,} characters.")
        text = text[:MAX_TRAIN_CHARS]
    check_vocab_size(vocab_size, text)
    model = f"trained · {vocab_size:,}"
    trained: list[LabTokenizer] = []
    for i, (name, algorithm, recipe) in enumerate(_RECIPES):
        if not report(i, len(_RECIPES)):
            raise Cancelled()
        tok = recipe(text, vocab_size)
        trained.append(lab_tokenizer(tok, name=name, algorithm=algorithm, model=model))
        got = tok.get_vocab_size(with_added_tokens=True)
        if got < vocab_size:
            notes.append(
                f"{algorithm} learned {got:,} entries, not {vocab_size:,}: the text is too "
                "short for more. A longer text gives a larger vocabulary."
            )
        elif got > vocab_size:
            notes.append(
                f"{algorithm} kept {got:,} entries: its alphabet alone is larger than "
                f"{vocab_size:,}."
            )
    report(len(_RECIPES), len(_RECIPES))
    return TrainedTokenizers(
        tokenizers=trained,
        vocabularies=[vocabulary(t.tokenizer) for t in trained],
        cuts=[t.cut(sentence) for t in trained],
        vocab_size=vocab_size,
        source=source,
        notes=notes,
    )
