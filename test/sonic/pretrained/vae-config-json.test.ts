import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiffusersConfigError, VAE_FIELDS, vaeConfigFromJson, vaeConfigToJson } from '../../../src/sonic/pretrained/index.js';
import { VAE_PRESETS } from '../../../src/sonic/vae/index.js';

const FILE = '/models/sd/vae/config.json';
/** A config.json diffusers 0.42.1 wrote (save_pretrained): every AutoencoderKL field. */
const SAVED = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../test/fixtures/reference/pretrained/sd2-tiny/vae/config.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

/** CompVis/stable-diffusion-v1-4's vae/config.json as published (diffusers 0.2.2). */
const SD14_PUBLISHED = {
  _class_name: 'AutoencoderKL', _diffusers_version: '0.2.2', act_fn: 'silu', block_out_channels: [128, 256, 512, 512],
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'], in_channels: 3, latent_channels: 4,
  layers_per_block: 2, out_channels: 3, sample_size: 512, up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
};

test("SD 1.4's published VAE config reads as the SD14 preset (scaling_factor defaults to 0.18215)", () => {
  assert.deepEqual(vaeConfigFromJson(SD14_PUBLISHED, FILE), VAE_PRESETS.sd14);
});

test('a config.json with every diffusers 0.42 AutoencoderKL field reads; presets round-trip', () => {
  assert.deepEqual(vaeConfigFromJson(SAVED, FILE), VAE_PRESETS.tiny);
  for (const [name, preset] of Object.entries(VAE_PRESETS)) assert.deepEqual(vaeConfigFromJson(vaeConfigToJson(preset), FILE), preset, name);
});

const UNSUPPORTED: Record<string, unknown> = {
  in_channels: 0,
  out_channels: 'rgb',
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'AttnDownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'AttnUpDecoderBlock2D'],
  block_out_channels: [128, -256],
  layers_per_block: 0,
  act_fn: 'gelu',
  latent_channels: 16.5,
  norm_num_groups: 0,
  sample_size: null,
  scaling_factor: 0,
  shift_factor: 0.1159,
  latents_mean: [0, 0, 0, 0],
  latents_std: [1, 1, 1, 1],
  force_upcast: 'no',
  use_quant_conv: false,
  use_post_quant_conv: false,
  mid_block_add_attention: false,
};

test('each unsupported value is refused by name, and every diffusers field has a case', () => {
  for (const [field, value] of Object.entries(UNSUPPORTED)) {
    let error: unknown;
    try {
      vaeConfigFromJson({ ...SD14_PUBLISHED, [field]: value }, FILE);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof DiffusersConfigError, `${field}: ${String(error)}`);
    assert.equal(error.field, field);
    assert.ok(error.message.startsWith(`${FILE}: field '${field}' is ${JSON.stringify(value)}; supported: `), error.message);
  }
  for (const field of Object.keys(VAE_FIELDS)) assert.ok(field in UNSUPPORTED, `no refusal case for '${field}'`);
});

test('block lists must match block_out_channels; unknown fields are refused; another class is refused', () => {
  assert.throws(() => vaeConfigFromJson({ ...SD14_PUBLISHED, up_block_types: ['UpDecoderBlock2D'] }, FILE), /field 'up_block_types' .*one entry per block_out_channels entry \(4\)/);
  assert.throws(() => vaeConfigFromJson({ ...SD14_PUBLISHED, norm_num_groups: 48 }, FILE), /consistent AutoencoderKL/);
  assert.throws(() => vaeConfigFromJson({ ...SD14_PUBLISHED, use_tiling: true }, FILE), /'use_tiling' is not a field of diffusers' AutoencoderKL/);
  assert.throws(() => vaeConfigFromJson({ ...SD14_PUBLISHED, _class_name: 'AutoencoderTiny' }, FILE), /'_class_name' is "AutoencoderTiny"; supported: "AutoencoderKL"/);
});
