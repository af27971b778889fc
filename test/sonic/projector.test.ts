import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture, fixtureTensor, assertClose, FIXTURE_PROJECTOR } from './fixture-helpers.js';
import { AudioProjector, projectorParamSpecs } from '../../src/sonic/projector/audio-projector.js';
import { OFFICIAL_PROJECTOR, SMALL_PROJECTOR, projectorDims, singleTokenVariant } from '../../src/sonic/projector/projector-config.js';

before(useWasm);

test('official projector has the released checkpoint size and shapes', () => {
  const specs = projectorParamSpecs(OFFICIAL_PROJECTOR);
  const count = specs.reduce((n, s) => n + s.torchShape.reduce((a, b) => a * b, 1), 0);
  assert.equal(count, 6_130_050);
  assert.equal(specs.length, 16 + 4 * 7 + 2);
  const d = projectorDims(OFFICIAL_PROJECTOR);
  assert.deepEqual([d.upsampledLength, d.tokenDim, d.innerDim], [3072, 768, 320]);
  assert.deepEqual(specs.find((s) => s.name === 'audio_emb_projection.8.weight')!.torchShape, [77, 77, 17]);
  assert.deepEqual(specs.find((s) => s.name === 'audio_emb_projection.10.weight')!.torchShape, [77, 3072]);
});

test('projector matches PyTorch (unchained official quirk, chained, null audio)', () => {
  const f = openFixture('projector.safetensors');
  const get = (name: string) => f.read(`param.${name}`);
  const unchained = AudioProjector.fromTorchTensors(FIXTURE_PROJECTOR, get, 'projector fixture');
  const chained = AudioProjector.fromTorchTensors({ ...FIXTURE_PROJECTOR, chained: true }, get, 'projector fixture');
  const x = fixtureTensor(f, 'input');
  assertClose(unchained.apply(x), fixtureTensor(f, 'output.unchained'), 1e-4, 'unchained output');
  assertClose(chained.apply(x), fixtureTensor(f, 'output.chained'), 1e-4, 'chained output');
  assertClose(unchained.nullAudio(), fixtureTensor(f, 'null.unchained'), 1e-4, 'null audio');
  f.close();
});

test('projector round-trips torch tensors and reports missing or misshapen keys', async () => {
  const p = AudioProjector.create(SMALL_PROJECTOR, 3);
  const saved = await p.toTorchTensors();
  const q = AudioProjector.fromTorchTensors(SMALL_PROJECTOR, (n) => saved.get(n));
  const x = tf.randomNormal([2, 1, SMALL_PROJECTOR.inputDim], 0, 1, 'float32', 1);
  assertClose(q.apply(x), p.apply(x), 1e-6, 'reloaded projector');
  assert.deepEqual(q.apply(x).shape, [2, 8, 48]);
  assert.throws(() => AudioProjector.fromTorchTensors(SMALL_PROJECTOR, (n) => (n === 'to_out_adapter.0.bias' ? undefined : saved.get(n)), 'x.safetensors'), /x\.safetensors: missing audio projector parameter 'to_out_adapter\.0\.bias'/);
  assert.throws(() => AudioProjector.fromTorchTensors(OFFICIAL_PROJECTOR, (n) => saved.get(n), 'x.safetensors'), /has shape \[8,1,9\], the projector config expects \[77,1,17\]/);
});

test('unchained projector exposes only the last block as live; single-token variant', () => {
  const p = AudioProjector.create(SMALL_PROJECTOR, 0);
  const live = p.liveParameterNames();
  assert.ok(live.includes('cross_attention.3.to_q_adapter.weight'));
  assert.ok(!live.some((n) => /^(cross|between)_attention\.[012]\./.test(n)));
  assert.equal(AudioProjector.create({ ...SMALL_PROJECTOR, chained: true }, 0).liveParameterNames().length, p.parameterSpecs().length);
  const single = AudioProjector.create(singleTokenVariant(SMALL_PROJECTOR), 0);
  assert.deepEqual(single.nullAudio().shape, [1, 1, 48]);
  assert.deepEqual(AudioProjector.create({ ...SMALL_PROJECTOR, outputDim: 32 }, 0).nullAudio().shape, [1, 8, 32]);
  assert.throws(() => AudioProjector.create({ ...SMALL_PROJECTOR, kernelSize: 4 }), /'kernelSize' must be odd/);
});
