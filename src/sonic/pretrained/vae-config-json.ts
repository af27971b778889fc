// diffusers' AutoencoderKL config.json (every __init__ field of diffusers 0.42.1) -> AutoencoderKLConfig.
// Supported: the SD 1.x/2.x VAE (DownEncoderBlock2D / UpDecoderBlock2D, quant convs, mid-block attention);
// every other non-default value is refused by name.
import { AutoencoderKLConfigError, validateAutoencoderKLConfig, type AutoencoderKLConfig } from '../vae/config.js';
import { DiffusersConfigError, anyBoolean, onlyDefault, positiveInt, positiveIntList, positiveNumber, readFields, show, type FieldRule, type FieldTable, type Json, type ReadFieldsOptions } from './config-fields.js';

function everyBlock(name: string): FieldRule {
  return {
    default: [name],
    check: (v) => (Array.isArray(v) && v.length > 0 && v.every((t) => t === name) ? null : `supported: a list of ${show(name)} (one per block_out_channels entry)`),
  };
}

const NOT_SD = 'the SD 1.x/2.x VAE does not use it';

/** diffusers 0.42.1 AutoencoderKL.__init__, field by field. */
export const VAE_FIELDS: FieldTable = {
  in_channels: positiveInt(3),
  out_channels: positiveInt(3),
  down_block_types: everyBlock('DownEncoderBlock2D'),
  up_block_types: everyBlock('UpDecoderBlock2D'),
  block_out_channels: positiveIntList([64]),
  layers_per_block: positiveInt(1),
  act_fn: onlyDefault('silu'),
  latent_channels: positiveInt(4),
  norm_num_groups: positiveInt(32),
  sample_size: positiveInt(32),
  scaling_factor: positiveNumber(0.18215),
  shift_factor: onlyDefault(null, `${NOT_SD}; latents are only scaled here`),
  latents_mean: onlyDefault(null, NOT_SD),
  latents_std: onlyDefault(null, NOT_SD),
  force_upcast: anyBoolean(true, 'only matters in float16; this runs in float32'),
  use_quant_conv: onlyDefault(true, 'SD 1.x/2.x have quant_conv'),
  use_post_quant_conv: onlyDefault(true, 'SD 1.x/2.x have post_quant_conv'),
  mid_block_add_attention: onlyDefault(true, 'SD 1.x/2.x have mid-block attention'),
};

/** Reads a VAE config.json's parsed JSON; `file` names it in errors. */
export function vaeConfigFromJson(json: unknown, file = 'vae/config.json', options: ReadFieldsOptions = {}): AutoencoderKLConfig {
  const f = readFields(json, file, 'AutoencoderKL', VAE_FIELDS, options);
  const blocks = (f.block_out_channels as number[]).length;
  for (const field of ['down_block_types', 'up_block_types'] as const) {
    const n = (f[field] as unknown[]).length;
    if (n !== blocks) throw new DiffusersConfigError(file, field, f[field], `supported: one entry per block_out_channels entry (${blocks})`);
  }
  try {
    return validateAutoencoderKLConfig({
      inChannels: f.in_channels as number,
      outChannels: f.out_channels as number,
      blockOutChannels: [...(f.block_out_channels as number[])],
      layersPerBlock: f.layers_per_block as number,
      latentChannels: f.latent_channels as number,
      normNumGroups: f.norm_num_groups as number,
      sampleSize: f.sample_size as number,
      scalingFactor: f.scaling_factor as number,
    });
  } catch (e) {
    if (e instanceof AutoencoderKLConfigError) throw new DiffusersConfigError(file, null, undefined, `the fields do not make a consistent AutoencoderKL: ${e.message}`);
    throw e;
  }
}

/** AutoencoderKLConfig -> a config.json that diffusers and `vaeConfigFromJson` read back to the same model. */
export function vaeConfigToJson(c: AutoencoderKLConfig): Json {
  return {
    _class_name: 'AutoencoderKL',
    act_fn: 'silu',
    block_out_channels: c.blockOutChannels,
    down_block_types: c.blockOutChannels.map(() => 'DownEncoderBlock2D'),
    in_channels: c.inChannels,
    latent_channels: c.latentChannels,
    layers_per_block: c.layersPerBlock,
    norm_num_groups: c.normNumGroups,
    out_channels: c.outChannels,
    sample_size: c.sampleSize,
    scaling_factor: c.scalingFactor,
    up_block_types: c.blockOutChannels.map(() => 'UpDecoderBlock2D'),
  };
}
