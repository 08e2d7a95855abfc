"""Tokenizer files are parsed once per version: a changed file is parsed again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lab_app.core.models.store import ModelStore
from lab_app.core.models.tokenizer_cache import shared_plain_tokenizer, warm_decoder_tokenizer


def test_a_file_is_parsed_once_and_again_when_it_changes(
    built_store_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tokenizer.json"
    shutil.copy(ModelStore(built_store_dir).decoders()[0].file("tokenizer.json"), path)
    first = shared_plain_tokenizer(path)
    assert shared_plain_tokenizer(path) is first
    assert first.encode("Italy: Rome").ids == shared_plain_tokenizer(path).encode("Italy: Rome").ids
    assert first.padding is None and first.truncation is None
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    again = shared_plain_tokenizer(path)
    assert again is not first and again.encode("Rome").ids == first.encode("Rome").ids


def test_warming_parses_the_decoders_tokenizer(built_store_dir: Path) -> None:
    store = ModelStore(built_store_dir)
    warm_decoder_tokenizer(store)
    path = store.decoders()[0].file("tokenizer.json")
    assert shared_plain_tokenizer(path) is shared_plain_tokenizer(path)
