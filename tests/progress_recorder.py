"""A progress (the core's protocol) that records its ticks and can ask to stop: what tests of
long core functions pass to see them tick and to cancel them mid-way."""

from __future__ import annotations


class Recorder:
    """Records each tick ``(done, total, message)``; from tick ``stop_at`` on, asks to stop."""

    def __init__(self, stop_at: int | None = None) -> None:
        self.ticks: list[tuple[int, int, str]] = []
        self.stop_at = stop_at

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        self.ticks.append((done, total, message))
        return self.stop_at is None or len(self.ticks) < self.stop_at

    def cancelled(self) -> bool:
        return False
