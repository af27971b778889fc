// Moving SonicToy images between PNG files, RgbImage values in [0, 1] and the VAE's NHWC range [−1, 1].
import * as tf from '@tensorflow/tfjs-core';
import { readPng } from '../../../data/media/png.js';
import { toFloatImage, type RgbImage } from '../../../data/media/image.js';

/** Reads PNGs into one NHWC tensor in [−1, 1]; every image must be size×size. */
export function loadImageBatch(paths: readonly string[], size: number): tf.Tensor4D {
  const data = new Float32Array(paths.length * size * size * 3);
  paths.forEach((path, i) => {
    const img = readPng(path);
    if (img.width !== size || img.height !== size) {
      throw new Error(`${path}: image is ${img.width}×${img.height}, but toy-SD is configured for ${size}×${size} (set imageSize to match the dataset)`);
    }
    const off = i * size * size * 3;
    for (let j = 0; j < img.data.length; j++) data[off + j] = (img.data[j]! / 255) * 2 - 1;
  });
  return tf.tensor4d(data, [paths.length, size, size, 3]);
}

/** NHWC tensor in ≈[−1, 1] -> RgbImages in [0, 1] (clipped). */
export function tensorToImages(x: tf.Tensor4D): RgbImage<Float32Array>[] {
  const [n, h, w, c] = x.shape;
  if (c !== 3) throw new Error(`tensorToImages: expected 3 channels, got [${x.shape}]`);
  const values = x.dataSync();
  const per = h * w * 3;
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(per);
    for (let j = 0; j < per; j++) data[j] = Math.min(1, Math.max(0, (values[i * per + j]! + 1) / 2));
    return { width: w, height: h, data };
  });
}

export function imagesToTensor(images: readonly RgbImage[]): tf.Tensor4D {
  if (images.length === 0) throw new Error('imagesToTensor: no images');
  const { width, height } = images[0]!;
  const data = new Float32Array(images.length * width * height * 3);
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height) throw new Error(`imagesToTensor: image ${i} is ${img.width}×${img.height}, expected ${width}×${height}`);
    const f = toFloatImage(img).data;
    for (let j = 0; j < f.length; j++) data[i * f.length + j] = f[j]! * 2 - 1;
  });
  return tf.tensor4d(data, [images.length, height, width, 3]);
}
