"""The foundation's one progress protocol and one settings helper."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest

from lab_app.core.errors import Cancelled
from lab_app.core.progress import SILENT, Progress, TextBar, tick
from lab_app.core.settings import convert, load_state, read, save_state


class StopAfter:
    def __init__(self, n: int) -> None:
        self.n, self.ticks = n, 0

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        self.ticks += 1
        return self.ticks <= self.n

    def cancelled(self) -> bool:
        return self.ticks > self.n


def test_every_progress_satisfies_the_protocol() -> None:
    for p in (SILENT, TextBar(io.StringIO()), StopAfter(1)):
        assert isinstance(p, Progress)


def test_tick_raises_cancelled_when_the_caller_says_stop() -> None:
    p = StopAfter(2)
    tick(p, 1, 3)
    tick(p, 2, 3)
    with pytest.raises(Cancelled):
        tick(p, 3, 3)
    tick(SILENT, 1, 1)  # silent never stops


def test_text_bar_writes_one_line_per_step_off_a_terminal() -> None:
    out = io.StringIO()
    bar = TextBar(out, width=10)
    assert bar(1, 4, "fetching x") is True
    bar(4, 4, "done")
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines == ["[##........] 1/4 fetching x", "[##########] 4/4 done"]


class Store(dict[str, Any]):
    def value(self, key: str, *args: Any, **kwargs: Any) -> Any:
        return self.get(key)

    def setValue(self, key: str, value: Any) -> None:
        self[key] = value


@dataclass
class State:
    name: str = "a"
    count: int = 3
    ratio: float = 0.5
    on: bool = False
    extra: dict[str, int] = field(default_factory=dict)


def test_a_state_round_trips_through_strings_as_an_ini_file_gives_them() -> None:
    store = Store()
    save_state(store, State("b", 7, 0.25, True, {"x": 1}))
    as_ini = Store({k: str(v) if not isinstance(v, str) else v for k, v in store.items()})
    assert load_state(State, as_ini) == State("b", 7, 0.25, True, {"x": 1})


def test_garbled_values_keep_their_defaults() -> None:
    garbled = Store(count="many", ratio="wide", on="perhaps", extra="{not json")
    assert load_state(State, garbled) == State()
    assert read(Store(), "missing", 5) == 5
    assert convert("true", False) is True and convert("0", True) is False
    assert convert([1], {}) == {}


def test_relabelled_rewrites_messages_and_passes_cancel_through() -> None:
    from lab_app.core.progress import Relabelled

    seen: list[tuple[int, int, str]] = []

    class Outer:
        def __call__(self, done: int, total: int, message: str = "") -> bool:
            seen.append((done, total, message))
            return done < 2

        def cancelled(self) -> bool:
            return True

    inner = Relabelled(Outer(), lambda d, t, m: f"A: {m} {d}/{t}")
    assert inner(1, 3, "embedding") is True
    assert inner(2, 3, "embedding") is False
    assert inner.cancelled() is True
    assert seen == [(1, 3, "A: embedding 1/3"), (2, 3, "A: embedding 2/3")]
