"""BERT's masked-LM head: in numpy for the logit lens, and at the [MASK]s only for fill-mask.

The logit lens applies the head (dense → GELU → LayerNorm → tied decoder + bias) to *every*
layer's hidden state, which the graph's ``logits`` output (last layer only) cannot give, so the
head is rebuilt here in numpy from the graph's own initializers. Fill-mask needs scores only at
the [MASK] positions, so :func:`masked_logits_graph` rewires a copy of the graph to run its head
there alone. The store graph's ``logits`` output stays the reference both are tested against.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lab_app.core.errors import StoreError, UserError
from lab_app.core.models.activations import activation
from lab_app.core.models.bert_config import (
    LINEAR_LAYOUT,
    MASK_LOGITS,
    MASK_POSITIONS,
    METADATA_CONFIG,
    METADATA_LAYOUT,
    EncoderConfig,
)
from lab_app.core.models.encoder import Encoder
from lab_app.core.models.store import REPAIR_HINT

if TYPE_CHECKING:  # onnx holds the GIL for a second on import: only where a graph is rewritten
    import onnx

_NEEDED = (
    "cls.predictions.transform.dense.weight",
    "cls.predictions.transform.dense.bias",
    "cls.predictions.transform.LayerNorm.weight",
    "cls.predictions.transform.LayerNorm.bias",
    "cls.predictions.bias",
)
_EMBEDDING = "embeddings.word_embeddings.weight"
_DECODER = "cls.predictions.decoder.weight"


@dataclass(frozen=True, eq=False)
class MlmHead:
    """The masked-LM head's weights; Linear weights are [in, out] as the graph stores them."""

    dense_weight: np.ndarray  # hidden × hidden
    dense_bias: np.ndarray
    norm_weight: np.ndarray
    norm_bias: np.ndarray
    decoder: np.ndarray  # hidden × vocab (the transposed word embeddings when tied)
    bias: np.ndarray  # vocab
    act: str
    eps: float

    @property
    def vocab_size(self) -> int:
        return int(self.bias.shape[0])

    def logits(self, hidden: np.ndarray) -> np.ndarray:
        """Vocabulary scores for hidden states of shape ``(..., hidden)``."""
        x = np.asarray(hidden, dtype=np.float32) @ self.dense_weight + self.dense_bias
        x = activation(self.act, x)
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        x = (x - mean) / np.sqrt(var + self.eps) * self.norm_weight + self.norm_bias
        return np.asarray(x @ self.decoder + self.bias, dtype=np.float32)

    @classmethod
    def from_weights(cls, config: EncoderConfig, weights: Mapping[str, np.ndarray]) -> MlmHead:
        """Build from graph initializers (``[in, out]`` Linear layout)."""
        missing = [n for n in _NEEDED if n not in weights]
        if missing or (_DECODER not in weights and _EMBEDDING not in weights):
            raise UserError("this model has no masked-LM head, so it cannot fill a [MASK]")
        decoder = weights[_DECODER] if _DECODER in weights else weights[_EMBEDDING].T
        # RoBERTa's lm_head applies erf GELU whatever hidden_act says (as the ONNX builder does).
        act = "gelu" if config.family == "roberta" else config.hidden_act
        return cls(
            dense_weight=np.asarray(weights[_NEEDED[0]], dtype=np.float32),
            dense_bias=np.asarray(weights[_NEEDED[1]], dtype=np.float32),
            norm_weight=np.asarray(weights[_NEEDED[2]], dtype=np.float32),
            norm_bias=np.asarray(weights[_NEEDED[3]], dtype=np.float32),
            decoder=np.ascontiguousarray(decoder, dtype=np.float32),
            bias=np.asarray(weights[_NEEDED[4]], dtype=np.float32),
            act=act,
            eps=float(config.layer_norm_eps),
        )

    @classmethod
    def from_onnx(cls, model: onnx.ModelProto) -> MlmHead:
        """Read the head from a graph built by :mod:`lab_app.core.models.build.bert_onnx`."""
        props = {p.key: p.value for p in model.metadata_props}
        if METADATA_CONFIG not in props:
            raise StoreError(f"the model's graph carries no {METADATA_CONFIG}; {REPAIR_HINT}")
        if props.get(METADATA_LAYOUT, LINEAR_LAYOUT) != LINEAR_LAYOUT:
            raise StoreError(f"unexpected Linear layout {props[METADATA_LAYOUT]}; {REPAIR_HINT}")
        from onnx import numpy_helper

        config = EncoderConfig.from_dict(json.loads(props[METADATA_CONFIG]))
        wanted = {*_NEEDED, _EMBEDDING, _DECODER}
        weights = {
            t.name: numpy_helper.to_array(t) for t in model.graph.initializer if t.name in wanted
        }
        return cls.from_weights(config, weights)


def masked_logits_graph(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of a store graph whose MLM head runs only at the positions it is given.

    ONNX Runtime executes every node of a graph whatever outputs are fetched, so the store
    graph always pays for the decoder at *every* position (hidden × 30,522 per token) — as much
    as the whole encoder of a small model. Here a ``Gather`` on the new ``mask_positions`` input
    feeds the head, whose output becomes ``mask_logits`` ``[batch, masks, vocab]``; the encoder
    outputs are unchanged.
    """
    import onnx

    graph = model.graph
    heads = [
        n
        for n in graph.node
        if n.op_type == "MatMul" and list(n.input) == ["last_hidden_state", _NEEDED[0]]
    ]
    logits = [o for o in graph.output if o.name == "logits"]
    if len(heads) != 1 or len(logits) != 1:
        raise UserError("this model has no masked-LM head, so it cannot fill a [MASK]")
    out = onnx.ModelProto()
    out.CopyFrom(model)
    g = out.graph
    head = next(n for n in g.node if n.name == heads[0].name)
    gather = onnx.helper.make_node(
        "Gather",
        ["last_hidden_state", MASK_POSITIONS],
        ["masked_hidden"],
        axis=1,
        name="GatherMaskPositions",
    )
    head.input[0] = "masked_hidden"
    g.node.insert(list(g.node).index(head), gather)
    for node in g.node:
        node.output[:] = [MASK_LOGITS if o == "logits" else o for o in node.output]
    g.input.append(
        onnx.helper.make_tensor_value_info(MASK_POSITIONS, onnx.TensorProto.INT64, ["masks"])
    )
    vocab = logits[0].type.tensor_type.shape.dim[-1].dim_value
    kept = [o for o in g.output if o.name != "logits"]
    del g.output[:]
    g.output.extend(kept)
    g.output.append(
        onnx.helper.make_tensor_value_info(
            MASK_LOGITS, onnx.TensorProto.FLOAT, ["batch", "masks", vocab]
        )
    )
    return out


_HEADS: weakref.WeakKeyDictionary[Encoder, MlmHead] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def head_for(encoder: Encoder) -> MlmHead:
    """The head of an encoder's store model, read once and kept as long as the encoder lives.

    An encoder built with modified in-memory weights (``Encoder(entry, model=...)``) should be
    given its head with :func:`set_head`, since the store file holds the unmodified weights.
    """
    with _LOCK:
        head = _HEADS.get(encoder)
        if head is None:
            if "logits" not in encoder.output_names:
                raise UserError(
                    f"{encoder.name} has no masked-LM head, so it cannot fill a [MASK]; "
                    "choose a model whose outputs include logits (`bert-lab models list`)"
                )
            import onnx

            model = onnx.load(str(encoder.entry.file("model.onnx")))
            head = MlmHead.from_onnx(model)
            _HEADS[encoder] = head
        return head


def set_head(encoder: Encoder, head: MlmHead) -> None:
    """Use ``head`` for ``encoder`` (for encoders running modified in-memory weights)."""
    with _LOCK:
        _HEADS[encoder] = head
