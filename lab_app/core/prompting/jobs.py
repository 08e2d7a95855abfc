"""What the prompting lab runs off the GUI thread: plain functions of a ``progress`` and plain data.

The decoder is loaded once (about a second) and kept while the lab is shown; every job after that
reuses it, and :func:`release` gives it back (about 160 MB: its session, the head included)
when the lab is hidden. Results are frozen dataclasses the view draws as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lab_app.core.errors import UserError
from lab_app.core.models.activations import log_softmax, softmax
from lab_app.core.models.decoder import Decoder, shared_decoder
from lab_app.core.models.generate import (
    Alternative,
    Sampling,
    Step,
    alternatives,
    generate,
    prepare_prompt,
)
from lab_app.core.models.lru import LruCache
from lab_app.core.progress import Progress, tick
from lab_app.core.prompting.anatomy import Assembled, PromptParts, assemble
from lab_app.core.prompting.shots import ShotsReport, run_shots
from lab_app.core.prompting.tasks import Task

NO_DECODER = "no decoder in the store yet: use Models → Build built-in models (SmolLM2-135M)"
_HELD: LruCache[tuple[str, str], Decoder] = LruCache(1)


def load_decoder(store: str | None, name: str | None = None) -> Decoder:
    """The store's decoder (the first one unless named), loaded once and kept until
    :func:`release` (the one copy every lab shares, see ``models.decoder.shared_decoder``)."""
    from lab_app.core.models.store import open_store

    st = open_store(store)
    decoders = st.decoders()
    if not decoders:
        raise UserError(NO_DECODER)
    entry = st.model(name or decoders[0].name, verify=False)
    key = (str(entry.path), entry.name)
    return _HELD.get_or_make(key, lambda: shared_decoder(st.model(entry.name)))


def release() -> None:
    """Let go of the decoder (the lab is hidden): a job still running keeps it until it ends."""
    _HELD.release()


@dataclass(frozen=True)
class NextToken:
    """The assembled prompt and what the model would say next."""

    prompt: Assembled
    tokens: int
    top: tuple[Alternative, ...]
    answer: str
    answer_prob: float | None  # P(answer) as a continuation, when one was given
    answer_rank: int | None  # rank of the answer's first token among all next tokens
    cut: str = ""


def next_token(
    progress: Progress, store: str | None, parts: PromptParts, answer: str = "", k: int = 10
) -> NextToken:
    """The top-k next tokens after the assembled prompt, and the expected answer's chances."""
    prompt = assemble(parts)  # a bad prompt fails before the model loads
    tick(progress, 0, 2, "loading the model…")
    decoder = load_decoder(store)
    tick(progress, 1, 2, "running the prompt…")
    prepared = prepare_prompt(decoder, prompt.text, 1)
    ids = list(prepared.ids)
    want = decoder.tokenizer.encode(" " + answer.strip(), add_special_tokens=False).ids
    want = want if answer.strip() else []
    # One pass: the logits after the prompt, and after each answer token but the last.
    logits, _ = decoder.forward(ids + want[:-1], logits_from=len(ids) - 1)
    probs = softmax(logits[0])
    answer_prob = answer_rank = None
    if want:
        answer_rank = int((probs > probs[want[0]]).sum()) + 1
        logp = log_softmax(logits)
        answer_prob = float(np.exp(sum(logp[i, t] for i, t in enumerate(want))))
    top = alternatives(decoder, probs, k)
    return NextToken(prompt, len(ids), top, answer.strip(), answer_prob, answer_rank, prepared.note)


def stream(
    progress: Progress,
    store: str | None,
    text: str,
    sampling: Sampling,
    emit: Callable[[Step], None],
) -> list[Step]:
    """Generate after ``text``, handing each step to ``emit`` as it comes (the view streams it)."""
    sampling.check()
    decoder = load_decoder(store)
    prompt = prepare_prompt(decoder, text, sampling.max_new_tokens)
    steps: list[Step] = []
    for step in generate(decoder, prompt.ids, sampling, progress=progress):
        steps.append(step)
        emit(step)
        tick(progress, len(steps), sampling.max_new_tokens, "generating…")
    return steps


def shots_job(
    progress: Progress, store: str | None, task: Task, shots: Sequence[int], draws: int, seed: int
) -> ShotsReport:
    """:func:`run_shots` on the store's decoder (the window's plot and ``bert-lab shots``)."""
    decoder = load_decoder(store)
    return run_shots(decoder, task, shots, draws=draws, seed=seed, progress=progress)


@dataclass(frozen=True)
class ModeAnswer:
    """One way of asking: the text the model really sees (special tokens and all) and its answer."""

    mode: str
    prompt: str
    answer: str
    tokens: int


def chat_modes(
    progress: Progress,
    store: str | None,
    request: str,
    system: str = "",
    history: Sequence[tuple[str, str]] = (),
    max_new_tokens: int = 48,
) -> list[ModeAnswer]:
    """The same request as a bare instruction, as one chat turn, and as a conversation with a
    system message and earlier turns; each answered greedily."""
    if not request.strip():
        raise UserError("the request is empty: type what you want the model to do")
    decoder = load_decoder(store)
    turn = [{"role": "user", "content": request.strip()}]
    convo: list[dict[str, str]] = []
    if system.strip():
        convo.append({"role": "system", "content": system.strip()})
    for user, assistant in history:
        convo += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    prompts = [
        ("instruction", request.strip() + "\n"),
        ("one chat turn", decoder.render_chat(turn)),
        ("conversation", decoder.render_chat([*convo, *turn])),
    ]
    out = []
    sampling = Sampling(max_new_tokens=max_new_tokens)
    for n, (mode, text) in enumerate(prompts):
        tick(progress, n, len(prompts), f"answering as {mode}…")
        prompt = prepare_prompt(decoder, text, max_new_tokens)
        steps = list(generate(decoder, prompt.ids, sampling, progress=progress))
        answer = "".join(s.text for s in steps)
        out.append(ModeAnswer(mode, text, answer, len(prompt.ids)))
    tick(progress, len(prompts), len(prompts), "done")
    return out
