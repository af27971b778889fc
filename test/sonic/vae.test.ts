import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tfShapeOf } from '../../src/compute/torch-layout.js';
import { SD14_VAE_CONFIG, TINY_VAE_CONFIG } from '../../src/sonic/vae/config.js';
import { AutoencoderKL } from '../../src/sonic/vae/autoencoder-kl.js';
import { countParams } from '../../src/sonic/unet/param-spec.js';
import { assertMatches, openFixture, sd14Shapes, type FixtureInfo, readNchwAsNhwc, tf, useWasm } from './reference-fixtures.js';
import { createVaeParams, loadVaeWeights } from '../../src/sonic/vae/weights.js';
import { writeSafetensors, type HostTensor } from '../../src/compute/safetensors.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const weights = openFixture('tiny_vae_weights.safetensors');
const io = openFixture('tiny_vae_io.safetensors');

before(useWasm);

test('the tiny VAE preset is the fixture config and its specs are the diffusers keys', () => {
  const c = (JSON.parse(weights.metadata.fixture!) as FixtureInfo).config;
  assert.deepEqual(TINY_VAE_CONFIG, {
    inChannels: c.in_channels,
    outChannels: c.out_channels,
    blockOutChannels: c.block_out_channels,
    layersPerBlock: c.layers_per_block,
    latentChannels: c.latent_channels,
    normNumGroups: c.norm_num_groups,
    sampleSize: c.sample_size,
    scalingFactor: c.scaling_factor,
  });
  const specs = AutoencoderKL.paramSpecs(TINY_VAE_CONFIG);
  assert.deepEqual(specs.map((s) => s.name).sort(), weights.keys().sort());
  for (const s of specs) assert.deepEqual(s.shape, tfShapeOf(s.layout, weights.tensors.get(s.name)!.shape), s.name);
  assert.equal(countParams(specs), (JSON.parse(weights.metadata.fixture!) as FixtureInfo).param_count);
});

test('SD-1.4 VAE: the keys and shapes of diffusers AutoencoderKL, 83,653,863 parameters', () => {
  const expected = sd14Shapes().vae;
  const specs = AutoencoderKL.paramSpecs(SD14_VAE_CONFIG);
  assert.deepEqual(specs.map((s) => s.name).sort(), Object.keys(expected).sort());
  for (const s of specs) assert.deepEqual(s.shape, tfShapeOf(s.layout, expected[s.name]!), s.name);
  assert.equal(countParams(specs), 83_653_863);
});

test('encode (posterior mean) and decode match diffusers (wasm)', () => {
  const params = createVaeParams(TINY_VAE_CONFIG);
  loadVaeWeights(params, weights);
  const vae = new AutoencoderKL(TINY_VAE_CONFIG, params);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const mean = vae.encode(readNchwAsNhwc(io, 'image'));
    assertMatches(mean, readNchwAsNhwc(io, 'posterior_mean'), 1e-4, 'posterior mean');
    assertMatches(vae.decode(readNchwAsNhwc(io, 'z')), readNchwAsNhwc(io, 'decoded'), 1e-4, 'decoded');
    const scaled = vae.scaleLatents(mean);
    assertMatches(vae.unscaleLatents(scaled), mean, 1e-6, 'scale round trip');
    assert.ok(Math.abs(scaled.dataSync()[0]! - mean.dataSync()[0]! * 0.18215) < 1e-6);
  });
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => vae.encode(tf.zeros([1, 15, 16, 3]) as tf.Tensor4D), /must be divisible by 2/);
  params.dispose();
});

test('VAE files with the deprecated attention names (query/key/value/proj_attn) load like diffusers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vae-names-'));
  try {
    const renamed = new Map<string, HostTensor>();
    for (const key of weights.keys()) {
      const old = key.replace(/attentions\.0\.to_q\./, 'attentions.0.query.').replace(/attentions\.0\.to_k\./, 'attentions.0.key.')
        .replace(/attentions\.0\.to_v\./, 'attentions.0.value.').replace(/attentions\.0\.to_out\.0\./, 'attentions.0.proj_attn.');
      renamed.set(old, weights.read(key));
    }
    assert.ok([...renamed.keys()].includes('decoder.mid_block.attentions.0.proj_attn.bias'));
    const file = join(dir, 'old.safetensors');
    writeSafetensors(file, renamed);
    const params = createVaeParams(TINY_VAE_CONFIG);
    const report = loadVaeWeights(params, file);
    assert.equal(report.loaded.length, weights.keys().length);
    const expected = weights.read('encoder.mid_block.attentions.0.to_v.weight');
    assert.deepEqual([...params.get('encoder.mid_block.attentions.0.to_v.weight').dataSync()].slice(0, 3), [expected.data[0], expected.data[16], expected.data[32]]);
    params.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
