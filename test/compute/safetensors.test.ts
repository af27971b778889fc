import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { SafetensorsFile, SafetensorsError, writeSafetensors } from '../../src/compute/safetensors.js';

test('safetensors round-trips float32 tensors', () => {
  const dir = tempDir('st-');
  const p = join(dir, 'a.safetensors');
  writeSafetensors(p, { w: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([-0.5]) } }, { format: 'pt' });
  const f = new SafetensorsFile(p);
  assert.deepEqual(f.keys().sort(), ['b', 'w']);
  assert.deepEqual(f.metadata, { format: 'pt' });
  assert.deepEqual([...f.read('w').data], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(f.read('w').shape, [2, 3]);
  assert.throws(() => f.read('missing'), /no tensor named 'missing'/);
  f.close();
});

test('safetensors decodes f16 and bf16', () => {
  const dir = tempDir('st-');
  const p = join(dir, 'h.safetensors');
  const header = JSON.stringify({ h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] }, b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] } });
  const hb = Buffer.from(header);
  const buf = Buffer.alloc(8 + hb.length + 10);
  buf.writeBigUInt64LE(BigInt(hb.length));
  hb.copy(buf, 8);
  const d = 8 + hb.length;
  buf.writeUInt16LE(0x3c00, d); // 1.0
  buf.writeUInt16LE(0xc000, d + 2); // -2.0
  buf.writeUInt16LE(0x3555, d + 4); // ~0.33325
  buf.writeUInt16LE(0x3f80, d + 6); // bf16 1.0
  buf.writeUInt16LE(0xc040, d + 8); // bf16 -3.0
  writeFileSync(p, buf);
  const f = new SafetensorsFile(p);
  const h = f.read('h').data;
  assert.equal(h[0], 1);
  assert.equal(h[1], -2);
  assert.ok(Math.abs(h[2]! - 0.33325) < 1e-4);
  assert.deepEqual([...f.read('b').data], [1, -3]);
});

test('a truncated safetensors file is a clear error', () => {
  const dir = tempDir('st-');
  const p = join(dir, 'bad.safetensors');
  writeFileSync(p, Buffer.from([1, 2, 3]));
  assert.throws(() => new SafetensorsFile(p), (e: unknown) => e instanceof SafetensorsError && /too short/.test((e as Error).message));
});
