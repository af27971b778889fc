import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tfShapeOf, torchToTf } from '../../src/compute/torch-layout.js';
import type { ParamStore } from '../../src/compute/param-store.js';
import type { SafetensorsFile } from '../../src/compute/safetensors.js';
import { UNET_PRESETS, TINY_UNET_CONFIG, SD14_UNET_CONFIG, type UNetConfig } from '../../src/sonic/unet/config.js';
import { UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import type { UNetHooks } from '../../src/sonic/noise-predictor.js';
import { countParams, type ParamSpec } from '../../src/sonic/unet/param-spec.js';
import { assertMatches, openFixture, sd14Shapes, type FixtureInfo, readNchwAsNhwc, readTensor, tf, useWasm } from './reference-fixtures.js';
import { createUNetParams, loadUNetWeights } from '../../src/sonic/unet/weights.js';
import { isAdapterParam } from '../../src/sonic/unet/unet2d-condition.js';

const weights = openFixture('tiny_unet_weights.safetensors');
const io = openFixture('tiny_unet_io.safetensors');
const meta = JSON.parse(weights.metadata.fixture!) as FixtureInfo;

before(useWasm);

function fixtureConfig(): UNetConfig {
  const c = meta.config;
  return {
    sampleSize: c.sample_size as number,
    inChannels: c.in_channels as number,
    outChannels: c.out_channels as number,
    blockOutChannels: c.block_out_channels as number[],
    layersPerBlock: c.layers_per_block as number,
    downBlockTypes: c.down_block_types as UNetConfig['downBlockTypes'],
    upBlockTypes: c.up_block_types as UNetConfig['upBlockTypes'],
    attentionHeadDim: c.attention_head_dim as number,
    crossAttentionDim: c.cross_attention_dim as number,
    audioCrossAttentionDim: c.audio_cross_attention_dim as number,
    adapterHeads: c.adapter_heads as number,
    useAdapter: c.use_adapter as [boolean, boolean, boolean],
    normNumGroups: c.norm_num_groups as number,
    normEps: c.norm_eps as number,
    flipSinToCos: c.flip_sin_to_cos as boolean,
    freqShift: c.freq_shift as number,
  };
}

test('the tiny preset is the fixture model config', () => {
  assert.deepEqual(TINY_UNET_CONFIG, fixtureConfig());
});

test('paramSpecs lists exactly the diffusers state_dict keys with converted shapes', () => {
  const specs = UNet2DCondition.paramSpecs(TINY_UNET_CONFIG);
  assert.deepEqual(specs.map((s) => s.name).sort(), weights.keys().sort());
  for (const s of specs) {
    assert.deepEqual(s.shape, tfShapeOf(s.layout, weights.tensors.get(s.name)!.shape), s.name);
  }
  assert.equal(countParams(specs), meta.param_count);
  assert.deepEqual(
    [...new Set(UNet2DCondition.adapterParameterNames(TINY_UNET_CONFIG).map((n) => n.replace(/\.(attn_adapter|norm_adapter|gate_adapter).*$/, '')))],
    meta.adapter_blocks,
  );
});

test('SD-1.4: 80 adapter tensors with 28,491,210 values; the frozen UNet has 859,520,964', () => {
  const names = UNet2DCondition.adapterParameterNames(SD14_UNET_CONFIG);
  assert.equal(names.length, 80);
  assert.ok(names.includes('mid_block.attentions.0.transformer_blocks.0.attn_adapter.to_q.weight'));
  assert.ok(names.includes('up_blocks.2.attentions.1.transformer_blocks.0.norm_adapter.bias'));
  assert.ok(names.includes('up_blocks.3.attentions.2.transformer_blocks.0.gate_adapter'));
  assert.ok(!names.some((n) => n.startsWith('down_blocks') || n.startsWith('up_blocks.0')));
  const counts = UNet2DCondition.parameterCount(SD14_UNET_CONFIG);
  assert.equal(counts.adapter, 28_491_210);
  assert.equal(counts.total - counts.adapter, 859_520_964);
  const specs = UNet2DCondition.paramSpecs(SD14_UNET_CONFIG);
  const spec = (n: string) => specs.find((s) => s.name === n)!;
  assert.deepEqual(spec('up_blocks.1.attentions.0.transformer_blocks.0.attn_adapter.to_k.weight').shape, [768, 1280]);
  assert.deepEqual(spec('down_blocks.0.attentions.0.proj_in.weight').shape, [1, 1, 320, 320]);
  assert.deepEqual(spec('down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight').shape, [320, 2560]);
  assert.deepEqual(spec('up_blocks.3.resnets.0.conv1.weight').shape, [3, 3, 960, 320]);
});

test('SD-1.4 specs are exactly the keys and shapes of diffusers UNet2DConditionModel + adapters', () => {
  const expected = sd14Shapes().unet;
  const specs = UNet2DCondition.paramSpecs(SD14_UNET_CONFIG);
  assert.deepEqual(specs.map((s) => s.name).sort(), Object.keys(expected).sort());
  for (const s of specs) assert.deepEqual(s.shape, tfShapeOf(s.layout, expected[s.name]!), s.name);
});

test('every preset builds and validates', () => {
  for (const [name, config] of Object.entries(UNET_PRESETS)) {
    assert.ok(UNet2DCondition.parameterCount(config).total > 0, name);
  }
  const { total } = UNet2DCondition.parameterCount(UNET_PRESETS.small);
  assert.ok(total > 1e6 && total < 2e6, `small has ${total}`);
  const mid = UNet2DCondition.parameterCount(UNET_PRESETS.mid).total;
  assert.ok(mid > 10e6 && mid < 20e6, `mid has ${mid}`);
  assert.throws(() => UNet2DCondition.paramSpecs({ ...TINY_UNET_CONFIG, blockOutChannels: [16, 30] }), /blockOutChannels\[1\].*normNumGroups/);
  assert.throws(() => UNet2DCondition.paramSpecs({ ...TINY_UNET_CONFIG, upBlockTypes: ['UpBlock2D'] }), /upBlockTypes.*2 entries/);
});

function makeUNet(trainable: (name: string) => boolean = () => false) {
  const params = createUNetParams(TINY_UNET_CONFIG, { trainable });
  loadUNetWeights(params, weights);
  return { unet: new UNet2DCondition(TINY_UNET_CONFIG, params), params };
}

function inputs() {
  return {
    sample: readNchwAsNhwc(io, 'sample'),
    timesteps: readTensor(io, 'timesteps') as tf.Tensor1D,
    text: readTensor(io, 'text') as tf.Tensor3D,
    audio: readTensor(io, 'audio') as tf.Tensor3D,
  };
}

test('ε matches diffusers without audio (adapters off) and with audio (gated adapters on)', () => {
  const { unet, params } = makeUNet();
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = inputs();
    const plain = unet.predict({ sample: x.sample, timestep: x.timesteps, textTokens: x.text });
    assertMatches(plain, readNchwAsNhwc(io, 'eps_no_audio'), 1e-4, 'no audio');
    const withAudio = unet.predict({ sample: x.sample, timestep: x.timesteps, textTokens: x.text, audioTokens: x.audio });
    assertMatches(withAudio, readNchwAsNhwc(io, 'eps_audio'), 1e-4, 'with audio');
  });
  assert.equal(tf.memory().numTensors, before, 'predict inside tidy leaks nothing');
  params.dispose();
});

test('PnP hooks: Q/K and residual injection at the decoder sites match the hooked diffusers forward', () => {
  const { unet, params } = makeUNet();
  const qkSites = new Set(meta.pnp_qk_sites);
  const resnetSites = new Set(meta.pnp_resnet_sites);
  const seen: string[] = [];
  const fromSource = <T extends tf.Tensor>(t: T): T => {
    const n = t.shape[0] / 3;
    const src = tf.slice(t, 0, n);
    return tf.concat([src, src, src], 0) as T;
  };
  const hooks: UNetHooks = {
    selfAttentionQK: (site, q, k) => {
      seen.push(site);
      return qkSites.has(site) ? { q: fromSource(q), k: fromSource(k) } : { q, k };
    },
    resnetResidual: (site, h) => {
      seen.push(site);
      return resnetSites.has(site) ? fromSource(h) : h;
    },
  };
  tf.tidy(() => {
    const x = inputs();
    const t = readTensor(io, 'pnp_timestep').dataSync()[0]!;
    const eps = unet.predict({ sample: x.sample, timestep: t, textTokens: x.text, audioTokens: x.audio, hooks });
    assertMatches(eps, readNchwAsNhwc(io, 'eps_pnp'), 1e-4, 'pnp');
  });
  for (const site of [...qkSites, ...resnetSites]) assert.ok(seen.includes(site), `hook site ${site} was called`);
  assert.ok(seen.includes('down_blocks.0.attentions.0.transformer_blocks.0.attn1'));
  assert.ok(seen.includes('mid_block.resnets.1'));
  assert.ok(!seen.some((s) => s.endsWith('attn2') || s.endsWith('attn_adapter')), 'cross-attention is not a self-attention site');
  params.dispose();
});

/** d mean((ε − target)²) / d p for the named store parameters, keyed by parameter name. */
function lossGrads(unet: UNet2DCondition, params: ParamStore, names: string[]): { loss: number; grads: Map<string, tf.Tensor> } {
  let result: { loss: number; grads: Map<string, tf.Tensor> } | undefined;
  tf.tidy(() => {
    const x = inputs();
    const target = readNchwAsNhwc(io, 'target');
    const { value, grads } = tf.variableGrads(() => {
      const eps = unet.predict({ sample: x.sample, timestep: x.timesteps, textTokens: x.text, audioTokens: x.audio });
      return tf.mean(tf.square(tf.sub(eps, target))) as tf.Scalar;
    }, names.map((n) => params.get(n)));
    result = { loss: value.dataSync()[0]!, grads: new Map(names.map((n) => [n, tf.keep(grads[params.get(n).name]!)])) };
  });
  return result!;
}

/** A PyTorch-layout gradient from a fixture, converted to the parameter's tfjs layout. */
function torchGrad(file: SafetensorsFile, spec: ParamSpec): tf.Tensor {
  const t = torchToTf(spec.layout, file.read(spec.name));
  return tf.tensor(t.data, t.shape);
}

test('gradients of the ε-MSE w.r.t. every adapter parameter match PyTorch (wasm)', () => {
  const { unet, params } = makeUNet(isAdapterParam);
  const expected = openFixture('tiny_unet_adapter_grads.safetensors');
  const adapterSpecs = UNet2DCondition.adapterParamSpecs(TINY_UNET_CONFIG);
  assert.deepEqual(adapterSpecs.map((s) => s.name).sort(), expected.keys().sort());
  const { loss, grads } = lossGrads(unet, params, adapterSpecs.map((s) => s.name));
  assert.ok(Math.abs(loss - meta.loss) < 1e-5 * meta.loss, `loss ${loss} vs ${meta.loss}`);
  for (const spec of adapterSpecs) {
    const want = torchGrad(expected, spec);
    assertMatches(grads.get(spec.name)!, want, 1e-3, `grad ${spec.name}`);
    want.dispose();
  }
  tf.dispose([...grads.values()]);
  params.dispose();
});

test('full-model training: gradients w.r.t. all parameters run on wasm and match PyTorch on each layer kind', () => {
  const { unet, params } = makeUNet(() => true);
  const expected = openFixture('tiny_unet_frozen_grads.safetensors');
  const specs = new Map(UNet2DCondition.paramSpecs(TINY_UNET_CONFIG).map((s) => [s.name, s]));
  const { grads } = lossGrads(unet, params, params.names());
  assert.equal(grads.size, specs.size);
  for (const name of expected.keys()) {
    const want = torchGrad(expected, specs.get(name)!);
    assertMatches(grads.get(name)!, want, 1e-3, `grad ${name}`);
    want.dispose();
  }
  tf.dispose([...grads.values()]);
  params.dispose();
});

test('an SGD step on the adapter parameters lowers the ε-MSE (stage-2 style, wasm)', () => {
  const { unet, params } = makeUNet(isAdapterParam);
  const x = inputs();
  const target = readNchwAsNhwc(io, 'target');
  const loss = (): tf.Scalar =>
    tf.mean(tf.square(tf.sub(unet.predict({ sample: x.sample, timestep: x.timesteps, textTokens: x.text, audioTokens: x.audio }), target))) as tf.Scalar;
  const optimizer = tf.train.sgd(0.5);
  const first = optimizer.minimize(loss, true, params.variables((_, e) => e.trainable))!;
  const l0 = first.dataSync()[0]!;
  first.dispose();
  const l1 = tf.tidy(() => loss().dataSync()[0]!);
  assert.ok(l1 < l0, `loss ${l0} -> ${l1}`);
  optimizer.dispose();
  tf.dispose([target, ...Object.values(x)]);
  params.dispose();
});
