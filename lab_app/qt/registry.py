"""The lab tabs, in order, and how each is made: adding a lab adds one line here.

Each tab's module is imported only when the tab is made, so a lab whose module is heavy does not
slow the first paint. A missing module is an error, never a placeholder: a bundle that lost a lab
must fail its test, not hide it.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from lab_app.qt.shell.tab import LabTab


@dataclass(frozen=True)
class TabSpec:
    object_name: str
    title: str
    blurb: str
    module: str
    cls: str
    #: ``"module:function"``, a Qt-free ``function(store)`` that loads what the tab's first open
    #: would otherwise load while holding the GIL; run in the background once the window is idle.
    warm: str = ""


TABS: tuple[TabSpec, ...] = (
    TabSpec(
        "tab_fill_mask",
        "Fill-mask",
        "Watch BERT fill a [MASK], layer by layer.",
        "lab_app.qt.fill_mask.tab",
        "FillMaskTab",
    ),
    TabSpec(
        "tab_tokenizers",
        "Tokenizers",
        "WordPiece, BPE and SentencePiece cut the same text.",
        "lab_app.qt.tokenizers.tab",
        "TokenizersTab",
        warm="lab_app.core.tokenizers.stats:warm_lab",
    ),
    TabSpec(
        "tab_specs",
        "Model specs",
        "The lecture's tables, corrected, and a calculator that recomputes them.",
        "lab_app.qt.specs.tab",
        "SpecsTab",
    ),
    TabSpec(
        "tab_embeddings",
        "Embeddings",
        "Chatbot utterances through BERT and SBERT, in PCA and UMAP, with K-Means.",
        "lab_app.qt.embeddings.tab",
        "EmbeddingsTab",
    ),
    TabSpec(
        "tab_prompting",
        "Prompting",
        "In-context learning on a small Llama: zero-shot vs few-shot, instruct vs chat.",
        "lab_app.qt.prompting.tab",
        "PromptingTab",
        warm="lab_app.core.models.tokenizer_cache:warm_decoder_tokenizer",
    ),
    TabSpec(
        "tab_finetune",
        "Fine-tuning",
        "Reuse features, retrain part, retrain all, or add LoRA adapters: the lecture's chart.",
        "lab_app.qt.finetune.tab",
        "FineTuneTab",
    ),
    TabSpec(
        "tab_inside",
        "Inside",
        "Attention heads, bidirectional vs causal masks, and three kinds of positions.",
        "lab_app.qt.inside.tab",
        "InsideTab",
        warm="lab_app.core.models.tokenizer_cache:warm_decoder_tokenizer",
    ),
    TabSpec(
        "tab_pretrain",
        "Pre-training",
        "From word2vec to BERT: word vectors, words in context, sentence similarity.",
        "lab_app.qt.pretrain.tab",
        "PretrainTab",
        warm="lab_app.core.pretrain.jobs:warm_lab",
    ),
    TabSpec(
        "tab_bench",
        "Benchmarks",
        "Perplexity, BLEU, ROUGE, METEOR, multiple choice, SQuAD and GLUE, run on its models.",
        "lab_app.qt.bench.tab",
        "BenchTab",
    ),
)


def make_tab(spec: TabSpec, store: str | None) -> LabTab:
    """The lab's tab, made by importing its module now."""
    module = importlib.import_module(spec.module)
    factory: Callable[..., LabTab] = getattr(module, spec.cls)
    if "store" in inspect.signature(factory).parameters:
        return factory(store=store)
    return factory()


def warm_tasks(store: str | None) -> list[Callable[[], object]]:
    """Each tab's ``warm`` function bound to the store, for the prewarm thread."""

    def task(target: str) -> Callable[[], object]:
        def run() -> object:
            from lab_app.core.models.store import open_store

            module, name = target.split(":")
            return getattr(importlib.import_module(module), name)(open_store(store))

        return run

    return [task(spec.warm) for spec in TABS if spec.warm]
