"""A tiny ONNX node builder shared by the graph writers (BERT encoders, Llama decoders).

Build time only: importing ``onnx`` holds the GIL for about a second, so no run path imports this.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

MS_DOMAIN = "com.microsoft"  # ONNX Runtime's contrib operators (MatMulNBits, GroupQueryAttention)


class GraphBuilder:
    """Unique tensor names, shared constants, and the initializers that hold the weights."""

    def __init__(self, prefix: str = "") -> None:
        """``prefix`` keeps a subgraph's names apart from its parent's (ONNX forbids shadowing)."""
        self.prefix = prefix
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._consts: dict[tuple[str, bytes], str] = {}
        self._count = 0

    def op(self, op_type: str, inputs: list[str], name: str = "", **attrs: object) -> str:
        """One node with one output; its name is ``name`` or a fresh one."""
        return self.op_multi(op_type, inputs, [name], "", **attrs)[0]

    def op_multi(
        self,
        op_type: str,
        inputs: list[str],
        outputs: list[str],
        domain: str = "",
        /,
        **attrs: object,
    ) -> list[str]:
        """One node; empty output names get fresh ones (pass ``n`` empty names for n outputs)."""
        self._count += 1
        stem = f"{self.prefix}{op_type.lower()}_{self._count}"
        outs = [o or f"{stem}_{i}" for i, o in enumerate(outputs)]
        if len(outs) == 1 and not outputs[0]:
            outs = [stem]
        node = helper.make_node(
            op_type,
            inputs,
            outs,
            name=f"{self.prefix}{op_type}_{self._count}",
            domain=domain or None,
        )
        node.attribute.extend(helper.make_attribute(k, v) for k, v in attrs.items())
        self.nodes.append(node)
        return outs

    def const(self, value: float | int | list[int] | np.ndarray, dtype: type = np.float32) -> str:
        """A Constant node, not an initializer, so initializers stay exactly the model weights."""
        array: np.ndarray = np.asarray(value, dtype=dtype)
        key = (f"{array.dtype}{array.shape}", array.tobytes())
        if key not in self._consts:
            self._count += 1
            out = f"{self.prefix}const_{self._count}"
            tensor = numpy_helper.from_array(array, name=out)
            self.nodes.append(helper.make_node("Constant", [], [out], value=tensor))
            self._consts[key] = out
        return self._consts[key]

    def weight(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name=name))
        return name
