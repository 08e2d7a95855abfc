"""Parameter counts and compute estimates for BERT, GPT and Llama, in exact Python integers.

The formulas count every weight and bias that ``sum(p.numel() for p in model.parameters())`` counts
in the transformers implementation (buffers excluded, tied matrices counted once), so the presets
reproduce the published exact counts and the tests can check them against the library itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from lab_app.core.errors import UserError

Arch = Literal["bert", "gpt", "llama"]
ARCHS: tuple[Arch, ...] = ("bert", "gpt", "llama")

MAX_DIM = 10**7
"""Largest size accepted for any single dimension: beyond it the input is a typo, not a model."""
MAX_PARAMS = 10**15
"""Largest parameter count accepted (a thousand times today's largest dense models)."""
PETAFLOP_DAY = 1e15 * 86_400
"""One petaFLOP/s sustained for a day: 8.64e19 FLOPs."""


class ParamError(UserError):
    """A bad size, naming the input field(s) it came from so a form can put the message there."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True)
class ParamCount:
    """A total and where it lies; ``sum(breakdown.values()) == total``."""

    total: int
    breakdown: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` form."""
        return {"total": self.total, "breakdown": dict(self.breakdown)}


def _check_dims(minimum: int = 1, **dims: int) -> None:
    """Reject non-integers, sizes below ``minimum`` and absurd sizes, naming the culprit."""
    for name, value in dims.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"{name} must be a whole number, got {value!r}", (name,))
        if value < minimum:
            raise ParamError(f"{name} must be at least {minimum}, got {value}", (name,))
        if value > MAX_DIM:
            raise ParamError(
                f"{name} = {value:,} is absurd: sizes above {MAX_DIM:,} are refused", (name,)
            )


def _check_heads(hidden: int, heads: int, kv_heads: int | None = None) -> None:
    if hidden % heads:
        raise ParamError(
            f"hidden size {hidden} is not divisible by {heads} attention heads "
            f"({hidden} / {heads} = {hidden / heads:.4g}); pick heads that divide it",
            ("heads", "hidden"),
        )
    if kv_heads is not None and heads % kv_heads:
        raise ParamError(
            f"{heads} attention heads are not divisible by {kv_heads} key/value heads: "
            "grouped-query attention shares each KV head among a whole number of query heads",
            ("kv_heads", "heads"),
        )


def _result(breakdown: dict[str, int]) -> ParamCount:
    total = sum(breakdown.values())
    if total > MAX_PARAMS:
        raise UserError(
            f"{total:,} parameters is absurd: counts above {MAX_PARAMS:.0e} are refused"
        )
    return ParamCount(total=total, breakdown=breakdown)


def encoder_params(
    *,
    layers: int,
    hidden: int,
    heads: int,
    ffn: int,
    vocab: int,
    positions: int = 512,
    segments: int = 2,
    pooler: bool = True,
    mlm_head: bool = False,
) -> ParamCount:
    """A BERT encoder (post-LayerNorm, biases everywhere), as ``BertModel`` / ``BertForMaskedLM``.

    The MLM head adds a dense transform, its LayerNorm and the decoder bias; the decoder matrix is
    tied to the word embeddings and so adds nothing.
    """
    _check_dims(
        layers=layers, hidden=hidden, heads=heads, ffn=ffn, vocab=vocab, positions=positions
    )
    _check_dims(minimum=0, segments=segments)
    _check_heads(hidden, heads)
    h = hidden
    return _result(
        {
            "embeddings": (vocab + positions + segments) * h,
            "attention": layers * 4 * (h * h + h),
            "ffn": layers * (2 * h * ffn + ffn + h),
            "norms": 2 * h + layers * 2 * (2 * h),
            "pooler": h * h + h if pooler else 0,
            "heads": (h * h + h) + 2 * h + vocab if mlm_head else 0,
        }
    )


def decoder_params(
    *,
    layers: int,
    hidden: int,
    ffn: int,
    vocab: int,
    positions: int,
    heads: int | None = None,
    tied: bool = True,
    final_norm: bool = True,
) -> ParamCount:
    """A GPT-1/2/3 decoder (LayerNorms and biases), including its language-model head.

    GPT-1 is post-LN with no final LayerNorm; GPT-2/3 are pre-LN and add one (``final_norm``). The
    head is tied to the token embeddings in all three, so an untied head adds ``vocab × hidden``.
    ``heads`` changes no count; it is only checked to divide ``hidden``.
    """
    _check_dims(layers=layers, hidden=hidden, ffn=ffn, vocab=vocab, positions=positions)
    if heads is not None:
        _check_dims(heads=heads)
        _check_heads(hidden, heads)
    h = hidden
    return _result(
        {
            "embeddings": (vocab + positions) * h,
            "attention": layers * (4 * h * h + 4 * h),
            "ffn": layers * (2 * h * ffn + ffn + h),
            "norms": layers * 2 * (2 * h) + (2 * h if final_norm else 0),
            "heads": 0 if tied else vocab * h,
        }
    )


def llama_params(
    *,
    layers: int,
    hidden: int,
    heads: int,
    kv_heads: int | None = None,
    ffn: int,
    vocab: int,
    tied: bool = False,
) -> ParamCount:
    """A Llama decoder: no biases, RMSNorm weights only, SwiGLU (three matrices), GQA, RoPE.

    RoPE has no weights, so there is no position table. ``kv_heads`` defaults to ``heads`` (plain
    multi-head attention, as in Llama 2 7B).
    """
    kv = heads if kv_heads is None else kv_heads
    _check_dims(layers=layers, hidden=hidden, heads=heads, kv_heads=kv, ffn=ffn, vocab=vocab)
    if kv > heads:
        raise ParamError(f"{kv} key/value heads exceed {heads} attention heads", ("kv_heads",))
    _check_heads(hidden, heads, kv)
    h = hidden
    kv_dim = kv * (h // heads)
    return _result(
        {
            "embeddings": vocab * h,
            "attention": layers * (2 * h * h + 2 * h * kv_dim),
            "ffn": layers * 3 * h * ffn,
            "norms": layers * 2 * h + h,
            "heads": 0 if tied else vocab * h,
        }
    )


_COUNTERS: dict[str, Callable[..., ParamCount]] = {
    "bert": encoder_params,
    "gpt": decoder_params,
    "llama": llama_params,
}


def count_params(arch: str, **kwargs: Any) -> ParamCount:
    """Dispatch to the counter of ``arch`` (``bert``, ``gpt`` or ``llama``)."""
    try:
        counter = _COUNTERS[arch]
    except KeyError:
        raise UserError(
            f"unknown architecture {arch!r}; choose one of {', '.join(ARCHS)}"
        ) from None
    try:
        return counter(**kwargs)
    except TypeError as exc:  # a missing or foreign size: say which, in the user's terms
        raise UserError(f"{arch}: {exc}") from None


_BERT_VOCAB = 30522
_LLAMA3_VOCAB = 128256  # 128,000 BPE tokens + 256 reserved special tokens (HF config vocab_size)
PRESETS: dict[str, tuple[Arch, dict[str, Any]]] = {
    "bert-base": (
        "bert",
        {"layers": 12, "hidden": 768, "heads": 12, "ffn": 3072, "vocab": _BERT_VOCAB},
    ),
    "bert-large": (
        "bert",
        {"layers": 24, "hidden": 1024, "heads": 16, "ffn": 4096, "vocab": _BERT_VOCAB},
    ),
    "gpt-1": (
        "gpt",
        {"layers": 12, "hidden": 768, "heads": 12, "ffn": 3072, "vocab": 40478, "positions": 512,
         "final_norm": False},
    ),
    "gpt-2": (
        "gpt",
        {"layers": 12, "hidden": 768, "heads": 12, "ffn": 3072, "vocab": 50257, "positions": 1024},
    ),
    "gpt-2-xl": (
        "gpt",
        {"layers": 48, "hidden": 1600, "heads": 25, "ffn": 6400, "vocab": 50257, "positions": 1024},
    ),
    "gpt-3": (
        "gpt",
        {"layers": 96, "hidden": 12288, "heads": 96, "ffn": 49152, "vocab": 50257,
         "positions": 2048},
    ),
    # The lab's own decoder (its GGUF metadata; the store's manifest records the same).
    "smollm2-135m": (
        "llama",
        {"layers": 30, "hidden": 576, "heads": 9, "kv_heads": 3, "ffn": 1536, "vocab": 49152,
         "tied": True},
    ),
    "llama-2-7b": (
        "llama",
        {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 32, "ffn": 11008, "vocab": 32000},
    ),
    "llama-3.1-8b": (
        "llama",
        {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336,
         "vocab": _LLAMA3_VOCAB},
    ),
    "llama-3.1-70b": (
        "llama",
        {"layers": 80, "hidden": 8192, "heads": 64, "kv_heads": 8, "ffn": 28672,
         "vocab": _LLAMA3_VOCAB},
    ),
    "llama-3.1-405b": (
        "llama",
        {"layers": 126, "hidden": 16384, "heads": 128, "kv_heads": 8, "ffn": 53248,
         "vocab": _LLAMA3_VOCAB},
    ),
}  # fmt: skip


def llama_sizes(config: dict[str, Any]) -> dict[str, Any]:
    """The calculator's Llama fields from a store decoder's recorded config (its manifest)."""
    return {
        "layers": int(config["num_layers"]),
        "hidden": int(config["hidden_size"]),
        "heads": int(config["num_heads"]),
        "kv_heads": int(config["num_kv_heads"]),
        "ffn": int(config["intermediate_size"]),
        "vocab": int(config["vocab_size"]),
        "tied": bool(config["tied_embeddings"]),
    }


def preset(name: str) -> tuple[Arch, dict[str, Any]]:
    """A copy of the named preset's architecture and sizes (case-insensitive)."""
    key = name.strip().lower()
    if key not in PRESETS:
        raise UserError(f"unknown preset {name!r}; known presets: {', '.join(PRESETS)}")
    arch, kwargs = PRESETS[key]
    return arch, dict(kwargs)


def training_flops(n_params: float, tokens: float) -> float:
    """Training compute by the usual rule C ≈ 6·N·D (2 FLOPs forward, 4 backward, per weight)."""
    if n_params < 0 or tokens < 0:
        raise UserError("parameters and tokens must not be negative")
    return 6.0 * n_params * tokens


def petaflop_days(flops: float) -> float:
    """FLOPs in petaFLOP-days (the unit of the notes' LLaMA table, not dollars)."""
    return flops / PETAFLOP_DAY


@dataclass(frozen=True)
class AttentionCost:
    """Forward FLOPs of one sequence through the encoder, split by how they grow with length."""

    seq_len: int
    quadratic: int
    """Q·Kᵀ and the weighted sum over V: 4·n²·d per layer."""
    linear: int
    """Q/K/V/O projections and the feed-forward block: (8·d² + 4·d·ffn)·n per layer."""

    @property
    def total(self) -> int:
        return self.quadratic + self.linear

    @property
    def quadratic_share(self) -> float:
        return self.quadratic / self.total


def attention_cost(seq_len: int, hidden: int, layers: int, ffn: int | None = None) -> AttentionCost:
    """Why long sequences are disproportionately expensive: the n² term against the n term.

    Counts a multiply-add as 2 FLOPs and ignores softmax, norms and biases (lower-order terms).
    ``ffn`` defaults to ``4 × hidden`` as in BERT and GPT.
    """
    f = 4 * hidden if ffn is None else ffn
    _check_dims(seq_len=seq_len, hidden=hidden, layers=layers, ffn=f)
    n, d = seq_len, hidden
    return AttentionCost(
        seq_len=n,
        quadratic=layers * 4 * n * n * d,
        linear=layers * (8 * d * d + 4 * d * f) * n,
    )


@dataclass(frozen=True)
class ScheduleSaving:
    """BERT's short-then-long pre-training schedule against training at full length throughout."""

    short: AttentionCost
    long: AttentionCost
    short_fraction: float
    mixed_flops: float
    """Mean forward FLOPs per sequence over all steps of the schedule."""
    all_long_flops: float

    @property
    def ratio(self) -> float:
        """Cost of the schedule as a fraction of the all-long cost."""
        return self.mixed_flops / self.all_long_flops

    @property
    def saving(self) -> float:
        return 1.0 - self.ratio


def bert_schedule_saving(
    hidden: int = 768,
    layers: int = 12,
    ffn: int | None = None,
    short_len: int = 128,
    long_len: int = 512,
    short_fraction: float = 0.9,
) -> ScheduleSaving:
    """BERT's 128 tokens for 90% of steps and 512 for the rest, at equal sequences per step.

    Devlin et al. 2019, appendix A.2. Training FLOPs are 3× the forward FLOPs at both lengths, so
    the ratio is the same for training as for a forward pass.
    """
    if not 0.0 <= short_fraction <= 1.0:
        raise UserError(f"short_fraction must lie between 0 and 1, got {short_fraction}")
    if short_len >= long_len:
        raise ParamError(
            f"the short length ({short_len}) must be below the long one ({long_len})",
            ("short_len", "long_len"),
        )
    short = attention_cost(short_len, hidden, layers, ffn)
    long = attention_cost(long_len, hidden, layers, ffn)
    mixed = short_fraction * short.total + (1.0 - short_fraction) * long.total
    return ScheduleSaving(
        short=short,
        long=long,
        short_fraction=short_fraction,
        mixed_flops=mixed,
        all_long_flops=float(long.total),
    )
