"""A small random BERT with a masked-LM head and the real bert-base-uncased vocabulary.

The store has no masked-LM model yet, so the fill-mask tests build one: 2 layers, hidden 32, the
30,522-entry WordPiece vocabulary (so predictions are real tokens), saved as a Hugging Face folder
and imported into a throw-away store beside a plain encoder without a head. Load with
``pytest_plugins = ["fill_mask_fixtures"]``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

MLM_NAME = "tiny-mlm"
PLAIN_NAME = "aaa-plain-encoder"  # sorts first: the default model must skip it (no MLM head)
SMALL_MLM = {
    "vocab_size": 30522,
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 64,
    "max_position_embeddings": 512,
    # Wider than BERT's 0.02 so that a random model still has peaked, well-separated guesses.
    "initializer_range": 0.2,
}


def _tokenizer_files(built_store_dir: Path, folder: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    source = built_store_dir / "tokenizers" / "wordpiece" / "tokenizer.json"
    tok = PreTrainedTokenizerFast(
        tokenizer_file=str(source),
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=512,
    )
    tok.save_pretrained(str(folder))
    shutil.copyfile(source, folder / "tokenizer.json")


def save_random_mlm(folder: Path, built_store_dir: Path, *, seed: int = 0, **shape: int) -> Path:
    """Save a seeded random BertForMaskedLM with the bert-base-uncased tokenizer to ``folder``."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(seed)
    config = transformers.BertConfig(**{**SMALL_MLM, **shape}, attn_implementation="eager")
    model = transformers.BertForMaskedLM(config).eval()
    with torch.no_grad():
        # Non-trivial LayerNorms and biases, so the head's every term is exercised.
        for name, param in model.named_parameters():
            if "LayerNorm" in name or name.endswith("bias"):
                param.add_(torch.randn_like(param) * 0.1)
    model.save_pretrained(str(folder), safe_serialization=True)
    _tokenizer_files(built_store_dir, folder)
    return folder


@pytest.fixture(scope="session")
def mlm_hf_dir(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test masked-LM as a Hugging Face folder (transformers loads it as the reference)."""
    return save_random_mlm(tmp_path_factory.mktemp("tiny-mlm"), built_store_dir)


@pytest.fixture(scope="session")
def mlm_store_dir(
    mlm_hf_dir: Path, built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A store holding the masked-LM model and, sorted before it, an encoder with no MLM head."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from lab_app.core.models.build.model_import import import_folder
    from lab_app.core.models.store import ModelStore

    root = tmp_path_factory.mktemp("mlm-store")
    store = ModelStore(root)
    import_folder(store, mlm_hf_dir, name=MLM_NAME)
    plain = tmp_path_factory.mktemp("plain")
    torch.manual_seed(1)
    config = transformers.BertConfig(**SMALL_MLM)
    transformers.BertModel(config).save_pretrained(str(plain), safe_serialization=True)
    _tokenizer_files(built_store_dir, plain)
    import_folder(store, plain, name=PLAIN_NAME)
    return root


@pytest.fixture
def mlm_store(mlm_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The masked-LM store as the default store (``BERT_LAB_STORE``)."""
    monkeypatch.setenv("BERT_LAB_STORE", str(mlm_store_dir))
    yield mlm_store_dir


@pytest.fixture(scope="session")
def mlm_encoder(mlm_store_dir: Path) -> object:
    """An Encoder for the test masked-LM, created once (sessions are slow to create)."""
    from lab_app.core.models.encoder import Encoder
    from lab_app.core.models.store import ModelStore

    return Encoder(ModelStore(mlm_store_dir).model(MLM_NAME))


@pytest.fixture(scope="session")
def mlm_fast_encoder(mlm_store_dir: Path) -> object:
    """The same model through :func:`fill_mask_encoder` (head computed at the masks only)."""
    from lab_app.core.fill_mask.predict import fill_mask_encoder
    from lab_app.core.models.store import ModelStore

    return fill_mask_encoder(ModelStore(mlm_store_dir).model(MLM_NAME))
