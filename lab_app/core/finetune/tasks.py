"""The four set-ups of the BERT paper's Figure 4 as data a fine-tuning run trains on.

- ``classify`` (4b): one label per text, from a pooled vector — :mod:`methods`;
- ``pair`` (4a): one label per pair ``[CLS] A [SEP] B [SEP]`` (token types 0 and 1), from the
  pooled vector: paraphrase identification, next-sentence prediction;
- ``qa`` (4c): a start and an end over the passage's tokens, the question and the passage as a
  pair, a long passage cut into overlapping windows;
- ``tag`` (4d): one label per word, read from the word's first WordPiece piece.

:func:`prepare` turns a task's data into what the trainer takes — the head, the token ids, the
seeded split and each row's targets — so :mod:`task_run` trains all of them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.finetune.data import Split, Tokens, from_encodings, make_split, random_split
from lab_app.core.finetune.head import Pooling, SequenceClassification
from lab_app.core.finetune.task_head import TaskHead
from lab_app.core.io.pair_formats import PairData

TaskName = Literal["classify", "tag", "qa", "pair"]
TASKS: tuple[TaskName, ...] = ("classify", "tag", "qa", "pair")
TASK_LABELS: dict[str, str] = {
    "classify": "Classify a text (Fig. 4b)",
    "pair": "Judge a sentence pair (Fig. 4a)",
    "qa": "Answer from a passage (Fig. 4c)",
    "tag": "Tag entities (Fig. 4d)",
}
TASK_SHORT: dict[str, str] = {  # the window's choice; TASK_LABELS are its tooltips
    "classify": "Classify (4b)",
    "pair": "Pair (4a)",
    "qa": "Answer (4c)",
    "tag": "Tag (4d)",
}
TASK_FORMATS: dict[str, str] = {
    "classify": "CSV/TSV with text and label columns, intents.json or nlu.yml",
    "pair": "TSV: a<TAB>b<TAB>label per line",
    "qa": "SQuAD v1.1 JSON",
    "tag": "CoNLL columns (token … tag) or inline marks [Maria](PER)",
}
# Positions per row: a tagged sentence or a pair is short; a QA window holds question + passage
# (its length and stride: lab_app.core.taskmodels.squad.qa_window, which the task models use too).
TAG_TOKENS = 128
PAIR_TOKENS = 128


@dataclass(frozen=True, eq=False)
class Prepared:
    """A task ready to train: its head, each row's tokens and targets (``split.y``), the split
    (rows of the same sentence, pair or passage are always on one side) and notes."""

    task: TaskName
    head: TaskHead
    tokens: Tokens
    split: Split
    train_examples: int
    test_examples: int
    notes: tuple[str, ...] = ()


def prepare_pairs(
    data: PairData,
    tokenizer: object,
    pooling: Pooling,
    test_size: float,
    seed: int,
    max_positions: int = 512,
) -> Prepared:
    """Pairs split by their first text: pairs that share an A (an NSP sample's IsNext and
    NotNext of one sentence) are on one side, so the held-out figure is not flattered."""
    from lab_app.core.finetune.data import tokenize

    make_split(data.labels, test_size, seed, noun="label")  # its checks: two labels, enough
    firsts = {a: i for i, a in enumerate(dict.fromkeys(data.first))}
    train, test = random_split([firsts[a] for a in data.first], test_size, seed)
    classes = tuple(sorted(set(data.labels)))
    y = np.array([classes.index(label) for label in data.labels], dtype=np.int64)
    missing = [c for i, c in enumerate(classes) if not (y[train] == i).any()]
    if missing:
        raise UserError(
            f"no training pair is labelled '{missing[0]}' once the held-out pairs are set "
            "aside; add pairs with that label or hold out less"
        )
    split = Split(classes, y, train, test)
    limit = min(PAIR_TOKENS, max_positions)
    tokens = tokenize(tokenizer, list(zip(data.first, data.second, strict=True)), limit)
    head = SequenceClassification(pooling, len(split.classes))
    notes = list(data.notes)
    if tokens.truncated:
        notes.append(f"{tokens.truncated} pairs cut to {limit} tokens")
    return Prepared("pair", head, tokens, split, len(split.train), len(split.test), tuple(notes))


def prepare_tags(
    data: object, tokenizer: object, test_size: float, seed: int, max_positions: int = 512
) -> Prepared:
    from lab_app.core.finetune.tagging import TokenTagging, align_labels, encode_words
    from lab_app.core.io.tag_formats import TaggedData
    from lab_app.core.taskmodels.iob import tag_names

    assert isinstance(data, TaggedData)
    tags = tag_names(data.types)
    index = {t: i for i, t in enumerate(tags)}
    limit = min(TAG_TOKENS, max_positions)
    encodings = encode_words(tokenizer, [s.words for s in data.sentences], limit)
    targets = np.empty(len(encodings), dtype=object)
    for row, (sentence, enc) in enumerate(zip(data.sentences, encodings, strict=True)):
        targets[row] = align_labels(enc.word_ids, [index[t] for t in sentence.tags])
    train, test = random_split(np.arange(len(encodings)), test_size, seed)
    split = Split(tags, targets, train, test)
    tokens = from_encodings(encodings)
    notes = list(data.notes)
    if tokens.truncated:
        notes.append(
            f"{tokens.truncated} sentences cut to {limit} tokens: their last words are "
            "neither trained on nor scored"
        )
    return Prepared("tag", TokenTagging(tags), tokens, split, len(train), len(test), tuple(notes))


def prepare_qa(
    data: object, tokenizer: object, test_size: float, seed: int, max_positions: int = 512
) -> Prepared:
    from lab_app.core.finetune.span import SpanExtraction
    from lab_app.core.taskmodels.squad import QaData, make_windows, qa_window

    assert isinstance(data, QaData)
    examples = [e for e in data.examples if e.answers]
    if len(examples) < 2:
        raise UserError("training needs at least two questions with an answer in their passage")
    max_len, stride = qa_window(max_positions)
    windows = make_windows(tokenizer, examples, max_len=max_len, stride=stride)
    passages = {c: i for i, c in enumerate(dict.fromkeys(e.context for e in examples))}
    groups = [passages[examples[w.example].context] for w in windows]
    if len(passages) < 2:
        raise UserError(
            "all the questions are about one passage: add a second passage, so that one can be "
            "held out"
        )
    train, test = random_split(groups, test_size, seed)
    targets = np.array([(w.start, w.end) for w in windows], dtype=np.int64).reshape(-1, 2)
    split = Split(("start", "end"), targets, train, test)
    tokens = Tokens(
        tuple(np.asarray(w.ids, dtype=np.int64) for w in windows),
        tuple(np.asarray(w.types, dtype=np.int64) for w in windows),
        0,
    )
    head = SpanExtraction(windows, examples)
    asked = {int(windows[r].example) for r in test}
    notes = list(data.notes) + list(windows.notes)
    if len(windows) > len(examples):
        notes.append(
            f"{len(windows) - len(examples)} extra windows: passages over {max_len} tokens are "
            f"read in overlapping windows (stride {stride})"
        )
    return Prepared("qa", head, tokens, split, len(examples) - len(asked), len(asked), tuple(notes))


def prepare(
    task: TaskName,
    data: object,
    tokenizer: object,
    pooling: Pooling,
    test_size: float,
    seed: int,
    max_positions: int = 512,
) -> Prepared:
    """The head, tokens and split of ``task`` on ``data`` (the reader's result for that task),
    every row cut to fit ``max_positions``."""
    if task == "pair":
        assert isinstance(data, PairData)
        return prepare_pairs(data, tokenizer, pooling, test_size, seed, max_positions)
    if task == "tag":
        return prepare_tags(data, tokenizer, test_size, seed, max_positions)
    if task == "qa":
        return prepare_qa(data, tokenizer, test_size, seed, max_positions)
    raise ValueError(f"{task} is trained by methods.finetune")


SAMPLES: dict[str, tuple[str, str]] = {
    "tag": ("ner_sample.conll", "entity-tagging sample"),
    "qa": ("qa_sample.json", "question-answering sample"),
    "pair": ("pairs_sample.tsv", "paraphrase-pairs sample"),
}


def sample_path(task: TaskName) -> Path:
    """The task's built-in sample (``resources/datasets/``), written for BERT Lab."""
    from lab_app.core.io.text_input import sample_dataset_path

    if task == "classify":
        return sample_dataset_path()
    return sample_dataset_path().with_name(SAMPLES[task][0])


def read_task_data(task: TaskName, path: Path | None, scheme: str = "iob2") -> tuple[object, str]:
    """``task``'s data from ``path`` (only ever read), or its built-in sample for None; and the
    name to show for it. ``scheme`` is the tag file's (``iob1`` files are converted)."""
    source = path or sample_path(task)
    name = source.name if path is not None else SAMPLES.get(task, ("", "help-desk sample"))[1]
    if task == "tag":
        from lab_app.core.io.tag_formats import read_tagged

        return read_tagged(source, scheme=scheme), name
    if task == "qa":
        from lab_app.core.taskmodels.squad import read_squad

        return read_squad(source), name
    if task == "pair":
        from lab_app.core.io.pair_formats import read_pairs

        return read_pairs(source), name
    from lab_app.core.io.text_input import read_utterances

    return read_utterances(source), name
