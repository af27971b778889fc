// Tiny supersampled RGB canvas in normalised coordinates (u right, v down, both in [0, 1]).
// Shapes are drawn hard at `supersample`× resolution and box-filtered on output, which anti-aliases them.
import type { RgbImage } from '../media/image.js';
import type { Rng } from './prng.js';

export type Rgb = readonly [number, number, number];

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function scale(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k];
}

/** Random per-channel jitter of ±amount, clamped. */
export function jitter(c: Rgb, rng: Rng, amount: number): Rgb {
  return [clamp01(c[0] + rng.uniform(-amount, amount)), clamp01(c[1] + rng.uniform(-amount, amount)), clamp01(c[2] + rng.uniform(-amount, amount))];
}

export function luminance(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/** Hash-based 2-D value noise in [0, 1] with smooth interpolation. */
export function valueNoise(rng: Rng): (x: number, y: number) => number {
  const size = 256;
  const values = new Float32Array(size * size);
  for (let i = 0; i < values.length; i++) values[i] = rng.next();
  const at = (ix: number, iy: number) => values[(((iy % size) + size) % size) * size + (((ix % size) + size) % size)]!;
  return (x, y) => {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const fx = x - ix;
    const fy = y - iy;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const a = at(ix, iy) + (at(ix + 1, iy) - at(ix, iy)) * sx;
    const b = at(ix, iy + 1) + (at(ix + 1, iy + 1) - at(ix, iy + 1)) * sx;
    return a + (b - a) * sy;
  };
}

/** Fractal sum of `octaves` value-noise layers, normalised to [0, 1]. */
export function fbm(noise: (x: number, y: number) => number, x: number, y: number, octaves = 3): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise(x * f, y * f);
    norm += amp;
    amp *= 0.5;
    f *= 2;
  }
  return sum / norm;
}

export class Canvas {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;

  constructor(readonly size: number, readonly supersample = 3) {
    this.width = size * supersample;
    this.height = size * supersample;
    this.pixels = new Float32Array(this.width * this.height * 3);
  }

  /** Call `fn(u, v)` for every (sub)pixel; a returned colour is blended with `alpha` (default 1). */
  shade(fn: (u: number, v: number) => Rgb | null, alpha: (u: number, v: number) => number = () => 1, box?: [number, number, number, number]): void {
    const [u0, v0, u1, v1] = box ?? [0, 0, 1, 1];
    const x0 = Math.max(0, Math.floor(u0 * this.width));
    const x1 = Math.min(this.width, Math.ceil(u1 * this.width));
    const y0 = Math.max(0, Math.floor(v0 * this.height));
    const y1 = Math.min(this.height, Math.ceil(v1 * this.height));
    for (let y = y0; y < y1; y++) {
      const v = (y + 0.5) / this.height;
      for (let x = x0; x < x1; x++) {
        const u = (x + 0.5) / this.width;
        const c = fn(u, v);
        if (!c) continue;
        const a = alpha(u, v);
        if (a <= 0) continue;
        const p = (y * this.width + x) * 3;
        this.pixels[p] = this.pixels[p]! + (c[0] - this.pixels[p]!) * a;
        this.pixels[p + 1] = this.pixels[p + 1]! + (c[1] - this.pixels[p + 1]!) * a;
        this.pixels[p + 2] = this.pixels[p + 2]! + (c[2] - this.pixels[p + 2]!) * a;
      }
    }
  }

  fill(c: Rgb): void {
    this.shade(() => c);
  }

  verticalGradient(top: Rgb, bottom: Rgb, v0 = 0, v1 = 1): void {
    this.shade((_u, v) => mix(top, bottom, clamp01((v - v0) / (v1 - v0))), () => 1, [0, v0, 1, v1]);
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, c: Rgb, alpha = 1): void {
    this.shade(
      (u, v) => ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1 ? c : null,
      () => alpha,
      [cx - rx, cy - ry, cx + rx, cy + ry],
    );
  }

  circle(cx: number, cy: number, r: number, c: Rgb, alpha = 1): void {
    this.ellipse(cx, cy, r, r, c, alpha);
  }

  /** A ring (annulus) of the given outer radius and thickness. */
  ring(cx: number, cy: number, r: number, thickness: number, c: Rgb, alpha = 1): void {
    this.shade(
      (u, v) => {
        const d = Math.hypot(u - cx, v - cy);
        return d <= r && d >= r - thickness ? c : null;
      },
      () => alpha,
      [cx - r, cy - r, cx + r, cy + r],
    );
  }

  /** A thick line segment with round caps. */
  line(x0: number, y0: number, x1: number, y1: number, width: number, c: Rgb, alpha = 1): void {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy || 1e-12;
    const h = width / 2;
    this.shade(
      (u, v) => {
        const t = clamp01(((u - x0) * dx + (v - y0) * dy) / len2);
        const px = x0 + t * dx - u;
        const py = y0 + t * dy - v;
        return px * px + py * py <= h * h ? c : null;
      },
      () => alpha,
      [Math.min(x0, x1) - h, Math.min(y0, y1) - h, Math.max(x0, x1) + h, Math.max(y0, y1) + h],
    );
  }

  polyline(points: ReadonlyArray<readonly [number, number]>, width: number, c: Rgb, alpha = 1): void {
    for (let i = 1; i < points.length; i++) this.line(points[i - 1]![0], points[i - 1]![1], points[i]![0], points[i]![1], width, c, alpha);
  }

  /** Filled polygon (even-odd rule). */
  polygon(points: ReadonlyArray<readonly [number, number]>, c: Rgb, alpha = 1): void {
    const us = points.map((p) => p[0]);
    const vs = points.map((p) => p[1]);
    this.shade(
      (u, v) => {
        let inside = false;
        for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
          const [xi, yi] = points[i]!;
          const [xj, yj] = points[j]!;
          if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
        }
        return inside ? c : null;
      },
      () => alpha,
      [Math.min(...us), Math.min(...vs), Math.max(...us), Math.max(...vs)],
    );
  }

  /** Soft radial glow: blends towards `c` with weight strength·(1 − d/r)². */
  glow(cx: number, cy: number, r: number, c: Rgb, strength = 1): void {
    this.shade(
      () => c,
      (u, v) => {
        const d = Math.hypot(u - cx, v - cy) / r;
        return d >= 1 ? 0 : Math.min(1, strength * (1 - d) * (1 - d));
      },
      [cx - r, cy - r, cx + r, cy + r],
    );
  }

  /** Box-filter down to size × size, clamped to [0, 1]. */
  toImage(): RgbImage<Float32Array> {
    const n = this.size;
    const s = this.supersample;
    const out = new Float32Array(n * n * 3);
    const inv = 1 / (s * s);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        for (let ch = 0; ch < 3; ch++) {
          let acc = 0;
          for (let dy = 0; dy < s; dy++) {
            for (let dx = 0; dx < s; dx++) acc += this.pixels[((y * s + dy) * this.width + x * s + dx) * 3 + ch]!;
          }
          out[(y * n + x) * 3 + ch] = clamp01(acc * inv);
        }
      }
    }
    return { width: n, height: n, data: out };
  }
}
