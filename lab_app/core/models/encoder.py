"""A store model ready to run: its ONNX Runtime session and its tokenizer, created once.

Creating a session takes a while (half a second for an 87 MB graph), so callers build an
``Encoder`` once, behind a "loading…" state, and reuse it. From a file ONNX Runtime releases the
GIL while it loads (measured: the GUI thread never waits more than ~15 ms); from an in-memory
``ModelProto`` the protobuf work holds it for as long as it takes. The session is complete after
``__init__``; it is fed only the inputs the graph declares.

A session read from a file is shared by every ``Encoder`` of that file while one lives
(:mod:`~lab_app.core.models.sessions`: 140 MB each for an 87 MB model); the tokenizer is each
encoder's own, because tokenizing sets its truncation for the call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import onnxruntime as ort

from lab_app.core.errors import StoreError
from lab_app.core.models.bert_config import ATTENTIONS_FLAG, MASK_POSITIONS
from lab_app.core.models.sessions import shared_session
from lab_app.core.models.store import REPAIR_HINT, Entry, verify_entry
from lab_app.core.models.tokenizer_cache import plain_tokenizer

if TYPE_CHECKING:  # importing onnx holds the GIL for ~1 s: never on a run path
    import onnx

T = TypeVar("T")


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


def session_options(
    threads: int | None = None, *, spin: bool = False, arena: bool = False
) -> ort.SessionOptions:
    """Options for a BERT Lab session: ``threads`` intra-op threads (None: ONNX Runtime's
    choice), worker threads that ``spin`` between nodes, and ONNX Runtime's memory ``arena``.

    The arena keeps the largest intermediates a session has ever made for as long as it lives:
    the SQuAD page's question-answering model held 345 MB more after one run that way, and
    nothing after it without one, in the same time (embedding 1,000 sentences is about 2%
    slower). Only the decoder, whose ~700 small nodes a token do gain from it, keeps one."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Errors only: ORT warns at every load that the graphs' output_attentions flag (an input
    # with a default) is not folded as a constant, which is the point of it.
    opts.log_severity_level = 3
    opts.enable_cpu_mem_arena = arena
    # Idle worker threads sleep instead of spinning between runs: on a two-core laptop the spin
    # took the core the window needs (and the battery) for a while after every batch.
    # A command alone on the machine may let them spin (``spin``): the decoder's many small
    # nodes then wait less for a woken thread (a token 12.5 ms against 15 on two cores).
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
    return opts


@contextmanager
def loading(entry: Entry, *, verify: bool = False) -> Iterator[None]:
    """Turn whatever a damaged file makes ONNX Runtime, tokenizers or numpy raise into one
    :class:`StoreError` that names the model and says how to repair it.

    ``verify`` checks the entry's sha256s in a thread while the body loads (hashing releases the
    GIL, and so does ONNX Runtime for most of a session's creation): a command that opens one
    model saves the 80-90 ms a check before the load costs. A damaged file is reported by its
    name, whatever the load made of it."""
    checked = in_background(lambda: verify_entry(entry)) if verify else list
    try:
        yield
    except Exception as exc:  # onnxruntime raises its own unexported exception types
        if problems := checked():
            raise StoreError("; ".join(problems) + f" — {REPAIR_HINT}") from exc
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"model '{entry.name}' cannot be loaded ({exc}); {REPAIR_HINT}") from exc
    if problems := checked():
        raise StoreError("; ".join(problems) + f" — {REPAIR_HINT}")


def in_background(make: Callable[[], T]) -> Callable[[], T]:
    """Start ``make()`` on a thread of its own; the returned function waits for it and gives its
    result, or raises what it raised. Call it (a ``finally`` is the place) so that the thread is
    always joined."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = make()
        except BaseException as exc:  # handed to the caller, who joins
            box["error"] = exc

    thread = threading.Thread(target=run, name="bert-lab-load", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if "error" in box:
            raise box["error"]
        return cast(T, box["value"])

    return result


def open_session(
    source: str | bytes, threads: int | None, *, spin: bool = False, arena: bool = False
) -> ort.InferenceSession:
    return ort.InferenceSession(
        source,
        session_options(threads, spin=spin, arena=arena),
        providers=["CPUExecutionProvider"],
    )


class Encoder:
    """Runs one store model. Pass ``model`` to run modified weights without touching the store."""

    def __init__(
        self,
        entry: Entry,
        *,
        threads: int | None = None,
        model: onnx.ModelProto | None = None,
        graph_file: Path | None = None,
        verify: bool = False,
    ) -> None:
        """``model`` runs an in-memory graph; ``graph_file`` another graph file of the same model
        (a derived one, such as fill-mask's). Loading from a file lets ONNX Runtime release the
        GIL; serialising a ``ModelProto`` does not, so the window stutters for large models.
        ``verify`` checks the files' sha256s while they load (see :func:`loading`)."""
        self.entry = entry
        self.manifest = entry.manifest
        if self.manifest.is_decoder:
            raise StoreError(
                f"'{entry.name}' is a {self.manifest.family} decoder: it generates text "
                "(`bert-lab generate`), it does not embed or fill masks; choose a BERT-family model"
            )
        if self.manifest.is_task_model:
            raise StoreError(
                f"'{entry.name}' is a {self.manifest.task} model: its graph ends in a task head, "
                "not in hidden states; choose an encoder (`bert-lab models list`)"
            )
        #: The graph file the session runs (None: an in-memory graph, a session of its own).
        self.graph_file: Path | None = None
        with loading(entry, verify=verify):
            if model is not None:
                self.session = open_session(model.SerializeToString(), threads)
            else:
                path = graph_file if graph_file is not None else entry.file("model.onnx")
                self.session = shared_session(
                    path, threads, lambda: open_session(str(path), threads)
                )
                self.graph_file = path
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
        return self.tokenize_encodings(self.encode(texts, max_length))

    def encode(self, texts: Sequence[str], max_length: int | None = None) -> list[Any]:
        """The ``tokenizers`` encodings of ``texts`` (special tokens added, cut to
        ``max_length`` positions), unpadded: a caller that batches them by length pads less."""
        limit = min(max_length or self.max_positions, self.max_positions)
        self.tokenizer.enable_truncation(max_length=limit)
        try:
            return list(self.tokenizer.encode_batch(list(texts), add_special_tokens=True))
        finally:
            self.tokenizer.no_truncation()

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
        """Run the graph and return the named outputs. ONNX Runtime runs every node whatever is
        fetched: what an output costs is saved only behind an ``If`` (attentions) or in a
        derived graph (the MLM head, :mod:`~lab_app.core.mlm.graph_cache`)."""
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
        if MASK_POSITIONS in self.input_names:  # a derived masked-LM graph: score no position
            feed[MASK_POSITIONS] = np.zeros(0, dtype=np.int64)
        values = self.session.run(list(outputs), feed)
        return dict(zip(outputs, values, strict=True))
