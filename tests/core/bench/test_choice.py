"""Multiple choice as lm-evaluation-harness scores it: option log-probabilities against
transformers' LlamaForCausalLM loaded from the same GGUF file, the harness's tokenization of a
context and its continuation, length normalisation, the evaluator, and every calm refusal."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from progress_recorder import Recorder

from lab_app.core.bench import choice as choice_mod
from lab_app.core.bench.choice import (
    ChoiceItem,
    ChoiceResult,
    OptionScore,
    continuation_tokens,
    evaluate,
    score_choice,
)
from lab_app.core.errors import Cancelled, UserError

# test_llama_parity's LOGIT_ATOL is 2e-3; a token's log-probability is a logit minus the
# log-sum-exp of all of them, each off by at most that, and an option sums its tokens'.
LOGPROB_ATOL = 4e-3

ITEMS = [
    ChoiceItem(
        "A man is sitting on a roof. He",
        (
            "is using wrap to wrap a pair of skis.",
            "is ripping level tiles off.",
            "is holding a rubik's cube.",
            "starts pulling up roofing on a roof.",
        ),
        3,
    ),
    ChoiceItem("The capital of France is", ("Paris.", "Berlin.", "a town in Peru."), 0),
    ChoiceItem("Question: Which animal is a mammal?\nAnswer:", ("whale", "shark", "trout"), 0),
    ChoiceItem("Water", ("boils at 100 °C.", "is dry.", "freezes at 50 °C 😀."), 0),  # 1 token
]


@pytest.fixture(scope="module")
def causal_reference(smollm2_torch: Any) -> Any:
    return smollm2_torch


def reference_logprobs(model: Any, pairs: list[tuple[list[int], list[int]]]) -> list[float]:
    """The harness's loglikelihood of each (context, continuation): the model reads context +
    continuation, and the continuation's tokens' log-probabilities are summed. The rows run as
    one batch padded on the right, which causal attention keeps out of every position read."""
    import torch

    rows = [[*ctx, *cont] for ctx, cont in pairs]
    width = max(map(len, rows))
    ids = torch.tensor([r + [0] * (width - len(r)) for r in rows])
    with torch.no_grad():
        logp = torch.log_softmax(model(ids).logits.double(), dim=-1).numpy()
    out = []
    for b, (ctx, cont) in enumerate(pairs):
        where = np.arange(len(ctx) - 1, len(ctx) + len(cont) - 1)
        out.append(float(logp[b, where, cont].sum()))
    return out


def test_option_logprobs_equal_transformers(decoder: Any, causal_reference: Any) -> None:
    for item in ITEMS:
        r = score_choice(decoder, item.context, item.options)
        pairs = [continuation_tokens(decoder, item.context, o) for o in item.options]
        want = reference_logprobs(causal_reference, pairs)
        for option, scored, (_, cont), ref in zip(
            item.options, r.options, pairs, want, strict=True
        ):
            assert scored.tokens == len(cont)
            assert scored.logprob == pytest.approx(ref, abs=LOGPROB_ATOL * len(cont))
            assert scored.logprob_norm == pytest.approx(scored.logprob / len(option))
        assert r.acc_choice == int(np.argmax(want))
    assert len(decoder.encode(ITEMS[-1].context)) == 1  # no shared cache: the context is one token


def test_context_and_option_are_tokenized_together_after_one_space(decoder: Any) -> None:
    ctx, cont = continuation_tokens(decoder, "The capital of France is", "Paris")
    assert ctx == decoder.encode("The capital of France is")
    assert [*ctx, *cont] == decoder.encode("The capital of France is Paris")
    assert decoder.decode(cont) == " Paris"
    # trailing whitespace moves to the option instead of doubling the space
    assert continuation_tokens(decoder, "The capital of France is ", "Paris") == (ctx, cont)
    ctx_nl, cont_nl = continuation_tokens(decoder, "Q: 2+2?\nA:\n", "4")
    assert decoder.decode(ctx_nl) == "Q: 2+2?\nA:" and decoder.decode(cont_nl) == "\n4"


def test_batched_options_equal_one_option_a_pass(
    decoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = ITEMS[0]
    together = score_choice(decoder, item.context, item.options)
    monkeypatch.setattr(choice_mod, "BATCH_POSITIONS", 1)
    alone = score_choice(decoder, item.context, item.options)
    np.testing.assert_allclose(
        [o.logprob for o in alone.options], [o.logprob for o in together.options], atol=1e-3
    )


def test_normalisation_can_flip_the_choice_and_json_has_the_cli_shape() -> None:
    r = ChoiceResult("ctx", (OptionScore("no", -3.0, 1), OptionScore("a longer answer", -6.0, 3)))
    assert (r.acc_choice, r.acc_norm_choice, r.flips) == (0, 1, True)
    assert r.to_json() == {
        "options": [
            {"text": "no", "logprob": -3.0, "logprob_norm": -1.5},
            {"text": "a longer answer", "logprob": -6.0, "logprob_norm": -0.4},
        ],
        "acc_choice": 0,
        "acc_norm_choice": 1,
    }
    same = ChoiceResult("ctx", (OptionScore("ab", -1.0, 1), OptionScore("cd", -2.0, 1)))
    assert (same.acc_choice, same.acc_norm_choice, same.flips) == (0, 0, False)


def test_evaluate_counts_accuracy_chance_and_flips(decoder: Any) -> None:
    seen = Recorder()
    run = evaluate(decoder, ITEMS, progress=seen)
    assert run.model == decoder.name and len(run.items) == len(ITEMS)
    assert run.acc == np.mean([r.result.acc_choice == r.item.gold for r in run.items])
    assert run.acc_norm == np.mean([r.result.acc_norm_choice == r.item.gold for r in run.items])
    assert run.chance == pytest.approx(np.mean([1 / 4, 1 / 3, 1 / 3, 1 / 3]))
    assert run.flipped == tuple(n for n, r in enumerate(run.items) if r.result.flips)
    assert run.items[1].correct  # Paris
    assert [d for d, _, _ in seen.ticks] == [0, 1, 2, 3, 4]
    out = json.loads(json.dumps(run.to_json()))
    assert out["items"][0]["gold"] == 3 and set(out) >= {"acc", "acc_norm", "chance", "flipped"}
    with pytest.raises(Cancelled):
        evaluate(decoder, ITEMS, progress=Recorder(stop_at=2))


@pytest.mark.parametrize(
    ("context", "options", "message"),
    [
        ("", ("a", "b"), "the context is empty"),
        ("  \n", ("a", "b"), "the context is empty"),
        ("The sky is", ("blue",), "at least two options, not 1"),
        ("The sky is", (), "at least two options, not 0"),
        ("The sky is", ("blue", ""), "option 2 is empty"),
        ("The sky is", (" ", "blue"), "option 1 is empty"),
    ],
)
def test_bad_choices_are_calm_errors(
    decoder: Any, context: str, options: tuple[str, ...], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        score_choice(decoder, context, options)


def test_bad_items_stop_the_run_before_it_starts(decoder: Any) -> None:
    with pytest.raises(UserError, match="no items"):
        evaluate(decoder, [])
    seen = Recorder()
    with pytest.raises(UserError, match=r"item 2: the right answer must be .* 0 to 1, not 2"):
        evaluate(decoder, [ITEMS[1], ChoiceItem("Sky", ("blue", "red"), 2)], progress=seen)
    with pytest.raises(UserError, match="item 1: option 2 is empty"):
        evaluate(decoder, [ChoiceItem("Sky", ("blue", ""), 0)])
    assert seen.ticks == []


def test_a_context_longer_than_the_models_is_a_calm_error(decoder: Any) -> None:
    with pytest.raises(UserError, match="more than SmolLM2-135M-Instruct's context of 8192"):
        score_choice(decoder, "word " * 8200, ("a", "b"))
