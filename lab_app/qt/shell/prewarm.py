"""Import what the labs will need in a background thread once the window is up and idle.

The first click in a lab otherwise pays for its imports then: on two cores, scikit-learn takes
1.7 s and holds the GIL for up to 0.11 s at a time, ONNX Runtime 0.07 s. Importing them early,
after the first paint, moves that cost to a moment when nobody is waiting; a click that comes
first simply imports as before. Only pure imports and Qt-free loads run here (no widgets), and
``onnx`` is never imported (it holds the GIL for a whole second; no run path needs it).

What the imports leave behind is frozen (``gc.freeze``) after each step, until the warm-up ends.
The GUI thread collects garbage once a second (``shell/application``), and without the freeze its
first collections after start walk the 80–140k objects these imports have just made: 40–70 ms
on the GUI thread each time, measured by ``tests/qt/shell/idle_start_probe.py``; with it, 1–25 ms.
Freezing collects nothing (nothing is deleted on this thread), and ``gc.unfreeze`` at the end
hands every object back to the oldest generation, so nothing escapes collection for good; the one
cost is that a reference cycle which dies during the warm-up's seconds waits for the next full
collection instead of the next young one.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

#: In steps of at most ~0.5 s each (scikit-learn's own import pulls in SciPy's optimize and stats,
#: ~0.9 s), so that a garbage collection on the GUI thread meets at most one step's new objects.
HEAVY_MODULES = (
    "numpy",
    "onnxruntime",
    "tokenizers",
    "scipy.special",
    "scipy.linalg",
    "scipy.optimize",
    "scipy.stats",
    "joblib",
    "sklearn.base",
    "sklearn.linear_model",
    "sklearn.decomposition",
    "sklearn.cluster",
    "sklearn.metrics",
    "sklearn.neighbors",
    "pyqtgraph",
)


class Prewarm:
    """One background thread importing ``modules`` in order, then running ``tasks`` (each lab's
    warm-up loads, see ``TabSpec.warm``); ``done`` is set when it ends."""

    def __init__(self, modules: Iterable[str], tasks: Iterable[Callable[[], object]] = ()) -> None:
        self.modules = tuple(modules)
        self.tasks = tuple(tasks)
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bert-lab-prewarm", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def ident(self) -> int | None:
        """The thread's id once started (a probe reads its CPU time with it)."""
        return self._thread.ident

    def _run(self) -> None:
        try:
            for name in self.modules:
                try:
                    importlib.import_module(name)
                except Exception:  # the lab that needs it will say what is wrong, in context
                    log.info("prewarm: could not import %s", name, exc_info=True)
                gc.freeze()
            for task in self.tasks:
                try:
                    task()
                except Exception:  # e.g. a store not built yet: the tab says so when opened
                    log.info("prewarm: %s failed", task, exc_info=True)
                gc.freeze()
        finally:
            gc.unfreeze()
            self.done.set()
