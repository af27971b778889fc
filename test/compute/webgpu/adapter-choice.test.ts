// Adapter choice rules, on made-up adapter lists (no GPU needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAdapter } from '../../../src/compute/webgpu/adapter-choice.js';
import type { DawnAdapter } from '../../../src/compute/webgpu/dawn-adapters.js';

const adapter = (index: number, name: string, isFallback = false): DawnAdapter => ({
  index,
  name,
  backend: 'vulkan',
  vendor: 'v',
  architecture: 'a',
  description: 'd',
  isFallback,
  maxBufferSize: 2 ** 32,
  maxStorageBufferBindingSize: 2 ** 31,
});
const soft = adapter(0, 'SwiftShader Device (Subzero)', true);
const a100 = adapter(1, 'NVIDIA A100');
const h200 = adapter(2, 'NVIDIA H200');

test('auto takes the first hardware adapter and refuses a fallback-only list', () => {
  const c = chooseAdapter([soft, a100, h200], { forced: false });
  assert.ok(c.ok && c.adapter === a100);
  const none = chooseAdapter([soft], { forced: false });
  assert.ok(!none.ok);
  assert.match(none.why, /adapter 0 'SwiftShader Device \(Subzero\)' \(vulkan, fallback\/software\) is a fallback \(software\) adapter, used only with SONIC_BACKEND=webgpu/);
});

test('forced webgpu accepts a fallback adapter when no hardware one exists', () => {
  const c = chooseAdapter([soft], { forced: true });
  assert.ok(c.ok && c.adapter === soft);
  assert.match(c.why, /accepted because the webgpu backend was forced/);
});

test('runner GPU ids index the adapter list; a missing id or an earlier twin is refused', () => {
  const c = chooseAdapter([soft, a100, h200], { forced: false, gpus: [2, 1] });
  assert.ok(c.ok && c.adapter === h200);
  assert.match(c.why, /runner GPU id 2 → adapter 2 'NVIDIA H200'.*1 stay idle/);
  const missing = chooseAdapter([soft, a100], { forced: false, gpus: [5] });
  assert.ok(!missing.ok);
  assert.match(missing.why, /the runner gave GPU id 5, but Dawn lists no adapter 5 \(Dawn lists: adapter 0 .*; adapter 1 'NVIDIA A100' \(vulkan\)\)/);
  const twins = chooseAdapter([adapter(0, 'NVIDIA H200'), adapter(1, 'NVIDIA H200')], { forced: false, gpus: [1] });
  assert.ok(!twins.ok);
  assert.match(twins.why, /adapter 0 has the same name and dawn\.node selects adapters by name only/);
  const softId = chooseAdapter([soft, a100], { forced: false, gpus: [0] });
  assert.ok(!softId.ok, 'a GPU id naming a software adapter is refused in auto mode');
});

test('SONIC_WEBGPU_ADAPTER picks by name substring and names the choices when nothing matches', () => {
  const c = chooseAdapter([soft, a100, h200], { forced: false, name: 'H200', gpus: [1] });
  assert.ok(c.ok && c.adapter === h200);
  const none = chooseAdapter([soft, a100], { forced: false, name: 'MI300' });
  assert.ok(!none.ok);
  assert.match(none.why, /SONIC_WEBGPU_ADAPTER='MI300' matches no adapter \(Dawn lists: adapter 0 /);
});
