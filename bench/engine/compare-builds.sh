#!/usr/bin/env bash
# Compares two builds of sonic on the fully cached rerun of the N-stage pipeline cached-rerun.ts uses:
# one workspace made by one cold run, then ROUNDS cached reruns of each build, interleaved (the order
# swapped every round), each timed with /usr/bin/time. Prints wall and CPU (user + sys) medians and the
# ratios new / old, with the load average before and after.
# Usage: bash bench/engine/compare-builds.sh OLD_ROOT NEW_ROOT [N=500] [ROUNDS=9]
#   OLD_ROOT / NEW_ROOT: directories holding a compiled dist/src/cli/main.js (e.g. a worktree of main)
set -euo pipefail
old="$(realpath "$1")/dist/src/cli/main.js"; new="$(realpath "$2")/dist/src/cli/main.js"; n="${3:-500}"; rounds="${4:-9}"
for m in "$old" "$new"; do [ -f "$m" ] || { echo "no $m (build it with npx tsc -p .)" >&2; exit 2; }; done
ws=$(mktemp -d "${TMPDIR:-/tmp}/sonic-compare-XXXX"); trap 'rm -rf "$ws"' EXIT
node - "$ws" "$n" <<'JS'
const [dir, n] = [process.argv[2], Number(process.argv[3])];
const node = JSON.stringify(process.execPath);
const lines = ['version: 1', 'name: bench', 'stages:'];
for (let i = 0; i < n; i++) {
  const dep = i % 10 === 0 ? '' : `, "\${{ stages.s${i - 1}.outputs.o }}"`;
  lines.push(`  s${i}:`, `    run: [${node}, "-e", "require('fs').writeFileSync(process.argv[1], '${i}')", "\${{ outputs.o }}"${dep}]`, '    outputs: {o: o.txt}');
}
require('fs').writeFileSync(`${dir}/p.yaml`, `${lines.join('\n')}\n`);
require('fs').writeFileSync(`${dir}/package.json`, '{}');
JS
(cd "$ws" && node "$new" run p.yaml --no-progress >/dev/null 2>&1)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
times="$ws/times.txt"
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order="old new"; else order="new old"; fi
  for which in $order; do
    main=$old; [ "$which" = new ] && main=$new
    (cd "$ws" && /usr/bin/time -f "$which %e %U %S" -a -o "$times" node "$main" run p.yaml --no-progress >/dev/null 2>&1)
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
node - "$times" <<'JS'
const rows = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' '));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const of = (w) => rows.filter((r) => r[0] === w);
const stats = (w) => ({ wall: median(of(w).map((r) => +r[1])), cpu: median(of(w).map((r) => +r[2] + +r[3])) });
const [o, nw] = [stats('old'), stats('new')];
console.log(`old: median wall ${o.wall.toFixed(2)} s, CPU ${o.cpu.toFixed(2)} s (${of('old').length} reruns)`);
console.log(`new: median wall ${nw.wall.toFixed(2)} s, CPU ${nw.cpu.toFixed(2)} s (${of('new').length} reruns)`);
console.log(`new / old: wall ${(nw.wall / o.wall).toFixed(3)}, CPU ${(nw.cpu / o.cpu).toFixed(3)}`);
JS
