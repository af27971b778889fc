// The SonicDiffusion audio projector (spec §3): CLAP embedding [B,1,D] -> K audio tokens [B,K,W].
// Parameters are named with the official checkpoint keys and declare their torch layout, so
// `audio_projector_landscape.pth` converted to safetensors loads through the generic torch loader.
import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from '../../compute/safetensors.js';
import { tfShapeOf, torchToTf, tfToTorch, type TorchLayout } from '../../compute/torch-layout.js';
import { projectorDims, UP_STRIDE, DOWN_STRIDE, type AudioProjectorConfig, type ProjectorDims } from './projector-config.js';
import { conv1d, convTranspose1d, layerNorm, geluExact, linear, splitHeads, mergeHeads, scaledDotProductAttention } from '../../compute/ops/index.js';
import { mulberry32 } from '../schedulers/seeded-random.js';

export interface ParamSpec {
  name: string; // official (PyTorch) key
  torchShape: number[];
  layout: TorchLayout;
  init: 'uniform' | 'ones' | 'zeros';
  fanIn: number; // torch default init bound is 1/sqrt(fanIn)
}

const MAPPER = 'audio_emb_projection';

export function projectorParamSpecs(config: AudioProjectorConfig): ParamSpec[] {
  const d = projectorDims(config);
  const K = config.tokens;
  const k = config.kernelSize;
  const specs: ParamSpec[] = [];
  const conv = (idx: number, cin: number, layout: TorchLayout, fanIn: number) => {
    specs.push({ name: `${MAPPER}.${idx}.weight`, torchShape: [cin, K, k], layout, init: 'uniform', fanIn });
    specs.push({ name: `${MAPPER}.${idx}.bias`, torchShape: [K], layout: 'plain', init: 'uniform', fanIn });
  };
  const norm = (idx: number, len: number) => {
    // torch affine [K, L]; our activations are [B, L, K], so the affine is stored transposed ('linear' = 2-D transpose).
    specs.push({ name: `${MAPPER}.${idx}.weight`, torchShape: [K, len], layout: 'linear', init: 'ones', fanIn: 1 });
    specs.push({ name: `${MAPPER}.${idx}.bias`, torchShape: [K, len], layout: 'linear', init: 'zeros', fanIn: 1 });
  };
  const lin = (name: string, out: number, inp: number, bias: boolean) => {
    specs.push({ name: `${name}.weight`, torchShape: [out, inp], layout: 'linear', init: 'uniform', fanIn: inp });
    if (bias) specs.push({ name: `${name}.bias`, torchShape: [out], layout: 'plain', init: 'uniform', fanIn: inp });
  };
  // Conv1d weights are [out, in, k]; the first has in = 1.
  specs.push({ name: `${MAPPER}.0.weight`, torchShape: [K, 1, k], layout: 'conv1d', init: 'uniform', fanIn: k });
  specs.push({ name: `${MAPPER}.0.bias`, torchShape: [K], layout: 'plain', init: 'uniform', fanIn: k });
  conv(2, K, 'conv1d', K * k);
  norm(4, d.mapperLength);
  conv(5, K, 'conv1d', K * k);
  norm(7, d.mapperLength);
  conv(8, K, 'conv_transpose1d', K * k); // ConvTranspose1d weight [in, out, k]
  norm(10, d.upsampledLength);
  conv(12, K, 'conv1d', K * k);
  for (let i = 0; i < config.blocks; i++) {
    for (const p of ['q', 'k', 'v']) lin(`cross_attention.${i}.to_${p}_adapter`, d.innerDim, d.tokenDim, false);
    lin(`between_attention.${i}.0`, d.innerDim, d.innerDim, true);
    lin(`between_attention.${i}.2`, d.tokenDim, d.innerDim, true);
  }
  lin('to_out_adapter.0', d.outputDim, d.tokenDim, true);
  return specs;
}

function hostVariable(host: HostTensor): tf.Variable {
  const t = tf.tensor(host.data, host.shape);
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

export class AudioProjector {
  readonly dims: ProjectorDims;
  /** tfjs-layout variables keyed by the official parameter name. */
  readonly params: Map<string, tf.Variable>;
  private readonly specs: ParamSpec[];

  private constructor(readonly config: AudioProjectorConfig, params: Map<string, tf.Variable>) {
    this.dims = projectorDims(config);
    this.specs = projectorParamSpecs(config);
    this.params = params;
  }

  /** Fresh weights with PyTorch's default init (uniform ±1/√fan_in; LayerNorm 1/0), deterministic in `seed`. */
  static create(config: AudioProjectorConfig, seed = 0): AudioProjector {
    const rand = mulberry32(seed);
    const params = new Map<string, tf.Variable>();
    for (const s of projectorParamSpecs(config)) {
      const n = s.torchShape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (s.init === 'ones') data.fill(1);
      else if (s.init === 'uniform') {
        const bound = 1 / Math.sqrt(s.fanIn);
        for (let i = 0; i < n; i++) data[i] = (rand() * 2 - 1) * bound;
      }
      const host = torchToTf(s.layout, { shape: s.torchShape, data });
      params.set(s.name, hostVariable(host));
    }
    return new AudioProjector(config, params);
  }

  /**
   * Loads torch-layout tensors by official key (e.g. from a SafetensorsFile: `name => file.read(name)`).
   * `source` names the origin in error messages.
   */
  static fromTorchTensors(config: AudioProjectorConfig, get: (name: string) => HostTensor | undefined, source = 'checkpoint'): AudioProjector {
    const params = new Map<string, tf.Variable>();
    for (const s of projectorParamSpecs(config)) {
      const t = get(s.name);
      if (!t) throw new Error(`${source}: missing audio projector parameter '${s.name}' (expected torch shape [${s.torchShape}])`);
      if (t.shape.length !== s.torchShape.length || t.shape.some((v, i) => v !== s.torchShape[i])) {
        throw new Error(`${source}: parameter '${s.name}' has shape [${t.shape}], the projector config expects [${s.torchShape}]`);
      }
      const host = torchToTf(s.layout, t);
      params.set(s.name, hostVariable(host));
    }
    return new AudioProjector(config, params);
  }

  /** Torch-layout copies of every parameter, keyed by official name (for writeSafetensors). */
  async toTorchTensors(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const s of this.specs) {
      const v = this.params.get(s.name)!;
      const data = (await v.data()) as Float32Array;
      out.set(s.name, tfToTorch(s.layout, { shape: tfShapeOf(s.layout, s.torchShape), data: Float32Array.from(data) }));
    }
    return out;
  }

  parameterSpecs(): readonly ParamSpec[] {
    return this.specs;
  }

  /**
   * Names of the parameters that influence the output. With `chained: false` the first blocks-1 attention
   * blocks are dead (their gradient is absent in PyTorch, so AdamW leaves them untouched); training should
   * optimise only these.
   */
  liveParameterNames(): string[] {
    if (this.config.chained) return this.specs.map((s) => s.name);
    const last = this.config.blocks - 1;
    return this.specs
      .map((s) => s.name)
      .filter((n) => {
        const m = /^(cross_attention|between_attention)\.(\d+)\./.exec(n);
        return !m || Number(m[2]) === last;
      });
  }

  liveVariables(): tf.Variable[] {
    return this.liveParameterNames().map((n) => this.params.get(n)!);
  }

  /** [B, 1, inputDim] (or [B, inputDim]) audio embeddings -> [B, K, outputDim] audio tokens. */
  apply(audio: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const { inputDim } = this.config;
      const x = audio.rank === 2 ? tf.reshape(audio, [audio.shape[0]!, 1, inputDim]) : audio;
      if (x.rank !== 3 || x.shape[1] !== 1 || x.shape[2] !== inputDim) {
        throw new Error(`audio projector expects [B, 1, ${inputDim}] embeddings, got [${audio.shape}]`);
      }
      const tokens = this.mapper(tf.reshape(x, [x.shape[0]!, inputDim, 1]) as tf.Tensor3D);
      return this.attend(tokens);
    });
  }

  /** The unconditional audio context: projector(zeros [1, 1, inputDim]). */
  nullAudio(): tf.Tensor3D {
    return tf.tidy(() => this.apply(tf.zeros([1, 1, this.config.inputDim])));
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }

  private p<T extends tf.Tensor = tf.Tensor>(name: string): T {
    const v = this.params.get(name);
    if (!v) throw new Error(`audio projector has no parameter '${name}'`);
    return v as unknown as T;
  }

  // x: NWC [B, L, 1] -> tokens [B, K, tokenDim]
  private mapper(x: tf.Tensor3D): tf.Tensor3D {
    const { samePad, resamplePad } = this.dims;
    const w = (i: number) => this.p<tf.Tensor3D>(`${MAPPER}.${i}.weight`);
    const b = (i: number) => this.p<tf.Tensor1D>(`${MAPPER}.${i}.bias`);
    // LayerNorm([K, L]) normalises jointly over the last two axes (order does not matter for the statistics).
    const ln = (h: tf.Tensor3D, i: number) => layerNorm(h, this.p(`${MAPPER}.${i}.weight`), this.p(`${MAPPER}.${i}.bias`), 1e-5, [-2, -1]);
    let h = geluExact(conv1d(x, w(0), { bias: b(0), padding: samePad }));
    h = ln(geluExact(conv1d(h, w(2), { bias: b(2), padding: samePad })), 4);
    h = ln(geluExact(conv1d(h, w(5), { bias: b(5), padding: samePad })), 7);
    h = geluExact(ln(geluExact(convTranspose1d(h, w(8), { bias: b(8), stride: UP_STRIDE, padding: resamplePad })), 10));
    h = conv1d(h, w(12), { bias: b(12), stride: DOWN_STRIDE, padding: resamplePad });
    return tf.transpose(h, [0, 2, 1]); // [B, L3, K] -> [B, K, L3]: K tokens of width L3
  }

  private attend(mapped: tf.Tensor3D): tf.Tensor3D {
    const { blocks, chained } = this.config;
    let out = mapped;
    // Unchained: every block reads `mapped` and only the last result survives, so only the last is computed.
    for (let i = chained ? 0 : blocks - 1; i < blocks; i++) {
      const src = chained ? out : mapped;
      out = tf.add(this.block(i, src), src);
    }
    return linear(out, this.p('to_out_adapter.0.weight'), this.p<tf.Tensor1D>('to_out_adapter.0.bias'));
  }

  private block(i: number, x: tf.Tensor3D): tf.Tensor3D {
    const { heads, dimHead } = this.config;
    // No output projection, no norm, no positional embedding (official MyCrossAttention).
    const proj = (p: string) => splitHeads(linear(x, this.p(`cross_attention.${i}.to_${p}_adapter.weight`)), heads);
    const merged = mergeHeads(scaledDotProductAttention(proj('q'), proj('k'), proj('v'), { scale: 1 / Math.sqrt(dimHead) }));
    const hidden = geluExact(linear(merged, this.p(`between_attention.${i}.0.weight`), this.p<tf.Tensor1D>(`between_attention.${i}.0.bias`)));
    return linear(hidden, this.p(`between_attention.${i}.2.weight`), this.p<tf.Tensor1D>(`between_attention.${i}.2.bias`));
  }
}
