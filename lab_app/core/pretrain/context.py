"""One word, many contexts: the step from word2vec to ELMo and BERT in one picture.

A static vector (word2vec, GloVe, the built-in PPMI-SVD vectors) gives "bank" one vector, whether
the sentence is about a river or an account. A contextual encoder gives each *occurrence* its own
vector, computed from the whole sentence. :func:`context_similarity` takes one word and several
sentences that use it and returns, at a chosen layer of a store encoder:

* the word's contextual vector in each sentence: the mean of the hidden states of its WordPiece
  pieces ("unbelievably" is "un", "##bel", "##ie", "##va", "##bly" to the tokenizer) at its first
  whole-word, case-insensitive occurrence; the pieces are found from the tokenizer's character
  offsets, so punctuation glued to the word ("bank's", "bank,") never joins it;
* the cosine similarity matrix of those occurrences;
* a 2-D map: PCA of the occurrences' vectors, plus one fixed point for the static vector.

The static point, honestly: a word2vec-style vector lives in another space (another dimension,
another training), so it cannot be placed on a PCA map of hidden states. What *this* model would
give as one static vector for the word is the average of its occurrences (the usual way to
distil static embeddings from BERT, Bommasani et al., 2020). So the map's last point is the
centroid of the occurrences, which PCA puts at the origin, and ``static_similarity`` is each
occurrence's cosine to that centroid: the one vector a static model must use for every sentence,
and how far each sense has to travel from it.

At layer 0 (the embedding output: word piece + position + segment) the occurrences differ only
by position, so they are nearly identical; up the layers the senses pull apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.pretrain.similarity import (
    EncoderFor,
    check_sentences,
    cosine_matrix,
    default_encoder,
)
from lab_app.core.progress import SILENT, Progress, tick

if TYPE_CHECKING:
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore

DEFAULT_MODEL = "bert-lab-mlm"
BATCH = 16

#: Polysemous words, two senses each, three sentences a sense: the lab's examples, and the set
#: the quality figures in the report were measured on (same-sense vs other-sense similarity).
EXAMPLES: dict[str, dict[str, tuple[str, ...]]] = {
    "bank": {
        "river": (
            "We had a picnic on the bank of the river.",
            "The boat drifted slowly towards the muddy bank.",
            "Reeds grew thick along the bank of the stream.",
        ),
        "money": (
            "I opened a savings account at the bank.",
            "The bank refused to give him a loan.",
            "She works as a cashier in a bank downtown.",
        ),
    },
    "play": {
        "theatre": (
            "We saw a play at the theatre last night.",
            "Shakespeare wrote the play in 1600.",
            "The actors rehearsed the play for weeks.",
        ),
        "game": (
            "The children like to play football after school.",
            "Can you play chess with me this evening?",
            "They play tennis every Sunday morning.",
        ),
    },
    "bat": {
        "animal": (
            "A bat flew out of the cave at dusk.",
            "The bat hung upside down from the branch.",
            "Every bat in the colony uses echolocation to hunt insects.",
        ),
        "sport": (
            "He swung the bat and hit the ball over the fence.",
            "The cricket player picked up his bat and walked to the crease.",
            "She bought a new wooden bat for the baseball season.",
        ),
    },
    "spring": {
        "season": (
            "The flowers bloom in spring.",
            "We are going to Italy next spring.",
            "Spring brings longer days and warmer weather.",
        ),
        "coil": (
            "The spring in the mattress is broken.",
            "He compressed the metal spring and let it go.",
            "A steel spring keeps the door closed.",
        ),
    },
    "light": {
        "lamp": (
            "Please turn on the light in the kitchen.",
            "The light from the lamp was too dim to read by.",
            "Sunlight and the light of the moon filled the room.",
        ),
        "weight": (
            "The box is light enough for a child to carry.",
            "She packed a light jacket for the trip.",
            "This laptop is very light and easy to carry.",
        ),
    },
    "match": {
        "game": (
            "The football match ended in a draw.",
            "We watched the tennis match on television.",
            "They won the match by two goals.",
        ),
        "fire": (
            "He struck a match to light the candle.",
            "The match burned down to his fingers.",
            "She needed a match to start the campfire.",
        ),
    },
    "rock": {
        "stone": (
            "He sat on a large rock by the sea.",
            "The climber gripped the rock with both hands.",
            "A falling rock blocked the mountain road.",
        ),
        "music": (
            "My father listens to rock music all day.",
            "The rock band played their greatest hits.",
            "She prefers jazz to rock and pop.",
        ),
    },
    "pitch": {
        "field": (
            "The players ran onto the pitch before the game.",
            "Rain left the football pitch covered in mud.",
            "The groundsman mowed the pitch every morning.",
        ),
        "sound": (
            "She sang the note at the perfect pitch.",
            "The pitch of his voice rose when he was nervous.",
            "A violin can play at a very high pitch.",
        ),
    },
}


@dataclass(frozen=True, eq=False)
class ContextResult:
    """A word's contextual vectors in several sentences, compared and mapped."""

    model: str
    layer: int
    word: str
    sentences: tuple[str, ...]
    similarity: np.ndarray  # float32 [n, n]: cosine between the word's contextual vectors
    points: np.ndarray  # float32 [n + 1, 2]: PCA map of the n vectors; last row the centroid
    static_similarity: np.ndarray  # float32 [n]: each vector's cosine to the centroid
    pieces: tuple[tuple[str, ...], ...] = ()  # the word's WordPiece tokens in each sentence
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "layer": self.layer,
            "word": self.word,
            "sentences": list(self.sentences),
            "similarity": np.round(self.similarity.astype(np.float64), 6).tolist(),
            "static_similarity": np.round(self.static_similarity.astype(np.float64), 6).tolist(),
            "points": np.round(self.points.astype(np.float64), 6).tolist(),
            "pieces": [list(p) for p in self.pieces],
            "note": self.note,
        }


def check_word(word: str) -> str:
    """The word, stripped; a :class:`UserError` unless it is one word (letters, digits, an
    inner apostrophe), since only a whole word has one vector per sentence to compare."""
    clean = str(word).strip()
    if not clean:
        raise UserError("give the word to follow through the sentences")
    if not re.fullmatch(r"\w+(?:'\w+)*", clean):
        raise UserError(
            f"'{clean}' is not a single word: give one word such as 'bank' (no spaces or "
            "punctuation)"
        )
    return clean


def find_word(word: str, sentence: str) -> tuple[int, int] | None:
    """Character span of the first whole-word, case-insensitive occurrence of ``word``."""
    match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence, flags=re.IGNORECASE)
    return match.span() if match else None


def word_pieces(encoding: Any, span: tuple[int, int]) -> list[int]:
    """Token positions of ``encoding`` whose characters fall inside ``span`` (special tokens,
    whose offsets are empty, never do)."""
    start, end = span
    return [
        i
        for i, (a, b) in enumerate(encoding.offsets)
        if b > a and a >= start and b <= end and not encoding.special_tokens_mask[i]
    ]


def contextual_vectors(
    encoder: Encoder,
    word: str,
    texts: Sequence[str],
    layer: int,
    progress: Progress = SILENT,
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """The word's vector in each text at ``layer`` (mean over its pieces), and the pieces.

    A text without the word, or whose occurrence lies past the model's maximum length, is a
    :class:`UserError` that names it."""
    spans = []
    for number, text in enumerate(texts, 1):
        span = find_word(word, text)
        if span is None:
            raise UserError(f"sentence {number} does not contain the word '{word}': “{text}”")
        spans.append(span)
    last = layer == encoder.num_layers
    output = "last_hidden_state" if last else "hidden_states"
    vectors = np.zeros((len(texts), encoder.hidden_size), dtype=np.float32)
    pieces: list[tuple[str, ...]] = []
    for first in range(0, len(texts), BATCH):
        encodings = encoder.encode(texts[first : first + BATCH])
        batch = encoder.tokenize_encodings(encodings)
        hidden = encoder.run(batch, [output])[output]
        if not last:
            hidden = hidden[layer]
        for row, enc in enumerate(encodings):
            positions = word_pieces(enc, spans[first + row])
            if not positions:
                raise UserError(
                    f"in sentence {first + row + 1} '{word}' lies beyond the "
                    f"{encoder.max_positions} tokens {encoder.name} reads: shorten the sentence"
                )
            vectors[first + row] = hidden[row, positions].mean(axis=0)
            pieces.append(tuple(enc.tokens[p] for p in positions))
        tick(progress, min(first + BATCH, len(texts)), len(texts), f"running {encoder.name}")
    return vectors, pieces


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """Rows projected on their first two principal components (centred, so the centroid is the
    origin); signs fixed so the largest loading of each axis is positive. Fewer than two
    directions of spread leave the missing axis at 0."""
    x = np.asarray(vectors, dtype=np.float64)
    centred = x - x.mean(axis=0)
    out = np.zeros((x.shape[0], 2))
    if x.shape[0] < 2:
        return out.astype(np.float32)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(2, int((s > 1e-9 * max(s[0], 1e-30)).sum()))
    for axis in range(k):
        direction = vt[axis]
        if direction[np.argmax(np.abs(direction))] < 0:
            direction = -direction
        out[:, axis] = centred @ direction
    return out.astype(np.float32)


def context_similarity(
    store: ModelStore,
    word: str,
    sentences: Sequence[str],
    model: str | None = None,
    layer: int | None = None,
    progress: Progress = SILENT,
    *,
    encoder_for: EncoderFor | None = None,
) -> ContextResult:
    """Follow ``word`` through ``sentences`` (2 to 200) at ``layer`` (0 = embedding output,
    default the last) of ``model`` (default :data:`DEFAULT_MODEL`); see the module docstring."""
    from lab_app.core.models.embed import resolve_layer

    clean = check_word(word)
    texts = check_sentences(sentences)
    name = model or DEFAULT_MODEL
    encoder = (encoder_for or default_encoder(store))(name)
    chosen = resolve_layer(encoder, "mean", layer)
    tick(progress, 0, len(texts), f"running {name}")
    vectors, pieces = contextual_vectors(encoder, clean, texts, chosen, progress)
    sim = cosine_matrix(vectors)
    centroid = vectors.mean(axis=0, keepdims=True)
    static = cosine_matrix(np.vstack([vectors, centroid]))[-1, :-1]
    points = pca_2d(np.vstack([vectors, centroid]))
    # The centroid does not move PCA (it is the mean, so it adds no spread): it sits at 0, 0.
    points[-1] = 0.0
    note = _note(clean, chosen, sim, static)
    return ContextResult(
        name, chosen, clean, texts, sim, points, static.astype(np.float32), tuple(pieces), note
    )


def _note(word: str, layer: int, sim: np.ndarray, static: np.ndarray) -> str:
    off = sim[~np.eye(len(sim), dtype=bool)]
    where = "the embedding output, before any attention" if layer == 0 else f"layer {layer}"
    return (
        f"At {where} the occurrences of '{word}' score {off.min():.2f} to {off.max():.2f} with "
        f"each other; a static vector is one point for all of them (the centroid), "
        f"{static.min():.2f} to {static.max():.2f} from each."
    )
