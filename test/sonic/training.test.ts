import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture, fixtureTensor, assertClose, relativeError, FIXTURE_PROJECTOR } from './fixture-helpers.js';
import { AudioProjector } from '../../src/sonic/projector/audio-projector.js';
import { SMALL_PROJECTOR } from '../../src/sonic/projector/projector-config.js';
import { stage1Loss, stage1Step, type Stage1Batch } from '../../src/sonic/training/stage1.js';
import { stage2Step, stage2Loss, createStage2Optimizer, type Stage2Model } from '../../src/sonic/training/stage2.js';
import { groupedAdamW, lossAndGrads } from '../../src/sonic/training/optimizer.js';
import { infoNceLoss } from '../../src/sonic/losses/info-nce.js';
import { epsilonMseLoss } from '../../src/sonic/losses/regression.js';
import { tfShapeOf } from '../../src/compute/torch-layout.js';
import { torchToTf } from '../../src/compute/torch-layout.js';
import type { NoisePredictor, NoisePredictorInput } from '../../src/sonic/noise-predictor.js';

before(useWasm);

function fixtureBatch(f: ReturnType<typeof openFixture>): Stage1Batch {
  return {
    anchors: fixtureTensor(f, 'anchors') as tf.Tensor3D,
    positives: fixtureTensor(f, 'positives') as tf.Tensor3D,
    negatives: fixtureTensor(f, 'negatives') as tf.Tensor4D,
    captionTokens: fixtureTensor(f, 'captions') as tf.Tensor3D,
  };
}

for (const chained of [false, true]) {
  const tag = chained ? 'chained' : 'unchained';
  test(`stage-1 losses and gradients match PyTorch (${tag})`, () => {
    const pf = openFixture('projector.safetensors');
    const f = openFixture('stage1.safetensors');
    const proj = AudioProjector.fromTorchTensors({ ...FIXTURE_PROJECTOR, chained }, (n) => pf.read(`param.${n}`));
    const [temperature, lambdaContrastive, lambdaMse] = [...f.read('hyper').data] as [number, number, number];
    const batch = fixtureBatch(f);
    const opts = { temperature, lambdaContrastive, lambdaMse };
    const scalar = (t: tf.Tensor) => t.dataSync()[0]!;
    const l = stage1Loss(proj, batch, opts);
    const near = (a: number, key: string) => assert.ok(relativeError([a], f.read(key).data) < 1e-4, `${key}: ${a} vs ${f.read(key).data[0]}`);
    near(scalar(l.infoNce), `${tag}.infonce.mean`);
    near(scalar(l.mse), `${tag}.mse`);
    near(scalar(l.total), `${tag}.total`);
    near(scalar(stage1Loss(proj, batch, { ...opts, pooling: 'flatten' }).infoNce), `${tag}.infonce.flatten`);

    const all = [...proj.params.values()];
    const { grads } = lossAndGrads(() => stage1Loss(proj, batch, opts).total, all);
    for (const spec of proj.parameterSpecs()) {
      const ref = torchToTf(spec.layout, f.read(`${tag}.grad.${spec.name}`));
      const g = grads.get(proj.params.get(spec.name)!) ?? tf.zeros(tfShapeOf(spec.layout, spec.torchShape));
      assertClose(g, tf.tensor(ref.data, ref.shape), 1e-3, `grad ${spec.name}`);
    }
    pf.close();
    f.close();
  });
}

test('InfoNCE validates shapes and prefers aligned positives', () => {
  const a = tf.tensor3d([[[1, 0]]]);
  const good = infoNceLoss(a, tf.tensor3d([[[1, 0.1]]]), tf.tensor4d([[[[0, 1]]]]), { temperature: 0.1 }).dataSync()[0]!;
  const bad = infoNceLoss(a, tf.tensor3d([[[0, 1]]]), tf.tensor4d([[[[1, 0.1]]]]), { temperature: 0.1 }).dataSync()[0]!;
  assert.ok(good < bad);
  assert.throws(() => infoNceLoss(a, a, tf.zeros([1, 2, 1, 3]) as tf.Tensor4D, { temperature: 0.1 }), /negatives must be \[B, N, 1,2\]/);
  assert.throws(() => infoNceLoss(a, a, tf.zeros([1, 2, 1, 2]) as tf.Tensor4D, { temperature: 0 }), /temperature must be > 0/);
});

test('stage-1 steps reduce the loss on a toy batch', async () => {
  const proj = AudioProjector.create({ ...SMALL_PROJECTOR, inputDim: 24, tokens: 4, blocks: 2 }, 5);
  const [w] = [proj.dims.tokenDim];
  const batch: Stage1Batch = {
    anchors: tf.randomNormal([3, 1, 24], 0, 1, 'float32', 1) as tf.Tensor3D,
    positives: tf.randomNormal([3, 1, 24], 0, 1, 'float32', 2) as tf.Tensor3D,
    negatives: tf.randomNormal([3, 4, 1, 24], 0, 1, 'float32', 3) as tf.Tensor4D,
    captionTokens: tf.randomNormal([3, 4, w], 0, 1, 'float32', 4) as tf.Tensor3D,
  };
  const opt = groupedAdamW([{ name: 'projector', variables: proj.liveVariables(), lr: 1e-3 }]);
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let i = 0; i < 6; i++) losses.push((await stage1Step(proj, opt, batch, { lambdaContrastive: 1, lambdaMse: 1, temperature: 0.1 })).loss);
  assert.ok(losses.at(-1)! < losses[0]! * 0.9, `loss did not fall: ${losses.map((l) => l.toFixed(4)).join(' ')}`);
  // Only optimizer state (m, v per live variable) is retained after the first step.
  const after = tf.memory().numTensors;
  const growthAfterFirst = after - before;
  await stage1Step(proj, opt, batch);
  assert.equal(tf.memory().numTensors, after, `tensor leak (grew by ${growthAfterFirst} over 6 steps)`);
});

// A NoisePredictor with its own trainable "adapter" and a frozen weight: ε̂ = x·W_frozen + gate·mean(audio) + a
class FakeAdapterPredictor implements NoisePredictor {
  readonly frozen = tf.variable(tf.randomNormal([4, 4], 0, 0.5, 'float32', 9), true);
  readonly gate = tf.variable(tf.fill([4], 0.3), true);
  readonly shift = tf.variable(tf.zeros([4]), true);
  predict(input: NoisePredictorInput): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, h, w, c] = input.sample.shape;
      const x = tf.reshape(tf.matMul(tf.reshape(input.sample, [-1, c]), this.frozen), [b, h, w, c]);
      const audio = input.audioTokens ? tf.reshape(tf.mean(input.audioTokens, [1, 2]), [b, 1, 1, 1]) : tf.zeros([b, 1, 1, 1]);
      const t = tf.reshape(typeof input.timestep === 'number' ? tf.fill([b], input.timestep) : input.timestep, [b, 1, 1, 1]);
      return tf.add(tf.add(x, tf.mul(audio, this.gate)), tf.add(this.shift, tf.mul(t, 1e-4))) as tf.Tensor4D;
    });
  }
}

test('stage-2 step updates only adapters (lr 1e-4) and projector (lr 1e-5), deterministically', async () => {
  const build = () => {
    const predictor = new FakeAdapterPredictor();
    const projector = AudioProjector.create({ ...SMALL_PROJECTOR, inputDim: 16, tokens: 2, blocks: 2 }, 1);
    return { predictor, projector, adapterVariables: [predictor.gate, predictor.shift] } satisfies Stage2Model;
  };
  const batch = {
    latents: tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 11) as tf.Tensor4D,
    audioEmbeddings: tf.randomNormal([2, 1, 16], 0, 1, 'float32', 12) as tf.Tensor3D,
    nullTextTokens: tf.zeros([1, 3, 5]) as tf.Tensor3D,
  };
  const model = build();
  const snapshot = (vs: tf.Variable[]) => vs.map((v) => Float32Array.from(v.dataSync()));
  const projVars = model.projector.liveVariables();
  const deadVars = [...model.projector.params.values()].filter((v) => !projVars.includes(v));
  const [a0, p0, f0, d0] = [snapshot(model.adapterVariables), snapshot(projVars), snapshot([model.predictor.frozen]), snapshot(deadVars)];
  const opt = createStage2Optimizer(model);
  const r = await stage2Step(model, opt, batch, { seed: 42 });
  assert.ok(Number.isFinite(r.loss) && r.timesteps.every((t) => t >= 0 && t < 1000));
  // First AdamW step: θ' = θ(1 − lr·wd) − lr·sign(g) (|m̂/√v̂| = 1), so |θ' − θ(1 − lr·wd)| = lr where g ≠ 0.
  // (float32 rounding and gradients near AdamW's ε make some steps slightly shorter, never longer.)
  const checkStep = (before: Float32Array[], vars: tf.Variable[], lr: number, what: string) => {
    let largest = 0;
    vars.forEach((v, i) => {
      const now = v.dataSync();
      before[i]!.forEach((old, j) => {
        const delta = Math.abs(now[j]! - old * (1 - lr * 1e-2));
        assert.ok(delta <= lr * 1.02, `${what}: step ${delta} > lr ${lr}`);
        largest = Math.max(largest, delta);
      });
    });
    assert.ok(largest >= lr * 0.98, `${what}: largest step ${largest}, expected lr ${lr}`);
  };
  checkStep(a0, model.adapterVariables, 1e-4, 'adapters');
  checkStep(p0, projVars, 1e-5, 'projector');
  assert.deepEqual(snapshot([model.predictor.frozen]), f0, 'frozen UNet weight changed');
  assert.deepEqual(snapshot(deadVars), d0, 'dead projector blocks changed');

  const again = build();
  const r2 = await stage2Step(again, createStage2Optimizer(again), batch, { seed: 42 });
  assert.equal(r2.loss, r.loss);
  assert.deepEqual(r2.timesteps, r.timesteps);
  const frozenProj = build();
  const onlyAdapters = createStage2Optimizer(frozenProj, { trainProjector: false });
  assert.equal(onlyAdapters.variables().length, 2);
  await assert.rejects(stage2Step(frozenProj, onlyAdapters, batch, { seed: 1, dropText: 0 }), /needs captionTokens/);
  assert.ok(epsilonMseLoss(batch.latents, batch.latents).dataSync()[0] === 0);
});

test('stage-2 text dropout: null text by default, captions kept with probability 1 − dropText', () => {
  let seenText: number[] = [];
  const predictor: NoisePredictor = {
    predict: (input) => {
      seenText = [...tf.mean(input.textTokens, [1, 2]).dataSync()];
      return tf.zerosLike(input.sample);
    },
  };
  const projector = AudioProjector.create({ ...SMALL_PROJECTOR, inputDim: 16, tokens: 2, blocks: 1 }, 1);
  const model: Stage2Model = { predictor, projector, adapterVariables: [] };
  const b = 16;
  const batch = {
    latents: tf.zeros([b, 2, 2, 4]) as tf.Tensor4D,
    audioEmbeddings: tf.zeros([b, 1, 16]) as tf.Tensor3D,
    nullTextTokens: tf.zeros([1, 3, 5]) as tf.Tensor3D,
    captionTokens: tf.ones([b, 3, 5]) as tf.Tensor3D,
  };
  const run = (dropText?: number) => stage2Loss(model, batch, { seed: 3, ...(dropText === undefined ? {} : { dropText }) });
  assert.ok(run().usedCaption.every((u) => !u));
  assert.deepEqual(seenText, new Array(b).fill(0));
  assert.ok(run(0).usedCaption.every(Boolean));
  assert.deepEqual(seenText, new Array(b).fill(1));
  const half = run(0.5).usedCaption;
  assert.ok(half.some(Boolean) && !half.every(Boolean));
  assert.deepEqual(seenText, half.map((u) => (u ? 1 : 0)));
  assert.throws(() => run(2), /dropText must be in \[0, 1\]/);
});
