// diffusers' UNet2DConditionModel config.json (every __init__ field of diffusers 0.42.1) -> UNetConfig.
// Supported: what the SD 1.x and 2.x UNets use (incl. use_linear_projection, attention_head_dim as a number
// or one per block, any cross_attention_dim, upcast_attention); every other non-default value is refused by
// name. SonicDiffusion's adapter settings ride along as sonic_* keys (diffusers warns about and drops them).
import { DiffusersConfigError, anyBoolean, anyNumber, inert, isPositiveInt, onlyDefault, oneOf, positiveInt, positiveIntList, positiveNumber, readFields, show, type FieldRule, type FieldTable, type Json, type ReadFieldsOptions } from './config-fields.js';
import { UNetConfigError, validateUNetConfig, type DownBlockType, type UNetConfig, type UpBlockType } from '../unet/config.js';

const DOWN_BLOCKS: readonly DownBlockType[] = ['CrossAttnDownBlock2D', 'DownBlock2D'];
const UP_BLOCKS: readonly UpBlockType[] = ['CrossAttnUpBlock2D', 'UpBlock2D'];

function blockTypes(defaultValue: string[], allowed: readonly string[]): FieldRule {
  return {
    default: defaultValue,
    check: (v) =>
      Array.isArray(v) && v.length > 0 && v.every((t) => allowed.includes(t as string)) ? null : `supported: a list of ${allowed.map((t) => show(t)).join(' / ')}`,
  };
}

/** A number, or a list whose entries are all that number (diffusers allows per-block values). */
function uniform(defaultValue: unknown, value: unknown, why: string): FieldRule {
  return {
    default: defaultValue,
    check: (v) => (v === value || (Array.isArray(v) && v.length > 0 && v.every((x) => x === value)) ? null : `supported: ${show(value)}, or a list of ${show(value)} (${why})`),
  };
}

const intOrUniformList: FieldRule = {
  default: 2,
  check: (v) =>
    isPositiveInt(v) || (Array.isArray(v) && v.length > 0 && isPositiveInt(v[0]) && v.every((x) => x === v[0]))
      ? null
      : 'supported: a positive integer, or a list of one repeated positive integer (a different count per block is not implemented)',
};

const headsRule: FieldRule = {
  default: 8,
  check: (v) => (isPositiveInt(v) || (Array.isArray(v) && v.length > 0 && v.every(isPositiveInt)) ? null : 'supported: a positive integer or one per block (SD 1.x: 8, SD 2.x: [5, 10, 20, 20]; in diffusers this field is the number of heads)'),
};

const NOT_SD = 'SD 1.x/2.x do not use it';

/** diffusers 0.42.1 UNet2DConditionModel.__init__, field by field. */
export const UNET_FIELDS: FieldTable = {
  sample_size: positiveInt(undefined),
  in_channels: positiveInt(4),
  out_channels: positiveInt(4),
  center_input_sample: onlyDefault(false, NOT_SD),
  flip_sin_to_cos: anyBoolean(true),
  freq_shift: anyNumber(0),
  down_block_types: blockTypes(['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'], DOWN_BLOCKS),
  mid_block_type: onlyDefault('UNetMidBlock2DCrossAttn', 'the only mid block implemented'),
  up_block_types: blockTypes(['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'], UP_BLOCKS),
  only_cross_attention: uniform(false, false, 'self-attention is always on here'),
  block_out_channels: positiveIntList([320, 640, 1280, 1280]),
  layers_per_block: intOrUniformList,
  downsample_padding: onlyDefault(1, 'SD 1.x/2.x use 1'),
  mid_block_scale_factor: onlyDefault(1, NOT_SD),
  dropout: onlyDefault(0, 'this implementation has no dropout'),
  act_fn: onlyDefault('silu'),
  norm_num_groups: positiveInt(32),
  norm_eps: positiveNumber(1e-5),
  cross_attention_dim: positiveInt(1280),
  transformer_layers_per_block: uniform(1, 1, 'one transformer block per attention, as in SD 1.x/2.x'),
  reverse_transformer_layers_per_block: onlyDefault(null, NOT_SD),
  encoder_hid_dim: onlyDefault(null, NOT_SD),
  encoder_hid_dim_type: onlyDefault(null, NOT_SD),
  attention_head_dim: headsRule,
  num_attention_heads: onlyDefault(null, 'diffusers itself refuses it; attention_head_dim gives the heads'),
  dual_cross_attention: onlyDefault(false, NOT_SD),
  use_linear_projection: anyBoolean(false, 'SD 2.x: true'),
  class_embed_type: onlyDefault(null, NOT_SD),
  addition_embed_type: onlyDefault(null, 'SDXL-style added conditions are not implemented'),
  addition_time_embed_dim: onlyDefault(null, NOT_SD),
  num_class_embeds: onlyDefault(null, NOT_SD),
  upcast_attention: anyBoolean(false, 'attention runs in float32 here, so both compute the same'),
  resnet_time_scale_shift: onlyDefault('default', NOT_SD),
  resnet_skip_time_act: onlyDefault(false, NOT_SD),
  resnet_out_scale_factor: onlyDefault(1, NOT_SD),
  time_embedding_type: onlyDefault('positional', NOT_SD),
  time_embedding_dim: {
    default: null,
    check: (v, c) => {
      const fourTimes = Array.isArray(c.block_out_channels) ? 4 * (c.block_out_channels[0] as number) : null;
      return v === null || v === fourTimes ? null : `supported: null or ${fourTimes} (4 × block_out_channels[0], the SD time embedding width)`;
    },
  },
  time_embedding_act_fn: onlyDefault(null, NOT_SD),
  timestep_post_act: onlyDefault(null, NOT_SD),
  time_cond_proj_dim: onlyDefault(null, NOT_SD),
  conv_in_kernel: onlyDefault(3, NOT_SD),
  conv_out_kernel: onlyDefault(3, NOT_SD),
  projection_class_embeddings_input_dim: onlyDefault(null, NOT_SD),
  attention_type: onlyDefault('default', NOT_SD),
  class_embeddings_concat: onlyDefault(false, NOT_SD),
  mid_block_only_cross_attention: inert(null, 'only UNetMidBlock2DSimpleCrossAttn reads it'),
  cross_attention_norm: onlyDefault(null, NOT_SD),
  addition_embed_type_num_heads: inert(64, "only addition_embed_type 'text' reads it"),
  // SonicDiffusion's gated audio adapters (spec §4); absent keys give the paper's placement.
  sonic_audio_cross_attention_dim: { default: null, check: (v) => (v === null || isPositiveInt(v) ? null : 'supported: a positive integer (default: cross_attention_dim)') },
  sonic_adapter_heads: positiveInt(8),
  sonic_use_adapter: {
    default: [false, true, true],
    check: (v) => (Array.isArray(v) && v.length === 3 && v.every((b) => typeof b === 'boolean') ? null : 'supported: [down, mid, up] booleans'),
  },
};

function first(v: unknown): number {
  return (Array.isArray(v) ? v[0] : v) as number;
}

/** Reads a UNet config.json's parsed JSON; `file` names it in errors. */
export function unetConfigFromJson(json: unknown, file = 'unet/config.json', options: ReadFieldsOptions = {}): UNetConfig {
  const f = readFields(json, file, 'UNet2DConditionModel', UNET_FIELDS, options);
  const blocks = (f.block_out_channels as number[]).length;
  for (const field of ['down_block_types', 'up_block_types'] as const) {
    const n = (f[field] as unknown[]).length;
    if (n !== blocks) throw new DiffusersConfigError(file, field, f[field], `supported: one entry per block_out_channels entry (${blocks})`);
  }
  if (Array.isArray(f.attention_head_dim) && f.attention_head_dim.length !== blocks) {
    throw new DiffusersConfigError(file, 'attention_head_dim', f.attention_head_dim, `supported: one number, or ${blocks} (one per block)`);
  }
  const cross = f.cross_attention_dim as number;
  try {
    return validateUNetConfig({
      sampleSize: f.sample_size as number,
      inChannels: f.in_channels as number,
      outChannels: f.out_channels as number,
      blockOutChannels: [...(f.block_out_channels as number[])],
      layersPerBlock: first(f.layers_per_block),
      downBlockTypes: [...(f.down_block_types as DownBlockType[])],
      upBlockTypes: [...(f.up_block_types as UpBlockType[])],
      attentionHeadDim: Array.isArray(f.attention_head_dim) ? [...(f.attention_head_dim as number[])] : (f.attention_head_dim as number),
      crossAttentionDim: cross,
      audioCrossAttentionDim: (f.sonic_audio_cross_attention_dim as number | null) ?? cross,
      adapterHeads: f.sonic_adapter_heads as number,
      useAdapter: [...(f.sonic_use_adapter as [boolean, boolean, boolean])],
      normNumGroups: f.norm_num_groups as number,
      normEps: f.norm_eps as number,
      flipSinToCos: f.flip_sin_to_cos as boolean,
      freqShift: f.freq_shift as number,
      ...(f.use_linear_projection === true ? { useLinearProjection: true } : {}),
    });
  } catch (e) {
    if (e instanceof UNetConfigError) throw new DiffusersConfigError(file, null, undefined, `the fields do not make a consistent UNet: ${e.message}`);
    throw e;
  }
}

/** UNetConfig -> a config.json that diffusers and `unetConfigFromJson` read back to the same model. */
export function unetConfigToJson(c: UNetConfig): Json {
  return {
    _class_name: 'UNet2DConditionModel',
    act_fn: 'silu',
    attention_head_dim: c.attentionHeadDim,
    block_out_channels: c.blockOutChannels,
    center_input_sample: false,
    cross_attention_dim: c.crossAttentionDim,
    down_block_types: c.downBlockTypes,
    downsample_padding: 1,
    flip_sin_to_cos: c.flipSinToCos,
    freq_shift: c.freqShift,
    in_channels: c.inChannels,
    layers_per_block: c.layersPerBlock,
    mid_block_scale_factor: 1,
    norm_eps: c.normEps,
    norm_num_groups: c.normNumGroups,
    out_channels: c.outChannels,
    sample_size: c.sampleSize,
    up_block_types: c.upBlockTypes,
    use_linear_projection: c.useLinearProjection ?? false,
    sonic_audio_cross_attention_dim: c.audioCrossAttentionDim,
    sonic_adapter_heads: c.adapterHeads,
    sonic_use_adapter: c.useAdapter,
  };
}
