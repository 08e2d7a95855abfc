"""A fine-tuned encoder back into the store: the same ONNX builder, a manifest that says how.

The classifier head is not part of the encoder contract and is not saved; what the store gains is
the encoder whose vectors were trained to separate the intents, which the Embeddings lab can then
map. LoRA adapters are merged into their Linear weights first (``W + scale · A @ B``).
"""

from __future__ import annotations

from lab_app.core.errors import UserError
from lab_app.core.finetune.methods import FineTuneResult
from lab_app.core.finetune.task_run import TaskResult
from lab_app.core.finetune.weights import canonical
from lab_app.core.models.store import Entry, ModelStore


def check_save_name(store: ModelStore, name: str) -> None:
    """Refuse a name that is unusable or taken: saving never replaces a model."""
    from lab_app.core.models.build.model_import import check_model_name

    check_model_name(name)
    if name in {e.name for e in store.models()}:
        raise UserError(
            f"a model named '{name}' is already in the store; save the fine-tuned model under "
            "another name (nothing was replaced)"
        )


def save_finetuned(store: ModelStore, name: str, result: FineTuneResult, dataset: str) -> Entry:
    from lab_app.core.models.build.model_import import write_encoder_entry
    from lab_app.core.models.store_lock import write_lock

    if result.params is None or result.encoder_config is None:
        raise UserError(
            "the feature-based method trains no encoder weight, so there is no new model to "
            "save; fine-tune with partial, full or LoRA"
        )
    check_save_name(store, name)
    base = store.model(result.config.model)
    cfg = result.config
    how = {
        "method": cfg.method,
        "dataset": dataset,
        "epochs": cfg.epochs,
        "learning_rate": cfg.learning_rate,
        "pooling": cfg.pooling,
        "seed": cfg.seed,
        "accuracy": round(result.accuracy, 4),
        "macro_f1": round(result.macro_f1, 4),
        "intents": list(result.classes),
    }
    if cfg.method == "partial":
        how["layers_trained"] = cfg.layers
    if cfg.method == "lora":
        how["rank"], how["alpha"] = cfg.rank, cfg.alpha
    with write_lock(store):
        check_save_name(store, name)  # again, under the lock
        return write_encoder_entry(
            store,
            name,
            result.encoder_config,
            canonical(result.params, result.lora_scale),
            base.file("tokenizer.json").read_bytes(),
            pooling=base.manifest.pooling,
            description=(
                f"{base.name} fine-tuned on {dataset} ({cfg.method}, {cfg.epochs} epochs): "
                f"held-out accuracy {result.accuracy:.1%}, macro-F1 {result.macro_f1:.3f}."
            ),
            source={"base_model": base.name, "dataset": dataset},
            license=base.manifest.license,
            extra={"fine_tuned": how},
        )


def save_task_model(store: ModelStore, name: str, result: TaskResult, dataset: str) -> Entry:
    """A fine-tuned tagger, QA model or pair classifier into the store, head included.

    Partial fine-tuning and the feature-based head changed only the top of the encoder, so the
    saved graph starts there and runs on the base model's hidden states (a few megabytes); full
    fine-tuning and LoRA save every layer."""
    import shutil
    import tempfile
    from pathlib import Path

    from lab_app.core.models.build.task_onnx import TaskSpec, weights_for_graph, write_task_folder
    from lab_app.core.models.store import read_manifest
    from lab_app.core.models.store_lock import clean_leftovers, write_lock

    if result.params is None or result.encoder_config is None:
        raise UserError("this run kept no weights to save")
    check_save_name(store, name)
    base = store.model(result.config.model)
    cfg = result.config
    figures = {k: round(v, 4) for k, v in result.metrics.items() if k != "loss"}
    how = {"method": cfg.method, "dataset": dataset, "epochs": cfg.epochs, "seed": cfg.seed}
    how.update(learning_rate=cfg.learning_rate, **figures)
    spec = TaskSpec(
        result.task,
        result.labels,
        result.from_layer,
        cfg.pooling or "cls",
        base.name,
        {"base_sha256": base.manifest.files.get("model.onnx", "")},
    )
    summary = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
    with write_lock(store):
        check_save_name(store, name)
        clean_leftovers(store)
        final = store.entry_dir("models", name)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".importing-{name}-", dir=final.parent))
        try:
            write_task_folder(
                tmp,
                name,
                result.encoder_config,
                weights_for_graph(result.params, result.lora_scale),
                base.file("tokenizer.json").read_bytes(),
                spec,
                description=(
                    f"{base.name} fine-tuned to {result.task} on {dataset} ({cfg.method}, "
                    f"{cfg.epochs} epochs): held-out {summary}."
                ),
                source={"base_model": base.name, "dataset": dataset},
                license=base.manifest.license,
                extra={"fine_tuned": how},
            )
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return Entry(final, read_manifest(final), read_only=False)
