"""A lab tab's state to and from a lesson step: the same fields its ``save_state`` writes to
QSettings, kept in a plain dict instead (the tabs read and write through ``value`` and
``setValue`` only, see ``lab_app/core/settings.py``)."""

from __future__ import annotations

import json
from typing import Any

from lab_app.core.lessons.lesson import Step
from lab_app.qt.shell.tab import LabTab

SCHEMA_KEY = "schema"


class DictSettings:
    """The two calls of QSettings the tabs use, over a dict."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(values or {})

    def value(self, key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
        return self.values.get(key, default)

    def setValue(self, key: str, value: Any) -> None:
        self.values[key] = value


def _readable(value: Any) -> Any:
    """A dict or list the tab wrote as JSON text, as itself (the lesson file stays readable);
    ``lab_app.core.settings.convert`` takes either form back."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            loaded = json.loads(value)
        except ValueError:
            return value
        return loaded if isinstance(loaded, dict | list) else value
    return value


def capture(tab: LabTab) -> tuple[int, dict[str, Any]]:
    """The tab's schema and its state now, as a lesson step holds them."""
    store = DictSettings()
    tab.save_state(store)  # type: ignore[arg-type]
    schema = int(store.values.pop(SCHEMA_KEY, tab.SCHEMA))
    return schema, {k: _readable(v) for k, v in store.values.items()}


def restore(tab: LabTab, step: Step) -> None:
    """Give ``tab`` the step's state; fields the step leaves out keep the lab's defaults."""
    values = {**step.state, SCHEMA_KEY: step.schema}
    tab.restore_state(DictSettings(values))  # type: ignore[arg-type]
