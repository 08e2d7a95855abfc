"""A Hugging Face ``tokenizer.json`` from a GGUF file's vocabulary, merges and special tokens.

GGUF's ``gpt2`` tokenizer model is byte-level BPE: the tokens are already spelled in GPT-2's
byte alphabet and the merges are the ranked pairs. The pre-tokenizer is named, not stored
(``tokenizer.ggml.pre``); for ``smollm`` llama.cpp splits every digit on its own and then applies
GPT-2's pattern, which is what SmolLM's own ``tokenizer.json`` says too (``Digits`` with
``individual_digits``, then ``ByteLevel``). Tokens of type 3 (control: ``<|im_start|>``,
``<|endoftext|>`` …) are special: whole in the text, never split, skipped when decoding.

Build time only.
"""

from __future__ import annotations

from typing import Any

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

from lab_app.core.models.build.gguf_file import GGUFError, GGUFModel

CONTROL = 3
USER_DEFINED = 4
_PRE_TOKENIZERS = {
    # name in tokenizer.ggml.pre -> split digits one by one before GPT-2's pattern
    "smollm": True,
    "gpt-2": False,
    "default": False,
}


def tokenizer_from_gguf(model: GGUFModel) -> Tokenizer:
    meta = model.metadata
    if meta.get("tokenizer.ggml.model") != "gpt2":
        raise GGUFError(
            f"tokenizer model {meta.get('tokenizer.ggml.model')!r}: only byte-level BPE (gpt2) "
            "GGUF tokenizers are built"
        )
    pre = str(meta.get("tokenizer.ggml.pre") or "default")
    if pre not in _PRE_TOKENIZERS:
        raise GGUFError(f"the GGUF pre-tokenizer {pre!r} is not known to this lab")
    tokens: list[str] = list(meta["tokenizer.ggml.tokens"])
    merges = [tuple(m.split(" ", 1)) for m in meta.get("tokenizer.ggml.merges") or ()]
    types: list[int] = list(meta.get("tokenizer.ggml.token_type") or [1] * len(tokens))
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False, byte_fallback=False))
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if _PRE_TOKENIZERS[pre]:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), byte_level]
        )
    else:
        tok.pre_tokenizer = byte_level
    tok.decoder = decoders.ByteLevel()
    special = [t for t, k in zip(tokens, types, strict=False) if k == CONTROL]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in special])
    user = [t for t, k in zip(tokens, types, strict=False) if k == USER_DEFINED]
    if user:
        tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in user])
    return tok


def special_ids(model: GGUFModel) -> dict[str, Any]:
    """bos / eos / pad / unk ids and the end-of-turn token the chat template uses, if any."""
    meta = model.metadata
    tokens: list[str] = list(meta["tokenizer.ggml.tokens"])
    out: dict[str, Any] = {}
    for key in ("bos", "eos", "padding", "unknown"):
        value = meta.get(f"tokenizer.ggml.{key}_token_id")
        if value is not None:
            out[key] = int(value)
    out["add_bos"] = bool(meta.get("tokenizer.ggml.add_bos_token", False))
    stops = {out["eos"]} if "eos" in out else set()
    for name in ("<|im_end|>", "<|eot_id|>", "<|endoftext|>"):
        if name in tokens:
            stops.add(tokens.index(name))
    out["stop"] = sorted(stops)
    return out
