"""The built-in task models (bert-lab-ner, bert-lab-qa, bert-lab-nsp): each built graph equals the
numpy forward of its shipped weights on bert-lab-mlm's hidden states, its manifest says its task
and labels, and its card (README) quotes the figures its build records."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import Batch, NumpyBert
from lab_app.core.finetune.head import Pooling, SequenceClassification
from lab_app.core.finetune.span import SpanExtraction
from lab_app.core.finetune.tagging import TokenTagging
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.models.build.builtin_tasks import available_tasks, task_weights
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import ModelStore
from lab_app.core.resources import models_dir
from lab_app.core.taskmodels.task_model import TaskModel

TASKS = {"bert-lab-ner": "tag", "bert-lab-qa": "qa", "bert-lab-nsp": "pair"}
pytestmark = pytest.mark.skipif(
    sorted(available_tasks()) != sorted(TASKS), reason="the task models' weights are not trained"
)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_the_graph_equals_the_numpy_forward_of_the_shipped_weights(
    built_store_dir: Path, name: str
) -> None:
    from safetensors.numpy import load_file

    store = ModelStore(built_store_dir)
    entry = store.model(name)
    assert entry.manifest.task == TASKS[name] and entry.manifest.purpose == TASKS[name]
    assert entry.file("model.onnx").stat().st_size < 16e6  # the delta, not a whole encoder
    model = TaskModel(store, entry)
    card = json.loads(task_weights(name).with_suffix(".json").read_text(encoding="utf-8"))
    weights = {k: v.astype(np.float32) for k, v in load_file(str(task_weights(name))).items()}
    config = EncoderConfig.from_dict(card["config"])
    encodings = model.encode(
        [["Maria", "flew", "to", "Madrid"], ["Kofi", "works", "for", "UNESCO", "in", "Lagos"]]
    ) if TASKS[name] == "tag" else model.encode(
        ["Where did Maria fly?", "The man went to the store."],
        ["Maria flew to Madrid last May.", "Penguins are flightless birds."],
    )  # fmt: skip
    batch = Encoder.tokenize_encodings(encodings)
    base = model.base
    assert base is not None and base.name == "bert-lab-mlm"
    hidden_in = base.run(batch, ["hidden_states"])["hidden_states"][card["from_layer"]]
    b = Batch(batch.input_ids, batch.attention_mask, batch.token_type_ids)
    hidden, _ = NumpyBert(config, weights).forward(b, card["from_layer"], hidden_in, keep=False)
    head = {
        "tag": lambda: TokenTagging(tuple(card["labels"])),
        "qa": lambda: SpanExtraction([], []),
        "pair": lambda: SequenceClassification(Pooling("cls"), len(card["labels"])),
    }[TASKS[name]]()
    ref, _ = head.forward(weights, hidden, b)
    ours = model.run(batch)
    keep = batch.attention_mask.astype(bool)
    if TASKS[name] == "pair":
        np.testing.assert_allclose(ours, ref, atol=1e-3, rtol=1e-3)
    else:
        np.testing.assert_allclose(ours[keep], ref[keep], atol=1e-3, rtol=1e-3)


def test_the_card_quotes_what_the_builds_record(built_store_dir: Path) -> None:
    readme = (models_dir() / "bert-lab-tasks" / "README.md").read_text(encoding="utf-8")
    store = ModelStore(built_store_dir)
    for name in TASKS:
        card = store.model(name).manifest.extra["card"]
        assert card["quality"] in store.model(name).manifest.description
        for figures in card["test"].values():
            for key in ("entity_f1", "f1", "exact_match", "accuracy"):
                if key in figures:
                    assert f"{figures[key]:.3f}" in readme, (name, key)


def test_a_second_build_keeps_them(built_store_dir: Path, artifact_cache: Path) -> None:
    from lab_app.core.models.build.builtin_build import build_builtins

    report = build_builtins(ModelStore(built_store_dir), artifact_cache)
    assert set(TASKS) <= set(report.skipped) and not report.built, report
