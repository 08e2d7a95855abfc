"""One session per model across labs, given back when a lab lets go (issue 29: memory).

No resident-size assertions here: what is checked is who holds what — the same session object
for two labs, and none left alive (a dead weak reference) once the holders release it.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lab_app.core.fill_mask.jobs import SessionCache
from lab_app.core.mlm.graph_cache import lab_encoder
from lab_app.core.models import sessions
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.lru import LruCache
from lab_app.core.models.store import ModelStore

MLM = "bert-lab-mlm"


@pytest.fixture(scope="module")
def store(built_store_dir: Path) -> ModelStore:
    return ModelStore(built_store_dir)


def gone(ref: Callable[[], object | None], timeout: float = 5.0) -> bool:
    """Whether ``ref``'s object was freed (the give-back thread drops it a moment later)."""
    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        gc.collect()
        if ref() is None:
            return True
        done.wait(0.02)
    return False


def test_two_labs_asking_for_the_same_model_get_the_same_session(store: ModelStore) -> None:
    from lab_app.core.inside import jobs as inside

    fill_mask = SessionCache()
    try:
        filled = fill_mask.get(store, MLM).encoder
        looked = inside._encoder(str(store.root), MLM)
        features = lab_encoder(store.model(MLM))  # Fine-tuning's frozen features
        assert filled.session is looked.session is features.session
        assert filled.graph_file == looked.graph_file and "mask_positions" in looked.input_names
        # each lab tokenizes with its own tokenizer (truncation is set per call)
        assert filled.tokenizer is not looked.tokenizer
    finally:
        fill_mask.release()
        inside.release()


def test_the_shared_graph_gives_the_store_graphs_outputs(store: ModelStore) -> None:
    plain = Encoder(store.model(MLM))
    shared = lab_encoder(store.model(MLM))
    assert shared.session is not plain.session  # the derived graph: no head at every token
    batch = plain.tokenize(["how are you today?", "the cat sat on the mat ."])
    names = ["last_hidden_state", "hidden_states", "attentions"]
    ours, ref = shared.run(batch, names), plain.run(batch, names)
    for name in names:
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-5, atol=1e-5)


def test_a_released_lab_frees_its_session(store: ModelStore) -> None:
    from lab_app.core.inside import jobs as inside

    ref = weakref.ref(inside._encoder(str(store.root), MLM).session)
    assert ref() is not None
    inside.release()
    assert gone(ref), "the session outlived the lab that held it"


def test_a_session_another_lab_holds_stays_when_one_releases(store: ModelStore) -> None:
    from lab_app.core.inside import jobs as inside

    kept = lab_encoder(store.model(MLM))  # another lab's hold
    ref = weakref.ref(inside._encoder(str(store.root), MLM).session)
    inside.release()
    gc.collect()
    assert ref() is kept.session
    assert inside._encoder(str(store.root), MLM).session is kept.session  # not loaded again
    inside.release()


def test_release_empties_the_cache_and_drops_off_the_callers_thread() -> None:
    class Big:
        pass

    dropped: list[str] = []
    cache: LruCache[str, Big] = LruCache(2)
    value = cache.get_or_make("a", Big)
    weakref.finalize(value, lambda: dropped.append(threading.current_thread().name))
    ref = weakref.ref(value)
    del value
    cache.release()
    assert len(cache) == 0 and "a" not in cache
    assert gone(ref)
    assert dropped == ["bert-lab-give-back"]


def test_a_full_cache_lets_go_of_its_oldest_entry_before_the_next_one_loads() -> None:
    class Big:
        pass

    cache: LruCache[str, Big] = LruCache(1)
    ref = weakref.ref(cache.get_or_make("a", Big))
    seen: list[bool] = []
    cache.get_or_make("b", lambda: seen.append(gone(ref)) or Big())  # type: ignore[func-returns-value]
    assert seen == [True] and "b" in cache and "a" not in cache


def test_the_decoder_and_its_head_are_loaded_once(store: ModelStore) -> None:
    from lab_app.core.models.decoder import shared_decoder
    from lab_app.core.prompting import jobs as prompting

    entry = store.decoders()[0]
    first = prompting.load_decoder(str(store.root))
    assert shared_decoder(store.model(entry.name)) is first
    assert prompting.load_decoder(str(store.root)) is first
    ref = weakref.ref(first)
    del first
    prompting.release()
    assert gone(ref)


def test_a_rebuilt_file_is_a_new_session(store: ModelStore, tmp_path: Path) -> None:
    source = store.model("paraphrase-MiniLM-L3-v2").file("model.onnx")
    copy = tmp_path / "model.onnx"
    copy.write_bytes(source.read_bytes())
    made: list[int] = []

    class Loaded:
        pass

    def make() -> object:
        made.append(1)
        return Loaded()

    first = sessions.shared(("test", *sessions.file_key(copy)), make)
    assert sessions.shared(("test", *sessions.file_key(copy)), make) is first
    copy.write_bytes(source.read_bytes() + b"\0")
    assert sessions.shared(("test", *sessions.file_key(copy)), make) is not first
    assert len(made) == 2
