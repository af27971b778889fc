// The SD-1.4 UNet with SonicDiffusion's gated adapters at full size (random weights, real shapes, 888 M
// parameters) on a tfjs backend: (a) one forward pass with text and audio tokens, (b) one stage-2 adapter
// training step (official projector, AdamW), at 8×8 latents. With --compare, the same computation also runs
// on a second backend in this process and the results are compared (use a smaller --config for that: the
// cpu backend needs about a minute per full-size forward). Prints one JSON line; bench/README.md has runs.
//   VK_DRIVER_FILES=$PWD/.cache/swiftshader/vk_swiftshader_icd.json node dist/bench/fullsize/fullsize-unet.js --backend webgpu
//   node dist/bench/fullsize/fullsize-unet.js --config mid --backend webgpu --compare cpu
//   node dist/bench/fullsize/fullsize-unet.js --backend wasm        # refused at once by the capacity check
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/compute/backend.js';
import { assertModelFits, CapacityError } from '../../src/compute/capacity/backend-capacity.js';
import { readToHost } from '../../src/compute/host-read.js';
import { estimateUNetMemory } from '../../src/sonic/unet/memory-estimate.js';
import { UNET_PRESETS, type UNetPresetName } from '../../src/sonic/unet/config.js';
import { createUNetParams } from '../../src/sonic/unet/weights.js';
import { isAdapterParam, UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { AudioProjector } from '../../src/sonic/projector/audio-projector.js';
import { OFFICIAL_PROJECTOR } from '../../src/sonic/projector/projector-config.js';
import { stage2ModelFromUNet } from '../../src/sonic/training/unet-stage2-model.js';
import { createStage2Optimizer, stage2Step } from '../../src/sonic/training/stage2.js';
import { normalArray, mulberry32 } from '../../src/compute/seeded-random.js';
import { relErr } from '../../test/compute/tf-test-utils.js';

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'sd14' },
    backend: { type: 'string', default: 'webgpu' },
    compare: { type: 'string' },
    latent: { type: 'string', default: '8' },
    batch: { type: 'string', default: '1' },
  },
});
const preset = args.config as UNetPresetName;
if (!(preset in UNET_PRESETS)) throw new Error(`--config ${preset}: expected one of ${Object.keys(UNET_PRESETS).join(', ')}`);
const config = { ...UNET_PRESETS[preset] };
const side = Number(args.latent);
const batch = Number(args.batch);
const TEXT_TOKENS = 77;

interface RunResult {
  backend: string;
  reason: string;
  buildS: number;
  forwardS: number;
  stepS: number;
  eps: Float32Array;
  loss: number;
  adapters: Float32Array;
}

const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2));
const hostTensor = (shape: number[], seed: number) => tf.tensor(normalArray(shape.reduce((a, b) => a * b, 1), 1, mulberry32(seed)), shape);

async function run(backend: string): Promise<RunResult> {
  const choice = await selectBackend({ env: { ...process.env, SONIC_BACKEND: backend } });
  const projectorConfig = { ...OFFICIAL_PROJECTOR, outputDim: config.audioCrossAttentionDim };
  const need = estimateUNetMemory(config, { batch: 2 * batch, latentSide: side, training: true });
  console.error(assertModelFits({ model: `UNet '${preset}' (adapter step at ${side}×${side}, batch ${batch})`, ...need }));
  let t0 = performance.now();
  const params = createUNetParams(config, { seed: 1, trainable: isAdapterParam });
  // Fresh adapters are gated off (gate 0); open the gates so the audio tokens change ε.
  for (const name of params.names((n) => n.endsWith('gate_adapter'))) params.get(name).assign(tf.fill(params.get(name).shape, 0.5));
  const unet = new UNet2DCondition(config, params);
  const projector = AudioProjector.create(projectorConfig, 2);
  const buildS = seconds(t0);

  const latents = hostTensor([batch, side, side, config.inChannels], 3) as tf.Tensor4D;
  const text = hostTensor([batch, TEXT_TOKENS, config.crossAttentionDim], 4) as tf.Tensor3D;
  const audioEmbeddings = hostTensor([batch, 1, projectorConfig.inputDim], 5) as tf.Tensor3D;
  t0 = performance.now();
  const epsT = tf.tidy(() => unet.predict({ sample: latents, timestep: tf.fill([batch], 500), textTokens: text, audioTokens: projector.apply(audioEmbeddings) }));
  const eps = (await epsT.data()) as Float32Array;
  epsT.dispose();
  const forwardS = seconds(t0);

  const model = stage2ModelFromUNet(unet, projector);
  const opt = createStage2Optimizer(model);
  t0 = performance.now();
  const nullTextTokens = tf.slice(text, [0, 0, 0], [1, -1, -1]) as tf.Tensor3D;
  const { loss } = await stage2Step(model, opt, { latents, audioEmbeddings, nullTextTokens }, { seed: 6 });
  const stepS = seconds(t0);
  const adapterVars = params.names(isAdapterParam).map((n) => params.get(n));
  await readToHost(adapterVars);
  const adapters = Float32Array.from(adapterVars.flatMap((v) => Array.from(v.dataSync().subarray(0, 64))));
  opt.dispose();
  tf.dispose([latents, text, audioEmbeddings, nullTextTokens]);
  projector.dispose();
  params.dispose();
  return { backend: choice.name, reason: choice.reason, buildS, forwardS, stepS, eps, loss, adapters };
}

try {
  const t0 = performance.now();
  const main = await run(args.backend!);
  const summary: Record<string, unknown> = {
    config: preset,
    parameters: UNet2DCondition.parameterCount(config),
    latent: `${side}x${side}`,
    batch,
    backend: main.backend,
    reason: main.reason,
    buildS: main.buildS,
    forwardS: main.forwardS,
    adapterStepS: main.stepS,
    loss: main.loss,
    epsFinite: main.eps.every(Number.isFinite),
    epsStd: Math.sqrt(main.eps.reduce((s, x) => s + x * x, 0) / main.eps.length),
  };
  if (args.compare) {
    const other = await run(args.compare);
    Object.assign(summary, {
      compare: other.backend,
      compareForwardS: other.forwardS,
      compareStepS: other.stepS,
      epsRelErr: relErr(main.eps, other.eps),
      lossRelErr: Math.abs(main.loss - other.loss) / Math.abs(other.loss),
      adapterRelErr: relErr(main.adapters, other.adapters),
    });
  }
  const usage = process.resourceUsage();
  Object.assign(summary, { totalS: seconds(t0), cpuS: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)), peakRssGiB: Number((usage.maxRSS / 2 ** 20).toFixed(2)) });
  console.log(JSON.stringify(summary));
} catch (e) {
  if (e instanceof CapacityError) {
    console.error(`refused: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
