"""The checks every generation metric runs on its texts before scoring them.

A metric compares a *hypothesis* (the text a model wrote) with one or more *references* (texts a
person wrote for the same input). An empty hypothesis is allowed — it scores 0, as in sacrebleu
and rouge-score — but at least one reference is required, and each text is limited to
:data:`MAX_CHARS` characters so that a pasted book cannot freeze the window. Problems raise
:class:`~lab_app.core.errors.UserError` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence

from lab_app.core.errors import UserError

MAX_CHARS = 20_000


def check_text(text: str, what: str) -> str:
    """``text`` itself, after checking it is a string of at most :data:`MAX_CHARS` characters."""
    if not isinstance(text, str):
        raise UserError(f"the {what} should be text, not {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise UserError(
            f"the {what} has {len(text):,} characters; the limit is {MAX_CHARS:,}: shorten it"
        )
    return text


def check_references(references: Sequence[str]) -> tuple[str, ...]:
    """The references as a tuple, after checking there is at least one and each is text."""
    if isinstance(references, str):
        references = [references]
    refs = tuple(references)
    if not refs:
        raise UserError("give at least one reference")
    return tuple(check_text(ref, "reference") for ref in refs)


def check_corpus(
    hypotheses: Sequence[str], references: Sequence[Sequence[str]]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A corpus as ``(hypotheses, references)`` after checking both: ``references[i]`` holds the
    reference(s) of ``hypotheses[i]``, so the two must be equally long (and not empty)."""
    if isinstance(hypotheses, str):
        raise UserError("give the hypotheses as a list of texts, one per sentence")
    hyps = tuple(check_text(hyp, "hypothesis") for hyp in hypotheses)
    if not hyps:
        raise UserError("give at least one hypothesis")
    if len(references) != len(hyps):
        raise UserError(
            f"{len(hyps)} hypotheses but {len(references)} reference lists: "
            "give one list of references per hypothesis"
        )
    return hyps, tuple(check_references(refs) for refs in references)
