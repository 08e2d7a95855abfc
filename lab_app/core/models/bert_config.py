"""The handful of hyper-parameters the ONNX builder needs, read from a Hugging Face config.json.

BERT, DistilBERT and RoBERTa spell the same numbers differently; one frozen dataclass lets the
builder, the manifests and the size tables speak a single vocabulary.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal, cast

from lab_app.core.errors import UserError

# How an encoder's token vectors become one vector per text (the Embeddings and Fine-tuning labs).
Pooling = Literal["cls", "pooler", "mean", "sbert"]
POOLINGS: tuple[Pooling, ...] = ("cls", "pooler", "mean", "sbert")

Family = Literal["bert", "distilbert", "roberta"]
Activation = Literal["gelu", "gelu_new", "relu"]

FAMILIES: tuple[Family, ...] = ("bert", "distilbert", "roberta")

# HF names for the two GELU forms: erf (exact) and tanh (approximate). "gelu_new" stands for both
# tanh spellings because they compute the same function.
_ACTIVATIONS: dict[str, Activation] = {
    "gelu": "gelu",
    "gelu_python": "gelu",
    "gelu_new": "gelu_new",
    "gelu_pytorch_tanh": "gelu_new",
    "gelu_fast": "gelu_new",
    "relu": "relu",
}


#: The graphs' boolean input (default False) that makes them output ``attentions``.
ATTENTIONS_FLAG = "output_attentions"
#: A masked-LM graph derived for the labs (``mlm.head.masked_logits_graph``) takes the positions
#: to score as this input and gives their scores as this output; an empty input scores none.
MASK_POSITIONS = "mask_positions"
MASK_LOGITS = "mask_logits"

#: How the graphs built here record what they are (ONNX metadata), read back without onnx.
LINEAR_LAYOUT = "[in, out]"
METADATA_CONFIG = "bert_lab.encoder_config"
METADATA_LAYOUT = "bert_lab.linear_weight_layout"


@dataclass(frozen=True)
class EncoderConfig:
    """Shape and numerics of a BERT-family encoder, independent of the checkpoint's spelling."""

    family: Family
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    hidden_act: Activation
    pad_token_id: int
    position_offset: int

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise UserError(f"unknown encoder family {self.family!r}; expected one of {FAMILIES}")
        if self.hidden_act not in _ACTIVATIONS.values():
            raise UserError(f"unsupported activation {self.hidden_act!r}")
        if self.num_heads <= 0 or self.hidden_size % self.num_heads:
            raise UserError(
                f"hidden size {self.hidden_size} is not divisible by {self.num_heads} heads"
            )

    @property
    def head_size(self) -> int:
        """Width of one attention head."""
        return self.hidden_size // self.num_heads

    @property
    def max_sequence_length(self) -> int:
        """Longest input the position table covers (RoBERTa spends pad_token_id+1 rows on pads)."""
        return self.max_positions - self.position_offset

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict for manifests and ONNX metadata."""
        return asdict(self)

    def to_json(self) -> str:
        """Stable JSON text (sorted keys) so manifests diff cleanly."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EncoderConfig:
        """Inverse of :meth:`to_dict`, for reading a manifest back."""
        return cls(**d)

    @classmethod
    def from_hf_config(cls, d: dict[str, Any]) -> EncoderConfig:
        """Read a transformers config.json dict; refuse anything that is not a plain encoder."""
        model_type = str(d.get("model_type", "")).lower().replace("_", "-")
        if model_type not in FAMILIES:
            shown = model_type or "(missing)"
            raise UserError(
                f"model_type {shown!r} is not a BERT-family encoder; BERT Lab can import bert, "
                "distilbert and roberta checkpoints"
            )
        position_type = d.get("position_embedding_type", "absolute")
        if position_type != "absolute":
            raise UserError(
                f"position_embedding_type {position_type!r} is not supported; BERT Lab can import "
                "only encoders with absolute (learned) position embeddings"
            )
        family = cast(Family, model_type)
        try:
            if family == "distilbert":
                return cls(
                    family=family,
                    vocab_size=int(d["vocab_size"]),
                    hidden_size=int(d["dim"]),
                    num_layers=int(d["n_layers"]),
                    num_heads=int(d["n_heads"]),
                    intermediate_size=int(d["hidden_dim"]),
                    max_positions=int(d["max_position_embeddings"]),
                    type_vocab_size=0,
                    # DistilBERT hard-codes eps=1e-12 in every LayerNorm.
                    layer_norm_eps=1e-12,
                    hidden_act=_activation(d.get("activation", "gelu")),
                    pad_token_id=int(d.get("pad_token_id") or 0),
                    position_offset=0,
                )
            pad = d.get("pad_token_id")
            pad_token_id = int(pad) if pad is not None else (1 if family == "roberta" else 0)
            return cls(
                family=family,
                vocab_size=int(d["vocab_size"]),
                hidden_size=int(d["hidden_size"]),
                num_layers=int(d["num_hidden_layers"]),
                num_heads=int(d["num_attention_heads"]),
                intermediate_size=int(d["intermediate_size"]),
                max_positions=int(d["max_position_embeddings"]),
                type_vocab_size=int(d.get("type_vocab_size", 2)),
                layer_norm_eps=float(d.get("layer_norm_eps", 1e-12)),
                hidden_act=_activation(d.get("hidden_act", "gelu")),
                pad_token_id=pad_token_id,
                position_offset=pad_token_id + 1 if family == "roberta" else 0,
            )
        except KeyError as exc:
            raise UserError(
                f"config.json of this {family} model lacks the key {exc.args[0]!r}"
            ) from exc


def _activation(name: object) -> Activation:
    """Map HF activation spellings onto the three forms the builder writes."""
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise UserError(
            f"activation {name!r} is not supported; BERT Lab supports {sorted(_ACTIVATIONS)}"
        )
    return _ACTIVATIONS[name]
