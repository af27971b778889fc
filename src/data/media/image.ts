// In-memory RGB images, height × width × 3 (HWC), either 8-bit or float in [0, 1].

export interface RgbImage<T extends Uint8Array | Float32Array = Uint8Array | Float32Array> {
  width: number;
  height: number;
  /** Row-major HWC, length width * height * 3. Float data is in [0, 1]. */
  data: T;
}

export function toUint8Image(img: RgbImage): RgbImage<Uint8Array> {
  if (img.data instanceof Uint8Array) return img as RgbImage<Uint8Array>;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = img.data[i]!;
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return { width: img.width, height: img.height, data: out };
}

export function toFloatImage(img: RgbImage): RgbImage<Float32Array> {
  if (img.data instanceof Float32Array) return img as RgbImage<Float32Array>;
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i]! / 255;
  return { width: img.width, height: img.height, data: out };
}
