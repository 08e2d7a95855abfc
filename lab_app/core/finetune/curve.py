"""How much labelled data: held-out accuracy against examples per intent, for the feature-based
classifier and a fine-tuned one, on the same held-out split (the chart's "large dataset?")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from lab_app.core.finetune.data import make_split
from lab_app.core.finetune.methods import FineTuneConfig, finetune
from lab_app.core.models.store import ModelStore
from lab_app.core.progress import SILENT, Progress, Relabelled
from lab_app.core.seeds import check_seed

SHOTS: tuple[int | None, ...] = (1, 2, 4, 8, None)  # None: every training example


@dataclass(frozen=True)
class CurvePoint:
    shots: int | None
    examples: int
    features: float
    fine_tuned: float


@dataclass(frozen=True)
class Curve:
    method: str
    model: str
    points: tuple[CurvePoint, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "model": self.model,
            "points": [
                {
                    "per_intent": p.shots or "all",
                    "examples": p.examples,
                    "features": round(p.features, 6),
                    "fine_tuned": round(p.fine_tuned, 6),
                }
                for p in self.points
            ],
        }


def learning_curve(
    store: ModelStore,
    texts: Sequence[str],
    labels: Sequence[str] | None,
    config: FineTuneConfig,
    shots: Sequence[int | None] = SHOTS,
    progress: Progress = SILENT,
) -> Curve:
    """``config`` is the fine-tuned method; the feature-based run uses its model and pooling."""
    check_seed(config.seed)  # before the split, which would fail on it less clearly
    split = make_split(labels, config.test_size, config.seed)
    points = []
    features_config = replace(config, method="features", layer=None)
    for n, count in enumerate(shots):
        part = replace(split, train=split.per_class(count, config.seed))
        label = f"{count or 'all'} per intent"

        def step(d: int, t: int, m: str, n: int = n, label: str = label) -> str:
            return f"{label} ({n + 1}/{len(shots)}): {m}"

        sub = Relabelled(progress, step)
        features = finetune(store, texts, labels, features_config, split=part, progress=sub)
        tuned = finetune(store, texts, labels, config, split=part, progress=sub)
        points.append(CurvePoint(count, len(part.train), features.accuracy, tuned.accuracy))
    return Curve(config.method, config.model, tuple(points))
