import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafetensorsFile, writeSafetensors } from '../../../src/compute/safetensors.js';
import { AudioProjector, TINY_PROJECTOR } from '../../../src/sonic/method.js';
import { DiffusersConfigError, loadSonicDiffusion } from '../../../src/sonic/pretrained/index.js';
import { SD_SCHEDULER_CONFIG } from '../../../src/sonic/schedulers/scheduler-config.js';
import { isAdapterParam } from '../../../src/sonic/unet/index.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { assertMatches, readNchwAsNhwc, readTensor, tf, useWasm } from '../reference-fixtures.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
/** A tiny SD-2.x-style model saved by diffusers (tools/reference/make_pretrained_fixtures.py). */
const SD2_DIR = `${FIXTURES}reference/pretrained/sd2-tiny`;
const IO = new SafetensorsFile(`${FIXTURES}reference/pretrained/sd2-tiny-io.safetensors`);
const ADAPTERS = { audioCrossAttentionDim: 12, heads: 2 };
/** The paper fixture's SD-1.x-style UNet (unet/ only; its VAE is an ONNX export). */
const PAPER_SD = `${FIXTURES}paper-models/upstream/stable-diffusion-v1-4`;

before(useWasm);

function epsilon(models: Awaited<ReturnType<typeof loadSonicDiffusion>>, withAudio: boolean): tf.Tensor4D {
  return tf.tidy(() =>
    models.unet.predict({
      sample: readNchwAsNhwc(IO, 'sample'),
      timestep: readTensor(IO, 'timesteps') as tf.Tensor1D,
      textTokens: readTensor(IO, 'text') as tf.Tensor3D,
      ...(withAudio ? { audioTokens: readTensor(IO, 'audio') as tf.Tensor3D } : {}),
    }),
  );
}

test('a diffusers SD-2.x directory + adapter weights computes what diffusers computes', async () => {
  const models = await loadSonicDiffusion({ diffusersDir: SD2_DIR, adapters: join(SD2_DIR, 'adapters.safetensors'), adapterSettings: ADAPTERS });
  try {
    assert.equal(models.adapterSource, 'adapter file');
    assert.equal(models.unetConfig.useLinearProjection, true);
    assert.deepEqual(models.unetConfig.attentionHeadDim, [2, 4]);
    assertMatches(epsilon(models, false), readNchwAsNhwc(IO, 'eps_text'), 1e-4, 'ε, text only (stock diffusers, linear projections)');
    assertMatches(epsilon(models, true), readNchwAsNhwc(IO, 'eps_audio'), 1e-4, 'ε with the gated adapters and audio tokens');
    assert.ok(models.vae, 'vae/ is found next to unet/');
    const decoded = tf.tidy(() => models.vae!.vae.decode(readNchwAsNhwc(IO, 'z')));
    assertMatches(decoded, readNchwAsNhwc(IO, 'decoded'), 1e-4, 'VAE decode');
    assert.equal(models.projector, null);
    assert.deepEqual(models.scheduler, SD_SCHEDULER_CONFIG, 'scheduler/ is read too');
  } finally {
    models.dispose();
  }
});

test('without adapter weights the adapters are fresh (gate 0): audio changes nothing', async () => {
  const models = await loadSonicDiffusion({ diffusersDir: SD2_DIR, vaeDir: null, adapterSettings: ADAPTERS, trainableAdapters: true });
  try {
    assert.equal(models.adapterSource, 'fresh');
    assert.equal(models.vae, null);
    assertMatches(epsilon(models, true), readNchwAsNhwc(IO, 'eps_text'), 1e-4, 'fresh adapters');
    const trainable = models.unetParams.trainableNamed().map((p) => p.name);
    assert.ok(trainable.length > 0 && trainable.every(isAdapterParam), 'only the adapters are trainable');
    assert.equal(trainable.length, models.unetParams.names(isAdapterParam).length);
  } finally {
    models.dispose();
  }
});

test('the audio projector loads from a directory or a bare official-key file, and its width must fit the adapters', async () => {
  const dir = tempDir('sonic-projector-');
  const config = { ...TINY_PROJECTOR, outputDim: 12 };
  const projector = AudioProjector.create(config, 7);
  const tensors = await projector.toTorchTensors();
  writeSafetensors(join(dir, 'official.safetensors'), tensors);
  cpSync(join(dir, 'official.safetensors'), join(dir, 'trained', 'projector.safetensors'), { recursive: true });
  writeFileSync(join(dir, 'trained', 'config.json'), JSON.stringify({ ...config, stage: 2 }));
  const input = tf.randomNormal([2, 1, config.inputDim], 0, 1, 'float32', 3);
  const expected = projector.apply(input);
  for (const source of [{ projector: join(dir, 'trained') }, { projector: join(dir, 'official.safetensors'), projectorConfig: config }]) {
    const models = await loadSonicDiffusion({ unetDir: join(SD2_DIR, 'unet'), adapterSettings: ADAPTERS, ...source });
    try {
      assertMatches(models.projector!.apply(input), expected, 1e-6, source.projector);
    } finally {
      models.dispose();
    }
  }
  await assert.rejects(
    loadSonicDiffusion({ unetDir: join(SD2_DIR, 'unet'), projector: join(dir, 'official.safetensors'), projectorConfig: TINY_PROJECTOR, adapterSettings: ADAPTERS }),
    /official\.safetensors: parameter 'to_out_adapter\.0\.weight' has shape \[12,24\], the projector config expects \[24,24\]/,
  );
  const wide = AudioProjector.create(TINY_PROJECTOR, 8);
  writeSafetensors(join(dir, 'wide.safetensors'), await wide.toTorchTensors());
  wide.dispose();
  await assert.rejects(
    loadSonicDiffusion({ unetDir: join(SD2_DIR, 'unet'), projector: join(dir, 'wide.safetensors'), projectorConfig: TINY_PROJECTOR, adapterSettings: ADAPTERS }),
    /wide\.safetensors: the projector makes 24-wide audio tokens but the UNet's adapters \(.*\) take 12/,
  );
  await assert.rejects(
    loadSonicDiffusion({ unetDir: join(SD2_DIR, 'unet'), projector: join(dir, 'trained'), projectorConfig: config }),
    /a projector directory carries its own config\.json/,
  );
  tf.dispose([input, expected]);
  projector.dispose();
});

test('the paper fixture SD-1.x directory (unet/ only) loads with fresh adapters and no VAE', async () => {
  const models = await loadSonicDiffusion({ diffusersDir: PAPER_SD });
  try {
    assert.equal(models.vae, null);
    assert.equal(models.adapterSource, 'fresh');
    assert.equal(models.unetConfig.useLinearProjection ?? false, false);
    assert.equal(models.unetConfig.crossAttentionDim, 32);
  } finally {
    models.dispose();
  }
});

function copyWithConfig(edit: (json: Record<string, unknown>) => void, which: 'unet' | 'vae' | 'scheduler' = 'unet'): string {
  const dir = tempDir('sonic-sd2-');
  cpSync(SD2_DIR, dir, { recursive: true });
  const path = join(dir, which, which === 'scheduler' ? 'scheduler_config.json' : 'config.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

test('center_input_sample: true in unet/config.json is refused, naming the file, the field and the value', async () => {
  const dir = copyWithConfig((j) => (j.center_input_sample = true));
  await assert.rejects(loadSonicDiffusion({ diffusersDir: dir, adapterSettings: ADAPTERS }), (e: unknown) => {
    assert.ok(e instanceof DiffusersConfigError);
    assert.equal(e.message, `${join(dir, 'unet', 'config.json')}: field 'center_input_sample' is true; supported: only false (the default; SD 1.x/2.x do not use it)`);
    return true;
  });
});

test('a v-prediction model is refused by its scheduler config before anything is loaded', async () => {
  const dir = copyWithConfig((j) => (j.prediction_type = 'v_prediction'), 'scheduler');
  await assert.rejects(loadSonicDiffusion({ diffusersDir: dir, adapterSettings: ADAPTERS }), new RegExp(`${join(dir, 'scheduler', 'scheduler_config.json')}: field 'prediction_type' is "v_prediction"; supported: "epsilon"`));
  const models = await loadSonicDiffusion({ diffusersDir: dir, schedulerDir: null, vaeDir: null, adapterSettings: ADAPTERS });
  assert.equal(models.scheduler, null, 'schedulerDir: null skips it');
  models.dispose();
});

test("a VAE field it cannot reproduce is refused; a field diffusers lacks loads with unknownFields: 'warn'", async () => {
  const dir = copyWithConfig((j) => (j.use_quant_conv = false), 'vae');
  await assert.rejects(loadSonicDiffusion({ diffusersDir: dir, adapterSettings: ADAPTERS }), new RegExp(`${join(dir, 'vae', 'config.json')}: field 'use_quant_conv' is false`));
  const unknown = copyWithConfig((j) => (j.sonic_gate_scale = 2));
  await assert.rejects(loadSonicDiffusion({ diffusersDir: unknown, adapterSettings: ADAPTERS }), /'sonic_gate_scale' is not a field of diffusers' UNet2DConditionModel/);
  const warnings: string[] = [];
  const models = await loadSonicDiffusion({ diffusersDir: unknown, adapterSettings: ADAPTERS, unknownFields: 'warn', onWarning: (m) => warnings.push(m) });
  models.dispose();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /'sonic_gate_scale' .*; ignored$/);
});

test('missing pieces are named: no directory, no weights, no adapter file, mismatched adapter shapes', async () => {
  await assert.rejects(loadSonicDiffusion({}), /give diffusersDir .* or unetDir/);
  await assert.rejects(loadSonicDiffusion({ diffusersDir: '/nonexistent/sd' }), /\/nonexistent\/sd\/unet: the UNet directory does not exist/);
  const noWeights = copyWithConfig(() => undefined);
  rmSync(join(noWeights, 'unet', 'diffusion_pytorch_model.safetensors'));
  await assert.rejects(loadSonicDiffusion({ diffusersDir: noWeights }), /unet\/diffusion_pytorch_model\.safetensors: weights not found/);
  await assert.rejects(loadSonicDiffusion({ diffusersDir: SD2_DIR, adapters: '/nonexistent/a.safetensors', adapterSettings: ADAPTERS }), /\/nonexistent\/a\.safetensors: adapter weights not found/);
  // Without adapterSettings the adapters read 16-wide tokens (cross_attention_dim), the file holds 12-wide ones.
  await assert.rejects(loadSonicDiffusion({ diffusersDir: SD2_DIR, adapters: join(SD2_DIR, 'adapters.safetensors') }), /adapters\.safetensors: checkpoint does not match the model:[\s\S]*attn_adapter\.to_k\.weight: torch \[32,12\], expected torch \[32,16\]/);
});
