"""The span head: its gradients equal PyTorch autograd's (alone and through the encoder), its
decoding equals transformers' QA decoding, and spans map back to the right characters."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import Batch, NumpyBert
from lab_app.core.errors import UserError
from lab_app.core.finetune.options import Kind
from lab_app.core.finetune.span import PAD_LOGIT, QA_HEAD, SpanExtraction, SpanTargets
from lab_app.core.finetune.step import loss_and_grads, plan
from lab_app.core.finetune.weights import add_lora
from lab_app.core.models.bert_config import EncoderConfig
from lab_app.core.taskmodels import squad
from lab_app.core.taskmodels.spans import answer, best_spans, start_end_probs
from lab_app.core.taskmodels.squad import Answer, QaExample, Window, make_windows, targets_of

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from test_gradients import batch_of, random_params, small_config  # noqa: E402
from torch_bert import hf_config, to_torch_layout  # noqa: E402

# -- gradients ---------------------------------------------------------------------------------


def _torch_loss(logits: Any, mask: Any, starts: np.ndarray, ends: np.ndarray) -> Any:
    """BertForQuestionAnswering's loss, with padding logits set to the head's PAD_LOGIT."""
    logits = torch.where(mask[..., None], logits, torch.tensor(PAD_LOGIT))
    ce = torch.nn.functional.cross_entropy
    return (ce(logits[..., 0], torch.tensor(starts)) + ce(logits[..., 1], torch.tensor(ends))) / 2


def test_head_alone_equals_pytorch() -> None:
    rng = np.random.default_rng(0)
    batch = batch_of([7, 3, 5], 60)
    hidden = rng.normal(0, 1, (3, 7, 24)).astype(np.float32)
    head = SpanExtraction([], [])
    params = head.init(24, rng)
    params[QA_HEAD[1]] = np.array([0.3, -0.2], dtype=np.float32)
    targets = SpanTargets(np.array([2, 0, 4]), np.array([5, 2, 4]), np.arange(3))
    scores, cache = head.forward(params, hidden, batch)
    assert (scores[1, 3:] == PAD_LOGIT).all()
    loss, d_scores = head.loss(scores, targets)
    grads: dict[str, np.ndarray] = {}
    d_hidden = head.backward(params, d_scores, cache, grads, set())

    h = torch.tensor(hidden, requires_grad=True)
    w = torch.tensor(params[QA_HEAD[0]], requires_grad=True)
    b = torch.tensor(params[QA_HEAD[1]], requires_grad=True)
    mask = torch.tensor(batch.attention_mask, dtype=torch.bool)
    ref = _torch_loss(h @ w + b, mask, targets.starts, targets.ends)
    ref.backward()
    assert loss == pytest.approx(float(ref.detach()), rel=1e-6)
    for mine, theirs in [(grads[QA_HEAD[0]], w), (grads[QA_HEAD[1]], b), (d_hidden, h)]:
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-5, atol=1e-7)


def _reference(
    config: EncoderConfig,
    params: dict[str, np.ndarray],
    batch: Batch,
    targets: SpanTargets,
    trainable: tuple[str, ...],
    lora_scale: float,
) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients (numpy layout) of HF's BertModel + Linear(H, 2) by autograd."""
    from transformers import BertModel

    torch.manual_seed(0)
    model = BertModel(hf_config(config), add_pooling_layer=False)
    model.config._attn_implementation = "eager"
    base = {
        n: torch.tensor(v)
        for n, v in to_torch_layout(params).items()
        if not n.startswith(("qa_outputs.", "pooler.")) and ".lora_" not in n
    }
    model.load_state_dict(base, strict=True)
    model.eval()
    named = dict(model.named_parameters())
    for n, p in named.items():
        p.requires_grad_(n in trainable)
    extra = {
        n: torch.tensor(v, requires_grad=True)
        for n, v in params.items()
        if n.startswith("qa_outputs.") or ".lora_" in n
    }
    hooks = []
    for n in {n.rsplit(".", 1)[0] for n in extra if ".lora_" in n}:
        a, b = extra[f"{n}.lora_A"], extra[f"{n}.lora_B"]

        def hook(_m: Any, inputs: Any, out: Any, a: Any = a, b: Any = b) -> Any:
            return out + lora_scale * (inputs[0] @ a) @ b

        hooks.append(model.get_submodule(n).register_forward_hook(hook))
    hidden = model(
        input_ids=torch.tensor(batch.input_ids),
        attention_mask=torch.tensor(batch.attention_mask),
        token_type_ids=torch.tensor(batch.token_type_ids),
    ).last_hidden_state
    logits = hidden @ extra[QA_HEAD[0]] + extra[QA_HEAD[1]]
    mask = torch.tensor(batch.attention_mask, dtype=torch.bool)
    loss = _torch_loss(logits, mask, targets.starts, targets.ends)
    loss.backward()
    for h in hooks:
        h.remove()
    grads = {}
    for n in trainable:
        t = extra.get(n, named.get(n))
        assert t is not None and t.grad is not None, n
        g = t.grad.numpy()
        grads[n] = to_torch_layout({n: g})[n] if n in named else g
    return float(loss.detach()), grads


@pytest.mark.parametrize("kind", ["full", "partial", "lora"])
def test_gradients_through_the_encoder_equal_pytorch(kind: Kind) -> None:
    config = small_config()
    params = random_params(config)
    batch = batch_of([7, 3, 5, 6], 60)
    rng = np.random.default_rng(3)
    head = SpanExtraction([], [])
    params.update(head.init(config.hidden_size, rng))
    if kind == "lora":
        add_lora(params, config, 4, rng)
        for n in [n for n in params if n.endswith("lora_B")]:
            params[n] = rng.normal(0, 0.05, params[n].shape).astype(np.float32)
    targets = head.collate(np.array([[1, 4], [0, 0], [2, 2], [3, 5]]), np.arange(4), 7)
    p = plan(kind, config, params, head, 2)
    net = NumpyBert(config, params, lora_scale=2.0)
    frozen = net.hidden_at(batch, p.start) if p.start else None
    loss, grads = loss_and_grads(net, head, p, batch, targets, frozen)
    ref_loss, ref = _reference(config, params, batch, targets, p.trainable, 2.0)
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    assert set(grads) == set(p.trainable)
    for name in p.trainable:
        scale = float(np.abs(ref[name]).max())
        assert scale > 0, name
        err = float(np.abs(grads[name] - ref[name]).max())
        assert err <= 1e-4 * scale + 1e-7, (name, err, scale)


def test_unpadded_loss_is_bert_for_question_answering_s() -> None:
    """Without padding the head is exactly transformers' BertForQuestionAnswering."""
    from transformers import BertForQuestionAnswering

    config = small_config()
    params = random_params(config)
    head = SpanExtraction([], [])
    params.update(head.init(config.hidden_size, np.random.default_rng(5)))
    batch = batch_of([6, 6], 60)
    starts, ends = np.array([1, 3]), np.array([2, 5])
    net = NumpyBert(config, params)
    p = plan("full", config, params, head)
    loss, grads = loss_and_grads(net, head, p, batch, SpanTargets(starts, ends, np.arange(2)))

    model = BertForQuestionAnswering(hf_config(config))
    model.config._attn_implementation = "eager"
    state = {
        f"bert.{n}": torch.tensor(v)
        for n, v in to_torch_layout(params).items()
        if not n.startswith(("qa_outputs.", "pooler."))
    }
    state[QA_HEAD[0]] = torch.tensor(params[QA_HEAD[0]].T.copy())
    state[QA_HEAD[1]] = torch.tensor(params[QA_HEAD[1]])
    model.load_state_dict(state, strict=True)
    model.eval()
    out = model(
        input_ids=torch.tensor(batch.input_ids),
        attention_mask=torch.tensor(batch.attention_mask),
        token_type_ids=torch.tensor(batch.token_type_ids),
        start_positions=torch.tensor(starts),
        end_positions=torch.tensor(ends),
    )
    out.loss.backward()
    assert loss == pytest.approx(float(out.loss.detach()), rel=1e-5)
    np.testing.assert_allclose(grads[QA_HEAD[0]], model.qa_outputs.weight.grad.numpy().T, atol=1e-6)
    word = "embeddings.word_embeddings.weight"
    ref = model.bert.embeddings.word_embeddings.weight.grad.numpy()
    assert np.abs(grads[word] - ref).max() <= 1e-4 * np.abs(ref).max()


# -- decoding ----------------------------------------------------------------------------------


def _synthetic_window(rng: np.random.Generator, n: int) -> tuple[Window, str]:
    """A window of ``n`` real tokens: a question, then a context of 3-character tokens, with
    a few context tokens masked out too (as undesired tokens)."""
    q = int(rng.integers(2, 6))
    context = "".join(f"{i:02d} " for i in range(n))
    offsets: list[tuple[int, int] | None] = [None] * n
    for i in range(q + 2, n - 1):
        offsets[i] = (3 * i, 3 * i + 2)
    for i in rng.choice(np.arange(q + 2, n - 1), 3, replace=False):
        offsets[i] = None
    ids = np.arange(n, dtype=np.int64)
    return Window(0, ids, np.zeros_like(ids), offsets, 0, 0), context


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("top_k", "max_len"), [(1, 15), (5, 4), (20, 30), (40, 1)])
def test_decoding_equals_transformers(seed: int, top_k: int, max_len: int) -> None:
    dqa = pytest.importorskip("transformers.pipelines.document_question_answering")
    rng = np.random.default_rng(seed)
    n, width = int(rng.integers(24, 40)), 44
    window, context = _synthetic_window(rng, n)
    logits = rng.normal(0, 3, (width, 2))
    p_mask = np.array([o is None for o in window.offsets] + [True] * (width - n), dtype=np.int64)
    attention = (np.arange(width) < n).astype(np.int64)
    starts, ends, scores, _ = dqa.select_starts_ends(
        logits[None, :, 0].copy(),
        logits[None, :, 1].copy(),
        p_mask[None],
        attention[None],
        top_k=top_k,
        max_answer_len=max_len,
    )
    # transformers may pad its top-k with zero-probability pairs it then filters by token only
    # (an end before its start could pass): the spans that have a probability must be equal
    starts, ends, scores = starts[scores > 0], ends[scores > 0], scores[scores > 0]
    spans = best_spans(logits[:, 0], logits[:, 1], window, context, top_k, max_len)
    assert [s.tokens for s in spans] == list(zip(starts.tolist(), ends.tolist(), strict=True))
    np.testing.assert_allclose([s.score for s in spans], scores, rtol=1e-9, atol=1e-300)
    for s in spans:
        first, last = window.offsets[s.tokens[0]], window.offsets[s.tokens[1]]
        assert first is not None and last is not None
        assert (s.start_char, s.end_char) == (first[0], last[1])
        assert s.text == context[s.start_char : s.end_char]
    p_start, p_end = start_end_probs(logits[:, 0], logits[:, 1], window)
    valid = np.array([o is not None for o in window.offsets])
    assert p_start.sum() == pytest.approx(1.0) and p_end.sum() == pytest.approx(1.0)
    assert (p_start[~valid] == 0).all() and (p_end[~valid] == 0).all()


# -- windows on real text ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def wordpiece(wordpiece_source_json: Path) -> Any:
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(wordpiece_source_json))


def _example(context: str, answer: str, question: str = "Where is it?", n: int = 0) -> QaExample:
    at = context.index(answer)
    return QaExample(f"q{n}", "t", question, context, (Answer(answer, at),))


def _logits_for(window: Window, width: int | None = None) -> np.ndarray:
    logits = np.zeros((width or len(window.ids), 2), dtype=np.float32)
    logits[window.start, 0] = logits[window.end, 1] = 12.0
    return logits


@pytest.mark.parametrize(
    ("context", "gold"),
    [
        ("Das Café liegt in Zürich, nicht in Genève.", "Zürich"),
        ("Le héros naïf a mangé une crème brûlée à Noël.", "crème brûlée"),
        ("The party 🎉 was in Paris 🇫🇷 last year 😀.", "Paris 🇫🇷 last year"),
        ("القاهرة هي عاصمة مصر وأكبر مدنها.", "عاصمة مصر"),
        ("שלום עולם: ירושלים היא עיר עתיקה.", "ירושלים"),
        ("東京は日本の首都です。", "日本の首都"),
    ],
)
def test_spans_map_to_the_context_s_characters(wordpiece: Any, context: str, gold: str) -> None:
    ex = _example(context, gold, "¿Dónde está? 😀")
    (window,) = make_windows(wordpiece, [ex])
    assert window.start > 0
    first, last = window.offsets[window.start], window.offsets[window.end]
    assert first is not None and last is not None
    assert context[first[0] : last[1]] == gold
    spans = best_spans(*_logits_for(window).T, window, context)
    assert spans[0].text == gold and spans[0].score > 0.99
    for o in window.offsets:
        if o is not None:
            assert 0 <= o[0] < o[1] <= len(context)


def test_a_long_passage_is_cut_into_overlapping_windows(wordpiece: Any) -> None:
    rng = np.random.default_rng(0)
    words = [str(w) for w in rng.choice(["river", "stone", "Übung", "light", "north"], 20_000)]
    words[19_500:19_503] = ["the", "hidden", "lighthouse"]
    context = " ".join(words)
    ex = _example(context, "hidden lighthouse")
    found = make_windows(wordpiece, [ex], max_len=256, stride=64)
    windows = found
    assert len(windows) > 100
    inside = [w for w in windows if w.start > 0]
    assert inside
    for w in inside:
        first, last = w.offsets[w.start], w.offsets[w.end]
        assert first is not None and last is not None
        assert context[first[0] : last[1]] == "hidden lighthouse"
    pieces = [[o for o in w.offsets if o is not None] for w in windows]
    for before, after in itertools.pairwise(pieces):
        assert before[-64:] == after[:64]  # neighbours share exactly `stride` tokens
    assert pieces[0][0][0] == 0 and pieces[-1][-1][1] == len(context)
    assert all(len(w.ids) <= 256 for w in windows)
    # decoding over all the windows finds the answer where the logits point
    logits = [_logits_for(w) for w in windows]
    prediction = answer(ex, windows, logits)
    assert prediction.text == "hidden lighthouse" and not prediction.probably_absent
    flat = answer(ex, windows, [np.zeros((len(w.ids), 2)) for w in windows])
    assert flat.probably_absent  # no span stands out: probably not in the passage


def test_the_window_cap_and_question_cut(wordpiece: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    long_q = "why " * 100 + "?"
    ex = _example("alpha beta gamma " * 200, "beta gamma", long_q)
    out = make_windows(wordpiece, [ex], max_len=64, stride=8, max_question=16)
    assert any("cut to 16 tokens" in n for n in out.notes)
    for w in out:
        assert sum(t == 0 for t in w.types) <= 16 + 2  # [CLS] question [SEP]
    monkeypatch.setattr(squad, "MAX_WINDOWS", 5)
    with pytest.raises(UserError, match="more than 5 windows"):
        make_windows(wordpiece, [ex], max_len=64, stride=8, max_question=16)
    with pytest.raises(UserError, match="overlap of 40"):
        make_windows(wordpiece, [ex], max_len=64, stride=40, max_question=16)


def test_the_tokenizer_s_own_settings_are_restored(wordpiece: Any) -> None:
    before = (wordpiece.truncation, wordpiece.padding)
    make_windows(
        wordpiece, [_example("one two three four", "three")], max_len=32, stride=4, max_question=8
    )
    assert (wordpiece.truncation, wordpiece.padding) == before


def test_evaluate_decodes_each_held_out_question_over_its_windows(wordpiece: Any) -> None:
    examples = [
        _example("The capital of France is Paris. " * 30, "France", "Which country?", 0),
        _example("Bananas are yellow and grow in bunches. " * 5, "yellow", "What colour?", 1),
        _example("Seven bridges cross the river Pregel.", "Pregel", "Which river?", 2),
    ]
    found = make_windows(wordpiece, examples, max_len=48, stride=8, max_question=16)
    windows = found
    head = SpanExtraction(windows, examples)
    y = targets_of(found)
    rows = np.arange(len(windows))
    parts = []
    for part in np.array_split(rows, 3):
        width = max(len(windows[r].ids) for r in part)
        scores = np.full((len(part), width, 2), PAD_LOGIT, dtype=np.float32)
        for i, r in enumerate(part):
            w = windows[r]
            scores[i, : len(w.ids)] = _logits_for(w)
            if r in found.of(2):  # the third question is answered wrongly
                scores[i, : len(w.ids)] = 0.0
                first = w.context_span[0]
                scores[i, first, :] = 12.0
        targets = head.collate(y, part, width)
        assert (targets.rows == part).all()
        parts.append((scores, targets))
    metrics = head.evaluate(parts)
    assert metrics["exact_match"] == pytest.approx(2 / 3)
    assert metrics["f1"] == pytest.approx(2 / 3)
    assert np.isfinite(metrics["loss"]) and metrics["loss"] > 0
