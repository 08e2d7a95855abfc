"""A store decoder ready to run: its ONNX Runtime session, tokenizer, chat template and KV cache.

The graph's contract is :mod:`llama_onnx`'s: it takes token embeddings and gives the logits at
the positions asked for, its output head included. The token table (the GGUF's 8-bit blocks,
``embedding.npy``) is looked up here, in numpy.

A :class:`Cache` is the keys and values of every position run so far; it is never changed in
place, so one prompt's cache can be continued in several ways (the prompting lab scores many
answers after one shared prefix).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab_app.core.errors import StoreError, UserError
from lab_app.core.models.encoder import in_background, loading, open_session
from lab_app.core.models.sessions import file_key, shared
from lab_app.core.models.store import Entry
from lab_app.core.models.tokenizer_cache import shared_plain_tokenizer


@dataclass(frozen=True)
class _Table:
    """A token table in 8-bit blocks of 32: ``w = (u - 128) · scale``."""

    blocks: np.ndarray  # uint8 [vocab, hidden / 32, 32], memory-mapped
    scales: np.ndarray  # float32 [vocab, hidden / 32]

    @classmethod
    def load(cls, entry: Entry, name: str) -> _Table:
        path = entry.file(f"{name}.npy")
        blocks = np.load(path, mmap_mode="r", allow_pickle=False)
        scales = np.load(entry.file(f"{name}_scales.npy"), allow_pickle=False)
        return cls(blocks, scales.reshape(blocks.shape[0], -1))

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Float32 rows ``[len(ids), hidden]`` of these tokens."""
        q = self.blocks[ids].astype(np.float32)
        q -= 128.0
        q *= self.scales[ids][:, :, None]
        return q.reshape(len(ids), -1)


@dataclass(frozen=True)
class Cache:
    """Keys and values of the positions run so far, per layer ``[1, kv_heads, length, dim]``."""

    keys: tuple[np.ndarray, ...]
    values: tuple[np.ndarray, ...]

    @property
    def length(self) -> int:
        return int(self.keys[0].shape[2]) if self.keys else 0


def shared_decoder(entry: Entry) -> Decoder:
    """``entry``'s decoder, loaded once for every lab that holds it: its session (the head
    included) exists once in the process, and goes when the last holder lets go."""
    return shared(("decoder", *file_key(entry.file("model.onnx"))), lambda: Decoder(entry))


class Decoder:
    """Runs one store decoder (family ``llama``): one sequence, or rows that share a cache."""

    def __init__(
        self,
        entry: Entry,
        *,
        threads: int | None = None,
        verify: bool = False,
        spin: bool = False,
    ) -> None:
        """``verify`` checks the files' sha256s while they load (for an entry opened unchecked,
        ``store.model(name, verify=False)``), see :func:`~lab_app.core.models.encoder.loading`.
        ``spin`` lets ONNX Runtime's worker threads spin between nodes: a token is about 15%
        faster, for a command that has the cores to itself (never the window's decoders)."""
        m = entry.manifest
        if not m.is_decoder:
            raise StoreError(f"'{entry.name}' is a {m.family} encoder, not a decoder")
        self.entry = entry
        self.manifest = m
        extra = m.extra
        self.num_layers = int(m.layers or 0)
        self.num_kv_heads = int(extra["num_kv_heads"])
        self.head_dim = int(extra["head_dim"])
        self.context_length = int(extra["context_length"])
        self.chat_template: str | None = extra.get("chat_template")
        special: dict[str, Any] = extra.get("special_tokens", {})
        self.stop_ids = frozenset(int(i) for i in special.get("stop", ()))
        self.bos_id: int | None = special.get("bos")
        self.add_bos = bool(special.get("add_bos", False))
        # Whether the graph reads right padding from the attention mask (see forward_rows).
        self.padded_rows = bool(extra.get("padded_rows", False))
        if not extra.get("head_in_graph", False):
            raise StoreError(
                f"'{entry.name}' was built by an older version of BERT Lab (its graph gives "
                "hidden states, not logits); run `bert-lab models build` to rebuild it"
            )
        graph = str(entry.file("model.onnx"))
        with loading(entry, verify=verify):
            # ONNX Runtime builds the session with the GIL released for most of its 0.2 s: the
            # tokenizer and the table are read meanwhile (on two cores, 0.1 s saved).
            session = in_background(lambda: open_session(graph, threads, spin=spin, arena=True))
            try:
                self.tokenizer = shared_plain_tokenizer(entry.file("tokenizer.json"))
                self._embedding = _Table.load(entry, "embedding")
            finally:
                self.session = session()
        self.vocab_size = self.tokenizer.get_vocab_size(with_added_tokens=True)
        self._rows = int(self._embedding.blocks.shape[0])  # ids the table has rows for
        self._outputs = ["logits"] + [
            f"present.{i}.{kv}" for i in range(self.num_layers) for kv in ("key", "value")
        ]

    @property
    def name(self) -> str:
        return self.manifest.name

    # -- text <-> ids ---------------------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``; special tokens written in it (``<|im_start|>``) stay whole."""
        ids = list(self.tokenizer.encode(text, add_special_tokens=False).ids)
        if self.add_bos and self.bos_id is not None:
            ids = [self.bos_id, *ids]
        return ids

    def decode(self, ids: Sequence[int], *, skip_special: bool = False) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=skip_special))

    def token_text(self, token_id: int) -> str:
        """One token as text (a byte of a longer character shows as U+FFFD)."""
        return str(self.tokenizer.decode([int(token_id)], skip_special_tokens=False))

    # -- running the graph -----------------------------------------------------------------------
    def empty_cache(self) -> Cache:
        empty = np.zeros((1, self.num_kv_heads, 0, self.head_dim), dtype=np.float32)
        return Cache((empty,) * self.num_layers, (empty,) * self.num_layers)

    def forward(
        self,
        ids: Sequence[int],
        cache: Cache | None = None,
        *,
        all_logits: bool = False,
        logits_from: int | None = None,
    ) -> tuple[np.ndarray, Cache]:
        """Run ``ids`` after ``cache``: the logits of the last position ``[1, vocab]``, of every
        position (``all_logits``) or of positions ``logits_from`` onwards, and the cache that now
        includes them. The head costs 28 M multiply-adds a position: ask only for what is read."""
        if not ids:
            raise UserError("there are no tokens to run")
        cache = cache if cache is not None else self.empty_cache()
        total = cache.length + len(ids)
        if total > self.context_length:
            raise UserError(
                f"{total} tokens exceed {self.name}'s context of {self.context_length} tokens"
            )
        token_ids = np.asarray(ids, dtype=np.int64)
        if token_ids.min() < 0 or token_ids.max() >= self._rows:
            raise UserError(f"token ids must be from 0 to {self._rows - 1}")
        feed: dict[str, np.ndarray] = {
            "inputs_embeds": self._embedding.rows(token_ids)[None],
            "attention_mask": np.ones((1, total), dtype=np.int64),
            "logit_positions": np.arange(
                0 if all_logits else (len(ids) - 1 if logits_from is None else logits_from),
                len(ids),
                dtype=np.int64,
            ),
        }
        for i in range(self.num_layers):
            feed[f"past_key_values.{i}.key"] = cache.keys[i]
            feed[f"past_key_values.{i}.value"] = cache.values[i]
        out = self.session.run(self._outputs, feed)
        logits = out[0][0]
        new = Cache(tuple(out[1::2]), tuple(out[2::2]))
        return logits, new

    def forward_rows(
        self, rows: Sequence[Sequence[int]], starts: Sequence[int], cache: Cache | None = None
    ) -> list[np.ndarray]:
        """Several continuations of one ``cache``: for row ``b``, the logits of its positions
        ``starts[b]`` onwards (the rows' own keys and values are not kept).

        The rows run as one batch, padded on the right, so the weights are read once for all of
        them: a pass over eight short rows costs little more than over one. The attention mask's
        zeros mark the padding, which the graph neither attends to nor appends to the cache, so
        each row's logits are those it has alone. A graph built before it read padding from the
        mask (no ``padded_rows`` in its manifest) runs rows after a cache one by one: ONNX
        Runtime's GroupQueryAttention (1.32) takes several tokens after a cache without its
        ``query_seqlens`` only in a batch of one; without a cache it runs them padded with ones
        (causal attention keeps the padding out of every position the caller reads)."""
        if not rows or any(not r for r in rows):
            raise UserError("there are no tokens to run")
        cache = cache if cache is not None else self.empty_cache()
        if not self.padded_rows and cache.length and len(rows) > 1:
            return [
                self.forward(r, cache, logits_from=s)[0] for r, s in zip(rows, starts, strict=True)
            ]
        width = max(len(r) for r in rows)
        if cache.length + width > self.context_length:
            raise UserError(f"the rows exceed {self.name}'s context of {self.context_length}")
        ids = np.full((len(rows), width), int(rows[0][0]), dtype=np.int64)
        mask = np.zeros((len(rows), cache.length + width), dtype=np.int64)
        for b, row in enumerate(rows):
            ids[b, : len(row)] = row
            mask[b, : cache.length + (len(row) if self.padded_rows else width)] = 1
        if ids.min() < 0 or ids.max() >= self._rows:
            raise UserError(f"token ids must be from 0 to {self._rows - 1}")
        lo = min(starts)
        embeds = self._embedding.rows(ids.reshape(-1)).reshape(len(rows), width, -1)
        feed: dict[str, np.ndarray] = {
            "inputs_embeds": embeds,
            "attention_mask": mask,
            "logit_positions": np.arange(lo, width, dtype=np.int64),
        }
        for i in range(self.num_layers):
            feed[f"past_key_values.{i}.key"] = np.repeat(cache.keys[i], len(rows), axis=0)
            feed[f"past_key_values.{i}.value"] = np.repeat(cache.values[i], len(rows), axis=0)
        (logits,) = self.session.run(["logits"], feed)
        picked = [
            logits[b, s - lo : len(r) - lo]
            for b, (r, s) in enumerate(zip(rows, starts, strict=True))
        ]
        bounds = np.cumsum([len(p) for p in picked])[:-1]
        return list(np.split(np.concatenate(picked), bounds))

    # -- chat -------------------------------------------------------------------------------------
    def render_chat(
        self, messages: Sequence[dict[str, str]], *, add_generation_prompt: bool = True
    ) -> str:
        """The model's chat template applied to ``messages`` (``role``, ``content``)."""
        from lab_app.core.models.chat_template import render

        if not self.chat_template:
            raise UserError(f"{self.name} has no chat template")
        return render(
            self.chat_template,
            messages,
            add_generation_prompt=add_generation_prompt,
            special_tokens=self.manifest.extra.get("special_token_texts", {}),
        )
