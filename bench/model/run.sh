#!/usr/bin/env bash
# Model benchmark: training steps (forward + backward + AdamW; adapters only and full UNet) and a 50-step
# DDIM sample with classifier-free guidance, on the tfjs wasm backend (1 thread) and on PyTorch CPU (1 and
# 2 threads; full mode only) with the same configs, shapes and seeds (bench/model/cases.json). PyTorch and diffusers go into
# a throwaway venv (bench/.venv-torch). Writes the table into the Model section of bench/README.md.
# Usage: bash bench/model/run.sh [--quick] [--no-torch2] [--no-readme]
# --no-torch2 skips the 2-thread PyTorch run: on a loaded 2-core machine its OpenMP threads spin-wait and
# it takes 10–20× longer than the 1-thread run, without telling anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mode=full
readme=bench/README.md
torch2=yes
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --no-readme) readme= ;;
    --no-torch2) torch2= ;;
    *) echo "usage: bash bench/model/run.sh [--quick] [--no-torch2] [--no-readme]" >&2; exit 2 ;;
  esac
done
venv="$root/bench/.venv-torch"
if ! "$venv/bin/python" -c 'import torch, diffusers' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch==2.13.0 diffusers
fi
npx tsc -p . >/dev/null
out=bench/model/.work  # raw JSON results (git-ignored); rerun report.js on them without re-timing
mkdir -p "$out"
rm -f "$out"/*.json
plan=bench/model/cases.json
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "tfjs (wasm, 1 thread)…" >&2
profile=(); [ "$mode" = full ] && profile=(--profile)
SONIC_WASM_THREADS= node dist/bench/model/model-bench.js --plan "$plan" --mode "$mode" "${profile[@]}" --out "$out/tfjs.json"
echo "torch (1 thread)…" >&2
"$venv/bin/python" bench/model/torch_bench.py --plan "$plan" --mode "$mode" --threads 1 --out "$out/torch1.json"
if [ "$mode" = full ] && [ -n "$torch2" ]; then
  echo "torch (2 threads)…" >&2
  "$venv/bin/python" bench/model/torch_bench.py --plan "$plan" --mode "$mode" --threads 2 --out "$out/torch2.json"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
machine="$(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo), Node $(node --version)"
args=(--plan "$plan" --mode "$mode" --tfjs "$out/tfjs.json" --torch1 "$out/torch1.json" --torch2 "$out/torch2.json"
  --command "bash bench/model/run.sh${1:+ $*}" --machine "$machine" --load "$load_before at start, $load_after at end")
[ -n "$readme" ] && args+=(--readme "$readme")
node dist/bench/model/report.js "${args[@]}"
