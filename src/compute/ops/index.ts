// Differentiable building blocks whose gradients run on every tfjs backend, wasm included.
import '../tfjs.js';
export { conv2d, zeroInsert2d, type Conv2dOptions, type Conv2dPadding } from './conv2d.js';
export { resolvePadding2d, type ExplicitPadding2d } from './padding.js';
export { conv1d, type Conv1dOptions } from './conv1d.js';
export { convTranspose1d, type ConvTranspose1dOptions } from './conv-transpose1d.js';
export { linear } from './linear.js';
export { matMul2d } from './matmul2d.js';
export { matMul } from './matmul.js';
export { groupNorm, groupNormSilu } from './group-norm.js';
export { layerNorm } from './layer-norm.js';
export { silu, geluExact } from './activations.js';
export { upsampleNearest2x } from './upsample.js';
export { scaledDotProductAttention, usesPerHeadAttention, usesFusedAttention, boundsAttentionMemory, splitHeads, mergeHeads, type AttentionOptions } from './attention.js';
export { timestepEmbedding, type TimestepEmbeddingOptions } from './timestep-embedding.js';
