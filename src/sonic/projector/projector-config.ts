// Shape of the audio projector (spec §3). Every width except the inputs below follows from the official
// design: the mapper keeps length L = inputDim, the stride-3 transposed conv makes 3·L, the stride-4 conv
// makes the token width floor((3·L − 3)/4) + 1 (768 for the official 1024).
export interface AudioProjectorConfig {
  /** Audio embedding size (CLAP: 1024). The projector input is [B, 1, inputDim]. */
  inputDim: number;
  /** K, the number of audio tokens (official 77; 1 for the single-token ablation). */
  tokens: number;
  /** Odd conv kernel size (official 17); paddings are (k−1)/2 for the stride-1 convs and (k−3)/2 for the resampling ones. */
  kernelSize: number;
  /** Attention heads and head width of the four blocks (official 8 × 40 = 320). */
  heads: number;
  dimHead: number;
  /** Number of attention blocks (official 4). */
  blocks: number;
  /** Width of the final linear's output; defaults to the token width (official 768 = SD text width). */
  outputDim?: number;
  /**
   * false reproduces the released checkpoints: every block reads the mapper output, so only the last
   * block's output survives (blocks 0..n-2 are dead weights). true chains the blocks as the paper intends.
   */
  chained: boolean;
}

export interface ProjectorDims {
  mapperLength: number; // L
  upsampledLength: number; // 3·L
  tokenDim: number; // width of each token after the mapper
  innerDim: number; // heads · dimHead
  outputDim: number;
  samePad: number;
  resamplePad: number;
}

export const UP_STRIDE = 3;
export const DOWN_STRIDE = 4;

export function projectorDims(c: AudioProjectorConfig): ProjectorDims {
  validateProjectorConfig(c);
  const samePad = (c.kernelSize - 1) / 2;
  const resamplePad = (c.kernelSize - 3) / 2;
  const upsampledLength = (c.inputDim - 1) * UP_STRIDE - 2 * resamplePad + c.kernelSize;
  const tokenDim = Math.floor((upsampledLength + 2 * resamplePad - c.kernelSize) / DOWN_STRIDE) + 1;
  return {
    mapperLength: c.inputDim,
    upsampledLength,
    tokenDim,
    innerDim: c.heads * c.dimHead,
    outputDim: c.outputDim ?? tokenDim,
    samePad,
    resamplePad,
  };
}

export function validateProjectorConfig(c: AudioProjectorConfig): void {
  const positive: (keyof AudioProjectorConfig)[] = ['inputDim', 'tokens', 'kernelSize', 'heads', 'dimHead', 'blocks'];
  for (const key of positive) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`audio projector config: '${key}' must be a positive integer, got ${String(v)}`);
  }
  if (c.kernelSize < 3 || c.kernelSize % 2 === 0) throw new Error(`audio projector config: 'kernelSize' must be odd and ≥ 3, got ${c.kernelSize}`);
  if (c.inputDim < 2) throw new Error(`audio projector config: 'inputDim' must be ≥ 2, got ${c.inputDim}`);
  if (c.outputDim !== undefined && (!Number.isInteger(c.outputDim) || c.outputDim < 1)) {
    throw new Error(`audio projector config: 'outputDim' must be a positive integer, got ${c.outputDim}`);
  }
}

/** The released SonicDiffusion projector: [B,1,1024] -> [B,77,768], unchained blocks. 6,130,050 parameters. */
export const OFFICIAL_PROJECTOR: AudioProjectorConfig = Object.freeze({
  inputDim: 1024,
  tokens: 77,
  kernelSize: 17,
  heads: 8,
  dimHead: 40,
  blocks: 4,
  chained: false,
});

/** A CPU-sized projector for the toy world: [B,1,64] -> [B,8,48]. */
export const SMALL_PROJECTOR: AudioProjectorConfig = Object.freeze({
  inputDim: 64,
  tokens: 8,
  kernelSize: 9,
  heads: 4,
  dimHead: 8,
  blocks: 4,
  chained: false,
});

/** The paper's "single token" ablation: the same projector with K = 1. */
export function singleTokenVariant(c: AudioProjectorConfig): AudioProjectorConfig {
  return { ...c, tokens: 1 };
}

/** The reference-fixture size (tools/reference/make_method_fixtures.py): [B,1,32] -> [B,6,24]. */
export const TINY_PROJECTOR: AudioProjectorConfig = Object.freeze({
  inputDim: 32,
  tokens: 6,
  kernelSize: 17,
  heads: 2,
  dimHead: 4,
  blocks: 4,
  chained: false,
});

export const PROJECTOR_PRESETS = Object.freeze({ official: OFFICIAL_PROJECTOR, small: SMALL_PROJECTOR, tiny: TINY_PROJECTOR });
export type ProjectorPresetName = keyof typeof PROJECTOR_PRESETS;

/** A preset with optional overrides (e.g. `{ chained: true }`, `{ tokens: 1 }`, `{ outputDim: 64 }`), validated. */
export function projectorPreset(name: string, overrides: Partial<AudioProjectorConfig> = {}): AudioProjectorConfig {
  if (!Object.hasOwn(PROJECTOR_PRESETS, name)) {
    throw new Error(`unknown audio projector preset '${name}' (expected one of: ${Object.keys(PROJECTOR_PRESETS).join(', ')})`);
  }
  const config = { ...PROJECTOR_PRESETS[name as ProjectorPresetName], ...overrides };
  validateProjectorConfig(config);
  return config;
}
