// Greatest Hits stand-ins: a drumstick hitting a material (modal/impact synthesis) and material textures.
import { decayEnvelope, decayingSine, filter, mixInto, multiply, whiteNoise } from './dsp.js';
import { Canvas, clamp01, fbm, jitter, mix, valueNoise, type Rgb } from './raster.js';
import type { Rng } from './prng.js';
import type { PaintContext, SynthContext, ToyClass } from './toy-class.js';

interface Material {
  label: string;
  noun: readonly string[];
  levelDb: number;
  /** One impact of the stick, `strength` in (0, 1]. */
  impact(rng: Rng, sr: number, strength: number): Float32Array;
  /** Texture value t(u, v) in [-1, 1] and its colour mapping; `contrast` scales the modulation. */
  texture(rng: Rng): { base: Rgb; dark: Rgb; light: Rgb; field: (u: number, v: number) => number; extra?: (c: Canvas, contrast: number) => void };
}

function modal(rng: Rng, sr: number, f1Range: [number, number], ratios: number[], decays: number[], noise: { gain: number; kind: 'lowpass' | 'highpass' | 'bandpass'; freq: number; decay: number }): Float32Array {
  const len = Math.round(Math.min(1.2, Math.max(...decays) * 5) * sr);
  const out = new Float32Array(len);
  const f1 = rng.uniform(...f1Range);
  ratios.forEach((r, k) => {
    const f = f1 * r * rng.uniform(0.98, 1.02);
    if (f < sr * 0.45) mixInto(out, decayingSine(len, sr, f, decays[k]! * rng.uniform(0.8, 1.2), 1, rng.uniform(0, 6.28)), 0, 1 / (k + 1));
  });
  const nlen = Math.round(noise.decay * 6 * sr);
  mixInto(out, multiply(filter(whiteNoise(nlen, rng), noise.kind, noise.freq, 0.8, sr), decayEnvelope(nlen, sr, 0.0005, noise.decay)), 0, noise.gain);
  return out;
}

function burst(rng: Rng, sr: number, kind: 'lowpass' | 'highpass' | 'bandpass', freq: number, q: number, attack: number, decay: number): Float32Array {
  const len = Math.round((attack + decay * 6) * sr);
  return multiply(filter(whiteNoise(len, rng), kind, freq, q, sr), decayEnvelope(len, sr, attack, decay));
}

const MATERIALS: readonly Material[] = [
  {
    label: 'wood',
    noun: ['wood', 'a wooden plank', 'a wooden fence'],
    levelDb: -20,
    impact: (rng, sr) => modal(rng, sr, [280, 520], [1, 2.4, 3.9, 5.5], [0.07, 0.045, 0.03, 0.02], { gain: 0.6, kind: 'lowpass', freq: 2500, decay: 0.004 }),
    texture(rng) {
      const noise = valueNoise(rng);
      const freq = rng.uniform(18, 30);
      const angle = rng.uniform(-0.3, 0.3);
      return {
        base: jitter([0.58, 0.37, 0.19], rng, 0.04),
        dark: [0.3, 0.16, 0.06],
        light: [0.78, 0.56, 0.32],
        field: (u, v) => Math.sin((u * Math.cos(angle) + v * Math.sin(angle)) * freq + 4 * fbm(noise, u * 3, v * 12)),
      };
    },
  },
  {
    label: 'metal',
    noun: ['metal', 'a metal plate', 'a steel railing'],
    levelDb: -18,
    impact: (rng, sr) => modal(rng, sr, [650, 1100], [1, 2.76, 5.4, 8.93], [0.7, 0.5, 0.35, 0.25], { gain: 0.2, kind: 'highpass', freq: 3000, decay: 0.002 }),
    texture(rng) {
      const noise = valueNoise(rng);
      return {
        base: jitter([0.6, 0.63, 0.68], rng, 0.03),
        dark: [0.35, 0.38, 0.42],
        light: [0.88, 0.9, 0.93],
        field: (u, v) => 2 * fbm(noise, u * 3, v * 60, 2) - 1 + 0.6 * Math.sin(u * 3 + v * 2),
      };
    },
  },
  {
    label: 'glass',
    noun: ['glass', 'a glass window', 'a glass bottle'],
    levelDb: -20,
    impact: (rng, sr) => modal(rng, sr, [1500, 2400], [1, 2.32, 4.25, 6.63], [0.3, 0.22, 0.14, 0.09], { gain: 0.35, kind: 'highpass', freq: 4000, decay: 0.0015 }),
    texture(rng) {
      const angle = rng.uniform(0.5, 1.1);
      const offset = rng.uniform(0, 1);
      return {
        base: jitter([0.72, 0.86, 0.9], rng, 0.03),
        dark: [0.45, 0.62, 0.7],
        light: [1, 1, 1],
        field: (u, v) => {
          const s = ((u * Math.cos(angle) + v * Math.sin(angle) + offset) * 3) % 1;
          return s < 0.12 ? 1 : s < 0.18 ? 0.3 : -0.35 + 0.5 * v;
        },
      };
    },
  },
  {
    label: 'leaf',
    noun: ['leaves', 'a pile of leaves', 'dry leaves'],
    levelDb: -24,
    impact(rng, sr) {
      const len = Math.round(0.15 * sr);
      const out = new Float32Array(len);
      for (let k = 0; k < 25; k++) mixInto(out, burst(rng, sr, 'highpass', rng.uniform(2500, 5000), 0.7, 0.0005, 0.003), rng.int(0, len - 1), rng.uniform(0.3, 1));
      return out;
    },
    texture(rng) {
      const leaves = Array.from({ length: 26 }, () => ({ x: rng.next(), y: rng.next(), r: rng.uniform(0.07, 0.13), a: rng.uniform(0, Math.PI), s: rng.uniform(-1, 1) }));
      return {
        base: jitter([0.28, 0.48, 0.16], rng, 0.04),
        dark: [0.1, 0.25, 0.06],
        light: [0.55, 0.75, 0.25],
        field: (u, v) => {
          let val = -0.8;
          for (const l of leaves) {
            const dx = u - l.x;
            const dy = v - l.y;
            const along = dx * Math.cos(l.a) + dy * Math.sin(l.a);
            const across = -dx * Math.sin(l.a) + dy * Math.cos(l.a);
            if ((along / l.r) ** 2 + (across / (l.r * 0.45)) ** 2 <= 1) val = Math.abs(across) < 0.008 ? 1 : l.s;
          }
          return val;
        },
      };
    },
  },
  {
    label: 'water',
    noun: ['water', 'a pool of water', 'a puddle'],
    levelDb: -20,
    impact(rng, sr) {
      const out = burst(rng, sr, 'bandpass', rng.uniform(700, 1400), 1, 0.002, 0.03);
      for (let k = 0; k < 3; k++) mixInto(out, decayingSine(Math.round(0.06 * sr), sr, rng.uniform(500, 1000), 0.02, 1.6), rng.int(0, Math.round(0.05 * sr)), 0.6);
      return out;
    },
    texture(rng) {
      const cx = rng.uniform(0.2, 0.8);
      const cy = rng.uniform(0.2, 0.8);
      const freq = rng.uniform(35, 55);
      return {
        base: jitter([0.14, 0.38, 0.62], rng, 0.04),
        dark: [0.04, 0.18, 0.38],
        light: [0.55, 0.78, 0.95],
        field: (u, v) => {
          const d = Math.hypot(u - cx, v - cy);
          return Math.sin(d * freq) * Math.exp(-d * 2);
        },
      };
    },
  },
  {
    label: 'dirt',
    noun: ['dirt', 'the dirt ground', 'a patch of soil'],
    levelDb: -22,
    impact(rng, sr) {
      const out = burst(rng, sr, 'lowpass', rng.uniform(250, 450), 0.8, 0.001, 0.025);
      mixInto(out, decayingSine(Math.round(0.15 * sr), sr, rng.uniform(70, 120), 0.03), 0, 0.8);
      return out;
    },
    texture(rng) {
      const noise = valueNoise(rng);
      return {
        base: jitter([0.36, 0.29, 0.22], rng, 0.03),
        dark: [0.15, 0.11, 0.08],
        light: [0.6, 0.52, 0.42],
        field: (u, v) => {
          const speck = noise(u * 90, v * 90);
          return speck > 0.8 ? 1 : speck < 0.2 ? -1 : 1.6 * (fbm(noise, u * 6 + 40, v * 6) - 0.5);
        },
      };
    },
  },
  {
    label: 'cloth',
    noun: ['cloth', 'a piece of cloth', 'a folded blanket'],
    levelDb: -26,
    impact: (rng, sr) => burst(rng, sr, 'lowpass', rng.uniform(600, 1000), 0.7, 0.008, 0.03),
    texture(rng) {
      const freq = rng.uniform(45, 65);
      const noise = valueNoise(rng);
      return {
        base: jitter([0.58, 0.14, 0.22], rng, 0.04),
        dark: [0.3, 0.05, 0.1],
        light: [0.85, 0.4, 0.45],
        field: (u, v) => {
          const warp = Math.sin(u * freq) > 0;
          const weft = Math.sin(v * freq) > 0;
          return (warp !== weft ? 0.7 : -0.7) + 0.6 * (fbm(noise, u * 4, v * 4) - 0.5) + 0.3 * Math.sin(v * 5);
        },
      };
    },
  },
  {
    label: 'plastic',
    noun: ['plastic', 'a plastic box', 'a plastic bucket'],
    levelDb: -20,
    impact: (rng, sr) => modal(rng, sr, [450, 850], [1, 1.72, 2.91, 4.13], [0.05, 0.04, 0.03, 0.02], { gain: 0.5, kind: 'bandpass', freq: 1500, decay: 0.003 }),
    texture(rng) {
      const hx = rng.uniform(0.25, 0.75);
      const hy = rng.uniform(0.2, 0.5);
      const seam = rng.uniform(0.55, 0.85);
      return {
        base: jitter([0.95, 0.6, 0.08], rng, 0.04),
        dark: [0.6, 0.3, 0.02],
        light: [1, 0.95, 0.75],
        field: (u, v) => {
          const d = Math.hypot(u - hx, (v - hy) * 1.5);
          return Math.abs(v - seam) < 0.02 ? -1 : d < 0.12 ? 1 : 0.6 * (0.5 - v);
        },
      };
    },
  },
];

function stick(canvas: Canvas, rng: Rng): void {
  const tipX = rng.uniform(0.35, 0.65);
  const tipY = rng.uniform(0.4, 0.6);
  const angle = rng.uniform(-2.6, -0.6);
  canvas.line(tipX, tipY, tipX + Math.cos(angle) * 0.9, tipY + Math.sin(angle) * 0.9, 0.07, [0.12, 0.1, 0.09]);
  canvas.line(tipX, tipY, tipX + Math.cos(angle) * 0.9, tipY + Math.sin(angle) * 0.9, 0.03, [0.3, 0.27, 0.24]);
}

function materialClass(m: Material): ToyClass {
  return {
    label: m.label,
    levelDb: m.levelDb,
    synth({ rng, sampleRate: sr, length }: SynthContext) {
      const out = new Float32Array(length);
      const hits = rng.int(2, 5);
      const spacing = length / hits;
      for (let k = 0; k < hits; k++) {
        const at = Math.round(k * spacing + rng.uniform(0.05, 0.6) * spacing);
        mixInto(out, m.impact(rng, sr, 1), at, rng.uniform(0.6, 1));
      }
      return out;
    },
    paint({ rng, canvas, intensity }: PaintContext) {
      const t = m.texture(rng);
      const contrast = 0.15 + 0.85 * intensity;
      canvas.shade((u, v) => {
        const f = Math.max(-1, Math.min(1, t.field(u, v))) * contrast;
        return f >= 0 ? mix(t.base, t.light, f) : mix(t.base, t.dark, -f);
      });
      stick(canvas, rng);
      canvas.shade(() => [0, 0, 0], (u, v) => 0.25 * clamp01(Math.hypot(u - 0.5, v - 0.5) * 2 - 0.6));
    },
    captions: m.noun.flatMap((n) => [`a stick hitting ${n}`, `a {i} hit on ${n}`, `someone striking ${n} with a stick`, `a {i} drumstick strike on ${n}`]),
  };
}

export const HITS_CLASSES: readonly ToyClass[] = MATERIALS.map(materialClass);
