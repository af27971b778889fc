import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { tf, useBackend, assertClose, repoPath } from './tf-test-utils.js';
import { SafetensorsFile } from '../../src/compute/safetensors.js';
import { AdamW } from '../../src/compute/adamw.js';
import { clipGradNorm } from '../../src/compute/grad-clip.js';

let fixture: SafetensorsFile;
before(async () => {
  await useBackend('wasm');
  fixture = new SafetensorsFile(repoPath('test/fixtures/reference/adamw/adamw.safetensors'));
});

const t = (key: string) => {
  const h = fixture.read(key);
  return tf.tensor(h.data, h.shape);
};

function makeOptimizer() {
  const groups = JSON.parse(fixture.metadata.groups!) as Array<{ lr: number; weight_decay: number }>;
  const p0 = tf.variable(t('p0.init'));
  const p1 = tf.variable(t('p1.init'));
  const opt = new AdamW([
    { params: [{ name: 'p0', variable: p0 }], lr: groups[0]!.lr, weightDecay: groups[0]!.weight_decay },
    { params: [{ name: 'p1', variable: p1 }], lr: groups[1]!.lr, weightDecay: groups[1]!.weight_decay },
  ]);
  return { opt, p0, p1 };
}

test('AdamW matches torch.optim.AdamW over 3 steps with two lr/weight-decay groups', () => {
  const { opt, p0, p1 } = makeOptimizer();
  for (let step = 1; step <= 3; step++) {
    opt.applyGradients({ [p0.name]: t(`p0.grad.${step}`), [p1.name]: t(`p1.grad.${step}`) });
    assertClose(p0.dataSync(), t(`p0.after.${step}`).dataSync(), 1e-5, `p0 after step ${step}`);
    assertClose(p1.dataSync(), t(`p1.after.${step}`).dataSync(), 1e-5, `p1 after step ${step}`);
  }
  const { tensors, metadata } = opt.state();
  assertClose(tensors.get('p0.exp_avg')!.data, t('p0.exp_avg').dataSync(), 1e-5, 'p0 exp_avg');
  assertClose(tensors.get('p1.exp_avg_sq')!.data, t('p1.exp_avg_sq').dataSync(), 1e-5, 'p1 exp_avg_sq');
  assert.deepEqual(JSON.parse(metadata.steps!), { p0: 3, p1: 3 });
});

test('AdamW.step with gradients keyed by variable gives the same result as applyGradients', () => {
  const a = makeOptimizer();
  const b = makeOptimizer();
  for (let step = 1; step <= 2; step++) {
    a.opt.applyGradients({ [a.p0.name]: t(`p0.grad.${step}`), [a.p1.name]: t(`p1.grad.${step}`) });
    b.opt.step(new Map([[b.p0, t(`p0.grad.${step}`)], [b.p1, t(`p1.grad.${step}`)]]));
  }
  assert.deepEqual([...b.p0.dataSync()], [...a.p0.dataSync()]);
  assert.deepEqual([...b.p1.dataSync()], [...a.p1.dataSync()]);
  assert.throws(() => b.opt.step(new Map([[tf.variable(tf.zeros([1])), tf.zeros([1])]])), /not in any parameter group/);
});

test('AdamW state saved after step 1 and loaded into a fresh optimizer continues identically', () => {
  const dir = tempDir('adamw-');
  const a = makeOptimizer();
  a.opt.applyGradients({ [a.p0.name]: t('p0.grad.1'), [a.p1.name]: t('p1.grad.1') });
  a.opt.saveState(join(dir, 'opt.safetensors'));
  const b = makeOptimizer();
  b.p0.assign(a.p0);
  b.p1.assign(a.p1);
  b.opt.setLearningRate(123); // overwritten by the saved group hyper-parameters
  b.opt.loadState(join(dir, 'opt.safetensors'));
  for (let step = 2; step <= 3; step++) b.opt.applyGradients({ [b.p0.name]: t(`p0.grad.${step}`), [b.p1.name]: t(`p1.grad.${step}`) });
  assertClose(b.p0.dataSync(), t('p0.after.3').dataSync(), 1e-5, 'p0 after resume');
  assertClose(b.p1.dataSync(), t('p1.after.3').dataSync(), 1e-5, 'p1 after resume');
});

test('AdamW loadState lists every mismatch', () => {
  const dir = tempDir('adamw-');
  const a = makeOptimizer();
  a.opt.saveState(join(dir, 'opt.safetensors'));
  const other = new AdamW([{ name: 'p0', variable: tf.variable(tf.zeros([2, 2])) }, { name: 'q', variable: tf.variable(tf.zeros([5])) }]);
  assert.throws(
    () => other.loadState(join(dir, 'opt.safetensors')),
    (e: Error) =>
      /2 parameter groups in the file, 1 in the optimizer/.test(e.message) &&
      /p0\.exp_avg: file \[3,4\], expected \[2,2\]/.test(e.message) &&
      /missing q\.exp_avg\b/.test(e.message) &&
      /unexpected p1\.exp_avg_sq/.test(e.message),
  );
});

test('AdamW.minimize reduces a quadratic and rejects foreign gradients', () => {
  const x = tf.variable(tf.tensor1d([3, -2]));
  const opt = new AdamW([x], { lr: 0.1, weightDecay: 0 });
  const first = opt.minimize(() => tf.sum(tf.square(x)));
  let last = first;
  for (let i = 0; i < 30; i++) last = opt.minimize(() => tf.sum(tf.square(x)));
  assert.ok(last < first / 4, `loss ${first} -> ${last}`);
  assert.throws(() => opt.applyGradients({ nope: tf.zeros([2]) }), /variable 'nope', which is not in any parameter group/);
});

test('clipGradNorm scales by maxNorm / total norm like torch.nn.utils.clip_grad_norm_', () => {
  const { grads, totalNorm } = clipGradNorm({ a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }, 1);
  assert.ok(Math.abs(totalNorm - 5) < 1e-6);
  assertClose(grads.a!.dataSync(), [0.6, 0], 1e-5, 'a');
  assertClose(grads.b!.dataSync(), [0.8], 1e-5, 'b');
  const same = { c: tf.tensor1d([0.1]) };
  assert.equal(clipGradNorm(same, 1).grads, same);
});
