"""Run a task model from the store: token ids in, the head's ``scores`` out.

A task model's manifest says its ``task`` (``tag``, ``qa``, ``pair``, ``classify``), its label
names, and where its graph starts (``extra.task_graph``): from token ids, or — for a model that
fine-tuning changed only at the top — from the hidden state entering layer ``from_layer`` of a
*base* model in the same store, which then runs first (the Fill-mask, Embeddings and Inside labs
share its session). The manifest also records the base graph's sha256: a base rebuilt with other
weights would feed the top layers states they were never trained on, so it is refused with a way
out rather than answering wrongly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.errors import StoreError
from lab_app.core.models.encoder import Encoder, TokenBatch, loading, open_session
from lab_app.core.models.sessions import shared_session
from lab_app.core.models.store import REPAIR_HINT, Entry, ModelStore
from lab_app.core.models.tokenizer_cache import plain_tokenizer

TASK_MODEL_TASKS = frozenset({"tag", "qa", "pair", "classify"})


def encode(
    tokenizer: Any, limit: int, first: Sequence[Any], second: Sequence[str] | None = None
) -> list[Any]:
    """Encodings with special tokens, cut to ``limit`` positions as the trainer cuts them (the
    longer side of a pair first; ``[SEP]`` kept): texts, ``(a, b)`` pairs when ``second`` is
    given, or pre-split word lists when ``first`` holds lists. An encoding that was cut has
    ``overflowing`` pieces. ``tokenizer`` must be its caller's own (its truncation is set for
    the call)."""
    tokenizer.enable_truncation(max_length=limit)
    try:
        if first and isinstance(first[0], (list, tuple)) and second is None:
            words = [list(w) for w in first]
            return list(
                tokenizer.encode_batch(words, is_pretokenized=True, add_special_tokens=True)
            )
        items = list(zip(first, second, strict=True)) if second is not None else list(first)
        return list(tokenizer.encode_batch(items, add_special_tokens=True))
    finally:
        tokenizer.no_truncation()


@dataclass(frozen=True)
class GraphStart:
    """Where a task graph starts: ``from_layer`` 0 takes token ids; above 0, the hidden state
    entering that layer of ``base`` (whose ``model.onnx`` has sha256 ``base_sha256``)."""

    from_layer: int
    base: str | None
    base_sha256: str | None  # of the base's model.onnx (a model saved from the lab)
    base_delta_sha256: str | None  # of the base's trained delta (a built-in task model)
    pooling: str

    @classmethod
    def of(cls, entry: Entry) -> GraphStart:
        spec = entry.manifest.extra.get("task_graph") or {}
        try:
            return cls(
                int(spec.get("from_layer", 0)),
                spec.get("base"),
                spec.get("base_sha256"),
                spec.get("base_delta_sha256"),
                str(spec.get("pooling", "cls")),
            )
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"'{entry.name}' has a damaged task_graph ({exc}); {REPAIR_HINT}"
            ) from exc


class TaskModel:
    """One task model, ready to score token batches; create it on a worker thread."""

    def __init__(self, store: ModelStore, entry: Entry, *, threads: int | None = None) -> None:
        if not entry.manifest.is_task_model:
            raise StoreError(f"'{entry.name}' is an encoder, not a task model")
        self.entry = entry
        self.task = entry.manifest.task or ""
        if self.task not in TASK_MODEL_TASKS:
            raise StoreError(f"'{entry.name}' has an unknown task '{self.task}'; {REPAIR_HINT}")
        self.labels = tuple(str(x) for x in entry.manifest.labels)
        self.start = GraphStart.of(entry)
        self.base: Encoder | None = None
        if self.start.from_layer > 0:
            self.base = self._base(store)
        path = entry.file("model.onnx")
        with loading(entry):
            self.session = shared_session(path, threads, lambda: open_session(str(path), threads))
            self.tokenizer = plain_tokenizer(entry.file("tokenizer.json"))
        self.inputs = frozenset(i.name for i in self.session.get_inputs())
        self.max_positions = int(entry.manifest.max_positions or 512)

    @property
    def name(self) -> str:
        return self.entry.name

    def _base(self, store: ModelStore) -> Encoder:
        from lab_app.core.mlm.graph_cache import lab_encoder

        name = self.start.base or ""
        try:
            base = store.model(name)
        except StoreError as exc:
            raise StoreError(
                f"'{self.name}' runs on top of '{name}', which is not in the store ({exc})"
            ) from exc
        if self.start.base_delta_sha256 is not None and (
            base.manifest.source.get("delta_sha256") != self.start.base_delta_sha256
        ):  # a built-in task model: the tree's weights and the store's base disagree
            raise StoreError(
                f"'{self.name}' was trained on other weights of '{name}' than the store holds; "
                f"{REPAIR_HINT}"
            )
        if self.start.base_sha256 is not None and (
            base.manifest.files.get("model.onnx") != self.start.base_sha256
        ):  # a model saved from the lab: only training it again on this base can fix it
            raise StoreError(
                f"'{self.name}' was trained on another version of '{name}' (its model.onnx has "
                "changed since): fine-tune it again on this one and save it under a new name"
            )
        return lab_encoder(base)

    def encode(self, first: Sequence[Any], second: Sequence[str] | None = None) -> list[Any]:
        """Encodings of texts, ``(a, b)`` pairs or pre-split word lists (see :func:`encode`)."""
        return encode(self.tokenizer, self.max_positions, first, second)

    def scores(self, encodings: Sequence[Any]) -> np.ndarray:
        """The head's scores for a batch of encodings (padded here)."""
        batch = Encoder.tokenize_encodings(encodings)
        return self.run(batch)

    def run(self, batch: TokenBatch) -> np.ndarray:
        feed: dict[str, np.ndarray] = {"attention_mask": batch.attention_mask}
        if self.base is not None:
            states = self.base.run(batch, ["hidden_states"])["hidden_states"]
            feed["hidden_in"] = np.ascontiguousarray(states[self.start.from_layer])
        else:
            feed["input_ids"] = batch.input_ids
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = batch.token_type_ids
        (scores,) = self.session.run(["scores"], feed)
        return np.asarray(scores, dtype=np.float32)


def open_task_model(store: str | None, name: str) -> TaskModel:
    """Store entry ``name`` as a task model; ``store`` is the store's folder (None: the user's)."""
    from lab_app.core.models.store import open_store

    opened = open_store(store)
    return TaskModel(opened, opened.model(name))
