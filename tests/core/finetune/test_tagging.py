"""Token tagging: the head's gradients equal PyTorch's, entity scores equal seqeval's strict IOB2,
and the word/sub-token alignment equals transformers' run_ner and its pipeline's "first" rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lab_app.core.engine.bert_numpy import Batch, NumpyBert
from lab_app.core.finetune.options import Kind
from lab_app.core.finetune.step import loss_and_grads, plan
from lab_app.core.finetune.tagging import (
    IGNORE,
    AlignedPiece,
    TokenTagging,
    align_labels,
    alignment,
    as_tokens,
    encode_words,
    token_targets,
    word_tags,
)
from lab_app.core.finetune.weights import add_lora
from lab_app.core.taskmodels.iob import entities, tag_names
from lab_app.core.taskmodels.tags import predict_words

TAGS = tag_names(["PER", "LOC", "MISC"])  # O, B-LOC, I-LOC, B-MISC, I-MISC, B-PER, I-PER


def test_tag_names_and_strict_entities() -> None:
    assert TAGS == ("O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-PER", "I-PER")
    assert entities(["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-LOC"]) == [
        ("PER", 0, 2),
        ("LOC", 3, 6),
    ]
    # an I- that continues nothing starts nothing; a B- always starts a new entity
    assert entities(["O", "I-LOC", "I-LOC", "B-PER", "I-LOC", "B-PER", "B-PER"]) == [
        ("PER", 3, 4),
        ("PER", 5, 6),
        ("PER", 6, 7),
    ]


# --- (a) gradients against PyTorch --------------------------------------------------------------


def _targets(batch: Batch, classes: int, seed: int) -> np.ndarray:
    """Random targets at real positions, with the first, the last and some other real positions
    IGNORE (special tokens, later sub-tokens), and IGNORE on padding."""
    rng = np.random.default_rng(seed)
    out = rng.integers(0, classes, batch.input_ids.shape).astype(np.int64)
    out[batch.attention_mask == 0] = IGNORE
    out[rng.random(out.shape) < 0.25] = IGNORE
    out[:, 0] = IGNORE
    for row, n in enumerate(batch.attention_mask.sum(axis=1)):
        out[row, n - 1] = IGNORE
    return out


def _torch_twin(
    config: Any,
    params: dict[str, np.ndarray],
    batch: Batch,
    targets: np.ndarray,
    trainable: tuple[str, ...],
    lora_scale: float,
) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients by autograd: transformers' BertModel, a torch.nn.Linear on every
    position, CrossEntropyLoss(ignore_index=-100)."""
    import torch
    from torch_bert import hf_config, to_torch_layout
    from transformers import BertModel

    from lab_app.core.models.bert_layout import is_linear_weight

    torch.manual_seed(0)
    model = BertModel(hf_config(config), add_pooling_layer=False)
    model.config._attn_implementation = "eager"
    model.load_state_dict(
        {
            n: torch.tensor(v)
            for n, v in to_torch_layout(params).items()
            if not n.startswith(("tagger.", "pooler.")) and ".lora_" not in n
        },
        strict=True,
    )
    model.eval()
    named = dict(model.named_parameters())
    for n, p in named.items():
        p.requires_grad_(n in trainable)
    lora = {n: torch.tensor(v, requires_grad=True) for n, v in params.items() if ".lora_" in n}
    hooks = []
    for n in {n.rsplit(".", 1)[0] for n in lora}:
        a, b = lora[f"{n}.lora_A"], lora[f"{n}.lora_B"]

        def hook(_m: Any, inputs: Any, out: Any, a: Any = a, b: Any = b) -> Any:
            return out + lora_scale * (inputs[0] @ a) @ b

        hooks.append(model.get_submodule(n).register_forward_hook(hook))
    weight, bias = params["tagger.weight"], params["tagger.bias"]
    linear = torch.nn.Linear(weight.shape[0], weight.shape[1])
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(weight.T))
        linear.bias.copy_(torch.tensor(bias))
    hidden = model(
        input_ids=torch.tensor(batch.input_ids),
        attention_mask=torch.tensor(batch.attention_mask),
        token_type_ids=torch.tensor(batch.token_type_ids),
    ).last_hidden_state
    scores = linear(hidden)
    loss = torch.nn.CrossEntropyLoss(ignore_index=-100)(
        scores.reshape(-1, weight.shape[1]), torch.tensor(targets).reshape(-1)
    )
    loss.backward()
    for h in hooks:
        h.remove()

    def grad(tensor: Any) -> np.ndarray:
        assert tensor.grad is not None
        return np.asarray(tensor.grad.numpy())

    grads = {"tagger.weight": grad(linear.weight).T, "tagger.bias": grad(linear.bias)}
    for n in trainable:
        if n in lora:
            grads[n] = grad(lora[n])
        elif n in named:
            grads[n] = grad(named[n]).T if is_linear_weight(n) else grad(named[n])
    return float(loss.detach()), grads


@pytest.mark.parametrize("kind", ["full", "partial", "lora"])
def test_gradients_equal_pytorch_through_the_encoder(kind: Kind) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from test_gradients import batch_of, random_params, small_config

    config = small_config()
    params = random_params(config)
    batch = batch_of([7, 3, 5, 1], config.vocab_size)
    task = TokenTagging(TAGS)
    rng = np.random.default_rng(3)
    params.update(task.init(config.hidden_size, rng))
    params["tagger.bias"] = rng.normal(0, 0.1, len(TAGS)).astype(np.float32)
    if kind == "lora":
        add_lora(params, config, 4, rng)
        for n in [n for n in params if n.endswith("lora_B")]:  # non-zero B: a real test
            params[n] = rng.normal(0, 0.05, params[n].shape).astype(np.float32)
    targets = _targets(batch, len(TAGS), 5)
    p = plan(kind, config, params, task, 2)
    net = NumpyBert(config, params, lora_scale=2.0)
    frozen = net.hidden_at(batch, p.start) if p.start else None
    loss, grads = loss_and_grads(net, task, p, batch, targets, frozen)
    ref_loss, ref = _torch_twin(config, params, batch, targets, p.trainable, 2.0)
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    assert set(grads) == set(p.trainable)
    assert {"tagger.weight", "tagger.bias"} <= set(p.trainable)
    for name in p.trainable:
        scale = float(np.abs(ref[name]).max())
        assert scale > 0, name
        err = float(np.abs(grads[name] - ref[name]).max())
        assert err <= 1e-4 * scale + 1e-7, (name, err, scale)


def test_head_gradients_and_hidden_gradient_equal_pytorch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    task = TokenTagging(TAGS)
    params = task.init(16, rng)
    params["tagger.bias"] = rng.normal(0, 0.1, len(TAGS)).astype(np.float32)
    hidden = rng.normal(0, 1, (3, 6, 16)).astype(np.float32)
    batch = Batch(*(np.ones((3, 6), np.int64),) * 3)
    targets = rng.integers(0, len(TAGS), (3, 6))
    targets[rng.random((3, 6)) < 0.4] = IGNORE
    targets[2] = IGNORE  # a row with nothing to learn
    scores, cache = task.forward(params, hidden, batch)
    loss, d_scores = task.loss(scores, targets)
    grads: dict[str, np.ndarray] = {}
    d_hidden = task.backward(params, d_scores, cache, grads, set())

    h = torch.tensor(hidden, requires_grad=True)
    linear = torch.nn.Linear(16, len(TAGS))
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(params["tagger.weight"].T))
        linear.bias.copy_(torch.tensor(params["tagger.bias"]))
    t_scores = linear(h)
    t_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)(
        t_scores.reshape(-1, len(TAGS)), torch.tensor(targets).reshape(-1)
    )
    t_loss.backward()
    np.testing.assert_allclose(scores, t_scores.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert loss == pytest.approx(float(t_loss.detach()), rel=1e-5)
    for mine, theirs in [
        (grads["tagger.weight"], linear.weight.grad.numpy().T),
        (grads["tagger.bias"], linear.bias.grad.numpy()),
        (d_hidden, h.grad.numpy()),
    ]:
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-7)
    # nothing labelled: loss 0 and no gradient (PyTorch's mean over nothing would be NaN)
    zero, d = task.loss(scores, np.full((3, 6), IGNORE))
    assert zero == 0.0 and not d.any()


# --- (c) the word/sub-token alignment against transformers --------------------------------------

SENTENCES = [
    ["Maria", "Kowalczykowna", "flew", "to", "Reykjavik", "yesterday", "."],
    ["unbelievably", "Frankfurt", "!"],
    ["Bonn"],
]
SENTENCE_TAGS = [
    ["B-PER", "I-PER", "O", "O", "B-LOC", "O", "O"],
    ["O", "B-LOC", "O"],
    ["B-LOC"],
]


@pytest.fixture(scope="module")
def wordpiece(wordpiece_source_json: Path) -> Any:
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(wordpiece_source_json))


def _hf_fast(tokenizer: Any) -> Any:
    pytest.importorskip("transformers")
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        mask_token="[MASK]",
    )


def _run_ner_labels(word_ids: list[int | None], labels: list[int]) -> list[int]:
    """transformers' examples/pytorch/token-classification/run_ner.py, label_all_tokens=False."""
    out, previous = [], None
    for word_idx in word_ids:
        if word_idx is None:
            out.append(-100)
        elif word_idx != previous:
            out.append(labels[word_idx])
        else:
            out.append(-100)
        previous = word_idx
    return out


@pytest.mark.parametrize("limit", [64, 6])
def test_align_labels_equals_run_ner(wordpiece: Any, limit: int) -> None:
    hf = _hf_fast(wordpiece)
    before = (wordpiece.truncation, wordpiece.padding)
    encodings = encode_words(wordpiece, SENTENCES, limit)
    assert (wordpiece.truncation, wordpiece.padding) == before  # left as they were
    assert before[1] is not None  # this tokenizer.json pads to 128: encode_words must not
    targets = token_targets(encodings, SENTENCE_TAGS, TAGS)
    hf.backend_tokenizer.no_padding()
    theirs = hf(SENTENCES, is_split_into_words=True, truncation=True, max_length=limit)
    split = False
    for i, (enc, tags) in enumerate(zip(encodings, SENTENCE_TAGS, strict=True)):
        assert enc.ids == theirs["input_ids"][i]
        assert enc.word_ids == theirs.word_ids(i)
        split |= len(enc.word_ids) > len(set(enc.word_ids)) + 1  # a word of several pieces
        labels = [TAGS.index(t) for t in tags]
        expected = _run_ner_labels(theirs.word_ids(i), labels)
        assert align_labels(enc.word_ids, labels).tolist() == expected
        assert targets[i].tolist() == expected
    assert split, "the sentences should have words of several pieces"
    tokens = as_tokens(encodings)
    assert [t.tolist() for t in tokens.ids] == [e.ids for e in encodings]
    assert tokens.truncated == sum(len(e.word_ids) == limit for e in encodings)
    assert (tokens.truncated > 0) == (limit == 6)


def test_alignment_rows(wordpiece: Any) -> None:
    (enc,) = encode_words(wordpiece, [SENTENCES[0]], 64)
    rows = alignment(enc, SENTENCES[0], SENTENCE_TAGS[0])
    assert rows[0] == AlignedPiece(None, "", "[CLS]", "-100", True)
    assert rows[-1] == AlignedPiece(None, "", "[SEP]", "-100", True)
    assert rows[1] == AlignedPiece(0, "Maria", "maria", "B-PER", False)
    pieces = [r for r in rows if r.word_index == 1]
    assert len(pieces) > 1 and pieces[0].label == "I-PER" and not pieces[0].masked
    assert all(r.masked and r.label == "-100" and r.piece.startswith("##") for r in pieces[1:])
    assert "".join(r.piece.removeprefix("##") for r in pieces) == "kowalczykowna"


def test_predict_words_equals_the_pipelines_first_aggregation(wordpiece: Any) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from transformers import BertConfig, BertForTokenClassification, TokenClassificationPipeline
    from transformers.pipelines.token_classification import AggregationStrategy

    hf = _hf_fast(wordpiece)
    config = BertConfig(
        vocab_size=wordpiece.get_vocab_size(),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        id2label=dict(enumerate(TAGS)),
        label2id={t: i for i, t in enumerate(TAGS)},
    )
    pipe = TokenClassificationPipeline(model=BertForTokenClassification(config), tokenizer=hf)
    rng = np.random.default_rng(11)
    for words, enc in zip(SENTENCES, encode_words(wordpiece, SENTENCES, 64), strict=True):
        scores = rng.normal(0, 2, (len(enc.ids), len(TAGS))).astype(np.float32)
        mine = predict_words(scores, enc.word_ids, TAGS)
        chars, start = [], 0
        for w in words:
            chars.append((start, start + len(w)))
            start += len(w) + 1
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        pre = pipe.gather_pre_entities(
            " ".join(words),
            np.array(enc.ids),
            e / e.sum(axis=-1, keepdims=True),
            [tuple(o) for o in enc.offsets],
            np.array(enc.special_tokens_mask),
            AggregationStrategy.FIRST,
            word_ids=enc.word_ids,
            word_to_chars_map=chars,
        )
        theirs = pipe.aggregate_words(pre, AggregationStrategy.FIRST)
        assert len(theirs) == len(words) == len(mine)
        for (tag, prob), entity in zip(mine, theirs, strict=True):
            assert tag == entity["entity"]
            assert prob == pytest.approx(float(entity["score"]), rel=1e-5)


def test_predict_words_edge_cases() -> None:
    scores = np.log(np.array([[0.1, 0.9], [0.7, 0.3], [0.2, 0.8], [0.6, 0.4]], np.float32))
    assert predict_words(scores, [None, 0, 0, 2], ("O", "B-X")) == [
        ("O", pytest.approx(0.7)),
        ("O", 0.0),  # word 1 has no token: the tokenizer dropped it
        ("O", pytest.approx(0.6)),
    ]
    assert predict_words(scores[:2], [None, None], ("O", "B-X")) == []


# --- (d) evaluation on made-up scores -----------------------------------------------------------


def _one_hot(tag_ids: list[int], classes: int, sure: float = 5.0) -> np.ndarray:
    out = np.zeros((len(tag_ids), classes), np.float32)
    out[np.arange(len(tag_ids)), tag_ids] = sure
    return out


def test_evaluate_on_made_up_scores() -> None:
    task = TokenTagging(TAGS)
    t = {name: i for i, name in enumerate(TAGS)}
    # [CLS] Maria Kow ##al flew Bonn [SEP] [PAD] ; gold PER(0,2) O LOC
    targets_a = np.array(
        [
            [IGNORE, t["B-PER"], t["I-PER"], IGNORE, t["O"], t["B-LOC"], IGNORE, IGNORE],
            [IGNORE, t["B-LOC"], t["O"], IGNORE, IGNORE, IGNORE, IGNORE, IGNORE],
        ]
    )
    predicted_a = [
        # right, except the ignored sub-token which says B-MISC (must not matter)
        [t["O"], t["B-PER"], t["I-PER"], t["B-MISC"], t["O"], t["B-LOC"], t["O"], t["B-PER"]],
        # I-LOC after the start: an invalid prediction, no entity in strict IOB2
        [t["O"], t["I-LOC"], t["O"], t["O"], t["O"], t["O"], t["O"], t["O"]],
    ]
    scores_a = np.stack([_one_hot(p, len(TAGS)) for p in predicted_a])
    targets_b = np.array([[IGNORE, t["B-MISC"], t["I-MISC"], IGNORE]])
    scores_b = _one_hot([t["O"], t["B-MISC"], t["I-MISC"], t["O"]], len(TAGS))[None]
    got = task.evaluate([(scores_a, targets_a), (scores_b, targets_b)])
    # gold PER, LOC, LOC, MISC; predicted PER, LOC, MISC all right
    assert got["precision"] == pytest.approx(1.0)
    assert got["recall"] == pytest.approx(0.75)
    assert got["entity_f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert got["token_accuracy"] == pytest.approx(7 / 8)
    logp = 5.0 - np.log(np.exp(5.0) + len(TAGS) - 1)  # log-softmax of a one-hot score of 5
    wrong = 0.0 - np.log(np.exp(5.0) + len(TAGS) - 1)
    assert got["loss"] == pytest.approx(-(7 * logp + wrong) / 8, rel=1e-5)
    assert set(got) == {"loss", "entity_f1", "precision", "recall", "token_accuracy"}
    gold, pred = word_tags(scores_a[1], targets_a[1], TAGS)
    assert (gold, pred) == (["B-LOC", "O"], ["I-LOC", "O"])


def test_collate_pads_with_ignore() -> None:
    task = TokenTagging(TAGS)
    targets = [np.array([IGNORE, 1, IGNORE]), np.array([IGNORE, 3, 4, 0, IGNORE])]
    out = task.collate(targets, np.array([1, 0]), 6)
    assert out.tolist() == [
        [IGNORE, 3, 4, 0, IGNORE, IGNORE],
        [IGNORE, 1, IGNORE, IGNORE, IGNORE, IGNORE],
    ]
    assert task.new_params == ("tagger.weight", "tagger.bias") and task.headline == "entity_f1"
    params = task.init(24, np.random.default_rng(0))
    assert params["tagger.weight"].shape == (24, len(TAGS))
