"""The built-in decoder: SmolLM2-135M-Instruct, from its GGUF file to an ONNX graph.

The store entry holds ``model.onnx`` (weights in the GGUF's own 4-bit and 8-bit blocks, see
:mod:`llama_onnx`), ``tokenizer.json`` (from the GGUF's vocabulary and merges) and a manifest
with the shape, the chat template and the special tokens. Nothing of the GGUF is needed at run
time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from lab_app.core.hashing import sha256_file
from lab_app.core.models.build.artifacts import ARTIFACTS, SMOLLM2_GGUF, extract_member
from lab_app.core.models.store import Entry, Manifest

SMOLLM2 = "SmolLM2-135M-Instruct"
# Bumped whenever the conversion changes what is written, so `models build` remakes older builds.
RECIPE = 4  # 3: the attention mask's zeros mark right padding (rows batch after a cache)
# 4: the output head is in the graph (its logits are the graph's output), the weights in a
# data file beside it


def decoder_is_stale(entry: Entry) -> bool:
    """True for a built-in decoder made by an older version of the conversion."""
    return entry.name == SMOLLM2 and entry.manifest.extra.get("recipe") != RECIPE


def gguf_manifest_extra(model: object) -> dict[str, object]:
    """What a decoder's manifest records beyond the common fields (see ``Decoder``)."""
    from lab_app.core.models.build.gguf_file import GGUFModel
    from lab_app.core.models.build.gguf_tokenizer import special_ids

    assert isinstance(model, GGUFModel)
    c = model.config
    tokens = list(model.metadata["tokenizer.ggml.tokens"])
    special = special_ids(model)
    names = {"bos": "bos_token", "eos": "eos_token", "unknown": "unk_token", "padding": "pad_token"}
    # The template may write these by name (``{{ bos_token }}``), as transformers passes them.
    texts = {names[key]: tokens[special[key]] for key in names if key in special}
    return {
        "recipe": RECIPE,
        "padded_rows": True,  # rows of different lengths run as one batch after a shared cache
        "head_in_graph": True,  # the graph gives logits, not hidden states
        "config": c.to_dict(),
        "num_heads": c.num_heads,
        "num_kv_heads": c.num_kv_heads,
        "head_dim": c.head_dim,
        "intermediate_size": c.intermediate_size,
        "vocab_size": c.vocab_size,
        "rope_base": c.rope_base,
        "context_length": c.context_length,
        "tied_embeddings": c.tied_embeddings,
        "parameters": model.parameter_count(),
        "chat_template": model.metadata.get("tokenizer.chat_template"),
        "special_tokens": special,
        "special_token_texts": texts,
        "weights": (
            "attention and MLP matrices in the GGUF's Q4_1 blocks (MatMulNBits, 4-bit, float32 "
            "arithmetic); the token embedding in its Q8_0 blocks beside the graph "
            "(embedding.npy), and the tied head in the graph as those blocks split into two "
            "4-bit halves (exact)"
        ),
    }


def make_smollm2(cache: Path, out: Path) -> Manifest:
    from lab_app.core.models.build.builtin_parts import source_of
    from lab_app.core.models.build.gguf_file import read_gguf
    from lab_app.core.models.build.gguf_tokenizer import tokenizer_from_gguf
    from lab_app.core.models.build.llama_onnx import (
        OUTPUTS,
        build_llama_onnx,
        embedding_table,
        save_decoder_graph,
    )

    art = ARTIFACTS["smollm2-135m"]
    with tempfile.TemporaryDirectory() as tmp:
        gguf_path = extract_member(art, cache, SMOLLM2_GGUF, Path(tmp) / Path(SMOLLM2_GGUF).name)
        model = read_gguf(gguf_path)
        files = [*save_decoder_graph(build_llama_onnx(model), out), "tokenizer.json"]
        table = embedding_table(model)
        np.save(out / "embedding.npy", table.blocks, allow_pickle=False)
        np.save(out / "embedding_scales.npy", table.scales, allow_pickle=False)
        files += ["embedding.npy", "embedding_scales.npy"]
        tokenizer_from_gguf(model).save(str(out / "tokenizer.json"))
        extra = gguf_manifest_extra(model)
        del model  # the reader maps the file, which the temporary folder is about to remove
    c = extra["config"]
    assert isinstance(c, dict)
    return Manifest(
        name=SMOLLM2,
        family="llama",
        description=(
            "SmolLM2-135M-Instruct (Hugging Face): a 30-layer Llama-architecture decoder with "
            "grouped-query attention, RoPE, RMSNorm and SwiGLU, tuned to follow instructions in "
            "a ChatML chat template. Small enough for a laptop's CPU; built from the 4-bit GGUF."
        ),
        source=source_of(art, SMOLLM2_GGUF),
        license=art.license,
        files={f: sha256_file(out / f) for f in files},
        layers=int(c["num_layers"]),
        hidden_size=int(c["hidden_size"]),
        outputs=list(OUTPUTS),
        tokenizer="bpe",
        max_positions=int(c["context_length"]),
        extra=extra,
    )
