"""The calculator's form fields: names, tooltips, which architecture uses which, and the
whole-number input that takes separators and sizes beyond 32 bits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from lab_app.core.errors import UserError
from lab_app.core.specs.lab import parse_count

FIELDS: dict[str, tuple[str, str]] = {
    "layers": ("Layers (L)", "Transformer blocks stacked on top of each other"),
    "hidden": ("Hidden size (H, d_model)", "Width of every token vector"),
    "heads": ("Attention heads (A)", "Must divide the hidden size"),
    "kv_heads": ("Key/value heads (GQA)", "Grouped-query attention: must divide the heads"),
    "ffn": ("Feed-forward size", "Inner width of the FFN (BERT/GPT: 4 × hidden)"),
    "vocab": ("Vocabulary", "Rows of the token-embedding matrix"),
    "positions": ("Positions (max tokens)", "Rows of the learned position table"),
    "segments": ("Segment types", "BERT's sentence A/B embeddings (2)"),
}
FLAGS: dict[str, tuple[str, str]] = {
    "pooler": ("Pooler (dense + tanh on [CLS])", "BertModel's pooler, used by NSP"),
    "mlm_head": ("MLM head", "Dense + LayerNorm + bias; its matrix is tied to the embeddings"),
    "tied": ("Tied output head", "The output head reuses the token-embedding matrix"),
    "final_norm": ("Final LayerNorm", "GPT-2/3 have one after the last block; GPT-1 does not"),
}
SHORT_NAMES = {"layers": "L", "hidden": "H", "heads": "A", "kv_heads": "KV", "ffn": "FFN",
               "vocab": "V", "positions": "P", "segments": "S"}  # fmt: skip
ARCH_FIELDS = {
    "bert": ("layers", "hidden", "heads", "ffn", "vocab", "positions", "segments"),
    "gpt": ("layers", "hidden", "heads", "ffn", "vocab", "positions"),
    "llama": ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab"),
}
ARCH_FLAGS = {"bert": ("pooler", "mlm_head"), "gpt": ("tied", "final_norm"), "llama": ("tied",)}
ARCH_NOTES = {
    "bert": "Post-LayerNorm, biases everywhere (as BertModel).",
    "gpt": "LayerNorms and biases; the heads field is only checked, it changes no count.",
    "llama": "No biases; RMSNorm (a weight per channel, twice per block and once at the end); "
    "SwiGLU feed-forward with three matrices; RoPE positions have no weights.",
}
INVALID_STYLE = "QLineEdit { border: 2px solid #C62828; }"


class IntField(QLineEdit):
    """A whole-number input that takes separators and sizes beyond 32 bits; ↑/↓ step by one."""

    def __init__(self, name: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setToolTip(tooltip)
        self.setClearButtonEnabled(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
        if step is not None:
            try:
                value = parse_count(self.text(), self.accessibleName())
            except UserError:
                return
            self.setText(f"{max(0, value + step):,}")
            return
        super().keyPressEvent(event)
