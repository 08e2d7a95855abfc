"""Shared fixtures of the Embeddings lab's tests: the chatbot sample and one lab session.

Load with ``pytest_plugins = ["cluster_fixtures"]``. The session (model sessions, vectors) is
shared by every test of a run so the real models are loaded and the sample embedded once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

MODEL = "all-MiniLM-L6-v2"
NO_POOLER = "paraphrase-MiniLM-L3-v2"
INT8 = "all-MiniLM-L6-v2-int8"


@pytest.fixture(scope="session")
def sample_dataset() -> object:
    from lab_app.core.embeddings.lab import Dataset
    from lab_app.core.io.text_input import read_utterances, sample_dataset_path

    data = read_utterances(sample_dataset_path())
    return Dataset.of(data.texts, data.labels, "sample")


@pytest.fixture(scope="session")
def lab_session(built_store_dir: Path) -> object:
    from lab_app.core.embeddings.cache import ModelPool
    from lab_app.core.embeddings.lab import LabSession
    from lab_app.core.models.store import ModelStore

    return LabSession(ModelPool(ModelStore(built_store_dir)))


@pytest.fixture(scope="session")
def sbert_vectors(lab_session: object, sample_dataset: object) -> np.ndarray:
    from lab_app.core.embeddings.lab import EmbedConfig, embed_dataset, resolved

    config = resolved(lab_session, EmbedConfig(MODEL, "sbert"))  # type: ignore[arg-type]
    return embed_dataset(lab_session, sample_dataset, config).vectors  # type: ignore[arg-type]


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    """Twelve labelled utterances in three intents: small enough for quick UMAP tests."""
    rows = [
        ("when does the library open", "library"),
        ("library opening hours", "library"),
        ("is the library open on sunday", "library"),
        ("what time does the library close", "library"),
        ("how do I pay my tuition fees", "fees"),
        ("tuition payment deadline", "fees"),
        ("can I pay fees in instalments", "fees"),
        ("where do I pay the semester fee", "fees"),
        ("the wifi is not working", "wifi"),
        ("cannot connect to eduroam", "wifi"),
        ("wireless internet keeps dropping", "wifi"),
        ("how do I get on the campus wifi", "wifi"),
    ]
    path = tmp_path / "small.csv"
    body = "".join(f"{t},{lab}\n" for t, lab in rows)
    path.write_text("text,intent\n" + body, encoding="utf-8")
    return path
