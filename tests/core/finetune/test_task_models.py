"""Tagging, QA and pairs end to end: a few steps of every method on bert-lab-mlm, the saved task
model's ONNX graph equals the numpy forward it was trained with, and it answers through
:mod:`lab_app.core.taskmodels.infer` with offsets into the user's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import NumpyBert
from lab_app.core.errors import StoreError, UserError
from lab_app.core.finetune.methods import FineTuneConfig
from lab_app.core.finetune.save import save_task_model
from lab_app.core.finetune.task_run import TaskResult, finetune_task
from lab_app.core.io.pair_formats import parse_pairs
from lab_app.core.io.tag_formats import parse_inline
from lab_app.core.models.store import ModelStore
from lab_app.core.taskmodels.infer import answer, pair, tag, word_spans
from lab_app.core.taskmodels.task_model import TaskModel

PEOPLE = ["Maria", "Ahmed", "Lena", "Kofi", "Yuki", "Pedro"]
PLACES = ["Madrid", "Berlin", "Lagos", "Osaka", "Lima", "Oslo"]
ORGS = ["Siemens", "UNESCO", "Toyota", "Oxfam"]


def tag_data() -> Any:
    lines = [
        f"[{p}](PER) flew from [{a}](LOC) to [{b}](LOC) for [{o}](ORG) ."
        for p, a, b, o in zip(PEOPLE * 4, PLACES * 4, PLACES[1:] * 5, ORGS * 6, strict=False)
    ]
    return parse_inline("\n".join(lines))


def qa_data() -> Any:
    from lab_app.core.taskmodels.squad import parse_squad

    paragraphs = []
    for i, (p, place) in enumerate(zip(PEOPLE, PLACES, strict=True)):
        context = f"{p} was born in {place} in {1950 + i}. {p} works as a teacher."
        qas = [
            {"id": f"{i}a", "question": f"Where was {p} born?",
             "answers": [{"text": place, "answer_start": context.index(place)}]},
            {"id": f"{i}b", "question": f"When was {p} born?",
             "answers": [{"text": str(1950 + i), "answer_start": context.index(str(1950 + i))}]},
        ]  # fmt: skip
        paragraphs.append({"context": context, "qas": qas})
    import json

    return parse_squad(json.dumps({"data": [{"title": "people", "paragraphs": paragraphs}]}))


def pair_data() -> Any:
    rows = [f"{p} lives in {c}.\t{p}'s home is {c}.\tparaphrase" for p in PEOPLE for c in PLACES]
    rows += [f"{p} lives in {c}.\t{p} likes tea.\tdifferent" for p in PEOPLE for c in PLACES]
    return parse_pairs("\n".join(rows))


DATA = {"tag": tag_data, "qa": qa_data, "pair": pair_data}
HEADLINE = {"tag": "entity_f1", "qa": "f1", "pair": "accuracy"}


def run(store: ModelStore, task: str, method: str, **kw: Any) -> TaskResult:
    kw.setdefault("model", "bert-lab-mlm")
    config = FineTuneConfig(method=method, epochs=1, batch_size=8, **kw)
    return finetune_task(store, task, DATA[task](), config)  # type: ignore[arg-type]


@pytest.fixture
def store(built_store_dir: Path, tmp_path: Path) -> ModelStore:
    """A fresh user store over the built one (read-only): saving never touches the cache."""
    return ModelStore(tmp_path / "store", [built_store_dir])


@pytest.mark.parametrize("task", ["tag", "qa", "pair"])
@pytest.mark.parametrize("method", ["features", "partial", "lora"])
def test_every_method_trains_every_task(store: ModelStore, task: str, method: str) -> None:
    result = run(store, task, method)
    out = result.to_json()
    assert out["task"] == task and out["method"] == method
    assert 0.0 <= out[HEADLINE[task]] <= 1.0 and np.isfinite(out["loss"])
    assert len(result.epochs) == 1 and result.trainable_params < result.total_params
    if task == "tag":
        assert {row.label for row in result.table} <= {"LOC", "ORG", "PER"}
    if task == "pair":
        assert "macro_f1" in out and [row.label for row in result.table] == [
            "different",
            "paraphrase",
        ]


def _numpy_scores(result: TaskResult, encodings: list[Any]) -> np.ndarray:
    """The trainer's own forward (numpy encoder + head) on the same token ids."""
    from lab_app.core.engine.bert_numpy import Batch
    from lab_app.core.finetune.head import Pooling, SequenceClassification
    from lab_app.core.finetune.span import SpanExtraction
    from lab_app.core.finetune.tagging import TokenTagging
    from lab_app.core.models.encoder import Encoder

    heads = {
        "tag": lambda: TokenTagging(result.labels),
        "qa": lambda: SpanExtraction([], []),
        "pair": lambda: SequenceClassification(
            Pooling(result.config.pooling or "cls"), len(result.labels)
        ),
    }
    t = Encoder.tokenize_encodings(encodings)
    batch = Batch(t.input_ids, t.attention_mask, t.token_type_ids)
    net = NumpyBert(result.encoder_config, result.params, lora_scale=result.lora_scale)
    hidden, _ = net.forward(batch, keep=False)
    scores, _ = heads[result.task]().forward(net.params, hidden, batch)
    return np.asarray(scores)


@pytest.mark.parametrize(
    ("task", "method", "pooling"),
    [
        ("tag", "partial", None),
        ("tag", "features", None),  # the graph is the head alone on the last layer
        ("tag", "full", None),  # every layer and the embeddings changed: from token ids
        ("pair", "partial", None),
        ("pair", "partial", "mean"),
        ("pair", "features", None),
        ("pair", "lora", None),
        ("qa", "features", None),
    ],
)
def test_the_saved_graph_equals_the_numpy_forward(
    store: ModelStore, task: str, method: str, pooling: str | None
) -> None:
    result = run(store, task, method, pooling=pooling)
    entry = save_task_model(store, f"my-{task}", result, "test data")
    assert entry.manifest.task == task and entry.manifest.outputs == ["scores"]
    graph = entry.manifest.extra["task_graph"]
    if method in ("lora", "full"):
        assert graph["from_layer"] == 0 and "base" not in graph
    else:  # only the top changed: a small graph on bert-lab-mlm's hidden states
        assert graph["base"] == "bert-lab-mlm" and graph["from_layer"] > 0
        assert entry.file("model.onnx").stat().st_size < 16e6
    model = TaskModel(store, entry)
    first = ["Maria flew to Madrid .", "Kofi works for UNESCO in Lagos ."]
    second = ["She took a plane .", "He likes tea ."]
    encodings = (
        model.encode(first, second) if task != "tag" else model.encode([s.split() for s in first])
    )
    ours = model.scores(encodings)
    ref = _numpy_scores(result, encodings)
    mask = Encoder_mask(encodings)
    if task == "pair":
        np.testing.assert_allclose(ours, ref, atol=2e-4, rtol=1e-3)
    else:
        np.testing.assert_allclose(ours[mask], ref[mask], atol=2e-4, rtol=1e-3)
    assert any(e.name == f"my-{task}" for e in store.task_models(task))
    assert all(e.name != f"my-{task}" for e in store.encoders())


def Encoder_mask(encodings: list[Any]) -> np.ndarray:
    width = max(len(e.ids) for e in encodings)
    return np.array([[i < len(e.ids) for i in range(width)] for e in encodings])


def test_saved_models_answer_with_offsets_into_the_text(store: ModelStore) -> None:
    for task in ("tag", "qa", "pair"):
        save_task_model(store, f"m-{task}", run(store, task, "partial"), "test data")
    text = "Yuki flew from Osaka to Lima 🌍 for Oxfam."
    tagged = tag(TaskModel(store, store.model("m-tag")), text)
    assert all(text[e.start : e.end] == e.text for e in tagged.entities)
    assert tagged.tokens[0] == "[CLS]" and len(tagged.words) == len(word_spans(text))
    context = "Lena was born in Oslo in 1952. Lena works as a teacher."
    found = answer(TaskModel(store, store.model("m-qa")), "Where was Lena born?", context, 3)
    assert context[found.start : found.end] == found.answer and len(found.candidates) == 3
    judged = pair(TaskModel(store, store.model("m-pair")), "Pedro lives in Lima.", "He likes tea.")
    assert set(judged.probs) == {"different", "paraphrase"}
    assert sum(judged.probs.values()) == pytest.approx(1.0, abs=1e-5)


def test_bad_input_is_refused(store: ModelStore) -> None:
    save_task_model(store, "m-pair", run(store, "pair", "features"), "test data")
    model = TaskModel(store, store.model("m-pair"))
    with pytest.raises(UserError, match="both"):
        pair(model, "a sentence", "  ")
    with pytest.raises(UserError, match="not a tagger"):
        tag(model, "Maria flew to Madrid.")
    with pytest.raises(UserError, match="already in the store"):
        save_task_model(store, "m-pair", run(store, "pair", "features"), "test data")
    with pytest.raises(UserError, match="two or more"):
        parse_pairs("a\tb\tsame\nc\td\tsame")
    with pytest.raises(UserError, match="line 2"):
        parse_pairs("a\tb\tx\nc\t\ty")
    with pytest.raises(UserError, match="--layer"):
        run(store, "tag", "features", layer=3)
    with pytest.raises(UserError, match="sbert is for classify"):
        run(store, "pair", "features", pooling="sbert", model="all-MiniLM-L6-v2")


def test_a_changed_base_is_refused(store: ModelStore, tmp_path: Path) -> None:
    import json
    import shutil

    entry = save_task_model(store, "m-tag", run(store, "tag", "partial"), "test data")
    data = json.loads(entry.file("manifest.json").read_text(encoding="utf-8"))
    data["extra"]["task_graph"]["base_sha256"] = "0" * 64
    copy = tmp_path / "other" / "models" / "m-tag"
    shutil.copytree(entry.path, copy)
    (copy / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    other = ModelStore(tmp_path / "other", store.read_only_roots)
    with pytest.raises(StoreError, match="another version"):
        TaskModel(other, other.model("m-tag"))


@pytest.mark.parametrize(("task", "size"), [("tag", 400), ("qa", 235), ("pair", 300)])
def test_the_built_in_samples_read(task: str, size: int) -> None:
    from lab_app.core.finetune.tasks import read_task_data

    data, name = read_task_data(task, None)  # type: ignore[arg-type]
    count = {"tag": lambda: len(data.sentences), "qa": lambda: len(data.examples),
             "pair": lambda: len(data)}[task]()  # type: ignore[attr-defined]  # fmt: skip
    assert count == size and "sample" in name


def test_pairs_sharing_a_first_text_stay_on_one_side(built_store_dir: Path) -> None:
    """The NSP sample asks IsNext and NotNext of one sentence A: both are held out, or neither."""
    from lab_app.core.finetune.head import Pooling
    from lab_app.core.finetune.tasks import prepare, read_task_data
    from lab_app.core.io.pair_formats import builtin_pairs
    from lab_app.core.models.tokenizer_cache import plain_tokenizer

    data, _ = read_task_data("pair", builtin_pairs("nsp"))
    tokenizer = plain_tokenizer(built_store_dir / "models" / "bert-lab-mlm" / "tokenizer.json")
    split = prepare("pair", data, tokenizer, Pooling("cls"), 0.2, 0).split
    train_a = {data.first[i] for i in split.train}  # type: ignore[attr-defined]
    assert not train_a & {data.first[i] for i in split.test}  # type: ignore[attr-defined]
    assert split.classes == ("IsNext", "NotNext") and 0.1 < len(split.test) / len(data) < 0.3  # type: ignore[arg-type]
