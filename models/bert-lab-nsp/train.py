"""Train BERT Lab's next-sentence-prediction head: a small head on a frozen encoder's pooled output.

    python models/bert-lab-nsp/train.py [--corpus DIR] [--store DIR] [--pairs 6000] [--seed 0]

Sentence pairs are built as the BERT paper says: for sentence A, half the time B is the sentence
that really follows it, half the time a random sentence from another document. The text is the
masked-LM recipe's pinned corpus (``python models/bert-lab-mlm/corpus.py --sources sotu,austen``:
State of the Union addresses and Jane Austen's novels, public domain); its held-out documents
give the held-out pairs. Each pair runs through all-MiniLM-L6-v2 (frozen, from the store, by ONNX
Runtime) as ``[CLS] A [SEP] B [SEP]``; a logistic regression on ``pooler_output`` — the same
thing as BERT's NSP head, one linear layer and a softmax over IsNext / NotNext — is the head.
It writes ``resources/nsp/nsp_head.json`` (the head and its figures) and prints them. CPU only,
about a minute.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lab_app.core.models.encoder import Encoder  # noqa: E402
from lab_app.core.models.store import open_store  # noqa: E402

BASE = "all-MiniLM-L6-v2"
SOURCES = ("sotu", "austen")
OUT = ROOT / "resources" / "nsp" / "nsp_head.json"
MAX_TOKENS = 128


def documents(corpus: Path, split: str) -> list[list[str]]:
    docs: list[list[str]] = []
    for source in SOURCES:
        text = (corpus / source / f"{split}.txt").read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            sentences = [s.strip() for s in block.splitlines() if len(s.split()) >= 4]
            if len(sentences) >= 2:
                docs.append(sentences)
    return docs


def pairs(
    docs: list[list[str]], n: int, rng: np.random.Generator
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """``n`` pairs: label 0 IsNext (B follows A), 1 NotNext (B from another document)."""
    out: list[tuple[str, str]] = []
    labels = np.zeros(n, dtype=np.int64)
    for k in range(n):
        d = int(rng.integers(len(docs)))
        i = int(rng.integers(len(docs[d]) - 1))
        a = docs[d][i]
        if rng.random() < 0.5:
            b = docs[d][i + 1]
        else:
            other = int(rng.integers(len(docs) - 1))
            other += other >= d
            b = docs[other][int(rng.integers(len(docs[other])))]
            labels[k] = 1
        out.append((a, b))
    return out, labels


def pooled(encoder: Encoder, items: list[tuple[str, str]]) -> np.ndarray:
    tok = encoder.tokenizer
    tok.enable_truncation(max_length=MAX_TOKENS)
    vectors = []
    try:
        for start in range(0, len(items), 64):
            batch = encoder.tokenize_encodings(tok.encode_batch(items[start : start + 64]))
            vectors.append(encoder.run(batch, ["pooler_output"])["pooler_output"])
    finally:
        tok.no_truncation()
    return np.concatenate(vectors)


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path.home() / ".cache/bert-lab/mlm-corpus/build"
    )
    parser.add_argument("--store")
    parser.add_argument("--pairs", type=int, default=6000, help="training pairs (held out: 1/4)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--features", type=Path, help="also save the pooled features (.npz)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    train_pairs, y_train = pairs(documents(args.corpus, "train"), args.pairs, rng)
    test_pairs, y_test = pairs(documents(args.corpus, "heldout"), args.pairs // 4, rng)
    encoder = Encoder(open_store(args.store).model(BASE), threads=2)
    start = time.perf_counter()
    x_train, x_test = pooled(encoder, train_pairs), pooled(encoder, test_pairs)
    if args.features:
        np.savez(args.features, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    clf = LogisticRegression(C=args.c, max_iter=5000, random_state=args.seed)
    clf.fit(x_train, y_train)
    train_acc = float(clf.score(x_train, y_train))
    test_acc = float(clf.score(x_test, y_test))
    # Two logits as BERT's head has them: [IsNext, NotNext] = x @ W.T + b (the regression's
    # single logit is NotNext − IsNext, split evenly).
    w = clf.coef_[0].astype(np.float64) / 2
    b = float(clf.intercept_[0]) / 2
    head = {
        "base_model": BASE,
        "input": "pooler_output of [CLS] A [SEP] B [SEP]",
        "labels": ["IsNext", "NotNext"],
        "weight": [(-w).round(7).tolist(), w.round(7).tolist()],
        "bias": [-b, b],
        "max_tokens": MAX_TOKENS,
        "train_pairs": len(train_pairs),
        "heldout_pairs": len(test_pairs),
        "train_accuracy": round(train_acc, 4),
        "heldout_accuracy": round(test_acc, 4),
        "sources": list(SOURCES),
        "seed": args.seed,
        "recipe": "models/bert-lab-nsp/train.py",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(head, indent=1) + "\n", encoding="utf-8")
    print(f"{len(train_pairs)} train / {len(test_pairs)} held-out pairs, "
          f"{time.perf_counter() - start:.0f} s: train accuracy {train_acc:.1%}, "
          f"held-out {test_acc:.1%} → {OUT.relative_to(ROOT)}")  # fmt: skip


if __name__ == "__main__":
    main()
