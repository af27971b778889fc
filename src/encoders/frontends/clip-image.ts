// CLIP image preprocessing (transformers CLIPImageProcessor / OpenAI clip preprocess): resize the shortest
// side to `size` with Pillow bicubic on uint8, centre crop size×size, scale to [0,1], normalise with the
// CLIP mean/std, CHW float32. The only difference between the two upstream versions is the crop offset
// when the excess is odd: transformers floors (excess // 2), torchvision rounds half to even.
import type { RgbImage } from '../interfaces.js';
import { pilResizeBicubic, type U8Image } from './pil-resize.js';

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

export interface ClipImageOptions {
  size?: number; // 224
  crop?: 'transformers' | 'torchvision';
  mean?: readonly number[];
  std?: readonly number[];
}

/** [0,1] float HWC → uint8 HWC, rounding to nearest (the inverse of u8/255). */
export function rgbToU8(img: RgbImage): U8Image {
  const n = img.width * img.height * 3;
  if (img.data.length !== n) throw new Error(`RgbImage data has ${img.data.length} values, expected ${n} for ${img.width}×${img.height}×3`);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(Math.min(1, Math.max(0, img.data[i]!)) * 255);
  return { width: img.width, height: img.height, channels: 3, data };
}

/** Output size for "resize shortest edge to `size`" (transformers' get_resize_output_image_size). */
export function shortestEdgeSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function cropOffset(excess: number, mode: 'transformers' | 'torchvision'): number {
  return mode === 'transformers' ? Math.floor(excess / 2) : roundHalfEven(excess / 2);
}

/** [3·size·size] CHW float32 pixel_values. */
export function clipPixelValues(img: RgbImage, opts: ClipImageOptions = {}): Float32Array {
  return clipPixelValuesU8(rgbToU8(img), opts);
}

export function clipPixelValuesU8(img: U8Image, opts: ClipImageOptions = {}): Float32Array {
  const size = opts.size ?? 224;
  const mean = opts.mean ?? CLIP_MEAN;
  const std = opts.std ?? CLIP_STD;
  const target = shortestEdgeSize(img.width, img.height, size);
  const resized = pilResizeBicubic(img, target.width, target.height);
  const mode = opts.crop ?? 'transformers';
  // transformers pads with zeros when the image is smaller than the crop; shortest-edge resize never is.
  const top = cropOffset(resized.height - size, mode);
  const left = cropOffset(resized.width - size, mode);
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = resized.data[((top + y) * resized.width + left + x) * 3 + c]! / 255;
        out[(c * size + y) * size + x] = (v - mean[c]!) / std[c]!;
      }
    }
  }
  return out;
}
