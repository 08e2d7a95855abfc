"""The built-in task model of each task: what ``bert-lab tag``, ``answer`` and ``pair``, the
Fill-mask lab's "Next sentence?" page and the Benchmarks lab open when no other model is chosen.
Plain names, no imports: the window reads them while it builds its pages."""

from __future__ import annotations

BUILTIN_MODELS = {"tag": "bert-lab-ner", "qa": "bert-lab-qa", "pair": "bert-lab-nsp"}
