// The committed sonic-kernels.wasm is what scripts/wasm-kernels/build.sh makes from csrc/: rebuild into a
// temp dir and compare bytes. Skips without clang and wasm-ld, fails instead when SONIC_REQUIRE_CLANG=1 (CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../tf-test-utils.js';

function missingToolchain(): string | undefined {
  for (const tool of ['clang', 'wasm-ld']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) return `${tool} not found (apt-get install clang lld)`;
  }
  return undefined;
}

const missing = missingToolchain();
const skip = missing && process.env.SONIC_REQUIRE_CLANG !== '1' ? missing : false;

test('rebuilding the wasm kernels from csrc/ gives the committed bytes', { skip }, () => {
  assert.equal(missing, undefined, `SONIC_REQUIRE_CLANG=1 but ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'sonic-wasm-kernels-'));
  try {
    const out = join(dir, 'sonic-kernels.wasm');
    const build = spawnSync('bash', [repoPath('scripts/wasm-kernels/build.sh'), out], { encoding: 'utf8' });
    assert.equal(build.status, 0, `build failed:\n${build.stderr}`);
    const rebuilt = readFileSync(out);
    const committed = readFileSync(repoPath('src/compute/wasm-kernels/sonic-kernels.wasm'));
    assert.ok(rebuilt.equals(committed), `the rebuilt module (${rebuilt.length} bytes) differs from the committed one (${committed.length} bytes): run bash scripts/wasm-kernels/build.sh and commit the result`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
