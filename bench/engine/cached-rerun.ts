// Bench: a fully cached rerun of a generated pipeline of N no-op command stages (chains of 10) must stay
// under a second end to end (`sonic run` process start to exit).
// Usage: node dist/bench/engine/cached-rerun.js [N=500] [RERUNS=5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const n = Number(process.argv[2] ?? 500);
const reruns = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'sonic-bench-'));
const node = JSON.stringify(process.execPath);
const lines = ['version: 1', 'name: bench', 'stages:'];
for (let i = 0; i < n; i++) {
  lines.push(`  s${i}:`);
  const dep = i % 10 === 0 ? '' : `, "\${{ stages.s${i - 1}.outputs.o }}"`;
  lines.push(`    run: [${node}, "-e", "require('fs').writeFileSync(process.argv[1], '${i}')", "\${{ outputs.o }}"${dep}]`);
  lines.push('    outputs: {o: o.txt}');
}
writeFileSync(join(dir, 'p.yaml'), `${lines.join('\n')}\n`);
writeFileSync(join(dir, 'package.json'), '{}');

const run = () => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, 'run', 'p.yaml', '--no-progress'], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sonic run failed (${r.status}): ${r.stderr}`);
  return { ms, out: r.stdout.trim() };
};
try {
  const first = run();
  console.log(`first run (${n} stages executed): ${(first.ms / 1000).toFixed(1)} s  ${first.out}`);
  const times: number[] = [];
  const loadBefore = loadavg()[0]!;
  for (let i = 0; i < reruns; i++) {
    const again = run();
    times.push(again.ms);
    console.log(`cached rerun: ${again.ms.toFixed(0)} ms  ${again.out}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `median of ${reruns} cached reruns: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)} ms); ` +
      `load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
