"""Random changes to a model's weights, in memory: how robust are the intent clusters?

Gaussian noise with standard deviation σ × (the tensor's own std) is added to every weight tensor
(``*.weight``) of the chosen layers. Layers are numbered like the layer slider: 0 is the embedding
layer, 1…L the transformer layers (``encoder.layer.{i-1}.*`` in the graph's canonical names). Each
tensor's noise comes from its own generator seeded by (seed, tensor name), so perturbing layer 3
gives it the same noise whether or not layer 4 is perturbed too. The graph is loaded from the
store's file and changed in a copy; the store's files are never written. σ = 0 returns the
original graph itself, so it gives exactly the unperturbed vectors.

int8 models keep their weights as ``*.weight_quantized`` integers with a scale and zero point:
those are dequantized, perturbed and requantized (values past the integer range saturate).
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.seeds import check_seed

MAX_SIGMA = 1e6
_LAYER = re.compile(r"^encoder\.layer\.(\d+)\.")


@dataclass(frozen=True)
class Perturbation:
    """Which weights get noise, how much, and the seed. The default is "no perturbation"."""

    sigma: float = 0.0
    seed: int = 0
    layers: tuple[int, ...] = ()  # slider numbering: 0 = embeddings, i = encoder.layer.{i-1}

    @property
    def active(self) -> bool:
        return self.sigma > 0 and bool(self.layers)

    def key(self) -> tuple[float, int, tuple[int, ...]]:
        """Cache key: every inactive perturbation is the same unperturbed model."""
        if not self.active:
            return (0.0, 0, ())
        return (self.sigma, self.seed, tuple(sorted(set(self.layers))))

    def label(self) -> str:
        if not self.active:
            return "original weights"
        return f"weights + noise σ={self.sigma:g} (seed {self.seed}, {layers_label(self.layers)})"


def layers_label(layers: Iterable[int]) -> str:
    chosen = sorted(set(layers))
    names = ["embeddings" if i == 0 else str(i) for i in chosen]
    if not names:
        return "no layers"
    return ("layer " if chosen != [0] else "") + ", ".join(names)


def all_layers(num_layers: int, embeddings: bool = False) -> tuple[int, ...]:
    return tuple(range(0 if embeddings else 1, num_layers + 1))


def check_perturbation(p: Perturbation, num_layers: int) -> None:
    if not math.isfinite(p.sigma) or p.sigma < 0:
        raise UserError(f"σ must be a finite number ≥ 0, not {p.sigma}")
    if p.sigma > MAX_SIGMA:
        raise UserError(f"σ = {p.sigma:g} is too large; use at most {MAX_SIGMA:g}")
    check_seed(p.seed)
    bad = [i for i in p.layers if not 0 <= i <= num_layers]
    if bad:
        raise UserError(
            f"layer {bad[0]} does not exist: choose 0 (embeddings) to {num_layers} to perturb"
        )


def layer_of(name: str) -> int | None:
    """Slider number of the layer an initializer belongs to (None: pooler, head, others)."""
    if name.startswith("embeddings."):
        return 0
    m = _LAYER.match(name)
    return int(m.group(1)) + 1 if m else None


def is_weight(name: str) -> bool:
    return name.endswith(".weight") or name.endswith(".weight_quantized")


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(name.encode("utf-8"))])


def _noisy(values: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    std = float(np.std(values, dtype=np.float64))
    # float32 noise: the word-embedding table alone has 11.7M values.
    noise = rng.standard_normal(values.shape, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        noise *= np.float32(sigma * std)
        return np.asarray(values + noise, dtype=values.dtype)


def _requantized(
    q: np.ndarray, scale: np.ndarray, zero: np.ndarray, sigma: float, rng: np.random.Generator
) -> np.ndarray:
    """Dequantize, add noise, quantize back with the same scale and zero point (saturating)."""
    zf = zero.astype(np.float64)
    sf = scale.astype(np.float64)
    w = (q.astype(np.float64) - zf) * sf
    w = _noisy(w, sigma, rng)
    info = np.iinfo(q.dtype)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        back = np.rint(w / sf + zf)
    back = np.nan_to_num(back, nan=float(zf.mean()), posinf=info.max, neginf=info.min)
    return np.clip(back, info.min, info.max).astype(q.dtype)


@dataclass(frozen=True)
class PerturbedModel:
    model: object  # onnx.ModelProto
    tensors: tuple[str, ...]  # the initializers that got noise


def perturb_model(model: object, p: Perturbation, num_layers: int) -> PerturbedModel:
    """A copy of ``model`` (an ``onnx.ModelProto``) with noise on the chosen layers' weights."""
    import onnx
    from onnx import numpy_helper

    assert isinstance(model, onnx.ModelProto)
    check_perturbation(p, num_layers)
    if not p.active:
        return PerturbedModel(model, ())
    chosen = set(p.layers)
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    inits = {t.name: t for t in copy.graph.initializer}
    changed: list[str] = []
    for name, tensor in inits.items():
        if not is_weight(name) or layer_of(name) not in chosen:
            continue
        values = numpy_helper.to_array(tensor)
        rng = _rng(p.seed, name)
        if name.endswith(".weight_quantized"):
            base = name[: -len("_quantized")]
            scale, zero = inits.get(base + "_scale"), inits.get(base + "_zero_point")
            if scale is None or zero is None:
                continue
            new = _requantized(
                values, numpy_helper.to_array(scale), numpy_helper.to_array(zero), p.sigma, rng
            )
        elif values.dtype.kind == "f":
            new = _noisy(values, p.sigma, rng)
        else:
            continue
        tensor.CopyFrom(numpy_helper.from_array(new, name=name))
        changed.append(name)
    if not changed:
        raise UserError(
            f"this model has no weights named like a BERT layer in {layers_label(chosen)}; "
            "it cannot be perturbed"
        )
    return PerturbedModel(copy, tuple(changed))
