"""Render a model's chat template (Jinja, as the template's authors wrote it) in a sandbox.

The environment is the one chat templates are written for: ``trim_blocks`` and
``lstrip_blocks``, loop controls, ``raise_exception`` and a ``tojson`` that does not escape HTML.
It is Jinja2's immutable sandbox, so a template from a file can read what it is given and nothing
else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from lab_app.core.errors import UserError

ROLES = ("system", "user", "assistant")


class TemplateError(UserError):
    """The chat template cannot be rendered for these messages."""


def _raise(message: str) -> None:
    raise TemplateError(message)


def _tojson(x: Any, ensure_ascii: bool = False, indent: int | None = None, **kw: Any) -> str:
    sort = bool(kw.get("sort_keys"))
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, sort_keys=sort)


@lru_cache(maxsize=8)
def _compiled(template: str) -> Any:
    import jinja2
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise
    try:
        return env.from_string(template)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"the chat template does not parse: {exc}") from exc


def check_messages(messages: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """Messages as plain dicts; an unknown role or a missing text is a :class:`TemplateError`."""
    out: list[dict[str, str]] = []
    for n, m in enumerate(messages, 1):
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            expected = ", ".join(ROLES)
            raise TemplateError(f"message {n} has role {role!r}; expected one of {expected}")
        if not isinstance(content, str):
            raise TemplateError(f"message {n} has no text")
        out.append({"role": role, "content": content})
    if not out:
        raise TemplateError("a chat needs at least one message")
    return out


def render(
    template: str,
    messages: Sequence[Mapping[str, str]],
    *,
    add_generation_prompt: bool = True,
    special_tokens: Mapping[str, str] | None = None,
) -> str:
    """The prompt text the model was trained on for this conversation."""
    import jinja2

    chat = check_messages(messages)
    try:
        return str(
            _compiled(template).render(
                messages=chat,
                add_generation_prompt=add_generation_prompt,
                **dict(special_tokens or {}),
            )
        )
    except jinja2.TemplateError as exc:
        raise TemplateError(f"the chat template failed: {exc}") from exc
