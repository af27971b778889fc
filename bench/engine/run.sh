#!/usr/bin/env bash
# Engine benchmark: a generated 500-stage pipeline of no-op command stages, cold run and fully cached
# rerun, with sonic, DVC (dvc repro) and Snakemake side by side. DVC and Snakemake are installed from PyPI
# into a throwaway venv (bench/.venv). Usage: bash bench/engine/run.sh [STAGES] [REPEATS] [engine-bench flags…]
# e.g. `… 500 3 --systems dvc --save bench/engine/.work/results.json` (see engine-bench.ts).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv="$root/bench/.venv"
if [ ! -x "$venv/bin/dvc" ] || [ ! -x "$venv/bin/snakemake" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q dvc snakemake
fi
npx tsc -p . >/dev/null
node dist/bench/engine/engine-bench.js --stages "${1:-500}" --repeats "${2:-3}" --venv "$venv" "${@:3}"
