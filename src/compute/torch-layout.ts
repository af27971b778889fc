// PyTorch and tfjs store weights in different layouts. Models name their parameters with the PyTorch
// (diffusers / official checkpoint) key and declare the layout, so any checkpoint converts generically.
import type { HostTensor } from './safetensors.js';

export type TorchLayout =
  | 'plain' // same layout (biases, norms, gates, embeddings)
  | 'linear' // torch [out, in] -> tfjs [in, out] (y = x·W)
  | 'conv2d' // torch [out, in, kh, kw] -> tfjs [kh, kw, in, out]
  | 'conv1d' // torch [out, in, k] -> tfjs [k, in, out]
  | 'conv_transpose1d'; // torch [in, out, k] -> tfjs [k, out, in]

const PERMUTATION: Record<Exclude<TorchLayout, 'plain'>, number[]> = {
  linear: [1, 0],
  conv2d: [2, 3, 1, 0],
  conv1d: [2, 1, 0],
  conv_transpose1d: [2, 1, 0],
};

/** The tfjs shape a torch-layout tensor of `torchShape` becomes. */
export function tfShapeOf(layout: TorchLayout, torchShape: number[]): number[] {
  if (layout === 'plain') return [...torchShape];
  return PERMUTATION[layout].map((axis) => torchShape[axis]!);
}

/** The torch shape of a tfjs tensor of `tfShape` in `layout` (inverse of tfShapeOf). */
export function torchShapeOf(layout: TorchLayout, tfShape: number[]): number[] {
  if (layout === 'plain') return [...tfShape];
  const perm = PERMUTATION[layout];
  return perm.map((_, i) => tfShape[perm.indexOf(i)]!);
}

export function torchToTf(layout: TorchLayout, t: HostTensor): HostTensor {
  return layout === 'plain' ? t : permute(t, PERMUTATION[layout]);
}

export function tfToTorch(layout: TorchLayout, t: HostTensor): HostTensor {
  if (layout === 'plain') return t;
  const perm = PERMUTATION[layout];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return permute(t, inverse);
}

/** out[i_perm[0], i_perm[1], …] layout: out.shape[d] = in.shape[perm[d]]. */
export function permute(t: HostTensor, perm: number[]): HostTensor {
  const rank = t.shape.length;
  if (perm.length !== rank) throw new Error(`permutation [${perm}] does not match rank ${rank}`);
  const outShape = perm.map((a) => t.shape[a]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= t.shape[d]!;
  }
  const strideForOutDim = perm.map((a) => inStrides[a]!);
  const out = new Float32Array(t.data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = t.data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += strideForOutDim[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= strideForOutDim[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return { shape: outShape, data: out };
}
