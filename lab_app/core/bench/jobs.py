"""The Benchmarks lab's background jobs: ``fn(progress, *args)``, each a thin wrapper that opens
what the core function needs (a store model, a file) inside the job, off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab_app.core.models.lru import LruCache
from lab_app.core.progress import Progress

#: The GLUE page's built-in source: the constant model on a 90/10 split.
CONSTANT_EXAMPLE = "example"
#: The model the last page's job loaded (decoder, masked LM, SBERT, the QA model, a pair model),
#: kept while the lab is shown so a second run does not load it again; given back when it is
#: hidden. One, as the window holds one lab's: a run of every page kept all five (0.5 GB more at
#: the SQuAD page); a page run after another loads its model again (0.2-0.6 s).
_HELD: LruCache[tuple[str | None, str], Any] = LruCache(1)


def release() -> None:
    """The tab was hidden: give back the models the jobs keep."""
    _HELD.release()


def glue_job(report: Progress, source: str) -> tuple[str, dict[str, Any]]:
    """The GLUE scores of ``source``: a CSV file's path, or :data:`CONSTANT_EXAMPLE`."""
    from lab_app.core.bench import glue

    report(0, 1, "Scoring the predictions…")
    data = glue.ACCURACY_VS_MCC if source == CONSTANT_EXAMPLE else glue.read_csv(Path(source))
    return data.name, data.scores()


def open_decoder(store: str | None) -> Any:
    """The store's decoder (the built-in SmolLM2 unless another was imported first), shared with
    the labs that hold it."""
    from lab_app.core.errors import UserError
    from lab_app.core.models.decoder import shared_decoder
    from lab_app.core.models.store import open_store

    def load() -> Any:
        opened = open_store(store)
        decoders = opened.decoders()
        if not decoders:
            raise UserError("no decoder in the store: use Models → Build built-in models")
        return shared_decoder(opened.model(decoders[0].name))

    return _HELD.get_or_make((store, "decoder"), load)


@dataclass(frozen=True)
class Compared:
    """One text's reading, and its variants' perplexities beside it (label, perplexity, bits
    per byte — None for a masked LM — and tokens scored)."""

    kind: str  # "decoder" or "masked"
    result: Any  # PerplexityResult or PseudoPerplexityResult
    rows: tuple[tuple[str, float, float | None, int], ...]


def perplexity_job(
    report: Progress, store: str | None, text: str, kind: str = "decoder", seed: int = 0
) -> Compared:
    """``text`` read by the decoder (perplexity) or the masked LM (pseudo-perplexity), then its
    shuffled words, random characters and the Finnish passage, for comparison."""
    from lab_app.core.bench import perplexity as ppl
    from lab_app.core.errors import UserError
    from lab_app.core.progress import SILENT, tick

    if kind not in ("decoder", "masked"):
        raise ValueError(kind)
    if kind == "decoder":
        model: Any = open_decoder(store)
    else:
        model = _HELD.get_or_make((store, "mlm"), lambda: ppl.builtin_masked_lm(store))
    score = ppl.perplexity if kind == "decoder" else ppl.pseudo_perplexity
    result = score(model, text, progress=report)
    texts = [("original", text)]
    try:
        texts = list(ppl.comparison_texts(text, seed))
    except UserError:  # a text without letters has no random-character twin: compare less
        texts += [
            ("shuffled words", ppl.shuffled_words(text, seed)),
            ("Finnish", ppl.FINNISH_SAMPLE),
        ]
    rows = []
    for i, (label, variant) in enumerate(texts):
        tick(report, i, len(texts), f"Comparing: {label}…")
        try:
            r = result if i == 0 else score(model, variant, progress=SILENT)
        except UserError:  # a variant too short to score (one word shuffled is itself)
            continue
        bpb = getattr(r, "bits_per_byte", None)  # a masked LM has no left-to-right bytes
        rows.append((label, r.perplexity, bpb, r.count))
    return Compared(kind, result, tuple(rows))


def choice_set_job(report: Progress, store: str | None, name: str) -> tuple[Any, Any]:
    """The shipped item set ``name`` scored by the decoder: ``(ItemSet, ChoiceRun)``."""
    from lab_app.core.bench.choice import evaluate
    from lab_app.core.bench.items import item_set

    items = item_set(name)
    report(0, len(items.items), f"Loading the decoder for {items.title}…")
    return items, evaluate(open_decoder(store), items.items, progress=report)


def choice_job(report: Progress, store: str | None, context: str, options: list[str]) -> Any:
    """One question of the student's own: every option's log-probability (a ChoiceResult)."""
    from lab_app.core.bench.choice import check_choice, score_choice

    check_choice(context, options)  # before the model loads: a bad question answers at once
    report(0, 1, "Scoring the options…")
    return score_choice(open_decoder(store), context, options)


def open_scorer(store: str | None, name: str | None) -> tuple[str, Any]:
    """``("decoder", Decoder)`` or ``("masked", Encoder)`` for the store model ``name`` (default:
    the store's decoder): a decoder reads left to right (perplexity), a masked LM both ways
    (pseudo-perplexity). Any other model is refused with what it is."""
    from lab_app.core.bench.perplexity import builtin_masked_lm
    from lab_app.core.errors import UserError
    from lab_app.core.models.decoder import shared_decoder
    from lab_app.core.models.store import open_store

    if name is None:
        return "decoder", open_decoder(store)
    opened = open_store(store)
    entry = opened.model(name)
    if entry.manifest.is_decoder:
        return "decoder", shared_decoder(entry)
    if "logits" not in entry.manifest.outputs:
        raise UserError(f"{name} is neither a decoder nor a masked LM: it cannot score a text")
    return "masked", builtin_masked_lm(opened, name)


def metrics_job(report: Progress, store: str | None, candidates: list[Any]) -> Any:
    """Every text metric for each candidate, with SBERT's similarity when the store has it
    (a MetricsRun; without the encoder, the metrics alone and a note saying why)."""
    from lab_app.core.bench.metrics_run import SIMILARITY_MODEL, score_candidates
    from lab_app.core.errors import UserError
    from lab_app.core.mlm.graph_cache import lab_encoder
    from lab_app.core.models.store import open_store

    try:
        encoder = _HELD.get_or_make(
            (store, "sbert"), lambda: lab_encoder(open_store(store).model(SIMILARITY_MODEL))
        )
    except UserError as exc:  # no such encoder in this store: the counts still answer
        run = score_candidates(candidates, progress=report)
        return type(run)(run.rows, run.corpus_bleu, run.mean_sentence_bleu, "", str(exc))
    return score_candidates(candidates, encoder, progress=report)


def squad_job(report: Progress, store: str | None, path: str) -> Any:
    """The store's QA model on a SQuAD v1.1 file (``""``: its held-out test questions)."""
    from lab_app.core.bench.squad_bench import open_qa_model, run_squad

    report(0, 1, "Loading the QA model…")
    model = _HELD.get_or_make((store, "qa"), lambda: open_qa_model(store))
    return run_squad(model, Path(path) if path else None, progress=report)


def glue_model_job(
    report: Progress, store: str | None, model: str | None, path: str
) -> tuple[str, dict[str, Any]]:
    """A store pair model's predictions on a labelled pairs file (``""``: bert-lab-nsp's held-out
    pairs), and their GLUE scores."""
    from lab_app.core.bench.glue_run import DEFAULT_PAIR_MODEL, pair_predictions
    from lab_app.core.taskmodels.task_model import open_task_model

    name = model or DEFAULT_PAIR_MODEL
    task_model = _HELD.get_or_make((store, f"pair:{name}"), lambda: open_task_model(store, name))
    data = pair_predictions(task_model, Path(path) if path else None, progress=report)
    return data.name, data.scores()


def pair_models(store: str | None) -> list[str]:
    """The names of the store's pair models (a few manifests read: fast enough to list at once);
    none when the store cannot be opened (the page then says so when run)."""
    from lab_app.core.errors import UserError
    from lab_app.core.models.store import open_store

    try:
        return [e.name for e in open_store(store).task_models("pair")]
    except UserError:
        return []
