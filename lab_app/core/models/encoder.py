"""A store model ready to run: its ONNX Runtime session and its tokenizer, created once.

Creating a session takes a while (half a second for an 87 MB graph), so callers build an
``Encoder`` once, behind a "loading…" state, and reuse it. From a file ONNX Runtime releases the
GIL while it loads (measured: the GUI thread never waits more than ~15 ms); from an in-memory
``ModelProto`` the protobuf work holds it for as long as it takes. The session is complete after
``__init__``; it is fed only the inputs the graph declares.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import onnxruntime as ort

from lab_app.core.errors import StoreError
from lab_app.core.models.bert_config import ATTENTIONS_FLAG
from lab_app.core.models.store import REPAIR_HINT, Entry
from lab_app.core.models.tokenizer_cache import plain_tokenizer

if TYPE_CHECKING:  # importing onnx holds the GIL for ~1 s: never on a run path
    import onnx


@dataclass(frozen=True)
class TokenBatch:
    """Padded model inputs for a batch of texts, and which texts had to be cut short."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray
    truncated: tuple[bool, ...]

    @property
    def lengths(self) -> np.ndarray:
        return self.attention_mask.sum(axis=1)


def session_options(threads: int | None = None) -> ort.SessionOptions:
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Errors only: ORT warns at every load that the graphs' output_attentions flag (an input
    # with a default) is not folded as a constant, which is the point of it.
    opts.log_severity_level = 3
    # Idle worker threads sleep instead of spinning between runs: on a two-core laptop the spin
    # took the core the window needs (and the battery) for a while after every batch.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
    return opts


@contextmanager
def loading(entry: Entry) -> Iterator[None]:
    """Turn whatever a damaged file makes ONNX Runtime, tokenizers or numpy raise into one
    :class:`StoreError` that names the model and says how to repair it."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:  # onnxruntime raises its own unexported exception types
        raise StoreError(f"model '{entry.name}' cannot be loaded ({exc}); {REPAIR_HINT}") from exc


def open_session(source: str | bytes, threads: int | None) -> ort.InferenceSession:
    return ort.InferenceSession(
        source, session_options(threads), providers=["CPUExecutionProvider"]
    )


@lru_cache(maxsize=3)
def shared_encoder(store: str | None, name: str, user: str) -> Encoder:
    """The store model ``name`` opened once for ``user`` (a tab whose jobs run one at a time:
    Inside, Fill-mask's NSP page). Creating a session takes a while; users do not share one,
    because tokenizing sets the tokenizer's truncation for the call."""
    from lab_app.core.models.store import open_store

    return Encoder(open_store(store).model(name))


class Encoder:
    """Runs one store model. Pass ``model`` to run modified weights without touching the store."""

    def __init__(
        self,
        entry: Entry,
        *,
        threads: int | None = None,
        model: onnx.ModelProto | None = None,
        graph_file: Path | None = None,
    ) -> None:
        """``model`` runs an in-memory graph; ``graph_file`` another graph file of the same model
        (a derived one, such as fill-mask's). Loading from a file lets ONNX Runtime release the
        GIL; serialising a ``ModelProto`` does not, so the window stutters for large models."""
        self.entry = entry
        self.manifest = entry.manifest
        if self.manifest.is_decoder:
            raise StoreError(
                f"'{entry.name}' is a {self.manifest.family} decoder: it generates text "
                "(`bert-lab generate`), it does not embed or fill masks; choose a BERT-family model"
            )
        source: str | bytes
        if model is not None:
            source = model.SerializeToString()
        else:
            source = str(graph_file if graph_file is not None else entry.file("model.onnx"))
        with loading(entry):
            self.session = open_session(source, threads)
            self.tokenizer = plain_tokenizer(entry.file("tokenizer.json"))
        self.input_names = frozenset(i.name for i in self.session.get_inputs())
        self.output_names = tuple(o.name for o in self.session.get_outputs())
        self.max_positions = int(self.manifest.max_positions or 512)
        self.num_layers = int(self.manifest.layers or 0)
        self.hidden_size = int(self.manifest.hidden_size or 0)

    @property
    def name(self) -> str:
        return self.manifest.name

    def tokenize(self, texts: Sequence[str], max_length: int | None = None) -> TokenBatch:
        """Tokenize with the model's special tokens, truncating to ``max_length`` positions."""
        limit = min(max_length or self.max_positions, self.max_positions)
        self.tokenizer.enable_truncation(max_length=limit)
        try:
            encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=True)
        finally:
            self.tokenizer.no_truncation()
        return self.tokenize_encodings(encodings)

    @staticmethod
    def tokenize_encodings(encodings: Sequence[Any]) -> TokenBatch:
        """Pad ``tokenizers`` encodings (a sentence pair's too) into one batch."""
        width = max((len(e.ids) for e in encodings), default=0)
        n = len(encodings)
        ids = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        types = np.zeros((n, width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            k = len(enc.ids)
            ids[row, :k] = enc.ids
            mask[row, :k] = 1
            types[row, :k] = enc.type_ids
        truncated = tuple(bool(e.overflowing) for e in encodings)
        return TokenBatch(ids, mask, types, truncated)

    def run(self, batch: TokenBatch, outputs: Sequence[str]) -> dict[str, np.ndarray]:
        """Run the graph for the named outputs only (ONNX Runtime skips what they don't need)."""
        feed = {
            "input_ids": batch.input_ids,
            "attention_mask": batch.attention_mask,
            "token_type_ids": batch.token_type_ids,
        }
        feed = {k: v for k, v in feed.items() if k in self.input_names}
        missing = [o for o in outputs if o not in self.output_names]
        if missing:
            hint = (
                "; it was built before BERT Lab's graphs had attention outputs: "
                f"{REPAIR_HINT}, or import it again"
                if missing == ["attentions"]
                else ""
            )
            raise StoreError(f"model '{self.name}' has no output {', '.join(missing)}{hint}")
        if "attentions" in outputs:
            feed[ATTENTIONS_FLAG] = np.array(True)  # the graph stacks them only when asked
        values = self.session.run(list(outputs), feed)
        return dict(zip(outputs, values, strict=True))
