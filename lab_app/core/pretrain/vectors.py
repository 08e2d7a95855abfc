"""Static word vectors: one fixed vector per word, whatever sentence the word is in.

This is what came before BERT (word2vec, GloVe): a table of vectors, trained so that words used in
similar contexts get similar vectors. The lab asks three questions of such a table:

- **neighbours** of a word: the words whose vectors have the highest cosine with its vector;
- **analogies** "a is to b as c is to ?": the words nearest to ``b - a + c`` (3CosAdd, the rule of
  Mikolov et al. 2013), the three question words excluded, as every analogy benchmark does;
- a **2-D map** of chosen words: PCA of their vectors.

Rows are L2-normalised once, on the way in, so a cosine is a dot product. Vectors are kept on disk
as ``.npz`` (arrays ``words`` and ``vectors``, float16, plus a JSON string ``meta`` saying how they
were trained); :func:`builtin_vectors` loads the shipped ``resources/vectors/bert-lab-words.npz``.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.resources import resources_dir

BUILTIN_FILE = "bert-lab-words.npz"
METHODS = ("ppmi-svd", "sgns")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` as float32 with each row scaled to length 1 (an all-zero row stays zero)."""
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


@dataclass(frozen=True, eq=False)
class WordVectors:
    """A vocabulary (lower-case, most frequent first) and one unit-length vector per word."""

    name: str
    words: tuple[str, ...]
    vectors: np.ndarray  # float32 [V, D], rows L2-normalised
    method: str  # "ppmi-svd" | "sgns"
    meta: dict[str, Any] = field(default_factory=dict)  # how they were trained (saved with them)
    _lookup: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.words):
            raise ValueError(f"{len(self.words)} words but vectors of shape {self.vectors.shape}")
        object.__setattr__(self, "_lookup", {w: i for i, w in enumerate(self.words)})

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.strip().lower() in self._lookup

    def index(self, word: str) -> int:
        """The row of ``word`` (case-insensitive); an unknown word names the nearest spelling."""
        key = word.strip().lower()
        if not key:
            raise UserError("a word is needed here, not an empty string")
        found = self._lookup.get(key)
        if found is not None:
            return found
        close = difflib.get_close_matches(key, self.words, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UserError(
            f"'{key}' is not in the vocabulary of {self.name} ({len(self.words):,} words){hint}"
        )

    def vector(self, word: str) -> np.ndarray:
        """The unit-length vector of ``word`` (a copy)."""
        return np.array(self.vectors[self.index(word)])

    def _nearest(self, target: np.ndarray, exclude: set[int], k: int) -> list[tuple[str, float]]:
        if k < 1:
            raise UserError(f"k must be at least 1, not {k}")
        scores = self.vectors @ (target / max(float(np.linalg.norm(target)), 1e-12))
        scores[list(exclude)] = -np.inf
        k = min(k, len(self.words) - len(exclude))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.words[i], float(scores[i])) for i in top]

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` words with the highest cosine to ``word``, best first; ``word`` is left out."""
        i = self.index(word)
        return self._nearest(self.vectors[i], {i}, k)

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """``a`` is to ``b`` as ``c`` is to …? The ``k`` words nearest to ``b - a + c`` (3CosAdd),
        with their cosines; ``a``, ``b`` and ``c`` themselves are never answers."""
        keys = [w.strip().lower() for w in (a, b, c)]
        for i, w in enumerate(keys):
            if w and w in keys[:i]:
                raise UserError(f"'{w}' is given twice; an analogy needs three different words")
        ia, ib, ic = (self.index(w) for w in keys)
        target = self.vectors[ib] - self.vectors[ia] + self.vectors[ic]
        return self._nearest(target, {ia, ib, ic}, k)


def project_2d(v: WordVectors, words: Sequence[str]) -> np.ndarray:
    """A 2-D map of ``words`` ([n, 2]): the first two principal components of their vectors.

    Each axis's sign is fixed (its largest loading positive), so the same words always give the
    same picture. Fewer than three words have fewer than two components: missing axes are 0.
    """
    rows = np.stack([v.vectors[v.index(w)] for w in words]) if words else np.zeros((0, v.dim))
    out = np.zeros((len(rows), 2), dtype=np.float32)
    if len(rows) < 2:
        return out
    centred = rows - rows.mean(axis=0)
    _, s, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    n = min(2, int(np.sum(s > 1e-9)))
    for j in range(n):
        axis = vt[j] * np.sign(vt[j][np.argmax(np.abs(vt[j]))])
        out[:, j] = centred @ axis
    return out


def save_vectors(v: WordVectors, path: Path) -> None:
    """Write ``v`` to ``path`` (``.npz``: float16 vectors, the words, and ``meta`` as JSON),
    through a temporary file, so an interrupted save never leaves half a file behind."""
    path = Path(path)
    meta = dict(v.meta, name=v.name, method=v.method)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    try:
        with open(tmp, "wb") as fh:
            np.savez_compressed(
                fh,
                words=np.array(v.words, dtype=str),
                vectors=v.vectors.astype(np.float16),
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
            )
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_vectors(path: Path) -> WordVectors:
    """Read vectors written by :func:`save_vectors`; anything else is a :class:`UserError`."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} is not a file; word vectors are an .npz file (`words train`)")
    try:
        with np.load(path, allow_pickle=False) as data:
            words = tuple(str(w) for w in data["words"])
            vectors = np.asarray(data["vectors"])
            meta = json.loads(str(data["meta"])) if "meta" in data.files else {}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise UserError(f"{path} is not a word-vector file or is damaged ({exc})") from None
    if vectors.ndim != 2 or vectors.shape[0] != len(words) or not words:
        raise UserError(f"{path} is damaged: {len(words)} words but vectors {vectors.shape}")
    if not isinstance(meta, dict):
        meta = {}
    method = str(meta.get("method", "unknown"))
    name = str(meta.get("name") or path.stem)
    return WordVectors(name, words, normalise_rows(vectors), method, meta)


def builtin_vectors_path() -> Path:
    return resources_dir() / "vectors" / BUILTIN_FILE


@functools.lru_cache(maxsize=1)
def builtin_vectors() -> WordVectors:
    """The shipped default vectors (trained by ``models/word-vectors/train.py``), loaded once."""
    path = builtin_vectors_path()
    if not path.is_file():
        raise UserError(f"the built-in word vectors are missing ({path}); reinstall BERT Lab")
    return load_vectors(path)
