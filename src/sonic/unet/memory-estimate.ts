// Memory a UNet2DCondition needs on a tfjs backend, estimated from its config before any weight is built,
// so a model that cannot fit is refused up front (compute/capacity/) instead of crashing mid-run.
// fp32 throughout. Activations are counted per block from the tensors the forward pass creates (see
// resnet.ts, transformer.ts, attention.ts): sampling holds the skip connections plus one block's
// intermediates at a time (each block runs in its own tf.tidy); a training step keeps every block's
// intermediates for the backward pass, plus gradient and AdamW moments of the trained (adapter) weights.
// It is an estimate (within a small factor), meant for "fits / cannot fit", not for tuning.
import { headsPerBlock, type UNetConfig } from './config.js';
import { countParams } from './param-spec.js';
import { isAdapterParam, UNet2DCondition } from './unet2d-condition.js';

const F32 = 4;
/** attention.ts splits score tensors above 2^24 elements along the queries. */
const MAX_SCORE_ELEMENTS = 1 << 24;

export interface UNetWorkload {
  /** Latents per UNet call (classifier-free guidance doubles the sampling batch). */
  batch: number;
  /** Latent height = width. */
  latentSide: number;
  /** An adapter training step (activations kept for backprop) rather than sampling. */
  training: boolean;
  textTokens?: number;
  audioTokens?: number;
}

export interface UNetMemoryEstimate {
  parameters: number;
  adapterParameters: number;
  weightBytes: number;
  /** Gradients + AdamW moments of the adapter weights (training only). */
  optimizerBytes: number;
  activationBytes: number;
  totalBytes: number;
  /** The largest single tensor (weight or activation): bounded by a GPU's per-buffer limits. */
  largestTensorBytes: number;
}

export function estimateUNetMemory(config: UNetConfig, work: UNetWorkload): UNetMemoryEstimate {
  const specs = UNet2DCondition.paramSpecs(config);
  const parameters = countParams(specs);
  const adapterParameters = countParams(specs.filter((s) => isAdapterParam(s.name)));
  const largestWeight = Math.max(...specs.map((s) => s.shape.reduce((a, b) => a * b, 1)));
  const B = work.batch;
  const T = work.textTokens ?? 77;
  const K = work.audioTokens ?? 77;
  const heads = headsPerBlock(config);
  const [adaptDown, adaptMid, adaptUp] = config.useAdapter;
  const sides = config.blockOutChannels.map((_, i) => Math.ceil(work.latentSide / 2 ** i));

  let largestActivation = 0;
  const scores = (h: number, nq: number, nk: number): number => {
    const chunk = Math.min(B * h * nq * nk, Math.max(MAX_SCORE_ELEMENTS, B * h * nk));
    largestActivation = Math.max(largestActivation, chunk);
    // Scores and their softmax; in sampling only one chunk is alive at a time.
    return 2 * (work.training ? B * h * nq * nk : chunk);
  };
  const resnet = (n: number, cin: number, c: number): number => B * n * (3 * cin + 6 * c);
  const transformer = (n: number, c: number, h: number, adapted: boolean): number => {
    largestActivation = Math.max(largestActivation, B * n * 8 * c); // GEGLU projection
    let floats = B * n * 24 * c + scores(h, n, n) + scores(h, n, T) + 2 * B * T * c;
    if (adapted) floats += B * n * 4 * c + scores(config.adapterHeads, n, K) + 2 * B * K * c;
    return floats;
  };

  const blocks: number[] = [];
  let skips = 0;
  let channels = config.blockOutChannels[0]!;
  config.downBlockTypes.forEach((type, i) => {
    const n = sides[i]! ** 2;
    const c = config.blockOutChannels[i]!;
    for (let l = 0; l < config.layersPerBlock; l++) {
      blocks.push(resnet(n, l === 0 ? channels : c, c));
      if (type === 'CrossAttnDownBlock2D') blocks.push(transformer(n, c, heads[i]!, adaptDown));
      skips += B * n * c;
    }
    channels = c;
    if (i < config.blockOutChannels.length - 1) skips += B * (sides[i + 1]! ** 2) * c;
  });
  const last = config.blockOutChannels.length - 1;
  const nMid = sides[last]! ** 2;
  blocks.push(resnet(nMid, channels, channels), transformer(nMid, channels, heads[last]!, adaptMid), resnet(nMid, channels, channels));
  config.upBlockTypes.forEach((type, j) => {
    const level = last - j;
    const n = sides[level]! ** 2;
    const c = config.blockOutChannels[level]!;
    for (let l = 0; l <= config.layersPerBlock; l++) {
      blocks.push(resnet(n, 2 * c, c));
      if (type === 'CrossAttnUpBlock2D') blocks.push(transformer(n, c, heads[last - j]!, adaptUp));
    }
  });

  const activationFloats = work.training ? skips + blocks.reduce((a, b) => a + b, 0) : skips + Math.max(...blocks);
  const weightBytes = parameters * F32;
  const optimizerBytes = work.training ? 3 * adapterParameters * F32 : 0;
  const activationBytes = activationFloats * F32;
  return {
    parameters,
    adapterParameters,
    weightBytes,
    optimizerBytes,
    activationBytes,
    totalBytes: weightBytes + optimizerBytes + activationBytes,
    largestTensorBytes: Math.max(largestWeight, largestActivation) * F32,
  };
}
