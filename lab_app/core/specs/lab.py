"""What the "Model specs" tab shows beyond the raw tables and counts, computed without Qt.

Everything the tab draws comes from here or from :mod:`lab_app.core.specs.params` /
:mod:`lab_app.core.specs.tables`, so the same numbers can be tested without a window: preset names
for people, the training-token counts the papers give, the published compute figures that 6·N·D is
checked against, how table cells sort and copy, and the series behind the three plots.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lab_app.core.specs.params import (
    PRESETS,
    ParamCount,
    ParamError,
    attention_cost,
    count_params,
    petaflop_days,
    preset,
    training_flops,
)
from lab_app.core.specs.tables import SpecCell, SpecTable, find_table

PRESET_LABELS: dict[str, str] = {
    "bert-base": "BERT-base",
    "bert-large": "BERT-large",
    "gpt-1": "GPT-1",
    "gpt-2": "GPT-2 (124M)",
    "gpt-2-xl": "GPT-2 XL",
    "gpt-3": "GPT-3 175B",
    "llama-2-7b": "Llama 2 7B",
    "llama-3.1-8b": "Llama 3.1 8B",
    "llama-3.1-70b": "Llama 3.1 70B",
    "llama-3.1-405b": "Llama 3.1 405B",
    "smollm2-135m": "SmolLM2-135M (this lab's decoder)",
}
ARCH_LABELS: dict[str, str] = {"bert": "BERT encoder", "gpt": "GPT decoder", "llama": "Llama"}
PART_LABELS: dict[str, str] = {
    "embeddings": "Embeddings",
    "attention": "Attention",
    "ffn": "Feed-forward",
    "norms": "Norms",
    "pooler": "Pooler",
    "heads": "Output heads",
}


@dataclass(frozen=True)
class TokenCount:
    """Tokens a model was trained on, with where the figure comes from."""

    tokens: int
    source: str


_BERT_TOKENS = TokenCount(
    128 * 10**9, "Devlin et al. 2019 (BERT), appendix A.2 (1M steps × 128,000 tokens)"
)
_LLAMA31_TOKENS = TokenCount(
    15_600 * 10**9, "The LLaMA family table, Llama 3.1 corpus (Llama 3 paper §1: 15.6T tokens)"
)
TRAINING_TOKENS: dict[str, TokenCount] = {
    # 1M steps × 256 sequences × 512 tokens; an upper bound, since 90% of steps used 128 tokens
    "bert-base": _BERT_TOKENS,
    "bert-large": _BERT_TOKENS,
    "gpt-3": TokenCount(300 * 10**9, "Brown et al. 2020 (GPT-3), Table 2.1 / §2.2 (300B tokens)"),
    "llama-2-7b": TokenCount(2 * 10**12, "Touvron et al. 2023b (Llama 2), Table 1 (2.0T tokens)"),
    "llama-3.1-8b": _LLAMA31_TOKENS,
    "llama-3.1-70b": _LLAMA31_TOKENS,
    "llama-3.1-405b": _LLAMA31_TOKENS,
}  # fmt: skip
"""GPT-1 and GPT-2 are missing on purpose: their papers give no token count."""


@dataclass(frozen=True)
class PublishedCompute:
    """A training-compute figure someone published, to set beside 6·N·D."""

    pf_days: float
    display: str
    source: str


def published_compute(
    preset: str, tables: Sequence[SpecTable] | None = None
) -> PublishedCompute | None:
    """The figure the tables (or, for GPT-3, its paper) give for ``preset``, if there is one.

    Llama 3.1 405B's is read from the LLaMA-family table, so a fix there shows up here; the table
    gives one figure per family, which belongs to its largest model only.
    """
    if preset == "llama-3.1-405b":
        table = find_table("llama_family", tables)
        column = next(i for i, c in enumerate(table.columns) if c.startswith("Training cost"))
        row = next(r for r in table.rows if r[0].value == "Llama 3.1")
        cell = row[column]
        if isinstance(cell.value, int | float):
            where = f"{table.title} table, Llama 3.1 row, from {cell.source}"
            return PublishedCompute(float(cell.value), f"{cell.value:,} petaFLOP-days", where)
    if preset == "gpt-3":
        return PublishedCompute(
            3640.0, "3,640 petaFLOP-days", "Brown et al. 2020 (GPT-3), Table D.1"
        )
    return None


@dataclass(frozen=True)
class ComputeEstimate:
    """6·N·D in FLOPs and petaFLOP-days, and how it compares with a published figure."""

    params: int
    tokens: int
    flops: float
    pf_days: float
    published: PublishedCompute | None

    @property
    def ratio(self) -> float | None:
        """Estimate ÷ published figure (1.0 = the rule reproduces it)."""
        if self.published is None or self.published.pf_days == 0:
            return None
        return self.pf_days / self.published.pf_days


def estimate_compute(
    params: int, tokens: int, preset: str | None = None, tables: Sequence[SpecTable] | None = None
) -> ComputeEstimate:
    """C ≈ 6·N·D for the calculator's N and the user's D."""
    flops = training_flops(params, tokens)
    published = published_compute(preset, tables) if preset else None
    return ComputeEstimate(params, tokens, flops, petaflop_days(flops), published)


def bert_base_compute() -> tuple[float, str]:
    """BERT-base's pre-training compute by 6·N·D, and where its two figures come from (the
    Pre-training lab sets a tiny model's compute beside it)."""
    arch, sizes = preset("bert-base")
    params = count_params(arch, **sizes).total
    tokens = TRAINING_TOKENS["bert-base"]
    return training_flops(params, tokens.tokens), f"{params:,} parameters × {tokens.source}"


_SUFFIX = {"k": 10**3, "m": 10**6, "b": 10**9, "g": 10**9, "t": 10**12}
_SEPARATORS = re.compile(r"[,_\s\u202f\u00a0']")


def parse_count(text: str, name: str, suffixes: bool = False) -> int:
    """A whole number as people type it: ``30522``, ``30,522``, ``30 522``; with ``suffixes``
    also ``15.6T``, ``300B``, ``2e12``.

    Raises :class:`ParamError` naming ``name`` so the form can show the message beside the field.
    """
    raw = _SEPARATORS.sub("", text.strip())
    if not raw:
        raise ParamError(f"{name} is empty: type a whole number", (name,))
    value: float | int | None = None
    if re.fullmatch(r"[+-]?\d+", raw):
        value = int(raw)
    elif suffixes:
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)(?:e(\d+))?([kmbgt]?)", raw.lower())
        if m:
            exact = float(m.group(1)) * 10 ** int(m.group(2) or 0) * _SUFFIX.get(m.group(3), 1)
            value = round(exact) if math.isfinite(exact) else None
    if value is None:
        hint = (
            "a whole number such as 15,600,000,000,000 or 15.6T"
            if suffixes
            else ("a whole number such as 768")
        )
        raise ParamError(f"{name} must be {hint}, got {text.strip()!r}", (name,))
    return int(value)


def human_count(n: float) -> str:
    """``109.5 million``, ``405.9 billion``, ``1.2 trillion``: how the number is said aloud."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(n) >= size:
            return f"{n / size:,.1f}".removesuffix(".0") + f" {word}"
    return f"{n:,.0f}"


def pf_days_text(pf_days: float) -> str:
    """``439,675`` for big figures, ``0.974`` for BERT-sized ones (never a bare "1")."""
    return f"{pf_days:,.0f}" if pf_days >= 100 else f"{pf_days:.3g}"


def short_count(n: float) -> str:
    """``110M``, ``175B``, ``1.2T``: for bar labels and axis ticks."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            value = n / size
            return f"{value:.3g}{suffix}" if value < 100 else f"{value:,.0f}{suffix}"
    return f"{n:g}"


def breakdown_rows(count: ParamCount) -> list[tuple[str, int, float]]:
    """``(part, parameters, share of total)`` for each part that has any parameters."""
    total = count.total or 1
    return [(PART_LABELS.get(k, k), v, v / total) for k, v in count.breakdown.items() if v]


def matching_preset(arch: str, kwargs: dict[str, object]) -> str | None:
    """The preset with exactly these inputs (unset flags at their defaults), if any."""
    defaults = _DEFAULTS.get(arch, {})
    current = {**defaults, **kwargs}
    for name, (preset_arch, preset_kwargs) in PRESETS.items():
        if preset_arch == arch and {**defaults, **preset_kwargs} == current:
            return name
    return None


_DEFAULTS: dict[str, dict[str, object]] = {
    "bert": {"positions": 512, "segments": 2, "pooler": True, "mlm_head": False},
    "gpt": {"heads": None, "tied": True, "final_norm": True},
    "llama": {"kv_heads": None, "tied": False},
}


def default_inputs(arch: str) -> dict[str, object]:
    """The keyword arguments a counter takes by default, for a form's unset fields."""
    return dict(_DEFAULTS[arch])


@dataclass(frozen=True)
class SizeBar:
    """One bar of the model-size chart."""

    preset: str
    label: str
    arch: str
    params: int


def model_sizes() -> list[SizeBar]:
    """Every preset's exact size, in the order of the presets (BERT-base … Llama 3.1 405B)."""
    return [
        SizeBar(name, PRESET_LABELS.get(name, name), arch, count_params(arch, **kw).total)
        for name, (arch, kw) in PRESETS.items()
    ]


@dataclass(frozen=True)
class AttentionSeries:
    """Forward FLOPs per sequence at each length, split into the n² and the n terms."""

    lengths: tuple[int, ...]
    quadratic: tuple[int, ...]
    linear: tuple[int, ...]
    crossover: int
    """The length where the n² term overtakes the linear one: 2·hidden + ffn."""


def attention_series(
    hidden: int, layers: int, ffn: int | None = None, max_len: int = 1024, step: int = 16
) -> AttentionSeries:
    """:func:`~lab_app.core.specs.params.attention_cost` from ``step`` to ``max_len`` tokens."""
    f = 4 * hidden if ffn is None else ffn
    costs = [attention_cost(n, hidden, layers, f) for n in range(step, max_len + 1, step)]
    return AttentionSeries(
        lengths=tuple(c.seq_len for c in costs),
        quadratic=tuple(c.quadratic for c in costs),
        linear=tuple(c.linear for c in costs),
        crossover=2 * hidden + f,
    )


def cell_sort_key(cell: SpecCell) -> tuple[int, float, str]:
    """Numbers sort as numbers (a list of sizes by its largest), text as text, blanks apart.

    Returns ``(kind, number, text)`` with kind 0 for numbers, 1 for text and 2 for blanks, so
    numbers come before text and a plain tuple comparison does the rest.
    """
    value = cell.value
    if value is None:
        return (2, 0.0, "")
    if isinstance(value, tuple):
        numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
        if numbers:
            return (0, float(max(numbers)), "")
        return (1, 0.0, cell.display.casefold())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, cell.display.casefold())


def rows_to_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Cells as tab-separated lines, as spreadsheets paste them (tabs/newlines in cells → space)."""
    return "".join(
        "\t".join(" ".join(c.replace("\t", " ").splitlines()) for c in row) + "\n" for row in rows
    )


def describe_cell(cell: SpecCell) -> str:
    """What a cell says and where it comes from, for its tooltip and the label under the table."""
    lines = [f"{cell.display} — source: {cell.source}"]
    if cell.corrected:
        lines.append(f"Corrected: {cell.teaching_note()}.")
    if cell.note:
        lines.append(cell.note)
    return "\n".join(lines)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(x: float, digits: int = 3) -> str:
    """``3.80 × 10²⁵``: large FLOP counts as a slide would print them."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10**exponent
    if round(mantissa, digits - 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.{digits - 1}f} × 10{str(exponent).translate(_SUPERSCRIPT)}"
