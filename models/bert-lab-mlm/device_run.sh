#!/usr/bin/env bash
# The GPU half of the recipe, for a machine that reaches no registry and takes at most 64 MiB
# an upload (device_pack.py cuts the upload in three: c1, c2, c3). Run from the repository root:
#
#   bash models/bert-lab-mlm/device_run.sh start   # c1: base + corpus; start run t1 (default corpus)
#   bash models/bert-lab-mlm/device_run.sh stash   # c2: first half of the GGUF
#   bash models/bert-lab-mlm/device_run.sh finish  # c3: second half; generate with SmolLM2,
#                                                  # add it to the corpus, runs t2/t3, collect
#
# t1: all six layers + head on the default corpus; t2: the same on default + smollm2;
# t3: head + top two layers on default + smollm2. Processes outlive a call (setsid), so t1 trains
# while the GGUF travels. Results land in $OUT (the delta files split into pieces under 16 MiB).
# Stage 3 (run on 2026-11-27, results in README.md): device_pack.py --stage3 (its docstring says
# how to keep the tracked delta from travelling thrice), the same three uploads, then
#
#   bash models/bert-lab-mlm/device_run.sh start3   # c1: unpack only
#   bash models/bert-lab-mlm/device_run.sh stash    # c2
#   bash models/bert-lab-mlm/device_run.sh finish3  # c3: generate the "facts" task set, add it to
#                                                   # the corpus as smollm2-facts, continue the
#                                                   # shipped delta on it (s3) and, as the control,
#                                                   # on the corpus without it (s3c), collect
#
# About 2-3 minutes to start the machine, half a minute each for c1 and c2, and GEN3_MIN + T3_MIN
# + 1 minutes for finish3: under the 15 device minutes and the 10 minutes one call may take.
# On an ordinary machine with a GPU and the cache, the same steps run in one go:
#   python models/bert-lab-mlm/generate.py --gguf GGUF --out smollm2.jsonl.xz --minutes 2.5
#   python models/bert-lab-mlm/corpus.py --add smollm2.jsonl.xz
#   python models/bert-lab-mlm/train.py --train top6 --batch 64 --lr 3e-4 --head-lr 2e-3 ...
set -euo pipefail
W=${W:-/root/w}
HERE=$(cd "$(dirname "$0")" && pwd)
export BERT_LAB_MLM_BASE=$W/base PYTHONUNBUFFERED=1
T1_MIN=${T1_MIN:-6} GEN_MIN=${GEN_MIN:-2} T23_MIN=${T23_MIN:-3} GEN_BATCH=${GEN_BATCH:-768}
GEN_TOKENS=${GEN_TOKENS:-200} EVAL_SEG=${EVAL_SEG:-120}
GEN3_MIN=${GEN3_MIN:-4} GEN3_BATCH=${GEN3_BATCH:-1536} T3_MIN=${T3_MIN:-3.5}
common=(--batch 64 --eval-every 0.125 --threads 4 --unlikelihood 1.0 --eval-segments "$EVAL_SEG")
stage3=(--train top6 --lr 1e-4 --head-lr 5e-4 --warmup 0.03 --batch 64 --unlikelihood 2
  --eval-every 0.25 --threads 4 --eval-segments "$EVAL_SEG" --minutes "$T3_MIN"
  --init-delta "$W/delta.safetensors")

unpack() {  # c1: the float16 base, the corpus and the gguf reader
  mkdir -p "$W/corpus" "$W/runs"
  cp -r .gpu/c1/. "$W/"
  cp .gpu/gguf.sha256 "$W/"
  tar xJf "$W/corpus.tar.xz" -C "$W/corpus"
  python3 -m pip install -q --no-index --no-deps --target "$W/site" "$W"/gguf-*.whl
  nvidia-smi -L || true
  python3 -c "import torch, transformers; print(torch.__version__, transformers.__version__, torch.cuda.is_available())"
}

gguf() {  # c3 joined to c2, checked against the pinned sha256
  mkdir -p "$W/smol"
  cat "$W"/gguf.c[12] .gpu/c3/gguf.c3 >"$W/smol/SmolLM2-135M-Instruct.Q4_1.gguf"
  echo "$(cat "$W/gguf.sha256")  $W/smol/SmolLM2-135M-Instruct.Q4_1.gguf" | sha256sum -c
}

collect() {  # deltas in pieces under 16 MiB, the generated text, logs and recipes
  for run in "$@"; do
    [ -f "$W/runs/$run/delta.safetensors" ] &&
      split -b 12M "$W/runs/$run/delta.safetensors" "$OUT/$run.delta.part-"
  done
  cp "$W"/smollm2*.jsonl.xz "$OUT/" || true
  (cd "$W" && tar czf "$OUT/logs.tar.gz" --ignore-failed-read gen*.log t?.log s3*.log \
    runs/*/recipe.json corpus-*/manifest.json) || true
  ls -la "$OUT"
}

case "$1" in
start)
  unpack
  cd "$HERE"
  setsid nohup python3 train.py --corpus "$W/corpus" --train top6 --lr 3e-4 --head-lr 2e-3 \
    "${common[@]}" --minutes "$T1_MIN" --out "$W/runs/t1" >"$W/t1.log" 2>&1 </dev/null &
  sleep "${WAIT:-40}"
  tail -n 4 "$W/t1.log"
  ;;
stash)  # c2: the GGUF's next piece (and, for stage 3, the shipped delta)
  cp .gpu/c2/* "$W/"
  tail -n 2 "$W/t1.log" 2>/dev/null || true
  ;;
start3)
  unpack
  ;;
finish3)
  gguf
  cd "$HERE"
  PYTHONPATH="$W/site" python3 generate.py --gguf "$W/smol/SmolLM2-135M-Instruct.Q4_1.gguf" \
    --tasks facts --seed 2027 --out "$W/smollm2-facts.jsonl.xz" --minutes "$GEN3_MIN" \
    --batch "$GEN3_BATCH" --max-new-tokens "$GEN_TOKENS" >"$W/gen3.log" 2>&1 ||
    { grep -v Warning "$W/gen3.log" | tail -n 20; exit 1; }
  tail -n 3 "$W/gen3.log"
  cp -r "$W/corpus" "$W/corpus-facts"
  python3 corpus.py --out "$W/corpus-facts" --add "$W/smollm2-facts.jsonl.xz" --as smollm2-facts
  python3 train.py --corpus "$W/corpus-facts" "${stage3[@]}" --out "$W/runs/s3" >"$W/s3.log" 2>&1 &
  python3 train.py --corpus "$W/corpus" "${stage3[@]}" --out "$W/runs/s3c" >"$W/s3c.log" 2>&1 &
  wait
  grep -h "eval" "$W"/s3*.log | tail -n 12 || true
  collect s3 s3c
  ;;
finish)
  gguf
  cd "$HERE"
  if PYTHONPATH="$W/site" python3 generate.py --gguf "$W/smol/SmolLM2-135M-Instruct.Q4_1.gguf" \
    --out "$W/smollm2.jsonl.xz" --minutes "$GEN_MIN" --batch "$GEN_BATCH" \
    --max-new-tokens "$GEN_TOKENS" >"$W/gen.log" 2>&1; then
    tail -n 3 "$W/gen.log"
    cp -r "$W/corpus" "$W/corpus-gen"
    python3 corpus.py --out "$W/corpus-gen" --add "$W/smollm2.jsonl.xz"
    python3 train.py --corpus "$W/corpus-gen" --train top6 --lr 3e-4 --head-lr 2e-3 \
      "${common[@]}" --minutes "$T23_MIN" --out "$W/runs/t2" >"$W/t2.log" 2>&1 &
    python3 train.py --corpus "$W/corpus-gen" --train top2 --lr 1e-3 --head-lr 5e-3 \
      "${common[@]}" --minutes "$T23_MIN" --out "$W/runs/t3" >"$W/t3.log" 2>&1 &
    wait
  else
    grep -v Warning "$W/gen.log" | tail -n 20
  fi
  for _ in $(seq 60); do
    grep -q '"final": true' "$W/runs/t1/recipe.json" 2>/dev/null && break
    sleep 5
  done
  grep -h "eval" "$W"/t?.log | tail -n 30 || true
  collect t1 t2 t3
  ;;
esac
