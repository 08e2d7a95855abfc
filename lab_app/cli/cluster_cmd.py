"""``bert-lab cluster FILE --model NAME --pooling … --k K``: the Embeddings lab's scores as JSON.

The same core functions as the GUI tab (``lab_app.core.embeddings.lab.analyse``): embed, map with
PCA or UMAP, K-Means on the full vectors, sklearn's scores against the file's intents. ``--seed``
seeds everything random (the weight noise, K-Means and UMAP), so a run repeats exactly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json, seed_arg
from lab_app.core.models.bert_config import POOLINGS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "cluster",
        help="embed utterances, map them (PCA/UMAP), K-Means, and score clusters vs intents",
    )
    p.add_argument("file", help="CSV/TSV, .txt (one per line), intents.json or Rasa nlu.yml")
    p.add_argument("--model", required=True, help="a store model (see `bert-lab models list`)")
    p.add_argument("--pooling", choices=POOLINGS, required=True)
    p.add_argument("--layer", type=int, help="0 = embedding output; default: the last layer")
    p.add_argument("--k", type=int, required=True, help="number of K-Means clusters")
    p.add_argument("--projection", choices=("pca", "umap"), default="pca")
    p.add_argument("--n-neighbors", type=int, default=15, help="UMAP n_neighbors (default 15)")
    p.add_argument("--min-dist", type=float, default=0.1, help="UMAP min_dist (default 0.1)")
    p.add_argument("--metric", default="cosine", help="UMAP metric (default cosine)")
    p.add_argument(
        "--perturb",
        type=float,
        default=0.0,
        metavar="SIGMA",
        help="add Gaussian noise of SIGMA × each weight tensor's std to the weights (in memory)",
    )
    p.add_argument(
        "--perturb-layers",
        metavar="LIST",
        help="layers to perturb, e.g. 1,2,3 (0 = embeddings); default: every transformer layer",
    )
    p.add_argument("--seed", type=seed_arg, default=0, help="seed of the noise, K-Means and UMAP")
    p.add_argument("--out", help="write text,label,cluster,x,y to this CSV")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--text-column", help="CSV column with the texts")
    p.add_argument("--label-column", help="CSV column with the intents")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=run)


def _layers(text: str | None, num_layers: int) -> tuple[int, ...]:
    from lab_app.core.embeddings.perturb import all_layers
    from lab_app.core.errors import UserError

    if text is None:
        return all_layers(num_layers)
    try:
        return tuple(sorted({int(x) for x in text.split(",") if x.strip()}))
    except ValueError:
        raise UserError(f"--perturb-layers must be numbers like 1,2,3, not '{text}'") from None


def run(args: argparse.Namespace) -> int:
    from lab_app.core.embeddings.cache import ModelPool
    from lab_app.core.embeddings.export import check_csv_output, write_coords_csv
    from lab_app.core.embeddings.lab import Dataset, EmbedConfig, LabSession, analyse
    from lab_app.core.embeddings.perturb import Perturbation, check_perturbation
    from lab_app.core.embeddings.projection import ProjectionSettings
    from lab_app.core.io.text_input import read_utterances
    from lab_app.core.models.store import open_store

    src = Path(args.file)
    out = Path(args.out) if args.out else None
    if out is not None:
        from lab_app.core.io.export import refuse_overwrite

        check_csv_output(out, [src])
        refuse_overwrite(out, args.force)
    data = read_utterances(src, text_column=args.text_column, label_column=args.label_column)
    store = open_store(args.store)
    entry = store.model(args.model)
    num_layers = int(entry.manifest.layers or 0)
    weights = Perturbation(args.perturb, args.seed, _layers(args.perturb_layers, num_layers))
    check_perturbation(weights, num_layers)
    settings = ProjectionSettings(
        args.projection, args.n_neighbors, args.min_dist, args.metric, args.seed
    )
    session = LabSession(ModelPool(store))
    result = analyse(
        session,
        Dataset.of(data.texts, data.labels, str(src)),
        EmbedConfig(args.model, args.pooling, args.layer, weights),
        settings,
        args.k,
        seed=args.seed,
        with_elbow=False,
    )
    for note in data.notes:
        print(f"bert-lab: note: {note}", file=sys.stderr)
    for name, why in result.scores.notes.items():
        print(f"bert-lab: note: {name} is not computed: {why}", file=sys.stderr)
    if out is not None:
        write_coords_csv(out, result)
    if args.json:
        emit_json(summary(result))
    else:
        _print_table(result)
    return 0


def summary(result: Any) -> dict[str, object]:
    """The ``--json`` document: the scores, PCA's explained variance, and what made them."""
    doc = result.scores.to_json()
    ev = result.projection.explained_variance
    doc["explained_variance"] = list(ev) if ev is not None else None
    doc.update(
        model=result.config.model,
        pooling=result.config.pooling,
        layer=result.config.layer,
        projection=result.settings.method,
        perturbation=result.config.perturbation.label(),
        caption=result.caption,
    )
    return dict(doc)


def _print_table(result: Any) -> None:
    from lab_app.core.embeddings.scores import SCORE_NAMES, SCORE_TITLES

    print(result.caption)
    print(f"{result.scores.n} utterances, k = {result.scores.k}")
    for name in SCORE_NAMES:
        value = result.scores.value(name)
        shown = f"{value:.3f}" if value is not None else f"— ({result.scores.notes.get(name, '')})"
        print(f"  {SCORE_TITLES[name]:<42} {shown}")
    ev = result.projection.explained_variance
    if ev is not None:
        print("  PCA explained variance: " + ", ".join(f"{100 * v:.1f} %" for v in ev))
