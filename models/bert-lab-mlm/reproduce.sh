#!/usr/bin/env bash
# One command for the whole recipe: corpus, the two training stages of the shipped delta, export
# into weights/, and the evaluation (PyTorch and the app's ONNX graph). Uses CUDA when there is
# a GPU (about 10 minutes of training on an H100); on a CPU the same 159M tokens take about 15
# hours (set THREADS to what the machine can spare). Run from anywhere; RUNS says where the runs go.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-$HOME/.cache/bert-lab/mlm-runs/reproduce}
THREADS=${THREADS:-0}
PY=${PYTHON:-python}
cd "$HERE"
$PY corpus.py --sources all
# Stage 1: the eight registry sources (no generated text), all six layers + head.
$PY train.py --sources wordnet,fortunes,chatterbot,factbook,sotu,austen,harvard,gnome-help \
  --train top6 --lr 3e-4 --head-lr 2e-3 --batch 64 --eval-every 0.125 --unlikelihood 1.0 \
  --threads "$THREADS" --tokens 86192364 --out "$RUNS/stage1"
# Stage 2: the default corpus (with the SmolLM2 text), continuing stage 1; exports weights/.
$PY train.py --train top6 --lr 2e-4 --head-lr 1e-3 --batch 64 --eval-every 0.34 --warmup 0.03 \
  --unlikelihood 2.0 --threads "$THREADS" --tokens 72844981 \
  --init-delta "$RUNS/stage1/delta.safetensors" --out "$RUNS/stage2" --export
$PY evaluate.py --onnx --show --json "$RUNS/evaluation.json"
