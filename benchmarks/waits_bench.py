"""What a teacher waits for in class: every lab's default actions, timed in one process.

Each action calls the core function the tab's job calls, with the window's default settings (a
fresh window: no saved state), against one model store. "cold" is the first run in this process
(model loads included: ONNX Runtime sessions, the decoder, tokenizers); "warm" is the same action
again where a class repeats it, with the models kept as the tab keeps them but the result caches
emptied where the tab would compute anew (another sentence, new data, new settings: Compare's
cold run finds A already mapped, its warm run maps both). Before the
labs run, the window's background prewarm (library imports, tokenizer loads) runs and is timed on
its own, as the window does it once it is idle. The OS file cache is whatever it is: run it twice
for files already in memory. A table, longest cold time first, ends the output.

    python benchmarks/waits_bench.py [--store DIR] [--cache DIR] [--only LAB ...] [--no-build]
                                     [--fresh-numba]

``--store`` defaults to the user's store (the test store is ~/.cache/bert-lab/test-store).
``models build`` goes into a fresh temporary store from the artifact cache (``--cache``, default
``$BERT_LAB_CACHE`` or the user's cache, where the test store lives) and is skipped, never
downloaded, when an artifact is missing there; the network is blocked in this process.
``--fresh-numba`` points numba's cache at an empty folder so that UMAP's first use compiles all
its kernels (the very first start on a machine); without it the kernels umap marks cache=True
come from the user's numba cache (its parallel ones compile in every process all the same).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

Note = str | None
Action = Callable[[], Note]


@dataclass
class Row:
    lab: str
    action: str
    cold: float
    warm: float | None
    note: str


class Bench:
    def __init__(self, only: list[str]) -> None:
        self.only = [o.lower() for o in only]
        self.rows: list[Row] = []

    def wanted(self, lab: str) -> bool:
        return lab == "start-up" or not self.only or any(o in lab.lower() for o in self.only)

    def add(self, lab: str, action: str, cold: Action, warm: Action | bool = False) -> None:
        """Time ``cold()``, then ``warm()`` (``True``: ``cold`` again); each may return a note
        on what took the time (the warm one is shown after "warm:" when it differs)."""
        if not self.wanted(lab):
            return
        again = cold if warm is True else warm or None
        try:
            c, note = clock(cold)
            w, note2 = clock(again) if again else (None, None)
            if note2 and note2 != note:
                note = f"{note or ''}; warm: {note2}"
        except Exception as exc:  # one broken lab must not hide the others' numbers
            traceback.print_exc()
            c, w, note = float("nan"), None, f"FAILED: {type(exc).__name__}: {exc}"[:90]
        self.rows.append(Row(lab, action, c, w, str(note or "")))
        print(f"  {c:7.2f} {_s(w)}  {lab}: {action}  {note or ''}", flush=True)

    def table(self) -> str:
        rows = sorted(self.rows, key=lambda r: -r.cold if r.cold == r.cold else 0.0)
        width = max(len(r.action) for r in rows)
        lines = [f"{'action':<{width}}  {'lab':<13} {'cold s':>7} {'warm s':>7}  dominated by"]
        for r in rows:
            lines.append(f"{r.action:<{width}}  {r.lab:<13} {r.cold:7.2f} {_s(r.warm)}  {r.note}")
        return "\n".join(lines)


def _s(seconds: float | None) -> str:
    return f"{seconds:7.2f}" if seconds is not None else "      –"


def clock(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def parts(timings: dict[str, float]) -> str:
    """The biggest parts of a timing breakdown, e.g. 'embed 3.1 s, elbow 0.8 s'."""
    items = sorted(timings.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.1f} s" for k, v in items[:3])


def prewarm(bench: Bench, store: str | None) -> None:
    """The window's background imports and tokenizer loads (lab_app.qt.shell.prewarm)."""
    import importlib

    from lab_app.core.models.store import open_store
    from lab_app.core.models.tokenizer_cache import warm_decoder_tokenizer
    from lab_app.core.tokenizers.stats import warm_lab
    from lab_app.qt.shell.prewarm import HEAVY_MODULES

    def run() -> Note:
        # The window's list less pyqtgraph: the plots' Qt side is not timed here.
        modules = [m for m in HEAVY_MODULES if m != "pyqtgraph"]
        t_imp, _ = clock(lambda: [importlib.import_module(m) for m in modules])
        warm_lab(open_store(store))
        warm_decoder_tokenizer(open_store(store))
        return f"(background, after first paint) imports {t_imp:.1f} s"

    bench.add("start-up", "prewarm: imports + tokenizers", run)


CHAT = (
    "Give three tips for learning a new language.",
    "You are a friendly teacher. Answer in one short sentence.",
    [("Hello! I am starting to learn Spanish.", "¡Hola! That is great. How can I help you today?")],
)


def call(fn: Callable[..., object], *args: object) -> Action:
    """``fn(*args)`` as an action with no note."""
    return lambda: (fn(*args), None)[1]


def fill_mask(bench: Bench, store: str | None) -> None:
    from lab_app.core.fill_mask.jobs import SessionCache, mlm_entries, predict_job, top_guesses
    from lab_app.core.fill_mask.nsp import nsp_job
    from lab_app.core.fill_mask.text import training_tokens
    from lab_app.core.mlm.masking import masking_counts
    from lab_app.core.models.store import open_store
    from lab_app.core.progress import SILENT
    from lab_app.qt.fill_mask.nsp_panel import EXAMPLE as NSP_PAIR
    from lab_app.qt.fill_mask.tab import EXAMPLES

    st = open_store(store)
    model = mlm_entries(st)[0].name  # the combo's first entry
    cache = SessionCache()
    got: list[Any] = []

    def first() -> Note:
        t_load, _ = clock(lambda: cache.get(st, model))
        got.append(predict_job(SILENT, cache, st, model, EXAMPLES[0], 10, False))
        return f"{model} session {t_load:.1f} s"

    again = call(predict_job, SILENT, cache, st, model, EXAMPLES[1], 10, False)
    bench.add("Fill-mask", f"predict {EXAMPLES[0]!r} (top 10, logit lens)", first, again)
    if got and got[0].view is not None:  # the masking page's tallies, inside predict_job
        n = len(training_tokens(got[0].view, top_guesses(got[0].result)))
        draws = call(masking_counts, n, len(got[0].vocab.tokens))
        bench.add("Fill-mask", f"masking procedure: 1,000 draws ({n} tokens)", draws, True)
    nsp = call(nsp_job, SILENT, store, *NSP_PAIR)
    bench.add("Fill-mask", "Next sentence? (the panel's pair)", nsp, True)


def tokenizers(bench: Bench, store: str | None) -> None:
    from lab_app.core.models.store import open_store
    from lab_app.core.progress import SILENT
    from lab_app.core.tokenizers.stats import compare, load_lab_tokenizers
    from lab_app.core.tokenizers.train import sample_training_text, train_tokenizers
    from lab_app.qt.tokenizers.notes import EXAMPLES

    text = EXAMPLES[0][1]  # what run_example types
    toks: list[Any] = []

    def first() -> Note:
        t_load, loaded = clock(lambda: load_lab_tokenizers(open_store(store)))
        toks.extend(loaded)
        compare(SILENT, toks, text)
        return f"loading the three {t_load:.2f} s (prewarmed)"

    add = partial(bench.add, "Tokenizers")
    add("cut the example with the three", first, call(compare, SILENT, toks, text))
    sample = sample_training_text()
    train = call(train_tokenizers, SILENT, sample, 1000, text)
    add(f"train the three on the sample ({len(sample):,} chars, vocab 1,000)", train, True)


def specs(bench: Bench, store: str | None) -> None:
    from lab_app.core.specs.lab import attention_series, model_sizes
    from lab_app.core.specs.params import PRESETS, bert_schedule_saving, count_params
    from lab_app.core.specs.tables import load_tables
    from lab_app.qt.specs.tab import EXAMPLE_PRESET

    def run() -> Note:
        load_tables()
        count_params(PRESETS[EXAMPLE_PRESET][0], **PRESETS[EXAMPLE_PRESET][1])
        model_sizes()
        # The attention-cost page's defaults: d 768, 12 layers, 128/512 tokens, 90% short.
        bert_schedule_saving(hidden=768, layers=12, short_len=128, long_len=512, short_fraction=0.9)
        attention_series(768, 12, max_len=1024, step=8)
        return None

    bench.add("Model specs", "tables, BERT-base count, sizes, attention cost", run, True)


def embeddings(bench: Bench, store: str | None) -> None:
    from lab_app.core.embeddings import jobs
    from lab_app.core.embeddings.config import DEFAULT_SIGMAS, EmbedConfig
    from lab_app.core.embeddings.lab import analyse, sweep
    from lab_app.core.embeddings.perturb import Perturbation
    from lab_app.core.embeddings.projection import ProjectionSettings, warm_umap
    from lab_app.core.models.store import open_store

    entry = open_store(store).encoders()[0]  # the picker's first model: no saved choice
    pooling = "sbert" if entry.manifest.pooling else "mean"
    layers = int(entry.manifest.layers or 0)
    config = EmbedConfig(entry.name, pooling, layers)  # type: ignore[arg-type]
    data = jobs.sample_dataset().dataset
    k = jobs.default_k(data)
    session = jobs.new_session(store)

    def run(*configs: EmbedConfig, umap: bool = False, fresh: bool = False) -> Note:
        if fresh:  # models stay loaded; vectors, maps and elbows are made anew
            for cache in (session.vectors, session.analyses, session.elbows):
                cache.clear()
        settings = ProjectionSettings("umap" if umap else "pca")
        for cfg in configs:
            a = analyse(session, data, cfg, settings, k, seed=0)
        return parts(a.timings)

    add = partial(bench.add, "Embeddings")
    label = f"{entry.name} {pooling}, {len(data.texts)} utterances, k={k}"
    add(f"default analysis: {label}, PCA", partial(run, config), partial(run, config, fresh=True))
    b = EmbedConfig(entry.name, "cls", layers)  # B as the Compare page opens
    add("Compare A with B ([CLS], last layer)", partial(run, config, b),
        partial(run, config, b, fresh=True))  # fmt: skip
    noise = Perturbation(0.1, 0, tuple(range(1, layers + 1)))  # the page's σ, seed, layers
    noisy = replace(config, perturbation=noise)
    add("Apply noise (σ 0.1, seed 0, every encoder layer)", partial(run, noisy),
        partial(run, noisy, fresh=True))  # fmt: skip
    base = replace(config, perturbation=replace(noise, sigma=0.0))
    sigmas = DEFAULT_SIGMAS
    add(
        f"Sweep σ ({len(sigmas)} σ, one noisy model each)",
        call(sweep, session, data, base, k, sigmas),
    )
    add("UMAP warm-up (numba; background, once UMAP is chosen)",
        lambda: f"exact-path kernels {warm_umap(False):.1f} s")  # fmt: skip
    add("map switched to UMAP (n 15, min_dist 0.1, cosine)", partial(run, config, umap=True),
        partial(run, config, umap=True, fresh=True))  # fmt: skip


def prompting(bench: Bench, store: str | None) -> None:
    from lab_app.core.models.generate import Sampling
    from lab_app.core.progress import SILENT
    from lab_app.core.prompting import jobs
    from lab_app.core.prompting.anatomy import assemble
    from lab_app.core.prompting.shots import parse_shot_counts
    from lab_app.core.prompting.tasks import builtin_names, builtin_task
    from lab_app.qt.prompting.builder import ANTONYMS

    def first() -> Note:
        t_load, _ = clock(lambda: jobs.load_decoder(store))
        jobs.next_token(SILENT, store, ANTONYMS, "short")
        return f"decoder load {t_load:.1f} s"

    add = partial(bench.add, "Prompting")
    add("next token, antonyms prompt (runs on first open)", first,
        call(jobs.next_token, SILENT, store, ANTONYMS, "short"))  # fmt: skip
    text = assemble(ANTONYMS).text
    greedy = Sampling(max_new_tokens=40, stop_strings=("\n",))

    def gen() -> Note:
        return f"{len(jobs.stream(SILENT, store, text, greedy, lambda _s: None))} tokens"

    add("Generate (greedy, max 40, stop at new line)", gen, True)
    task = builtin_task(builtin_names()[0])

    def shots() -> Note:
        report = jobs.shots_job(SILENT, store, task, parse_shot_counts("0,1,2,4,8"), 3, 0)
        return f"{report.test_items} test items × 5 shot counts × 3 draws"

    add(f"shots experiment ({task.name}, 0-8 shots, 3 draws)", shots)

    def chat() -> Note:  # the chat page's fields as the window opens (ChatPage in pages.py)
        answers = jobs.chat_modes(SILENT, store, *CHAT)
        return "prompts of " + "/".join(str(a.tokens) for a in answers) + " tokens, answers ≤ 48"

    add("Ask three ways (chat page)", chat, True)


def finetune(bench: Bench, store: str | None) -> None:
    from lab_app.core.finetune import jobs
    from lab_app.core.finetune.methods import FineTuneConfig
    from lab_app.core.finetune.options import DEFAULT_MODEL, METHODS
    from lab_app.core.progress import SILENT

    # A fresh window: the method combo's first entry (the chart recommends it too); every other
    # field at its option's default, which FineTuneConfig's defaults are (layers, rank, epochs…).
    config = FineTuneConfig(DEFAULT_MODEL, METHODS[0])

    def run() -> Note:
        trained = jobs.train_job(SILENT, store, None, config, lambda _e: None)
        return f"held-out accuracy {trained.result.accuracy:.0%}"

    bench.add("Fine-tuning", f"Run ({config.label()})", run, True)
    curve = replace(config, method="partial") if config.method == "features" else config

    def how_much() -> Note:
        points = jobs.curve_job(SILENT, store, None, curve).points
        return f"{len(points)} sizes × (features + {curve.method}, {curve.epochs} epochs)"

    bench.add("Fine-tuning", "How much data?", how_much)


def inside(bench: Bench, store: str | None) -> None:
    from lab_app.core.inside import jobs
    from lab_app.core.progress import SILENT
    from lab_app.qt.fill_mask.nsp_panel import EXAMPLE as PAIR
    from lab_app.qt.inside.tab import EXAMPLE

    model = "bert-lab-mlm"  # the model combo's preference (set_choices)

    def first() -> Note:
        t_load, _ = clock(lambda: jobs._encoder(store, model))
        jobs.attention_job(SILENT, store, model, EXAMPLE[0], None)
        return f"{model} session {t_load:.1f} s"

    look = partial(call, jobs.attention_job, SILENT, store, model)
    add = partial(bench.add, "Inside")
    add("attention view (example sentence)", first, look(EXAMPLE[0], None))
    add("attention view, A/B pair (the NSP example)", look(*PAIR), look(*PAIR[::-1]))
    for kind, length in (("sinusoidal", 128), ("learned", None)):  # the default, then BERT's
        positions = call(jobs.positions_job, SILENT, store, kind, model, length)
        add(f"positions: {kind}" + (f", {length}" if length else ""), positions, True)


def models_build(bench: Bench, cache: Path) -> None:
    from lab_app.core.models.build.artifacts import ARTIFACTS, is_cached
    from lab_app.core.models.build.builtin_build import build_builtins
    from lab_app.core.models.store import ModelStore

    missing = [k for k, art in ARTIFACTS.items() if not is_cached(art, cache)]
    if missing:
        print(f"  models build skipped: {', '.join(missing)} not in {cache} (never downloaded)")
        return

    def run() -> Note:
        with tempfile.TemporaryDirectory(prefix="waits-bench-store-") as tmp:
            report = build_builtins(ModelStore(Path(tmp) / "store"), cache)
            if not report.ok:
                raise RuntimeError(f"build failed: {report.failed}")
            return f"{len(report.built)} entries from the cache"

    bench.add("first start", "models build into an empty store", run)


LABS = {"Fill-mask": fill_mask, "Tokenizers": tokenizers, "Model specs": specs,
        "Embeddings": embeddings, "Prompting": prompting, "Fine-tuning": finetune,
        "Inside": inside}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", help="model store (default: the user's)")
    parser.add_argument("--cache", help="artifact cache for models build (default: the user's)")
    parser.add_argument("--only", nargs="*", default=[], help="labs whose name contains these")
    parser.add_argument("--no-build", action="store_true", help="skip models build")
    parser.add_argument("--fresh-numba", action="store_true", help="UMAP compiles from nothing")
    args = parser.parse_args()
    numba_dir = tempfile.TemporaryDirectory(prefix="waits-bench-numba-")
    if args.fresh_numba:
        os.environ["NUMBA_CACHE_DIR"] = numba_dir.name  # before anything imports numba
    os.environ["BERT_LAB_NO_NETWORK"] = "1"
    from lab_app.core import netguard
    from lab_app.core.paths import cache_dir

    netguard.install()
    store = str(Path(args.store).expanduser()) if args.store else None
    cache = Path(args.cache).expanduser() if args.cache else cache_dir()
    bench = Bench(args.only)
    print(f"store {store or '(the user’s)'}; {os.cpu_count()} CPUs; load {os.getloadavg()}")
    print("   cold s  warm s  action", flush=True)
    t0 = time.perf_counter()
    prewarm(bench, store)
    for name, lab in LABS.items():
        if bench.wanted(name):
            try:
                lab(bench, store)
            except Exception as exc:  # its set-up failed (a module being edited, say)
                traceback.print_exc()
                bench.rows.append(Row(name, "(set-up)", float("nan"), None, f"FAILED: {exc}"))
    if not args.no_build and bench.wanted("first start"):
        models_build(bench, cache)
    print(f"\nall in {time.perf_counter() - t0:.0f} s; load {os.getloadavg()}\n")
    print(bench.table())
    numba_dir.cleanup()


if __name__ == "__main__":
    main()
