"""What the ``attentions`` output costs: the same store graph with and without it, in one run.

Embeds the built-in sample's 279 utterances (batches of 32) with all-MiniLM-L6-v2, 2 threads, as
(a) the graph stripped of its ``If`` node and flag (what the graphs were before), (b) the graph as
built, not asking for attentions, and (c) asking for them with the hidden states. Prints the time
of each and the ratios to (a).

    .venv/bin/python benchmarks/attention_bench.py [--store DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import onnx

from lab_app.core.io.text_input import read_utterances, sample_dataset_path
from lab_app.core.models.bert_config import ATTENTIONS_FLAG
from lab_app.core.models.encoder import Encoder, open_session
from lab_app.core.models.store import open_store


def stripped(path: str) -> bytes:
    model = onnx.load(path)
    g = model.graph
    keep = [n for n in g.node if "attentions" not in n.output]
    del g.node[:]
    g.node.extend(keep)
    for field in (g.output, g.input, g.initializer):
        kept = [x for x in field if x.name not in ("attentions", ATTENTIONS_FLAG)]
        del field[:]
        field.extend(kept)
    return model.SerializeToString()


def timed(session: object, batches: list[dict[str, np.ndarray]], outputs: list[str],
          extra: dict[str, np.ndarray], repeat: int) -> float:  # fmt: skip
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for feed in batches:
            session.run(outputs, {**feed, **extra})  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    entry = open_store(args.store).model("all-MiniLM-L6-v2")
    encoder = Encoder(entry, threads=2)
    texts = read_utterances(sample_dataset_path()).texts
    batches = []
    for i in range(0, len(texts), 32):
        b = encoder.tokenize(texts[i : i + 32])
        batches.append(
            {
                "input_ids": b.input_ids,
                "attention_mask": b.attention_mask,
                "token_type_ids": b.token_type_ids,
            }
        )
    old = open_session(stripped(str(entry.file("model.onnx"))), 2)
    new = encoder.session
    hidden = ["last_hidden_state"]
    base = timed(old, batches, hidden, {}, args.repeat)
    off = timed(new, batches, hidden, {}, args.repeat)
    on = timed(new, batches, [*hidden, "attentions"], {ATTENTIONS_FLAG: np.array(True)},
               args.repeat)  # fmt: skip
    print(f"{len(texts)} utterances, {len(batches)} batches, 2 threads, best of {args.repeat}")
    print(f"without the output      {base * 1000:7.1f} ms")
    print(f"with it, not asked      {off * 1000:7.1f} ms   ({off / base:.3f}×)")
    print(f"with it, asked          {on * 1000:7.1f} ms   ({on / base:.3f}×)")


if __name__ == "__main__":
    main()
