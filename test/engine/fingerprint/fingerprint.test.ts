import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../../src/engine/fingerprint/canonical-json.js';
import { computeFingerprint } from '../../../src/engine/fingerprint/compute-fingerprint.js';
import { statCachedHasher, MissingInputError, type StatCache } from '../../../src/engine/fingerprint/input-hasher.js';
import { catalogOf, file, out, stage } from '../runner/fixtures/pipeline-builder.js';

test('canonical JSON sorts keys at every depth and rejects non-finite numbers', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }], u: undefined }), '{"a":[{"c":2,"d":1}],"b":1}');
  assert.throws(() => canonicalJson({ x: Number.NaN }), /non-finite/);
});

function memoryCache(): StatCache & { hits: number } {
  const m = new Map<string, string>();
  const c = {
    hits: 0,
    cachedFileHash: (p: string, s: number, t: number, i: number) => {
      const h = m.get(`${p}|${s}|${t}|${i}`);
      if (h) c.hits++;
      return h;
    },
    rememberFileHash: (p: string, s: number, t: number, i: number, h: string) => void m.set(`${p}|${s}|${t}|${i}`, h),
  };
  return c;
}

test('fingerprint: content hashes of files and upstream outputs, no stage ids, resources or paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-fp-'));
  try {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    writeFileSync(a, 'same');
    writeFileSync(b, 'same');
    const cache = memoryCache();
    let hashed = 0;
    const hasher = statCachedHasher(cache, async (p) => {
      hashed++;
      return `h:${(await import('node:fs')).readFileSync(p, 'utf8')}`;
    });
    const up = (s: string, o: string) => (s === 'train' && o === 'm' ? 'h-model' : undefined);
    const mk = (path: string, extra = {}) =>
      stage({ id: 's', uses: 'test/sum-numbers', with: { scale: 2 }, inputs: { numbers: file(path, true), model: out('train', 'm') }, outputs: { sum: 'x' }, ...extra });
    const fa = await computeFingerprint(mk(a), catalogOf(), up, hasher);
    assert.deepEqual(fa.struct, {
      v: 2,
      kind: 'uses',
      uses: 'test/sum-numbers',
      stageVersion: '1',
      outputs: { sum: 'x' },
      params: { scale: 2 },
      inputs: { numbers: ['h:same'] },
      upstream: { model: ['h-model'] },
      env: {},
    });
    assert.match(fa.hash, /^[0-9a-f]{64}$/);
    const fb = await computeFingerprint(mk(b, { resources: { cpu: 8, gpu: 2 }, retries: 3 }), catalogOf(), up, hasher);
    assert.equal(fb.hash, fa.hash, 'same content elsewhere, other resources and retries: same fingerprint');
    const fc = await computeFingerprint(mk(a), catalogOf(), () => 'h-other-model', hasher);
    assert.notEqual(fc.hash, fa.hash, 'other upstream content: other fingerprint');
    const renamed = await computeFingerprint(mk(a, { inputs: { numbers: file(a, true), model: out('train_renamed', 'm') } }), catalogOf(), () => 'h-model', hasher);
    assert.equal(renamed.hash, fa.hash, 'a renamed upstream stage with the same output content: same fingerprint');

    const again = statCachedHasher(cache, async () => {
      hashed++;
      return 'never';
    });
    assert.equal(await again.hash(a), 'h:same', 'stat cache hit');
    assert.equal(hashed, 2);
    await assert.rejects(again.hash(join(dir, 'missing')), MissingInputError);

    const run = await computeFingerprint(stage({ id: 'r', run: ['python', '${{ inputs.script }}'], outputs: { o: 'o' } }), undefined, up, hasher);
    assert.deepEqual(run.struct.argv, ['python', '${{ inputs.script }}']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
