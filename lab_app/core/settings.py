"""The one settings helper: typed values and dataclass states to and from a QSettings-like store.

QSettings gives back strings from an INI file and native types from the registry or a plist, so
every read goes through here and is converted by the default's type; an unreadable value keeps its
default (a damaged settings file never stops the window). Written against a tiny protocol —
``value(key)`` / ``setValue(key, value)`` — so the states stay Qt-free and testable with a dict.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class SettingsStore(Protocol):
    def value(self, key: str, /, *args: Any, **kwargs: Any) -> Any: ...

    def setValue(self, key: str, value: Any, /) -> None: ...


def convert(raw: Any, default: T) -> T:
    """``raw`` as the type of ``default``; ``default`` when it cannot be read as one."""
    if raw is None:
        return default
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                if raw.lower() not in ("true", "false", "1", "0"):
                    return default
                return raw.lower() in ("true", "1")  # type: ignore[return-value]
            return bool(raw)  # type: ignore[return-value]
        if isinstance(default, (dict, list)):
            loaded = json.loads(raw) if isinstance(raw, str) else raw
            return loaded if isinstance(loaded, type(default)) else default
        if isinstance(default, int):
            return int(str(raw))  # type: ignore[return-value]
        if isinstance(default, float):
            return float(str(raw))  # type: ignore[return-value]
        if isinstance(default, str):
            return str(raw)  # type: ignore[return-value]
    except (TypeError, ValueError):
        return default
    return raw


def read(settings: SettingsStore, key: str, default: T) -> T:
    """A typed value, or ``default`` when it is missing or unreadable."""
    return convert(settings.value(key), default)


def save_state(settings: SettingsStore, state: Any) -> None:
    """Write each field of a dataclass ``state`` (dicts and lists as JSON)."""
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        settings.setValue(f.name, json.dumps(value) if isinstance(value, (dict, list)) else value)


def load_state(cls: type[T], settings: SettingsStore) -> T:
    """Read back what :func:`save_state` wrote; each missing or garbled field keeps its default."""
    defaults = cls()
    names = [f.name for f in dataclasses.fields(defaults)]  # type: ignore[arg-type]
    return cls(**{n: read(settings, n, getattr(defaults, n)) for n in names})
