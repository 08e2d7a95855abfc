"""Each store tokenizer file parsed once per process, again only when the file changes.

Parsing a 50k-token BPE costs about 100 ms of CPU. ``Tokenizer.from_file`` spends it holding the
GIL throughout, which stalls the window however it is threaded, so files are read in short steps
instead (:mod:`~lab_app.core.models.tokenizer_json`, 30–45 ms at most). Callers that only encode and
decode (never set padding or truncation on the object) share one parsed tokenizer per file through
:func:`shared_tokenizer`; a tab names a load for the prewarm thread (``TabSpec.warm``) so that its
first use costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tokenizers import Tokenizer

from lab_app.core.models.tokenizer_json import tokenizer_from_file

if TYPE_CHECKING:
    from lab_app.core.models.store import ModelStore

_LOADED: dict[tuple[Path, int, int, object], Tokenizer] = {}
_LOCK = threading.Lock()


def shared_tokenizer(path: Path, load: Callable[[Path], Tokenizer]) -> Tokenizer:
    """``load(path)``, once per file version and loader: do not reconfigure what it returns."""
    try:
        st = path.stat()
    except OSError:
        return load(path)  # its error names the file
    key = (path, st.st_mtime_ns, st.st_size, load)
    with _LOCK:
        tok = _LOADED.get(key)
        if tok is None:
            tok = _LOADED[key] = load(path)
    return tok


def plain_tokenizer(path: Path) -> Tokenizer:
    """A tokenizer with neither padding nor truncation: callers choose both per call."""
    tokenizer = tokenizer_from_file(path)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def shared_plain_tokenizer(path: Path) -> Tokenizer:
    """:func:`plain_tokenizer`, parsed once: for callers that only encode and decode."""
    return shared_tokenizer(path, plain_tokenizer)


def warm_decoder_tokenizer(store: ModelStore) -> None:
    """Parse the store's decoder tokenizer in the prewarm thread (Prompting and Inside use it)."""
    decoders = store.decoders()
    if decoders:
        shared_plain_tokenizer(decoders[0].file("tokenizer.json"))
