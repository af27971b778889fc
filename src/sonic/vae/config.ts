// AutoencoderKL configuration (diffusers' AutoencoderKL with DownEncoderBlock2D / UpDecoderBlock2D blocks).

export interface AutoencoderKLConfig {
  inChannels: number;
  outChannels: number;
  blockOutChannels: number[];
  layersPerBlock: number;
  latentChannels: number;
  normNumGroups: number;
  /** Image size the model was trained for (informational; any multiple of 2^(blocks−1) works). */
  sampleSize: number;
  /** Latents are multiplied by this before diffusion (SD-1.x: 0.18215). */
  scalingFactor: number;
}

/** CompVis/stable-diffusion-v1-4 vae/config.json. */
export const SD14_VAE_CONFIG: AutoencoderKLConfig = {
  inChannels: 3,
  outChannels: 3,
  blockOutChannels: [128, 256, 512, 512],
  layersPerBlock: 2,
  latentChannels: 4,
  normNumGroups: 32,
  sampleSize: 512,
  scalingFactor: 0.18215,
};

/** The reference-fixture model (tools/reference/tiny_models.py TINY_VAE). */
export const TINY_VAE_CONFIG: AutoencoderKLConfig = {
  inChannels: 3,
  outChannels: 3,
  blockOutChannels: [8, 16],
  layersPerBlock: 1,
  latentChannels: 4,
  normNumGroups: 4,
  sampleSize: 16,
  scalingFactor: 0.18215,
};

export const VAE_PRESETS = { sd14: SD14_VAE_CONFIG, tiny: TINY_VAE_CONFIG } as const satisfies Record<string, AutoencoderKLConfig>;

export type VaePresetName = keyof typeof VAE_PRESETS;

export class AutoencoderKLConfigError extends Error {}

export function validateAutoencoderKLConfig(config: AutoencoderKLConfig): AutoencoderKLConfig {
  const fail = (field: string, msg: string): never => {
    throw new AutoencoderKLConfigError(`AutoencoderKL config field '${field}': ${msg}`);
  };
  for (const f of ['inChannels', 'outChannels', 'layersPerBlock', 'latentChannels', 'normNumGroups', 'sampleSize'] as const) {
    const v = config[f];
    if (!Number.isInteger(v) || v < 1) fail(f, `expected a positive integer, got ${JSON.stringify(v)}`);
  }
  if (config.blockOutChannels.length < 1) fail('blockOutChannels', 'expected at least one block');
  config.blockOutChannels.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 1 || c % config.normNumGroups !== 0) {
      fail(`blockOutChannels[${i}]`, `expected a positive multiple of normNumGroups ${config.normNumGroups}, got ${c}`);
    }
  });
  if (!(config.scalingFactor > 0)) fail('scalingFactor', `expected a positive number, got ${config.scalingFactor}`);
  return config;
}
