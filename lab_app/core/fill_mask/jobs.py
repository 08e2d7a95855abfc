"""The fill-mask tab's background work: model sessions kept across requests, and one prediction.

Qt-free on purpose: these functions run on pool threads through the tab's runner. Creating an
ONNX Runtime session takes a while, so a session is made once per model, inside the first job
that needs it (behind the tab's "loading…" state), and reused by every later job. The heavy core
modules (onnxruntime, onnx) are imported here lazily, so the window's first paint never waits.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lab_app.core.errors import UserError
from lab_app.core.models.lru import LruCache
from lab_app.core.models.store import Entry, ModelStore
from lab_app.core.progress import Progress
from lab_app.core.settings import SettingsStore, load_state, save_state

if TYPE_CHECKING:
    from lab_app.core.fill_mask.predict import FillMaskResult
    from lab_app.core.fill_mask.text import TokenView
    from lab_app.core.mlm.masking import MaskingTally, ReplacementVocab
    from lab_app.core.models.encoder import Encoder


@dataclass(frozen=True, eq=False)
class ModelSession:
    """What a job needs from one model: its encoder and the vocabulary for random swaps."""

    encoder: Encoder
    vocab: ReplacementVocab


class SessionCache:
    """Sessions by model name, the last ``keep`` of them; the lock makes a second job wait for a
    load, not repeat it. :meth:`release` gives them back when the tab is hidden."""

    def __init__(self, keep: int = 2) -> None:
        self._sessions: LruCache[str, ModelSession] = LruCache(keep)

    def has(self, name: str) -> bool:
        return name in self._sessions

    def get(self, store: ModelStore, name: str) -> ModelSession:
        return self._sessions.get_or_make(name, lambda: _load(store.model(name)))

    def clear(self) -> None:
        self._sessions.clear()

    def release(self) -> None:
        self._sessions.release()


def _load(entry: Entry) -> ModelSession:
    from lab_app.core.fill_mask.predict import fill_mask_encoder
    from lab_app.core.fill_mask.text import mask_token_of
    from lab_app.core.mlm.masking import replacement_vocab

    encoder = fill_mask_encoder(entry)
    vocab = replacement_vocab(encoder.tokenizer, mask_token_of(encoder.tokenizer))
    return ModelSession(encoder, vocab)


@dataclass(frozen=True)
class Outcome:
    """One request's answer: the token view always; a result, or the message saying what to do."""

    model: str
    text: str
    view: TokenView | None
    result: FillMaskResult | None
    error: str | None
    vocab: ReplacementVocab | None
    counts: tuple[MaskingTally, ...]
    seconds: float
    layers: int


@lru_cache(maxsize=64)
def _counts(n: int, vocab_size: int) -> tuple[MaskingTally, ...]:
    from lab_app.core.mlm.masking import masking_counts

    return masking_counts(n, vocab_size) if n else ()


def predict_job(
    report: Progress,
    cache: SessionCache,
    store: ModelStore,
    model: str,
    text: str,
    top_k: int,
    sequential: bool,
) -> Outcome:
    """Load the model if needed, then tokenize, check and predict ``text`` with the logit lens.

    A :class:`UserError` (bad input) is part of the outcome, not a failure: the tab still shows
    the token chips, so a student can click a word to mask it.
    """
    from lab_app.core.fill_mask.predict import predict, text_view
    from lab_app.core.fill_mask.text import training_tokens

    if not cache.has(model):
        report(0, 1, f"Loading {model}…")
    session = cache.get(store, model)
    if not report(0, 1):
        return _cancelled(model, text)
    start = time.perf_counter()
    view: TokenView | None = None
    result: FillMaskResult | None = None
    error: str | None = None
    try:
        view = text_view(session.encoder, text)
        result = predict(
            session.encoder,
            text,
            top_k=top_k,
            sequential=sequential,
            per_layer=True,
            progress=report,
        )
    except UserError as exc:
        error = str(exc)
    content = len(training_tokens(view, top_guesses(result))) if view else 0
    return Outcome(
        model=model,
        text=text,
        view=view,
        result=result,
        error=error,
        vocab=session.vocab,
        counts=_counts(content, len(session.vocab.tokens)),
        seconds=time.perf_counter() - start,
        layers=session.encoder.num_layers,
    )


def top_guesses(result: FillMaskResult | None) -> tuple[str, ...]:
    """Each [MASK]'s top guess, in order (what the masking demo puts in their places)."""
    return tuple(m.top.token for m in result.masks) if result is not None else ()


@dataclass(frozen=True)
class FillMaskState:
    """What the tab remembers between sessions (QSettings group ``fill_mask``, schema 1)."""

    model: str = ""
    text: str = ""
    top_k: int = 10
    sequential: bool = False
    seed: int = 0
    page: int = 0

    def save(self, settings: SettingsStore) -> None:
        save_state(settings, self)

    @classmethod
    def load(cls, settings: SettingsStore) -> FillMaskState:
        """Read back what :meth:`save` wrote; a missing or garbled value keeps its default."""
        return load_state(cls, settings)


def _cancelled(model: str, text: str) -> Outcome:
    return Outcome(model, text, None, None, "cancelled", None, (), 0.0, 0)


def model_card(entry: Entry) -> tuple[str, str]:
    """The card beside the picker (shape, size, licence, and what the model is: "not Google's
    bert-base-uncased", how good it is — on screen, not in a tooltip only) and a fuller tooltip
    for the picker's list (with the sources)."""
    m = entry.manifest
    path = entry.file("model.onnx")
    size = f"{path.stat().st_size / 1e6:.0f} MB" if path.is_file() else "size unknown"
    source = ", ".join(f"{k}: {v}" for k, v in m.source.items()) or "unknown"
    line = f"{m.family} · {m.layers} layers · hidden {m.hidden_size} · {size} · {m.license}"
    if m.description:
        line = f"{html.escape(line)}<br><i>{html.escape(m.description)}</i>"
    tip = (
        f"<b>{html.escape(m.name)}</b><br>{html.escape(m.description)}<br>"
        f"Source: {html.escape(source)}<br>"
        f"{m.layers} layers, hidden size {m.hidden_size}, {size} on disk<br>Licence: {m.license}"
    )
    return line, tip


def mlm_entries(store: ModelStore) -> list[Entry]:
    """Store models with a masked-LM head (as ``core.fill_mask.mlm_models``, minus its imports:
    this runs on the GUI thread while the window is being made)."""
    return [e for e in store.encoders() if "logits" in e.manifest.outputs]


def describe_error(exc: Any) -> str:
    """A calm one-liner for an unexpected failure (the details go to the log)."""
    if isinstance(exc, UserError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}); the details are in the log (Help menu)."
