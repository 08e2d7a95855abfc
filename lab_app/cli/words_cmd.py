"""``bert-lab words …``: static word vectors (the Pre-training lab's first half) from the shell.

- ``words neighbours WORD``: the nearest words by cosine;
- ``words analogy A B C``: A is to B as C is to ? (3CosAdd, the three words excluded);
- ``words context WORD SENTENCE…``: how one word's BERT vectors differ between sentences;
- ``words train [CORPUS] --out FILE.npz``: train vectors (PPMI-SVD or SGNS) on a ``.txt`` or,
  with no CORPUS, the built-in text; never overwrites an existing file.

``--vectors PATH`` reads vectors written by ``words train``; the default is the shipped
``bert-lab-words``. ``--json`` prints the documented JSON on stdout; the name of the vectors that
answered is always part of it (and of the text output).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lab_app.cli.common import emit_json, seed_arg


def register(sub: Any) -> None:
    p = sub.add_parser("words", help="static word vectors: neighbours, analogies, training")
    words = p.add_subparsers(dest="words_command", metavar="ACTION", required=True)

    n = words.add_parser("neighbours", help="the words nearest to WORD (cosine)")
    n.add_argument("word")
    _vector_args(n, k=10)
    n.set_defaults(func=run_neighbours)

    a = words.add_parser("analogy", help="A is to B as C is to ? (b - a + c)")
    a.add_argument("a")
    a.add_argument("b")
    a.add_argument("c")
    _vector_args(a, k=5)
    a.set_defaults(func=run_analogy)

    c = words.add_parser("context", help="one word's contextual BERT vectors across sentences")
    c.add_argument("word")
    c.add_argument("sentences", nargs="+", metavar="SENTENCE")
    c.add_argument("--model", help="a store model (default: bert-lab-mlm)")
    c.add_argument("--layer", type=int, help="0 = embedding output; default: the last layer")
    c.add_argument("--json", action="store_true", help="print the result as JSON")
    c.set_defaults(func=run_context)

    t = words.add_parser("train", help="train word vectors on a text file (or the built-in one)")
    t.add_argument("corpus", nargs="?", help="UTF-8 .txt to train on (default: built-in corpus)")
    t.add_argument("--method", choices=("ppmi-svd", "sgns"), default="ppmi-svd")
    t.add_argument("--dim", type=int, default=100, help="vector size (default 100)")
    t.add_argument("--window", type=int, default=4, help="context words each side (default 4)")
    t.add_argument("--min-count", type=int, default=3, help="rarer words are left out")
    t.add_argument("--epochs", type=int, default=1, help="passes over the text (sgns)")
    t.add_argument("--seed", type=seed_arg, default=0, help="seed of SVD and SGNS sampling")
    t.add_argument("--out", required=True, help="the .npz file to write (must not exist)")
    t.add_argument("--json", action="store_true", help="print a summary as JSON")
    t.set_defaults(func=run_train)


def _vector_args(p: argparse.ArgumentParser, k: int) -> None:
    p.add_argument(
        "--vectors", metavar="PATH", help="an .npz from `words train` (default: built-in)"
    )
    p.add_argument("--k", type=int, default=k, help=f"how many answers (default {k})")
    p.add_argument("--json", action="store_true", help="print the answers as JSON")


def _vectors(args: argparse.Namespace) -> Any:
    from lab_app.core.pretrain.vectors import builtin_vectors, load_vectors

    return load_vectors(Path(args.vectors)) if args.vectors else builtin_vectors()


def _scored(pairs: list[tuple[str, float]]) -> list[dict[str, object]]:
    return [{"word": w, "score": round(s, 6)} for w, s in pairs]


def _print_scored(title: str, pairs: list[tuple[str, float]]) -> None:
    print(title)
    for word, score in pairs:
        print(f"  {word:<20} {score:.3f}")


def run_neighbours(args: argparse.Namespace) -> int:
    v = _vectors(args)
    found = v.neighbours(args.word, args.k)
    word = v.words[v.index(args.word)]
    if args.json:
        emit_json({"vectors": v.name, "word": word, "neighbours": _scored(found)})
    else:
        _print_scored(f"nearest to '{word}' ({v.name}):", found)
    return 0


def run_analogy(args: argparse.Namespace) -> int:
    v = _vectors(args)
    found = v.analogy(args.a, args.b, args.c, args.k)
    if args.json:
        emit_json({"vectors": v.name, "answers": _scored(found)})
    else:
        a, b, c = (w.strip().lower() for w in (args.a, args.b, args.c))
        _print_scored(f"{a} : {b} :: {c} : ? ({v.name})", found)
    return 0


def run_context(args: argparse.Namespace) -> int:
    from lab_app.core.models.store import open_store
    from lab_app.core.pretrain.context import context_similarity
    from lab_app.core.progress import TextBar

    bar = TextBar()
    try:
        result = context_similarity(
            open_store(args.store), args.word, args.sentences, args.model, args.layer, bar
        )
    finally:
        bar.close()
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"'{result.word}' in {len(result.sentences)} sentences ({result.model}, layer "
          f"{result.layer}); cosine between its vectors:")  # fmt: skip
    for i, (sentence, row) in enumerate(zip(result.sentences, result.similarity, strict=True)):
        cells = " ".join(f"{x:6.3f}" for x in row)
        print(f"  [{i + 1}] {cells}  {sentence}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    from lab_app.core.errors import UserError
    from lab_app.core.pretrain.corpus import read_corpus
    from lab_app.core.pretrain.train_vectors import train_ppmi_svd, train_sgns
    from lab_app.core.pretrain.vectors import save_vectors
    from lab_app.core.progress import TextBar

    out = Path(args.out)
    if out.suffix != ".npz":
        raise UserError(f"--out must name an .npz file, not '{out.name}'")
    if out.exists():
        raise UserError(
            f"{out} already exists; choose another --out (words train never overwrites)"
        )
    if not out.parent.is_dir():
        raise UserError(
            f"the folder {out.parent} does not exist; create it or choose another --out"
        )
    corpus = read_corpus(Path(args.corpus) if args.corpus else None)
    for note in corpus.notes:
        print(f"bert-lab: note: {note}", file=sys.stderr)
    bar = TextBar()
    try:
        if args.method == "sgns":
            v = train_sgns(
                corpus, args.dim, args.window, epochs=args.epochs, min_count=args.min_count,
                seed=args.seed, progress=bar,
            )  # fmt: skip
        else:
            v = train_ppmi_svd(corpus, args.dim, args.window, args.min_count, bar, seed=args.seed)
    finally:
        bar.close()
    if out.exists():  # created while we trained
        raise UserError(f"{out} appeared while training; choose another --out")
    save_vectors(v, out)
    summary = {
        "out": str(out),
        "vectors": v.name,
        "method": v.method,
        "corpus": corpus.name,
        "words": corpus.words,
        "vocabulary": len(v.words),
        "dim": v.dim,
        "seconds": v.meta["seconds"],
        "words_per_second": v.meta["words_per_second"],
    }
    if args.json:
        emit_json(summary)
    else:
        print(f"wrote {out}: {v.name}, {len(v.words):,} words × {v.dim} dimensions "
              f"({corpus.words:,} running words, {v.meta['seconds']} s)")  # fmt: skip
    return 0
