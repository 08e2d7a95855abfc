"""The pre-training probe read by the store's pre-trained models, for scale.

The tiny models see a few hundred thousand words for a minute; the built-in masked LM
(``bert-lab-mlm``) and decoder (SmolLM2-135M) saw billions of tokens. The same probe, masked and
prompted the same way as :func:`~lab_app.core.pretrain.live.read_probe` does it, shows the
difference: the masked LM fills the same gaps (one [MASK] per word, its first guess), the decoder
continues the same first words greedily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.pretrain.live import CONTINUE_WORDS, PROMPT_WORDS
from lab_app.core.pretrain.tiny_lm import Objective
from lab_app.core.progress import SILENT, Progress

if TYPE_CHECKING:
    from lab_app.core.models.store import ModelStore

MLM_MODEL = "bert-lab-mlm"


@dataclass(frozen=True)
class BuiltinReading:
    model: str
    probe: str


def builtin_probe(
    store: str | None, objective: Objective, words: Sequence[str], progress: Progress = SILENT
) -> BuiltinReading:
    """How the store's pre-trained model of the same kind reads the probe ``words``."""
    from lab_app.core.models.store import open_store

    opened = open_store(store)
    if objective == "mlm":
        return _masked_lm(opened, words)
    from lab_app.core.models.decoder import shared_decoder
    from lab_app.core.models.generate import Sampling, generate

    decoders = opened.decoders()
    if not decoders:
        raise UserError("no decoder in the store: use Models → Build built-in models")
    decoder = shared_decoder(opened.model(decoders[0].name))
    prompt = " ".join(words[:PROMPT_WORDS])
    steps = generate(
        decoder,
        decoder.encode(prompt),
        Sampling(max_new_tokens=3 * CONTINUE_WORDS, stop_strings=("\n",)),
        progress=progress,
    )
    text = "".join(step.text for step in steps)
    continued = " ".join(text.split()[:CONTINUE_WORDS])
    return BuiltinReading(decoder.name, f"{prompt} → {continued}")


def _masked_lm(opened: ModelStore, words: Sequence[str]) -> BuiltinReading:
    """Every third word masked at once, each [MASK] filled with the model's first guess."""
    from lab_app.core.mlm.graph_cache import masked_encoder
    from lab_app.core.mlm.head import head_for

    entries = [
        e for e in opened.encoders() if "logits" in e.manifest.outputs and not e.manifest.is_decoder
    ]
    if not entries:
        raise UserError("no masked LM in the store: use Models → Build built-in models")
    entry = next((e for e in entries if e.name == MLM_MODEL), entries[0])
    encoder = masked_encoder(opened.model(entry.name))  # its head set: head_for reads it
    tokenizer = encoder.tokenizer
    mask = next(t for t in ("[MASK]", "<mask>") if tokenizer.token_to_id(t) is not None)
    slots = range(1, len(words), 3)
    text = " ".join(mask if i in slots else w for i, w in enumerate(words))
    batch = encoder.tokenize([text])
    ids = batch.input_ids[0]
    positions = np.flatnonzero(ids == tokenizer.token_to_id(mask))
    hidden = encoder.run(batch, ["last_hidden_state"])["last_hidden_state"][0, positions]
    guesses = iter(
        tokenizer.id_to_token(int(i)) for i in head_for(encoder).logits(hidden).argmax(-1)
    )
    shown = [f"[{next(guesses)}]" if i in slots else w for i, w in enumerate(words)]
    return BuiltinReading(entry.name, " ".join(shown))
