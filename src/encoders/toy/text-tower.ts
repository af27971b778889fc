// CLIP's text transformer in miniature: token + position embeddings, pre-LN blocks with a causal mask,
// a final LayerNorm (its per-token output is the diffusion conditioning), and the state at the first EOS
// projected into the joint space. Token lookup is one-hot × matrix because tf.gather has no gradient on wasm;
// products go through compute/ops' matMul, whose gradients avoid wasm's slow transposed BatchMatMul.
import * as tf from '@tensorflow/tfjs-core';
import { geluExact, layerNorm, linear, matMul, mergeHeads, scaledDotProductAttention, splitHeads } from '../../compute/ops/index.js';
import type { ParamStore } from '../../compute/param-store.js';
import { get1d, get2d, linearSpecs, normSpecs, type ParamSpec } from './param-specs.js';

export interface TextTowerConfig {
  vocabSize: number;
  maxTokens: number;
  width: number;
  layers: number;
  heads: number;
  mlpRatio: number;
  /** Width of the joint (contrastive) space the pooled state is projected into. */
  jointDim: number;
}

export function checkTextTowerConfig(c: TextTowerConfig, where: string): void {
  for (const k of ['vocabSize', 'maxTokens', 'width', 'layers', 'heads', 'mlpRatio', 'jointDim'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${where}: text.${k} must be a positive integer, got ${String(c[k])}`);
  }
  if (c.width % c.heads !== 0) throw new Error(`${where}: text.width ${c.width} is not divisible by text.heads ${c.heads}`);
}

export function textTowerSpecs(prefix: string, c: TextTowerConfig): ParamSpec[] {
  const specs: ParamSpec[] = [
    { name: `${prefix}.token_embedding`, shape: [c.vocabSize, c.width], layout: 'plain', init: 'normal', std: 0.02 },
    { name: `${prefix}.position_embedding`, shape: [c.maxTokens, c.width], layout: 'plain', init: 'normal', std: 0.01 },
  ];
  const hidden = c.width * c.mlpRatio;
  for (let i = 0; i < c.layers; i++) {
    const b = `${prefix}.blocks.${i}`;
    specs.push(...normSpecs(`${b}.ln_1`, c.width));
    specs.push(...linearSpecs(`${b}.attn.qkv`, c.width, 3 * c.width));
    specs.push(...linearSpecs(`${b}.attn.out`, c.width, c.width));
    specs.push(...normSpecs(`${b}.ln_2`, c.width));
    specs.push(...linearSpecs(`${b}.mlp.fc`, c.width, hidden));
    specs.push(...linearSpecs(`${b}.mlp.proj`, hidden, c.width));
  }
  specs.push(...normSpecs(`${prefix}.ln_final`, c.width));
  specs.push(...linearSpecs(`${prefix}.projection`, c.width, c.jointDim, false));
  return specs;
}

export interface TextTowerInput {
  /** [B·maxTokens] token ids, row-major. */
  ids: Int32Array;
  /** Per text, the position of its first EOS. */
  eos: number[];
}

/** Returns per-token states [B, L, W] (after the final LN) and the projected pooled embedding [B, D] (not normalised). */
export function textTowerForward(p: ParamStore, prefix: string, c: TextTowerConfig, input: TextTowerInput): { tokens: tf.Tensor3D; pooled: tf.Tensor2D } {
  const b = input.eos.length;
  const L = c.maxTokens;
  const W = c.width;
  if (input.ids.length !== b * L) throw new Error(`text tower: expected ${b}×${L} token ids, got ${input.ids.length}`);
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d(input.ids, 'int32'), c.vocabSize), 'float32') as tf.Tensor2D;
  let x = tf.add(tf.reshape(matMul(oneHot, p.get(`${prefix}.token_embedding`)), [b, L, W]), p.get(`${prefix}.position_embedding`)) as tf.Tensor3D;
  const mask = causalMask(L);
  for (let i = 0; i < c.layers; i++) {
    const n = `${prefix}.blocks.${i}`;
    const h = layerNorm(x, p.get(`${n}.ln_1.weight`), p.get(`${n}.ln_1.bias`));
    const qkv = linear(h, get2d(p, `${n}.attn.qkv.weight`), get1d(p, `${n}.attn.qkv.bias`));
    const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const att = mergeHeads(scaledDotProductAttention(splitHeads(q, c.heads), splitHeads(k, c.heads), splitHeads(v, c.heads), { bias: mask }));
    x = tf.add(x, linear(att, get2d(p, `${n}.attn.out.weight`), get1d(p, `${n}.attn.out.bias`)));
    const h2 = layerNorm(x, p.get(`${n}.ln_2.weight`), p.get(`${n}.ln_2.bias`));
    const hidden = geluExact(linear(h2, get2d(p, `${n}.mlp.fc.weight`), get1d(p, `${n}.mlp.fc.bias`)));
    x = tf.add(x, linear(hidden, get2d(p, `${n}.mlp.proj.weight`), get1d(p, `${n}.mlp.proj.bias`)));
  }
  const tokens = layerNorm(x, p.get(`${prefix}.ln_final.weight`), p.get(`${prefix}.ln_final.bias`));
  const pick = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(input.eos, 'int32'), L), 'float32'), [b, L, 1]);
  const atEos = tf.sum(tf.mul(tokens, pick), 1) as tf.Tensor2D;
  const pooled = matMul(atEos, p.get(`${prefix}.projection.weight`));
  return { tokens, pooled };
}

/** Additive attention bias [1, 1, L, L]: 0 on and below the diagonal, −1e9 above (CLIP's causal mask). */
function causalMask(L: number): tf.Tensor4D {
  const data = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) data[i * L + j] = -1e9;
  return tf.tensor4d(data, [1, 1, L, L]);
}

/** Tokenises texts into a text-tower input (ids row-major, first-EOS positions). */
export function textTowerInput(tokenizer: { maxTokens: number; encode(t: string): Int32Array; eosPosition(t: string): number }, texts: readonly string[]): TextTowerInput {
  const ids = new Int32Array(texts.length * tokenizer.maxTokens);
  texts.forEach((t, i) => ids.set(tokenizer.encode(t), i * tokenizer.maxTokens));
  return { ids, eos: texts.map((t) => tokenizer.eosPosition(t)) };
}
