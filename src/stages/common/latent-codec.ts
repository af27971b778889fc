// The diffusion backbone's image <-> latent map behind one small async interface, so the method stages read
// both worlds alike: SonicToy's VAE (and any diffusers-layout AutoencoderKL) runs on tfjs, the paper's SD 1.4
// VAE through ONNX Runtime (encoders/onnx/vae.ts). Latents are NHWC tensors already multiplied by the
// scaling factor, i.e. what the UNet denoises.
import * as tf from '@tensorflow/tfjs-core';
import type { ModelRef } from '../../encoders/bundle.js';
import type { RgbImage } from '../../encoders/interfaces.js';
import { loadDiffusersVae } from '../../sonic/pretrained/index.js';

export interface LatentCodec {
  readonly name: string;
  /** Image side / latent side (8 for SD). */
  readonly downsampleFactor: number;
  readonly latentChannels: number;
  /** Images in [0, 1] (HWC, one size) → scaled latents [n, h, w, c]. */
  encode(images: readonly RgbImage[]): Promise<tf.Tensor4D>;
  /** Scaled latents [n, h, w, c] → images in [0, 1]. */
  decode(latents: tf.Tensor4D): Promise<RgbImage[]>;
  dispose(): void;
}

/** Impls a bundle's `vae` role may name. */
export const TFJS_VAE_IMPLS = ['toy-vae', 'diffusers-vae'] as const;
export const ONNX_VAE_IMPL = 'onnx-sd-vae';

export async function loadLatentCodec(ref: ModelRef, dir: string, chunk = 32): Promise<LatentCodec> {
  if ((TFJS_VAE_IMPLS as readonly string[]).includes(ref.impl)) return tfjsCodec(dir, chunk);
  if (ref.impl === ONNX_VAE_IMPL) return onnxCodec(dir, ref.options, chunk);
  throw new Error(`vae impl '${ref.impl}' is not known (known: ${[...TFJS_VAE_IMPLS, ONNX_VAE_IMPL].join(', ')})`);
}

function tfjsCodec(dir: string, chunk: number): LatentCodec {
  const { vae, params, config } = loadDiffusersVae(dir);
  return {
    name: `diffusers AutoencoderKL (${dir})`,
    downsampleFactor: vae.downsampleFactor,
    latentChannels: config.latentChannels,
    encode: async (images) => {
      const parts: tf.Tensor4D[] = [];
      for (let i = 0; i < images.length; i += chunk) {
        const slice = images.slice(i, i + chunk);
        parts.push(tf.tidy(() => vae.scaleLatents(vae.encode(imagesToTensor(slice)))));
      }
      const out = tf.concat(parts, 0);
      tf.dispose(parts);
      return out;
    },
    decode: async (latents) => {
      const out: RgbImage[] = [];
      const n = latents.shape[0];
      for (let i = 0; i < n; i += chunk) {
        const x = tf.tidy(() => vae.decode(vae.unscaleLatents(tf.slice(latents, [i, 0, 0, 0], [Math.min(chunk, n - i), -1, -1, -1]) as tf.Tensor4D)));
        out.push(...(await tensorToImages(x)));
        x.dispose();
      }
      return out;
    },
    dispose: () => params.dispose(),
  };
}

async function onnxCodec(dir: string, options: Record<string, unknown>, chunk: number): Promise<LatentCodec> {
  const { OnnxVae } = await import('../../encoders/onnx/vae.js');
  const vae = await OnnxVae.load(dir, options);
  const c = 4; // the ONNX VAE signature fixes 4 latent channels and 8× downsampling
  return {
    name: vae.name,
    downsampleFactor: 8,
    latentChannels: c,
    encode: async (images) => {
      const rows: Float32Array[] = [];
      for (let i = 0; i < images.length; i += chunk) rows.push(...(await vae.encode(images.slice(i, i + chunk) as RgbImage[])));
      const h = (images[0]?.height ?? 0) / 8;
      const w = (images[0]?.width ?? 0) / 8;
      const data = new Float32Array(rows.length * h * w * c);
      rows.forEach((chw, n) => {
        for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) data[(n * h * w + p) * c + ch] = chw[ch * h * w + p]!;
      });
      return tf.tensor4d(data, [rows.length, h, w, c]);
    },
    decode: async (latents) => {
      const [n, h, w] = latents.shape;
      const v = await latents.data();
      const rows = Array.from({ length: n }, (_, b) => {
        const chw = new Float32Array(c * h * w);
        for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) chw[ch * h * w + p] = v[(b * h * w + p) * c + ch]!;
        return chw;
      });
      const out: RgbImage[] = [];
      for (let i = 0; i < n; i += chunk) out.push(...(await vae.decode(rows.slice(i, i + chunk), h, w)));
      return out;
    },
    dispose: () => {
      vae.close().catch(() => undefined);
    },
  };
}

function imagesToTensor(images: readonly RgbImage[]): tf.Tensor4D {
  const { width: W, height: H } = images[0]!;
  const data = new Float32Array(images.length * W * H * 3);
  images.forEach((img, j) => {
    if (img.width !== W || img.height !== H) throw new Error(`image ${j} is ${img.width}×${img.height}, the batch's first is ${W}×${H}`);
    for (let k = 0; k < img.data.length; k++) data[j * W * H * 3 + k] = img.data[k]! * 2 - 1;
  });
  return tf.tensor4d(data, [images.length, H, W, 3]);
}

async function tensorToImages(x: tf.Tensor4D): Promise<RgbImage[]> {
  const [b, h, w] = x.shape;
  const v = await x.data();
  const per = h * w * 3;
  return Array.from({ length: b }, (_, j) => {
    const data = new Float32Array(per);
    for (let k = 0; k < per; k++) data[k] = Math.min(1, Math.max(0, (v[j * per + k]! + 1) / 2));
    return { width: w, height: h, data };
  });
}
