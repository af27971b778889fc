// diffusers config.json <-> the model core's configs, so a saved toy-SD directory reads like an SD-1.x
// checkpoint (unet/ and vae/ folders with config.json and diffusion_pytorch_model.safetensors).
// SonicDiffusion's adapter settings ride along as `sonic_*` keys, which diffusers ignores.
import type { DownBlockType, UNetConfig, UpBlockType } from '../../../sonic/unet/config.js';
import { validateUNetConfig } from '../../../sonic/unet/config.js';
import type { AutoencoderKLConfig } from '../../../sonic/vae/config.js';
import { validateAutoencoderKLConfig } from '../../../sonic/vae/config.js';

type Json = Record<string, unknown>;

export function unetConfigToDiffusers(c: UNetConfig): Json {
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
    sonic_audio_cross_attention_dim: c.audioCrossAttentionDim,
    sonic_adapter_heads: c.adapterHeads,
    sonic_use_adapter: c.useAdapter,
  };
}

function field<T>(json: Json, key: string, where: string, fallback?: T): T {
  if (key in json) return json[key] as T;
  if (fallback !== undefined) return fallback;
  throw new Error(`${where}: missing field '${key}'`);
}

/** Reads a diffusers UNet2DConditionModel config; absent sonic_* keys give SonicDiffusion's adapter defaults. */
export function unetConfigFromDiffusers(json: Json, where = 'unet/config.json'): UNetConfig {
  const cross = field<number>(json, 'cross_attention_dim', where);
  return validateUNetConfig({
    sampleSize: field(json, 'sample_size', where),
    inChannels: field(json, 'in_channels', where),
    outChannels: field(json, 'out_channels', where),
    blockOutChannels: field(json, 'block_out_channels', where),
    layersPerBlock: field(json, 'layers_per_block', where),
    downBlockTypes: field<DownBlockType[]>(json, 'down_block_types', where),
    upBlockTypes: field<UpBlockType[]>(json, 'up_block_types', where),
    attentionHeadDim: field(json, 'attention_head_dim', where),
    crossAttentionDim: cross,
    audioCrossAttentionDim: field(json, 'sonic_audio_cross_attention_dim', where, cross),
    adapterHeads: field(json, 'sonic_adapter_heads', where, 8),
    useAdapter: field<[boolean, boolean, boolean]>(json, 'sonic_use_adapter', where, [false, true, true]),
    normNumGroups: field(json, 'norm_num_groups', where, 32),
    normEps: field(json, 'norm_eps', where, 1e-5),
    flipSinToCos: field(json, 'flip_sin_to_cos', where, true),
    freqShift: field(json, 'freq_shift', where, 0),
  });
}

export function vaeConfigToDiffusers(c: AutoencoderKLConfig): Json {
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

export function vaeConfigFromDiffusers(json: Json, where = 'vae/config.json'): AutoencoderKLConfig {
  return validateAutoencoderKLConfig({
    inChannels: field(json, 'in_channels', where),
    outChannels: field(json, 'out_channels', where),
    blockOutChannels: field(json, 'block_out_channels', where),
    layersPerBlock: field(json, 'layers_per_block', where),
    latentChannels: field(json, 'latent_channels', where),
    normNumGroups: field(json, 'norm_num_groups', where, 32),
    sampleSize: field(json, 'sample_size', where),
    scalingFactor: field(json, 'scaling_factor', where, 0.18215),
  });
}
