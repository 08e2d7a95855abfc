"""The Embeddings tab's weight noise: the noise the main map uses, and the Weight noise page.

The page is made when it is first shown (:class:`~lab_app.qt.shell.lazy_tabs.Deferred`); until
then the map uses the store's weights, since only the page can add noise.
"""

from __future__ import annotations

from collections.abc import Callable

from lab_app.core.embeddings.perturb import Perturbation
from lab_app.core.models.store import Entry
from lab_app.qt.embeddings.panels import PerturbPanel
from lab_app.qt.shell.lazy_tabs import Deferred


class WeightNoise:
    """``weights`` for the main map; apply and reset re-run it (``rerun``), sweep asks ``sweep``."""

    def __init__(
        self,
        page: Deferred[PerturbPanel],
        entry: Callable[[], Entry | None],
        rerun: Callable[[], None],
        sweep: Callable[[], None],
    ) -> None:
        self.page = page
        self.weights = Perturbation()
        self._entry, self._rerun, self._sweep = entry, rerun, sweep
        page.when_made(self._made)

    @property
    def panel(self) -> PerturbPanel:
        return self.page.get()

    def _made(self, panel: PerturbPanel) -> None:
        panel.apply_requested.connect(self.apply)
        panel.reset_requested.connect(self.reset)
        panel.sweep_requested.connect(self._sweep)
        self.model_changed()

    def apply(self) -> None:
        self._use(self.panel.perturbation())

    def reset(self) -> None:
        """Back to the store's weights: cached, so the original map returns at once."""
        self._use(Perturbation())

    def _use(self, weights: Perturbation) -> None:
        self.weights = weights
        self.panel.show_weights(weights)
        self._rerun()

    def model_changed(self) -> None:
        if self.weights.active:
            self.weights = Perturbation()  # noise chosen for one model is not meant for another
        panel = self.page.peek()
        if panel is not None:
            entry = self._entry()
            panel.set_layer_count(int(entry.manifest.layers or 0) if entry else 0)
            panel.show_weights(self.weights)

    def sweep_noise(self) -> Perturbation:
        """The page's seed and layers at σ = 0: the sweep's base."""
        p = self.panel.perturbation()
        return Perturbation(0.0, p.seed, p.layers)
