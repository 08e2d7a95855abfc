"""The activations the ONNX builder writes (erf GELU, tanh GELU, ReLU), in numpy, computed as
transformers does: the masked-LM head of the logit lens and the fine-tuning backward pass use them.
And the one softmax every lab uses (attention, fill-mask's vocabulary, the decoder's next token).
"""

from __future__ import annotations

import math

import numpy as np

from lab_app.core.errors import UserError

_SQRT_2_PI = math.sqrt(2.0 / math.pi)


def activation(kind: str, x: np.ndarray) -> np.ndarray:
    """The activation alone."""
    if kind == "relu":
        return np.maximum(x, 0.0)
    if kind == "gelu":
        return x * _gelu_cdf(np.asarray(x, dtype=np.float32))[0]
    if kind == "gelu_new":
        inner = _SQRT_2_PI * (x + 0.044715 * x**3)
        return np.asarray(0.5 * x * (1.0 + np.tanh(inner)), dtype=np.float32)
    raise UserError(f"unsupported activation {kind!r}")


def activation_and_grad(kind: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The activation and its derivative at ``x`` (fine-tuning's backward pass)."""
    if kind == "relu":
        return np.maximum(x, 0), (x > 0).astype(x.dtype)
    if kind == "gelu":
        return _gelu_erf(x)
    inner = np.float32(_SQRT_2_PI) * (x + np.float32(0.044715) * x**3)
    t = np.tanh(inner)
    d_inner = np.float32(_SQRT_2_PI) * (1.0 + np.float32(3 * 0.044715) * x * x)
    return 0.5 * x * (1.0 + t), 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner


# erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, measured 5e-7 in float32), in numpy's
# vectorised passes, reusing the exponential the derivative needs: 1.7× faster than
# scipy.special.erf, whose float32 loop is not vectorised (7.6 ms against exp's 0.3 ms here).
_P = np.float32(0.3275911)
_A = [np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


def _gelu_cdf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ(x), written with erf(x/√2), and e^(-x²/2), which the derivative needs too."""
    z = x * np.float32(1 / math.sqrt(2.0))
    gauss = x * x
    gauss *= np.float32(-0.5)
    np.exp(gauss, out=gauss)  # e^(-z²): erf's factor, and φ(x)·√(2π)
    t = np.abs(z)
    t *= _P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = _A[0] * t
    for a in _A[1:]:
        poly += a
        poly *= t
    poly *= gauss
    np.subtract(1.0, poly, out=poly)
    cdf = np.copysign(poly, z, out=poly)  # erf(z)
    cdf += 1.0
    cdf *= 0.5
    return cdf, gauss


def _gelu_erf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x·Φ(x) and its derivative Φ(x) + x·φ(x)."""
    cdf, gauss = _gelu_cdf(x)
    d = gauss * x
    d *= np.float32(1 / math.sqrt(2.0 * math.pi))
    d += cdf
    return x * cdf, d


def softmax(x: np.ndarray, dtype: type[np.floating] = np.float64) -> np.ndarray:
    """Softmax over the last axis, computed in ``dtype``: float64 by default, so the tiny
    probabilities of a 30k-49k vocabulary keep their digits; float32 where the engine stays in
    float32 throughout (fine-tuning's attention)."""
    z = np.asarray(x, dtype=dtype)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def log_softmax(x: np.ndarray) -> np.ndarray:
    """Log-softmax over the last axis, in float64."""
    z = np.asarray(x, dtype=np.float64)
    m = z.max(axis=-1, keepdims=True)
    return np.asarray(z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))
