// torch.nn.functional.interpolate(mode='bilinear', align_corners=False, antialias=False) on CHW float
// data: what pytorch-fid's InceptionV3 does to its input before pool3 (resize to 299×299).

export function resizeBilinearChw(src: Float32Array, channels: number, inH: number, inW: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(channels * outH * outW);
  const sy = inH / outH;
  const sx = inW / outW;
  const src1d = (o: number, scale: number, n: number): [number, number, number] => {
    let s = (o + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    const i0 = Math.min(Math.floor(s), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    return [i0, i1, s - i0];
  };
  for (let y = 0; y < outH; y++) {
    const [y0, y1, fy] = src1d(y, sy, inH);
    for (let x = 0; x < outW; x++) {
      const [x0, x1, fx] = src1d(x, sx, inW);
      for (let c = 0; c < channels; c++) {
        const base = c * inH * inW;
        const top = src[base + y0 * inW + x0]! * (1 - fx) + src[base + y0 * inW + x1]! * fx;
        const bot = src[base + y1 * inW + x0]! * (1 - fx) + src[base + y1 * inW + x1]! * fx;
        out[(c * outH + y) * outW + x] = top * (1 - fy) + bot * fy;
      }
    }
  }
  return out;
}

/** RgbImage-style HWC → CHW. */
export function hwcToChw(data: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(3 * width * height);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) out[c * width * height + i] = data[i * 3 + c]!;
  return out;
}
