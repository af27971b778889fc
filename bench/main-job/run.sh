#!/usr/bin/env bash
# The main job timed end to end: `sonic run pipelines/sonictoy.yaml` (the README's quick start) from an empty
# temporary workspace; wall, CPU (user + sys of the process tree), peak RSS, load average at start and end,
# and the slowest stages, as a table and one JSON line (bench/main-job/time-main-job.ts).
# Usage: bash bench/main-job/run.sh [--keep] [--save FILE] [--slowest N] [sonic run args…]
#   bash bench/main-job/run.sh                                  # the default run (25–40 min on 2 cores)
#   bash bench/main-job/run.sh --set profile=quick              # a few minutes: checks the bench itself
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
npx tsc -p . >/dev/null
exec node dist/bench/main-job/time-main-job.js "$@"
