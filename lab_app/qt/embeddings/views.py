"""Texts and exports of the Embeddings tab: the empty state, neighbour and selection lists, the
new utterance's verdict, and writing the plot, coordinates or vectors to a file.

Plain functions of an analysis (no widgets of their own) so the tab stays a thin wiring layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lab_app.core.embeddings.config import Dataset
from lab_app.core.embeddings.scores import neighbours_of
from lab_app.core.errors import UserError

if TYPE_CHECKING:
    from lab_app.core.embeddings.lab import Analysis, Placement
    from lab_app.qt.embeddings.plot import MapPlot

NEIGHBOURS = 8
SHOWN_SELECTION = 200

EMPTY_TEXT = (
    "<h2>Do a chatbot's intents form clusters?</h2>"
    "<p>{summary} — loaded and ready.</p>"
    "<p>One click embeds every utterance with the model on the left, draws them on a 2-D map "
    "(PCA or UMAP) coloured by intent, runs K-Means with k = {k} on the full vectors, and scores "
    "how well the clusters match the intents.</p>"
    "<p>Then try: [CLS] against SBERT pooling, a lower layer, UMAP instead of PCA, the "
    "<i>Compare</i> page, or noise in the weights. Your own data: <b>Open dataset…</b> (CSV, "
    "text, intents.json or Rasa nlu.yml).</p>"
)
NO_MODELS_TEXT = (
    "<h2>No models yet</h2><p>The model store is empty. Use <b>Models → Model manager</b> to "
    "build the built-in models (once, offline afterwards), then come back here.</p>"
)


def _tags(analysis: Analysis, i: int) -> str:
    labels = analysis.dataset.labels
    cluster = int(analysis.clusters.labels[i])
    return (f"intent {labels[i]} · " if labels is not None else "") + f"cluster {cluster}"


def neighbour_lines(analysis: Analysis, index: int) -> tuple[str, list[str]]:
    """Title and lines for the nearest neighbours (cosine, full space) of point ``index``."""
    texts = analysis.dataset.texts
    found = neighbours_of(analysis.vectors.vectors, index, NEIGHBOURS)
    title = (
        f"<b>Nearest to</b> “{texts[index]}” ({_tags(analysis, index)}) — cosine similarity "
        "in the full vector space, not on the map:"
    )
    lines = [f"{n.similarity:.3f}  {texts[n.index]}  [{_tags(analysis, n.index)}]" for n in found]
    return title, lines


def selection_lines(analysis: Analysis, indices: Sequence[int]) -> tuple[str, list[str]]:
    texts = analysis.dataset.texts
    shown = list(indices)[:SHOWN_SELECTION]
    more = len(indices) - len(shown)
    title = f"<b>{len(indices)} selected utterance{'s' * (len(indices) != 1)}</b>"
    if more:
        title += f" (the first {len(shown)} shown)"
    return title, [f"{texts[i]}  [{_tags(analysis, i)}]" for i in shown]


def placement_text(placement: Placement, dataset: Dataset) -> str:
    guess = placement.guess
    text = placement.text
    nearest = ", ".join(
        f"“{dataset.texts[n.index]}” ({n.similarity:.2f})" for n in guess.neighbours[:3]
    )
    if guess.label is None:
        return f"★ “{text}” is on the map. No intents in this data, so no guess. Nearest: {nearest}"
    votes = guess.votes.get(guess.label, 0)
    total = sum(guess.votes.values())
    return (
        f"★ “{text}” → kNN intent <b>{guess.label}</b> ({votes} of its {total} nearest "
        f"utterances). Nearest: {nearest}"
    )


DATA_SUFFIXES = (".csv", ".tsv")
"""Written off the GUI thread (50k × 384 floats take seconds to format); plots are painted on it."""


def input_files(analysis: Analysis) -> list[Path]:
    source = Path(analysis.dataset.source)
    return [source] if source.is_file() else []


def check_plot_target(analysis: Analysis, path: Path) -> None:
    if any(path.resolve() == s.resolve() for s in input_files(analysis)):
        raise UserError(f"{path} is the input file; choose another name")


def export_analysis(analysis: Analysis, plot: MapPlot | None, path: Path) -> list[Path]:
    """Write what the suffix asks for; the user's own data file is never a target. ``plot`` is
    needed for .png/.svg only, so the data formats can be written by a pool thread."""
    from lab_app.core.embeddings.export import check_csv_output, write_coords_csv
    from lab_app.core.io.export import check_output_path, write_vectors

    suffix = path.suffix.lower()
    inputs = input_files(analysis)
    if suffix in (".png", ".svg"):
        check_plot_target(analysis, path)
        if plot is None:
            raise UserError("a plot export needs the plot")
        plot.export(path)
        return [path]
    if suffix == ".csv":
        check_csv_output(path, inputs)
        return [write_coords_csv(path, analysis)]
    if suffix == ".tsv":
        check_output_path(path, inputs)
        d = analysis.dataset
        return write_vectors(path, analysis.vectors.vectors, d.texts, d.labels)
    raise UserError(f"cannot export to '{suffix or path.name}': use .png, .svg, .csv or .tsv")
