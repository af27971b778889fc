import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiffusersConfigError, UNET_FIELDS, unetConfigFromJson, unetConfigToJson } from '../../../src/sonic/pretrained/index.js';
import { UNET_PRESETS, UNet2DCondition, isAdapterParam, type UNetConfig } from '../../../src/sonic/unet/index.js';
import { tfShapeOf } from '../../../src/compute/torch-layout.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
const FILE = '/models/sd/unet/config.json';
/** diffusers 0.42.1 writes every field: this one is the paper fixture's tiny SD-1.x UNet. */
const SD1_JSON = JSON.parse(readFileSync(`${FIXTURES}paper-models/upstream/stable-diffusion-v1-4/unet/config.json`, 'utf8')) as Record<string, unknown>;
const SD21 = JSON.parse(readFileSync(`${FIXTURES}reference/pretrained/sd21_unet.json`, 'utf8')) as { config: Record<string, unknown>; shapes: Record<string, number[]> };

/** CompVis/stable-diffusion-v1-4's unet/config.json as published (written by diffusers 0.2.2: a subset of today's fields). */
const SD14_PUBLISHED = {
  _class_name: 'UNet2DConditionModel', _diffusers_version: '0.2.2', act_fn: 'silu', attention_head_dim: 8, block_out_channels: [320, 640, 1280, 1280],
  center_input_sample: false, cross_attention_dim: 768, down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  downsample_padding: 1, flip_sin_to_cos: true, freq_shift: 0, in_channels: 4, layers_per_block: 2, mid_block_scale_factor: 1, norm_eps: 1e-5,
  norm_num_groups: 32, out_channels: 4, sample_size: 64, up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
};

function refusal(json: Record<string, unknown>): DiffusersConfigError {
  try {
    unetConfigFromJson(json, FILE);
  } catch (e) {
    assert.ok(e instanceof DiffusersConfigError, `expected a DiffusersConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`accepted ${JSON.stringify(json).slice(0, 200)}`);
}

test("SD 1.4's published config reads as the SD14 preset", () => {
  assert.deepEqual(unetConfigFromJson(SD14_PUBLISHED, FILE), UNET_PRESETS.sd14);
});

test('a config.json with every diffusers 0.42 field reads (the paper fixture UNet)', () => {
  const c = unetConfigFromJson(SD1_JSON, FILE);
  assert.deepEqual(c.blockOutChannels, [16, 32]);
  assert.equal(c.crossAttentionDim, 32);
  assert.equal(c.audioCrossAttentionDim, 32, 'the adapters read tokens as wide as the text by default');
  assert.deepEqual(c.useAdapter, [false, true, true]);
  assert.equal(c.useLinearProjection ?? false, false);
});

test('SD 2.1: linear projections, heads per block, width 1024, upcast_attention; the parameters are diffusers\' keys and shapes', () => {
  const c = unetConfigFromJson(SD21.config, FILE);
  assert.equal(c.useLinearProjection, true);
  assert.deepEqual(c.attentionHeadDim, [5, 10, 20, 20]);
  assert.equal(c.crossAttentionDim, 1024);
  const base = UNet2DCondition.paramSpecs(c).filter((s) => !isAdapterParam(s.name));
  assert.deepEqual(base.map((s) => s.name).sort(), Object.keys(SD21.shapes).sort());
  for (const s of base) assert.deepEqual(s.shape, tfShapeOf(s.layout, SD21.shapes[s.name]!), s.name);
  assert.deepEqual(SD21.shapes['down_blocks.0.attentions.0.proj_in.weight'], [320, 320], 'Linear, not a 1×1 conv');
});

test('every preset survives unetConfigToJson -> unetConfigFromJson', () => {
  for (const [name, preset] of Object.entries(UNET_PRESETS)) {
    assert.deepEqual(unetConfigFromJson(unetConfigToJson(preset), FILE), preset, name);
  }
  const sd2: UNetConfig = { ...UNET_PRESETS.tiny, useLinearProjection: true, attentionHeadDim: [2, 4] };
  assert.deepEqual(unetConfigFromJson(unetConfigToJson(sd2), FILE), sd2);
});

test('sonic_* keys set the adapters; attention_head_dim and layers_per_block may be given per block', () => {
  const c = unetConfigFromJson({ ...SD14_PUBLISHED, sonic_audio_cross_attention_dim: 512, sonic_adapter_heads: 4, sonic_use_adapter: [true, true, false], layers_per_block: [2, 2, 2, 2], attention_head_dim: [8, 8, 8, 8] }, FILE);
  assert.equal(c.audioCrossAttentionDim, 512);
  assert.equal(c.adapterHeads, 4);
  assert.deepEqual(c.useAdapter, [true, true, false]);
  assert.equal(c.layersPerBlock, 2);
  assert.deepEqual(c.attentionHeadDim, [8, 8, 8, 8]);
});

/** One value per field that this implementation does not compute, with diffusers' meaning in mind. */
const UNSUPPORTED: Record<string, unknown> = {
  center_input_sample: true,
  mid_block_type: 'UNetMidBlock2DSimpleCrossAttn',
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'SimpleCrossAttnDownBlock2D', 'DownBlock2D'],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'AttnUpBlock2D'],
  only_cross_attention: true,
  layers_per_block: [1, 2, 2, 2],
  downsample_padding: 0,
  mid_block_scale_factor: 1.414,
  dropout: 0.1,
  act_fn: 'mish',
  cross_attention_dim: [768, 768, 768, 768],
  transformer_layers_per_block: [1, 2, 10, 10],
  reverse_transformer_layers_per_block: [[1, 1, 1], [2, 2, 2], [10, 10, 10], [10, 10, 10]],
  encoder_hid_dim: 1024,
  encoder_hid_dim_type: 'text_proj',
  attention_head_dim: [8, 8],
  num_attention_heads: 8,
  dual_cross_attention: true,
  use_linear_projection: 'yes',
  class_embed_type: 'timestep',
  addition_embed_type: 'text_time',
  addition_time_embed_dim: 256,
  num_class_embeds: 1000,
  upcast_attention: 1,
  resnet_time_scale_shift: 'scale_shift',
  resnet_skip_time_act: true,
  resnet_out_scale_factor: 2,
  time_embedding_type: 'fourier',
  time_embedding_dim: 512,
  time_embedding_act_fn: 'silu',
  timestep_post_act: 'silu',
  time_cond_proj_dim: 256,
  conv_in_kernel: 1,
  conv_out_kernel: 1,
  projection_class_embeddings_input_dim: 2816,
  attention_type: 'gated',
  class_embeddings_concat: true,
  cross_attention_norm: 'group_norm',
  sample_size: [64, 96],
  in_channels: 0,
  out_channels: 2.5,
  flip_sin_to_cos: 'true',
  freq_shift: null,
  block_out_channels: [],
  norm_num_groups: null,
  norm_eps: 0,
  sonic_audio_cross_attention_dim: 0,
  sonic_adapter_heads: -1,
  sonic_use_adapter: [true, true],
};
/** Fields that take any value: they do not change what this implementation computes. */
const ANY_VALUE = ['mid_block_only_cross_attention', 'addition_embed_type_num_heads'];

test('each unsupported value is refused by name: file, field, value and what is supported', () => {
  for (const [field, value] of Object.entries(UNSUPPORTED)) {
    const e = refusal({ ...SD14_PUBLISHED, [field]: value });
    assert.equal(e.field, field, `${field}: ${e.message}`);
    assert.equal(e.file, FILE);
    assert.ok(e.message.startsWith(`${FILE}: field '${field}' is ${JSON.stringify(value)}; supported: `), e.message);
  }
});

test('center_input_sample: true is refused with the default that is supported', () => {
  assert.equal(refusal({ ...SD14_PUBLISHED, center_input_sample: true }).message, `${FILE}: field 'center_input_sample' is true; supported: only false (the default; SD 1.x/2.x do not use it)`);
});

test('every diffusers field is either checked above or documented as having no effect', () => {
  for (const field of Object.keys(UNET_FIELDS)) {
    assert.ok(field in UNSUPPORTED || ANY_VALUE.includes(field), `no refusal case for '${field}'`);
  }
  for (const field of ANY_VALUE) assert.ok(UNET_FIELDS[field]?.note, `${field} needs a note saying why any value is accepted`);
  for (const [field, value] of [['mid_block_only_cross_attention', true], ['addition_embed_type_num_heads', 32]] as const) {
    assert.doesNotThrow(() => unetConfigFromJson({ ...SD14_PUBLISHED, [field]: value }, FILE), field);
  }
});

test('fields that must agree with each other are checked together', () => {
  assert.match(refusal({ ...SD14_PUBLISHED, attention_head_dim: [8, 8, 8] }).message, /attention_head_dim.*one number, or 4/);
  assert.match(refusal({ ...SD14_PUBLISHED, down_block_types: ['DownBlock2D', 'DownBlock2D'] }).message, /down_block_types.*one entry per block_out_channels entry \(4\)/);
  assert.match(refusal({ ...SD14_PUBLISHED, norm_num_groups: 24 }).message, /\/unet\/config\.json: the fields do not make a consistent UNet: .*blockOutChannels\[0\].*normNumGroups 24/);
  assert.match(refusal({ ...SD14_PUBLISHED, time_embedding_dim: 512 }).message, /supported: null or 1280 \(4 × block_out_channels\[0\]/);
  assert.doesNotThrow(() => unetConfigFromJson({ ...SD14_PUBLISHED, time_embedding_dim: 1280 }, FILE));
});

test('a missing required field, another model class and a non-object are refused', () => {
  const { sample_size: _, ...noSize } = SD14_PUBLISHED;
  assert.equal(refusal(noSize).message, `${FILE}: field 'sample_size' is missing; this field is required`);
  assert.match(refusal({ ...SD14_PUBLISHED, _class_name: 'UNet2DModel' }).message, /field '_class_name' is "UNet2DModel"; supported: "UNet2DConditionModel"/);
  assert.throws(() => unetConfigFromJson([1, 2], FILE), /expected a JSON object \(a diffusers UNet2DConditionModel config\)/);
});

test("a field diffusers does not have is refused by default, or warned about with unknownFields: 'warn'", () => {
  const json = { ...SD14_PUBLISHED, use_flash_attention: true, _name_or_path: 'x' };
  assert.match(refusal(json).message, /'use_flash_attention' is not a field of diffusers' UNet2DConditionModel .*unknownFields: 'warn'/);
  const warnings: string[] = [];
  const c = unetConfigFromJson(json, FILE, { unknownFields: 'warn', onWarning: (m) => warnings.push(m) });
  assert.equal(c.crossAttentionDim, 768);
  assert.deepEqual(warnings, [`${FILE}: 'use_flash_attention' is not a field of diffusers' UNet2DConditionModel (as of diffusers 0.42); ignored`]);
});
