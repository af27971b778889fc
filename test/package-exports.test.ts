// The package's public entries resolve by name (package self-reference through "exports"), carry the
// loader, and ship declarations; the documented deep imports under sonicdiffusion/dist/ keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { name: string; exports: Record<string, string | { types: string; default: string }> };

test("'sonicdiffusion' and 'sonicdiffusion/models' resolve by name and export the loader", async () => {
  assert.equal(pkg.name, 'sonicdiffusion');
  const main = await import('sonicdiffusion');
  const models = await import('sonicdiffusion/models');
  for (const m of [main, models] as Array<Record<string, unknown>>) {
    for (const name of ['loadSonicDiffusion', 'loadDiffusersUNet', 'loadDiffusersVae', 'loadAudioProjector', 'loadAdapterWeights', 'unetConfigFromJson', 'DiffusersConfigError', 'UNet2DCondition', 'AutoencoderKL', 'AudioProjector']) {
      assert.equal(typeof m[name], 'function', name);
    }
  }
  assert.equal(main.loadSonicDiffusion, models.loadSonicDiffusion, 'one module instance behind both entries');
  for (const name of ['selectBackend', 'DdimScheduler', 'sample', 'pnpEdit', 'stage2Step'] as const) assert.equal(typeof main[name], 'function', name);
  assert.equal(typeof main.tf.tensor, 'function');
  assert.equal(main.SONIC_VERSION, (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version);
});

test('each export condition points at built files with declarations', () => {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    assert.ok(existsSync(`${ROOT}${target.default}`), `${entry}: ${target.default}`);
    assert.ok(existsSync(`${ROOT}${target.types}`), `${entry}: ${target.types}`);
  }
  assert.match(readFileSync(`${ROOT}dist/src/sonic/pretrained/load-sonic-diffusion.d.ts`, 'utf8'), /export declare function loadSonicDiffusion\(options: LoadSonicDiffusionOptions\): Promise<SonicDiffusionModels>/);
});

test('deep imports under sonicdiffusion/dist/ (docs/cluster.md) still resolve', async () => {
  const { runPipeline } = (await import('sonicdiffusion/dist/src/engine/runner/run-pipeline.js' as string)) as { runPipeline: unknown };
  assert.equal(typeof runPipeline, 'function');
});
