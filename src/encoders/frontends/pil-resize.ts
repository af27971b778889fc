// Pillow's Image.resize(..., BICUBIC or BILINEAR) on 8-bit RGB, reproduced bit for bit (Pillow's Resample.c):
// separable convolution with the a = −0.5 cubic (or the triangle) whose support widens by the scale when shrinking
// (antialiasing), coefficients normalised and stored as 22-bit fixed point, horizontal pass first with
// the intermediate image rounded to uint8, then the vertical pass. CLIP's preprocessing (transformers'
// CLIPImageProcessor on PIL, OpenAI's clip.load preprocess) resizes with it.

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

export interface U8Image {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array; // HWC
}

export type PilFilter = 'bicubic' | 'bilinear';

const FILTERS: Record<PilFilter, { support: number; fn: (x: number) => number }> = {
  bicubic: { support: 2, fn: bicubic },
  bilinear: { support: 1, fn: (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0) },
};

function bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coeffs {
  ksize: number;
  bounds: Int32Array; // [xmin, count] per output pixel
  k: Float64Array; // fixed-point integers stored as doubles
}

function precomputeCoeffs(inSize: number, outSize: number, filter: PilFilter): Coeffs {
  const { support: support0, fn } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = support0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const k = new Float64Array(outSize * ksize);
  const w = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      w[x] = fn((x + xmin - center + 0.5) * ss);
      ww += w[x]!;
    }
    for (let x = 0; x < ksize; x++) {
      const v = x < xmax ? (ww !== 0 ? w[x]! / ww : w[x]!) : 0;
      k[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, k };
}

function clip8(acc: number): number {
  const v = Math.floor(acc / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

export function pilResizeBicubic(img: U8Image, outWidth: number, outHeight: number): U8Image {
  return pilResize(img, outWidth, outHeight, 'bicubic');
}

/** Image.resize((outWidth, outHeight), BICUBIC | BILINEAR) on an 8-bit image. */
export function pilResize(img: U8Image, outWidth: number, outHeight: number, filter: PilFilter): U8Image {
  const { channels: c } = img;
  let cur = img;
  if (outWidth !== img.width) {
    const co = precomputeCoeffs(img.width, outWidth, filter);
    const out = new Uint8Array(cur.height * outWidth * c);
    for (let y = 0; y < cur.height; y++) {
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = co.bounds[xx * 2]!;
        const count = co.bounds[xx * 2 + 1]!;
        for (let ch = 0; ch < c; ch++) {
          let acc = HALF;
          for (let x = 0; x < count; x++) acc += cur.data[(y * cur.width + xmin + x) * c + ch]! * co.k[xx * co.ksize + x]!;
          out[(y * outWidth + xx) * c + ch] = clip8(acc);
        }
      }
    }
    cur = { width: outWidth, height: cur.height, channels: c, data: out };
  }
  if (outHeight !== img.height) {
    const co = precomputeCoeffs(img.height, outHeight, filter);
    const out = new Uint8Array(outHeight * cur.width * c);
    for (let yy = 0; yy < outHeight; yy++) {
      const ymin = co.bounds[yy * 2]!;
      const count = co.bounds[yy * 2 + 1]!;
      for (let x = 0; x < cur.width; x++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = HALF;
          for (let y = 0; y < count; y++) acc += cur.data[((ymin + y) * cur.width + x) * c + ch]! * co.k[yy * co.ksize + y]!;
          out[(yy * cur.width + x) * c + ch] = clip8(acc);
        }
      }
    }
    cur = { width: cur.width, height: outHeight, channels: c, data: out };
  }
  return cur === img ? { ...img, data: Uint8Array.from(img.data) } : cur;
}
