// generate's text mode (Table 1's text-prompted reference row) on a recording stand-in backbone: class-label
// prompts against the null text with the adapters off, the same initial noise per position as audio mode,
// chunking-independent, and the mode/input combinations it refuses.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/compute/tfjs.js';
import { isOperationAborted } from '../../src/compute/yield-point.js';
import type { RgbImage } from '../../src/data/media/index.js';
import type { NoisePredictorInput } from '../../src/sonic/noise-predictor.js';
import type { DiffusionBackbone } from '../../src/stages/common/diffusion-models.js';
import type { ConditionedModel } from '../../src/stages/method/conditioned-model.js';
import { generateImages, generateModeError, labelPrompts } from '../../src/stages/method/generate-impl.js';
import { generateStage } from '../../src/stages/method/generate.js';

const L = 3;
const W = 2;
const LATENT: [number, number, number] = [4, 4, 3];

interface Call {
  batch: number;
  text: number[]; // per row of the [uncond, cond] batch: the mean of its token states
  audio: boolean;
  sample: Float32Array;
}

/** ε = 0.1·x + mean(text tokens of the row): the text shifts every sample, so cond ≠ uncond is visible. */
function recordingBackbone(calls: Call[]): DiffusionBackbone {
  const unet = {
    config: {},
    predict(input: NoisePredictorInput): tf.Tensor4D {
      const text = tf.tidy(() => Array.from(tf.mean(input.textTokens, [1, 2]).dataSync()));
      calls.push({ batch: input.sample.shape[0], text, audio: input.audioTokens !== undefined, sample: input.sample.dataSync() as Float32Array });
      return tf.tidy(() => tf.add(tf.mul(input.sample, 0.1), tf.reshape(tf.mean(input.textTokens, [1, 2]), [-1, 1, 1, 1])) as tf.Tensor4D);
    },
  };
  const codec = {
    name: 'recording', downsampleFactor: 1, latentChannels: LATENT[2],
    encode: () => Promise.reject(new Error('not used')),
    decode: async (z: tf.Tensor4D): Promise<RgbImage[]> => {
      const [n, h, w] = z.shape;
      const data = z.dataSync() as Float32Array;
      const per = h * w * 3;
      return Array.from({ length: n }, (_, i) => ({ width: w, height: h, data: Float32Array.from(data.subarray(i * per, (i + 1) * per)) }));
    },
    dispose() {},
  };
  return { unet, codec, latentShape: LATENT, imageSize: 4, dispose() {} } as unknown as DiffusionBackbone;
}

const row = (v: number) => new Float32Array(L * W).fill(v);
const E = { nullText: row(0), textTokens: L, textWidth: W };
const OPTS = { steps: 3, guidance: 4, seed: 7, chunk: 2 };

before(async () => {
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
});

test('text mode: label prompts vs the null text, adapters off, chunking changes nothing', async () => {
  const calls: Call[] = [];
  const texts = [row(1), row(-1), row(2)];
  const images = await generateImages(recordingBackbone(calls), E, { texts }, OPTS);
  assert.equal(images.length, 3);
  assert.equal(calls.length, 2 * OPTS.steps, 'one predictor call per chunk per step');
  assert.ok(calls.every((c) => !c.audio), 'text mode passes no audio tokens (the gated adapters stay off)');
  assert.deepEqual(calls[0]!.text, [0, 0, 1, -1], 'batch [uncond, cond]: null text for the first half, the prompts for the second');
  assert.deepEqual(calls[OPTS.steps]!.text, [0, 2]);
  const oneByOne = await generateImages(recordingBackbone([]), E, { texts }, { ...OPTS, chunk: 1 });
  oneByOne.forEach((img, i) => assert.deepEqual([...img.data], [...images[i]!.data]));
  const otherPrompt = await generateImages(recordingBackbone([]), E, { texts: [row(3), row(-1), row(2)] }, OPTS);
  assert.notDeepEqual([...otherPrompt[0]!.data], [...images[0]!.data], 'the prompt conditions the image');
  assert.deepEqual([...otherPrompt[1]!.data], [...images[1]!.data]);
});

test('text and audio mode start each position from the same noise', async () => {
  const textCalls: Call[] = [];
  await generateImages(recordingBackbone(textCalls), E, { texts: [row(1), row(1)] }, OPTS);
  const audioCalls: Call[] = [];
  const nullAudio = tf.zeros([1, 1, 2]) as tf.Tensor3D;
  const model = { nullAudio, audioTokens: (embs: readonly Float32Array[]) => tf.ones([embs.length, 1, 2]) as tf.Tensor3D } as unknown as ConditionedModel;
  await generateImages(recordingBackbone(audioCalls), E, { audio: { model, embeddings: [new Float32Array(2), new Float32Array(2)] } }, OPTS);
  nullAudio.dispose();
  assert.ok(audioCalls.every((c) => c.audio));
  assert.deepEqual(audioCalls[0]!.text, [0, 0, 0, 0], 'audio mode samples with the null text');
  const half = 2 * LATENT[0] * LATENT[1] * LATENT[2];
  assert.deepEqual([...textCalls[0]!.sample.subarray(0, half)], [...audioCalls[0]!.sample.subarray(0, half)]);
});

test('an aborted signal stops sampling before the next chunk', async () => {
  const calls: Call[] = [];
  const controller = new AbortController();
  const sampling = generateImages(recordingBackbone(calls), E, { texts: [row(1), row(2), row(3)] }, { ...OPTS, signal: controller.signal }, () => controller.abort());
  await assert.rejects(sampling, (e: unknown) => isOperationAborted(e));
  assert.equal(calls.length, OPTS.steps, 'only the first chunk was sampled');
});

test('label prompts: the class label token states per clip; a label without states is a clear error', () => {
  const e = { labels: ['wood', 'glass', ''], labelTokens: new Map([['wood', row(1)], ['glass', row(2)]]) };
  assert.deepEqual(labelPrompts(e, [1, 0]), [row(2), row(1)]);
  assert.throws(() => labelPrompts(e, [2]), /no token states for label '' in the embeddings/);
});

test('generate params: mode is absent unless set (fingerprints of audio stages unchanged); refused combinations', () => {
  const audio = generateStage.params.parse({ domain: 'hits' });
  assert.equal('mode' in audio, false);
  assert.equal(generateStage.inputs.adapter?.optional, true);
  assert.equal(generateModeError(audio, true), null);
  assert.match(generateModeError(audio, false)!, /mode=audio needs the `adapter` input/);
  const text = generateStage.params.parse({ domain: 'hits', mode: 'text' });
  assert.equal(generateModeError(text, false), null);
  assert.match(generateModeError(text, true)!, /mode=text samples the backbone without adapters; remove the `adapter` input/);
  assert.match(generateModeError({ ...text, ablation: 'no_mse' }, false)!, /ablation 'no_mse' trains the audio path/);
  assert.match(generateModeError({ ...text, strips: true }, false)!, /leave strips false/);
  assert.throws(() => generateStage.params.parse({ domain: 'hits', mode: 'image' }));
});
