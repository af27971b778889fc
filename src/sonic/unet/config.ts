// UNet2DCondition configuration: diffusers' UNet2DConditionModel fields (camelCase) for the SD 1.x/2.x family,
// plus the SonicDiffusion gated audio adapter settings (spec §4).

export type DownBlockType = 'CrossAttnDownBlock2D' | 'DownBlock2D';
export type UpBlockType = 'CrossAttnUpBlock2D' | 'UpBlock2D';

export interface UNetConfig {
  sampleSize: number;
  inChannels: number;
  outChannels: number;
  blockOutChannels: number[];
  layersPerBlock: number;
  downBlockTypes: DownBlockType[];
  upBlockTypes: UpBlockType[];
  /**
   * diffusers' `attention_head_dim`, which for SD-1.x is really the NUMBER of heads (dim_head = channels /
   * heads). One value for every block or one per block (in down-block order).
   */
  attentionHeadDim: number | number[];
  crossAttentionDim: number;
  /** Width of the audio tokens the gated adapters attend to (768 for SonicDiffusion). */
  audioCrossAttentionDim: number;
  /** Heads of each adapter attention (8 in SonicDiffusion; dim_head = dim / heads). */
  adapterHeads: number;
  /** Which parts carry gated adapters: [down, mid, up]. */
  useAdapter: [boolean, boolean, boolean];
  normNumGroups: number;
  normEps: number;
  flipSinToCos: boolean;
  freqShift: number;
  /** diffusers' `use_linear_projection` (SD 2.x): proj_in/proj_out are Linear layers on tokens, not 1×1 convs. Default false. */
  useLinearProjection?: boolean;
}

/** diffusers' CompVis/stable-diffusion-v1-4 unet/config.json with SonicDiffusion's adapter placement. */
export const SD14_UNET_CONFIG: UNetConfig = {
  sampleSize: 64,
  inChannels: 4,
  outChannels: 4,
  blockOutChannels: [320, 640, 1280, 1280],
  layersPerBlock: 2,
  downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  attentionHeadDim: 8,
  crossAttentionDim: 768,
  audioCrossAttentionDim: 768,
  adapterHeads: 8,
  useAdapter: [false, true, true],
  normNumGroups: 32,
  normEps: 1e-5,
  flipSinToCos: true,
  freqShift: 0,
};

/** The reference-fixture model (tools/reference/tiny_models.py TINY_UNET + TINY_ADAPTER): ~0.29 M params. */
export const TINY_UNET_CONFIG: UNetConfig = {
  sampleSize: 8,
  inChannels: 4,
  outChannels: 4,
  blockOutChannels: [16, 32],
  layersPerBlock: 2,
  downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'],
  attentionHeadDim: 4,
  crossAttentionDim: 24,
  audioCrossAttentionDim: 20,
  adapterHeads: 2,
  useAdapter: [false, true, true],
  normNumGroups: 8,
  normEps: 1e-5,
  flipSinToCos: true,
  freqShift: 0,
};

/** A CPU-trainable SD-shaped UNet (~1.55 M params incl. 62 k adapter) for 16×16 latents. */
export const SMALL_UNET_CONFIG: UNetConfig = {
  sampleSize: 16,
  inChannels: 4,
  outChannels: 4,
  blockOutChannels: [32, 64, 64],
  layersPerBlock: 1,
  downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  attentionHeadDim: 4,
  crossAttentionDim: 64,
  audioCrossAttentionDim: 64,
  adapterHeads: 4,
  useAdapter: [false, true, true],
  normNumGroups: 8,
  normEps: 1e-5,
  flipSinToCos: true,
  freqShift: 0,
};

/** A larger CPU model (~17.8 M params incl. 0.64 M adapter) with SD-1.4's four-level layout, for 16×16 latents. */
export const MID_UNET_CONFIG: UNetConfig = {
  sampleSize: 16,
  inChannels: 4,
  outChannels: 4,
  blockOutChannels: [64, 128, 160, 160],
  layersPerBlock: 2,
  downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  attentionHeadDim: 8,
  crossAttentionDim: 128,
  audioCrossAttentionDim: 128,
  adapterHeads: 8,
  useAdapter: [false, true, true],
  normNumGroups: 32,
  normEps: 1e-5,
  flipSinToCos: true,
  freqShift: 0,
};

export const UNET_PRESETS = {
  sd14: SD14_UNET_CONFIG,
  tiny: TINY_UNET_CONFIG,
  small: SMALL_UNET_CONFIG,
  mid: MID_UNET_CONFIG,
} as const satisfies Record<string, UNetConfig>;

export type UNetPresetName = keyof typeof UNET_PRESETS;

export class UNetConfigError extends Error {}

/** Heads per down-block index (diffusers' num_attention_heads after its attention_head_dim fallback). */
export function headsPerBlock(config: UNetConfig): number[] {
  const n = config.blockOutChannels.length;
  return typeof config.attentionHeadDim === 'number' ? new Array<number>(n).fill(config.attentionHeadDim) : [...config.attentionHeadDim];
}

/** Checks the fields that the architecture depends on; messages name the field and what is expected. */
export function validateUNetConfig(config: UNetConfig): UNetConfig {
  const fail = (field: string, msg: string): never => {
    throw new UNetConfigError(`UNet config field '${field}': ${msg}`);
  };
  const posInt = (field: keyof UNetConfig, v: unknown): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(field, `expected a positive integer, got ${JSON.stringify(v)}`);
  };
  for (const f of ['sampleSize', 'inChannels', 'outChannels', 'layersPerBlock', 'crossAttentionDim', 'audioCrossAttentionDim', 'adapterHeads', 'normNumGroups'] as const) {
    posInt(f, config[f]);
  }
  const n = config.blockOutChannels.length;
  if (n < 1) fail('blockOutChannels', 'expected at least one block');
  config.blockOutChannels.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 1) fail(`blockOutChannels[${i}]`, `expected a positive integer, got ${c}`);
    if (c % config.normNumGroups !== 0) fail(`blockOutChannels[${i}]`, `${c} channels are not divisible by normNumGroups ${config.normNumGroups}`);
  });
  if (config.downBlockTypes.length !== n) fail('downBlockTypes', `expected ${n} entries (one per blockOutChannels), got ${config.downBlockTypes.length}`);
  if (config.upBlockTypes.length !== n) fail('upBlockTypes', `expected ${n} entries (one per blockOutChannels), got ${config.upBlockTypes.length}`);
  config.downBlockTypes.forEach((t, i) => {
    if (t !== 'CrossAttnDownBlock2D' && t !== 'DownBlock2D') fail(`downBlockTypes[${i}]`, `expected 'CrossAttnDownBlock2D' or 'DownBlock2D', got ${JSON.stringify(t)}`);
  });
  config.upBlockTypes.forEach((t, i) => {
    if (t !== 'CrossAttnUpBlock2D' && t !== 'UpBlock2D') fail(`upBlockTypes[${i}]`, `expected 'CrossAttnUpBlock2D' or 'UpBlock2D', got ${JSON.stringify(t)}`);
  });
  if (Array.isArray(config.attentionHeadDim) && config.attentionHeadDim.length !== n) {
    fail('attentionHeadDim', `expected one number or ${n} (one per block), got ${config.attentionHeadDim.length}`);
  }
  const heads = headsPerBlock(config);
  heads.forEach((h, i) => {
    const c = config.blockOutChannels[i]!;
    if (!Number.isInteger(h) || h < 1 || c % h !== 0) fail('attentionHeadDim', `block ${i}: ${c} channels are not divisible into ${h} heads`);
    if (c % config.adapterHeads !== 0) fail('adapterHeads', `block ${i}: ${c} channels are not divisible into ${config.adapterHeads} heads`);
  });
  if (config.blockOutChannels[0]! % 2 !== 0) fail('blockOutChannels[0]', 'the sinusoidal timestep projection needs an even width');
  if (!Array.isArray(config.useAdapter) || config.useAdapter.length !== 3 || !config.useAdapter.every((b) => typeof b === 'boolean')) {
    fail('useAdapter', `expected [down, mid, up] booleans, got ${JSON.stringify(config.useAdapter)}`);
  }
  if (!(config.normEps > 0)) fail('normEps', `expected a positive number, got ${config.normEps}`);
  if (config.useLinearProjection !== undefined && typeof config.useLinearProjection !== 'boolean') {
    fail('useLinearProjection', `expected true or false, got ${JSON.stringify(config.useLinearProjection)}`);
  }
  return config;
}
