"""The one seed rule (0 … 2³²−1), and the core entry points that apply it before any work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from lab_app.core.errors import UserError
from lab_app.core.seeds import GUI_SEED_MAX, SEED_MAX, check_seed

RULE = "a seed is a whole number from 0 to 4294967295"
UNUSED: Any = None  # a model, session or data the check comes before


@pytest.mark.parametrize("value", [0, 1, 2**31 - 1, SEED_MAX, np.int64(7), np.uint32(SEED_MAX)])
def test_whole_numbers_in_range_are_seeds(value: Any) -> None:
    seed = check_seed(value)
    assert seed == int(value) and type(seed) is int


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-1, "-1"), (-5, "-5"), (2**32, "4294967296"), (True, "True"), (1.5, "1.5"),
     (2.0, "2.0"), ("7", "'7'"), (None, "None")],
)  # fmt: skip
def test_anything_else_is_refused_with_the_rule(value: object, shown: str) -> None:
    with pytest.raises(UserError) as exc:
        check_seed(value)
    assert str(exc.value) == f"{RULE}, not {shown}"


def test_the_window_offers_a_subset_that_fits_a_qspinbox() -> None:
    assert SEED_MAX == 2**32 - 1
    assert GUI_SEED_MAX == 2**31 - 1  # QSpinBox holds a C int
    assert check_seed(GUI_SEED_MAX) == GUI_SEED_MAX


def _generate(seed: int) -> None:
    from lab_app.core.models.generate import Sampling

    Sampling(temperature=1.0, seed=seed).check()


def _finetune(seed: int) -> None:
    from lab_app.core.finetune.methods import FineTuneConfig, check_config

    check_config(FineTuneConfig(model="m", method="features", seed=seed), 6)


def _shots(seed: int) -> None:
    from lab_app.core.prompting.shots import run_shots
    from lab_app.core.prompting.tasks import builtin_task

    run_shots(UNUSED, builtin_task("antonyms"), (0, 1), draws=1, seed=seed)


def _masking_draw(seed: int) -> None:
    from lab_app.core.mlm.masking import ReplacementVocab, draw_masking

    draw_masking(["a", "b"], seed, ReplacementVocab("[MASK]", ("x", "y")))


def _masking_counts(seed: int) -> None:
    from lab_app.core.mlm.masking import masking_counts

    masking_counts(5, 100, draws=10, first_seed=seed)


def _noise(seed: int) -> None:
    from lab_app.core.embeddings.perturb import Perturbation, check_perturbation

    check_perturbation(Perturbation(0.1, seed, (1,)), 6)


def _umap(seed: int) -> None:
    from lab_app.core.embeddings.projection import ProjectionSettings, check_settings

    check_settings(ProjectionSettings("umap", seed=seed), 100)


def _analyse(seed: int) -> None:
    from lab_app.core.embeddings.lab import analyse

    analyse(UNUSED, UNUSED, UNUSED, UNUSED, 3, seed=seed)


def _sweep(seed: int) -> None:
    from lab_app.core.embeddings.lab import sweep

    sweep(UNUSED, UNUSED, UNUSED, 3, seed=seed)


ENTRY_POINTS: dict[str, Callable[[int], None]] = {
    "generate": _generate, "finetune": _finetune, "shots": _shots,
    "masking draw": _masking_draw, "masking counts": _masking_counts,
    "weight noise": _noise, "umap": _umap, "analyse": _analyse, "sweep": _sweep,
}  # fmt: skip


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
@pytest.mark.parametrize("seed", [-1, 2**32])
def test_every_core_entry_point_refuses_a_bad_seed_first(name: str, seed: int) -> None:
    """The window and the command line meet the same rule, before any model or data is used."""
    with pytest.raises(UserError, match=RULE):
        ENTRY_POINTS[name](seed)
