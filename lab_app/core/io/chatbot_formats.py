"""Chatbot training formats: the common ``intents.json`` and Rasa's ``nlu.yml``.

Split from :mod:`lab_app.core.io.text_input`, which decodes the file and dispatches here; these
functions only turn parsed text into ``(utterance, intent)`` pairs, with notes for what they skip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from lab_app.core.errors import UserError

_ENTITY = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\{[^}\n]*\}|\[[^\]\n]*\])")


def json_pairs(path: Path, text: str, notes: list[str]) -> Iterator[tuple[str, str | None]]:
    """intents.json (``{"intents": [{"tag", "patterns"}]}``), a list of texts or of records."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(
            f"'{path.name}' is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
            "fix it in a text editor or export it again."
        ) from None
    if isinstance(data, dict) and isinstance(data.get("rasa_nlu_data"), dict):
        data = data["rasa_nlu_data"].get("common_examples")
    elif isinstance(data, dict) and "intents" in data:
        data = data["intents"]
    shape_error = UserError(
        f"'{path.name}' is JSON but not an intents file. Expected "
        '{"intents": [{"tag": "greeting", "patterns": ["hi", "hello"]}, ...]} '
        'or a list of texts ["hi", "hello", ...].'
    )
    if not isinstance(data, list):
        raise shape_error
    skipped = found = 0
    for item in data:
        if isinstance(item, str):
            found += 1
            yield item, None
            continue
        if not isinstance(item, dict):
            skipped += 1
            continue
        label = next((item[k] for k in ("tag", "intent", "label", "name") if k in item), None)
        label = None if label is None else str(label)
        patterns = next(
            (item[k] for k in ("patterns", "text", "examples", "utterances") if k in item), None
        )
        for pattern in patterns if isinstance(patterns, list) else [patterns]:
            if isinstance(pattern, str):
                found += 1
                yield pattern, label
            else:
                skipped += 1
    if skipped and not found:
        raise shape_error
    if skipped:
        notes.append(f"skipped {skipped} entr{'ies' if skipped != 1 else 'y'} that are not text")


def yaml_pairs(path: Path, text: str, notes: list[str]) -> Iterator[tuple[str, str | None]]:
    """Rasa ``nlu.yml`` (``nlu: - intent: X examples: |`` then ``- text``); entities dropped."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "cannot be parsed"
        raise UserError(
            f"'{path.name}' is not valid YAML{where} ({problem}); check the indentation there "
            "(spaces, not tabs) and try again."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        raise UserError(
            f"'{path.name}' is YAML but not a Rasa NLU file. Expected\n"
            "nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello"
        )
    other = 0
    for item in data["nlu"]:
        if not isinstance(item, dict) or "intent" not in item:
            other += 1  # synonym, regex and lookup blocks carry no utterances
            continue
        label = str(item["intent"])
        examples = item.get("examples") or []
        if isinstance(examples, str):
            lines = [ln.strip() for ln in examples.splitlines()]
            examples = [ln[1:].strip() if ln.startswith("-") else ln for ln in lines]
        for example in examples if isinstance(examples, list) else []:
            value = example.get("text") if isinstance(example, dict) else example
            if isinstance(value, str):
                yield _ENTITY.sub(r"\1", value), label
    if other:
        notes.append(f"ignored {other} nlu block{'s' * (other != 1)} that are not intents")
