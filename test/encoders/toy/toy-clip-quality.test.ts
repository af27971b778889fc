// A small-but-sufficient run: toy-CLIP must classify held-out Landscape images zero-shot from the raw
// label strings well above chance (1/9).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateToyClip, trainToyClip, type ToyClip } from '../../../src/encoders/toy/toy-clip.js';
import { tinyWorld, useWasm, type TinyWorld } from './toy-world.js';

let world: TinyWorld;
let model: ToyClip | undefined;

before(async () => {
  await useWasm();
  world = await tinyWorld({ train: 8, val: 0, test: 4 }, ['landscape']);
});
after(() => {
  model?.dispose();
  world?.cleanup();
});

test('toy-CLIP zero-shot accuracy on Landscape is more than twice chance after a short run', async () => {
  model = await trainToyClip(world.rows, {
    steps: 25, batchSize: 32, warmupSteps: 5, jointDim: 32, textWidth: 32, maxTokens: 12, textLayers: 1, textHeads: 2, imageChannels: [8, 16, 32], imageStrides: [2, 2, 2], groups: 4,
  });
  const report = await evaluateToyClip(model, world.rows);
  const acc = report.zeroShotAccuracy.landscape!;
  assert.equal(report.zeroShotChance.landscape, 0.1111);
  assert.ok(acc > 2 * (1 / 9), `zero-shot accuracy ${acc} is not above 2× chance (${(2 / 9).toFixed(3)})`);
  console.log(`# toy-CLIP landscape zero-shot accuracy ${acc}`);
});
