"""Next sentence prediction with the built-in bert-lab-nsp: the BERT paper's own two examples come
out right, the card's figures travel with the model, and bad input is refused calmly."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_app.core.errors import UserError
from lab_app.core.fill_mask.nsp import nsp, nsp_job, open_nsp, release
from lab_app.core.taskmodels.task_model import TaskModel

STORE = "The man went to the store."


@pytest.fixture(scope="module")
def model(built_store_dir: Path) -> TaskModel:
    return open_nsp(str(built_store_dir))


def test_the_papers_two_examples(model: TaskModel) -> None:
    milk = nsp(model, STORE, "He bought a gallon of milk.")
    penguins = nsp(model, STORE, "Penguins are flightless birds.")
    assert milk.is_next > 0.5 > penguins.is_next, (milk, penguins)
    assert milk.is_next + milk.not_next == pytest.approx(1.0, abs=1e-6)
    assert milk.model == "bert-lab-nsp" and 0.5 < milk.heldout_accuracy <= 1
    assert milk.heldout_pairs >= 100


@pytest.mark.parametrize(("a", "b"), [("", "B."), ("A.", "  ")])
def test_empty_sentences_are_refused(model: TaskModel, a: str, b: str) -> None:
    with pytest.raises(UserError, match="both"):
        nsp(model, a, b)


def test_huge_input_is_refused(model: TaskModel) -> None:
    with pytest.raises(UserError, match="shorten"):
        nsp(model, "word " * 2000, "another")


def test_the_job_keeps_the_model_until_released(built_store_dir: Path) -> None:
    first = nsp_job(None, str(built_store_dir), STORE, "He bought a gallon of milk.")
    again = nsp_job(None, str(built_store_dir), STORE, "He bought a gallon of milk.")
    assert first == again
    release()
