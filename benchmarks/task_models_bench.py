"""The built-in task models' quality, and how long the lab's default run of each task takes.

Quality: each model scored on its hand-written held-out files (``models/bert-lab-tasks/data/``;
entity P/R/F1, SQuAD exact match and F1, pair accuracy), the QA model's "probably not in the
passage" flag on questions with and without an answer, and the BERT paper's two NSP examples.
``--external`` adds NSP on text nobody on the project wrote (``external_eval.py``: needs the
masked-LM recipe's registry clients). ``--default-runs`` times the Fine-tuning lab's default run
(LoRA, 5 epochs, batch 16, bert-lab-mlm) of every task on its built-in sample, at 2 threads.

    .venv/bin/python benchmarks/task_models_bench.py [--store DIR] [--default-runs] [--external]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "models" / "bert-lab-tasks" / "data"
TESTS = {
    "bert-lab-ner": ["tag_test.conll"],
    "bert-lab-qa": ["qa_test.json"],
    "bert-lab-nsp": ["nsp_test.tsv"],
}


def quality(store_dir: str | None) -> dict[str, object]:
    from lab_app.core.fill_mask.nsp import nsp
    from lab_app.core.models.store import open_store
    from lab_app.core.taskmodels.infer import answer, evaluate_file
    from lab_app.core.taskmodels.squad import read_squad
    from lab_app.core.taskmodels.task_model import TaskModel

    store = open_store(store_dir)
    out: dict[str, object] = {}
    for name, files in TESTS.items():
        model = TaskModel(store, store.model(name))
        out[name] = {f: evaluate_file(model, DATA / f) for f in files}
    qa = TaskModel(store, store.model("bert-lab-qa"))
    flags = {}
    for f in ("qa_test.json", "qa_unanswerable.json"):
        examples = read_squad(DATA / f).examples
        absent = [answer(qa, e.question, e.context).probably_absent for e in examples]
        flags[f] = round(sum(absent) / len(absent), 3)
    out["qa_probably_absent_share"] = flags
    model = TaskModel(store, store.model("bert-lab-nsp"))
    a = "The man went to the store."
    out["paper_examples"] = {
        b: round(nsp(model, a, b).is_next, 3)
        for b in ("He bought a gallon of milk.", "Penguins are flightless birds.")
    }
    return out


def default_runs(store_dir: str | None) -> dict[str, float]:
    from lab_app.core.finetune.methods import FineTuneConfig
    from lab_app.core.finetune.task_run import finetune_task
    from lab_app.core.finetune.tasks import read_task_data
    from lab_app.core.models.store import open_store

    store = open_store(store_dir)
    seconds = {}
    for task in ("tag", "qa", "pair"):
        data, _ = read_task_data(task, None)  # type: ignore[arg-type]
        start = time.perf_counter()
        result = finetune_task(store, task, data, FineTuneConfig("bert-lab-mlm"))  # type: ignore[arg-type]
        seconds[task] = round(time.perf_counter() - start, 1)
        seconds[f"{task}_headline"] = round(result.headline, 3)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="model store (default: the user's)")
    parser.add_argument("--default-runs", action="store_true")
    parser.add_argument("--external", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"quality": quality(args.store)}
    if args.default_runs:
        report["default_run_seconds"] = default_runs(args.store)
    print(json.dumps(report, indent=2))
    if args.external:
        script = ROOT / "models" / "bert-lab-tasks" / "external_eval.py"
        extra = ["--store", args.store] if args.store else []
        subprocess.run([sys.executable, str(script), *extra], check=True)


if __name__ == "__main__":
    main()
