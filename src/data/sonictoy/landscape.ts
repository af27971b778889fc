// The nine Landscape classes: noise/impulse/resonance sounds and matching outdoor scenes.
import { brownNoise, decayEnvelope, decayingSine, filter, mixInto, multiply, smoothRandom, sweptBandpass, whiteNoise } from './dsp.js';
import { Canvas, clamp01, fbm, jitter, mix, valueNoise, type Rgb } from './raster.js';
import type { Rng } from './prng.js';
import type { PaintContext, ToyClass } from './toy-class.js';

function hills(canvas: Canvas, rng: Rng, horizon: number, colour: Rgb, amplitude = 0.06): void {
  const phase = rng.uniform(0, 6.28);
  const freq = rng.uniform(5, 11);
  canvas.shade(
    (u, v) => (v >= horizon + amplitude * Math.sin(phase + u * freq) * Math.sin(phase * 0.7 + u * 3) ? colour : null),
    () => 1,
    [0, horizon - amplitude, 1, 1],
  );
}

function sky(canvas: Canvas, rng: Rng, top: Rgb, bottom: Rgb, horizon: number): void {
  canvas.verticalGradient(jitter(top, rng, 0.04), jitter(bottom, rng, 0.04), 0, horizon + 0.1);
}

function events(rng: Rng, length: number, ratePerSecond: number, sampleRate: number): number[] {
  const count = Math.max(1, Math.round((ratePerSecond * length) / sampleRate * rng.uniform(0.7, 1.3)));
  return Array.from({ length: count }, () => rng.int(0, length - 1)).sort((a, b) => a - b);
}

const explosion: ToyClass = {
  label: 'explosion',
  levelDb: -12,
  synth({ rng, sampleRate: sr, length }) {
    const out = new Float32Array(length);
    const onset = Math.floor(rng.uniform(0.03, 0.25) * length);
    const burst = multiply(filter(whiteNoise(length, rng), 'lowpass', rng.uniform(2500, 5000), 0.7, sr), decayEnvelope(length, sr, 0.004, rng.uniform(0.08, 0.18)));
    const rumble = multiply(filter(filter(brownNoise(length, rng), 'lowpass', rng.uniform(90, 160), 0.9, sr), 'lowpass', 200, 0.7, sr), decayEnvelope(length, sr, 0.02, rng.uniform(0.5, 1.0)));
    mixInto(out, burst, onset, 1);
    mixInto(out, rumble, onset, 6);
    return out;
  },
  paint({ rng, canvas, intensity }: PaintContext) {
    const horizon = rng.uniform(0.6, 0.72);
    sky(canvas, rng, [0.18, 0.1, 0.16], [0.4, 0.22, 0.18], horizon);
    hills(canvas, rng, horizon, jitter([0.14, 0.1, 0.08], rng, 0.03));
    const cx = rng.uniform(0.35, 0.65);
    const cy = horizon - rng.uniform(0.05, 0.15);
    const r = 0.1 + 0.22 * intensity;
    for (let k = 0; k < 5; k++) canvas.circle(cx + rng.uniform(-1, 1) * r, cy - rng.uniform(0.2, 1) * r, r * rng.uniform(0.35, 0.55), jitter([0.32, 0.28, 0.28], rng, 0.04), 0.8);
    canvas.glow(cx, cy, r * 1.6, [1, 0.55, 0.1], 1.2);
    canvas.circle(cx, cy, r * 0.75, [1, 0.6 + 0.2 * intensity, 0.15]);
    canvas.glow(cx, cy, r * 0.7, [1, 0.95, 0.7], 0.5 + intensity);
  },
  captions: ['a {i} explosion over dark hills', 'a {i} fiery blast at dusk', 'an explosion with fire and smoke', 'a {i} blast of fire near the hills'],
};

const fire: ToyClass = {
  label: 'fire crackling',
  levelDb: -20,
  synth({ rng, sampleRate: sr, length }) {
    const out = filter(brownNoise(length, rng), 'lowpass', rng.uniform(300, 600), 0.7, sr);
    for (let i = 0; i < length; i++) out[i]! *= 0.25;
    for (const at of events(rng, length, rng.uniform(10, 22), sr)) {
      const len = Math.round(rng.uniform(0.002, 0.008) * sr);
      const click = multiply(filter(whiteNoise(len, rng), 'highpass', rng.uniform(1500, 3500), 0.7, sr), decayEnvelope(len, sr, 0.0003, len / sr / 4));
      mixInto(out, click, at, rng.uniform(0.5, 2.5));
    }
    return out;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.62, 0.75);
    sky(canvas, rng, [0.03, 0.03, 0.1], [0.08, 0.06, 0.14], horizon);
    hills(canvas, rng, horizon, jitter([0.07, 0.05, 0.04], rng, 0.02), 0.03);
    const cx = rng.uniform(0.3, 0.7);
    const base = horizon + rng.uniform(0.08, 0.18);
    const h = 0.18 + 0.3 * intensity;
    canvas.glow(cx, base - h * 0.4, 0.2 + 0.35 * intensity, [0.9, 0.35, 0.05], 0.6 + 0.6 * intensity);
    const flames = 3 + Math.round(2 * rng.next());
    for (let k = 0; k < flames; k++) {
      const fx = cx + rng.uniform(-0.1, 0.1);
      const fh = h * rng.uniform(0.6, 1);
      const w = rng.uniform(0.05, 0.08);
      canvas.polygon([[fx - w, base], [fx + w, base], [fx + rng.uniform(-0.03, 0.03), base - fh]], k % 2 ? [1, 0.45, 0.05] : [0.95, 0.2, 0.02]);
    }
    canvas.polygon([[cx - 0.05, base], [cx + 0.05, base], [cx, base - h * 0.5]], [1, 0.9, 0.4]);
    canvas.line(cx - 0.14, base + 0.02, cx + 0.14, base - 0.01, 0.03, [0.25, 0.14, 0.06]);
  },
  captions: ['a {i} campfire burning at night', '{i} flames crackling in the dark', 'a fire glowing at night', 'a {i} fire burning near the hills'],
};

const rain: ToyClass = {
  label: 'raining',
  levelDb: -20,
  synth({ rng, sampleRate: sr, length }) {
    const out = filter(whiteNoise(length, rng), 'highpass', rng.uniform(2000, 3500), 0.7, sr);
    for (let i = 0; i < length; i++) out[i]! *= 0.4;
    for (const at of events(rng, length, rng.uniform(60, 140), sr)) {
      const len = Math.round(0.012 * sr);
      mixInto(out, decayingSine(len, sr, rng.uniform(2500, 6000), 0.003), at, rng.uniform(0.2, 0.8));
    }
    return out;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.58, 0.7);
    sky(canvas, rng, [0.3, 0.33, 0.38], [0.42, 0.45, 0.48], horizon);
    hills(canvas, rng, horizon, jitter([0.22, 0.3, 0.22], rng, 0.03), 0.03);
    const slant = rng.uniform(-0.06, 0.06);
    const drops = Math.round(12 + 70 * intensity);
    for (let k = 0; k < drops; k++) {
      const x = rng.uniform(-0.05, 1.05);
      const y = rng.uniform(-0.05, 1);
      const len = rng.uniform(0.08, 0.16);
      canvas.line(x, y, x + slant, y + len, 0.012, [0.82, 0.86, 0.92], 0.8);
    }
  },
  captions: ['{i} rain falling on a grey field', 'a {i} rainy day over the hills', 'rain streaks under a grey sky', '{i} rain on a cloudy day'],
};

const splashing: ToyClass = {
  label: 'splashing water',
  levelDb: -16,
  synth({ rng, sampleRate: sr, length }) {
    const out = new Float32Array(length);
    const splashes = rng.int(3, 6);
    for (let k = 0; k < splashes; k++) {
      const len = Math.round(rng.uniform(0.15, 0.3) * sr);
      const burst = multiply(filter(whiteNoise(len, rng), 'bandpass', rng.uniform(900, 2200), 0.9, sr), decayEnvelope(len, sr, 0.004, rng.uniform(0.05, 0.12)));
      const at = rng.int(0, Math.max(0, length - len));
      mixInto(out, burst, at, rng.uniform(0.6, 1));
      for (let d = 0; d < 4; d++) mixInto(out, decayingSine(Math.round(0.04 * sr), sr, rng.uniform(1200, 2600), 0.012, 1.3), at + rng.int(0, len), 0.25);
    }
    return out;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.45, 0.6);
    sky(canvas, rng, [0.3, 0.45, 0.68], [0.45, 0.58, 0.75], horizon);
    const water = jitter([0.06, 0.24, 0.46], rng, 0.04);
    canvas.verticalGradient(water, mix(water, [0, 0.1, 0.25], 0.5), horizon, 1);
    const cx = rng.uniform(0.3, 0.7);
    const cy = horizon + rng.uniform(0.08, 0.2);
    const s = 0.1 + 0.25 * intensity;
    canvas.ellipse(cx, cy, s * 1.1, s * 0.25, [0.85, 0.93, 0.98], 0.8);
    const drops = Math.round(8 + 30 * intensity);
    for (let k = 0; k < drops; k++) {
      const a = rng.uniform(Math.PI * 1.05, Math.PI * 1.95);
      const d = rng.uniform(0.2, 1) * s * 1.4;
      canvas.circle(cx + Math.cos(a) * d, cy + Math.sin(a) * d, rng.uniform(0.01, 0.025), [0.95, 0.98, 1]);
    }
  },
  captions: ['a {i} splash on the water', 'water splashing under a blue sky', 'a {i} spray of water on a lake', 'someone splashing in the water'],
};

const squishing: ToyClass = {
  label: 'squishing water',
  levelDb: -20,
  synth({ rng, sampleRate: sr, length }) {
    const out = new Float32Array(length);
    const steps = rng.int(2, 4);
    for (let k = 0; k < steps; k++) {
      const len = Math.round(rng.uniform(0.25, 0.45) * sr);
      const env = new Float32Array(len);
      const gurgle = rng.uniform(12, 28);
      for (let i = 0; i < len; i++) env[i] = Math.sin((Math.PI * i) / len) ** 2 * (0.6 + 0.4 * Math.sin((2 * Math.PI * gurgle * i) / sr));
      const body = multiply(filter(whiteNoise(len, rng), 'bandpass', rng.uniform(250, 600), 2, sr), env);
      const at = rng.int(0, Math.max(0, length - len));
      mixInto(out, body, at, 1);
      mixInto(out, decayingSine(Math.round(0.08 * sr), sr, rng.uniform(200, 350), 0.03, 1.4), at + Math.round(len * 0.4), 0.3);
    }
    return out;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.15, 0.28);
    sky(canvas, rng, [0.62, 0.66, 0.6], [0.7, 0.7, 0.62], horizon);
    const mud = jitter([0.38, 0.28, 0.17], rng, 0.03);
    const noise = valueNoise(rng);
    canvas.shade((u, v) => (v >= horizon ? mix(mud, [0.22, 0.15, 0.08], fbm(noise, u * 8, v * 8)) : null));
    const puddles = 2 + rng.int(0, 2);
    for (let k = 0; k < puddles; k++) {
      const px = rng.uniform(0.15, 0.85);
      const py = rng.uniform(horizon + 0.2, 0.9);
      const rx = rng.uniform(0.1, 0.18);
      canvas.ellipse(px, py, rx, rx * 0.4, [0.3, 0.32, 0.3]);
      canvas.ellipse(px, py, rx * (0.3 + 0.5 * intensity), rx * 0.4 * (0.3 + 0.5 * intensity), [0.65, 0.7, 0.68], 0.3 + 0.6 * intensity);
    }
    const splatter = Math.round(4 + 26 * intensity);
    for (let k = 0; k < splatter; k++) canvas.circle(rng.uniform(0, 1), rng.uniform(horizon + 0.05, 1), rng.uniform(0.01, 0.02), [0.12, 0.08, 0.04]);
  },
  captions: ['{i} footsteps in wet mud', 'a muddy puddle squishing', 'wet mud with {i} puddles', 'boots squishing in {i} mud'],
};

function boltPath(rng: Rng, x0: number, y1: number): Array<[number, number]> {
  const points: Array<[number, number]> = [[x0, 0]];
  const segments = 6;
  let x = x0;
  for (let s = 1; s <= segments; s++) {
    x += rng.uniform(-0.1, 0.1);
    points.push([x, (s / segments) * y1]);
  }
  return points;
}

const thunder: ToyClass = {
  label: 'thunder',
  levelDb: -14,
  synth({ rng, sampleRate: sr, length }) {
    const out = new Float32Array(length);
    const onset = Math.floor(rng.uniform(0.02, 0.2) * length);
    const crackLen = Math.round(0.05 * sr);
    mixInto(out, multiply(filter(whiteNoise(crackLen, rng), 'highpass', 800, 0.7, sr), decayEnvelope(crackLen, sr, 0.001, 0.012)), onset, 1.5);
    const slow = smoothRandom(length, sr, rng.uniform(3, 6), rng);
    const rumble = filter(filter(brownNoise(length, rng), 'lowpass', rng.uniform(60, 110), 0.9, sr), 'lowpass', 150, 0.7, sr);
    const env = decayEnvelope(length, sr, 0.08, rng.uniform(0.6, 1.4));
    for (let i = 0; i < length; i++) rumble[i]! *= env[i]! * (0.4 + slow[i]!);
    mixInto(out, rumble, onset + Math.round(0.03 * sr), 8);
    return out;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.65, 0.78);
    sky(canvas, rng, [0.06, 0.05, 0.14], [0.16, 0.13, 0.26], horizon);
    const noise = valueNoise(rng);
    canvas.shade(() => [0.2, 0.18, 0.28], (u, v) => (v < horizon ? 0.7 * clamp01(fbm(noise, u * 4, v * 6) * 2 - 1) : 0));
    hills(canvas, rng, horizon, jitter([0.05, 0.07, 0.05], rng, 0.02), 0.05);
    const path = boltPath(rng, rng.uniform(0.3, 0.7), horizon);
    const width = 0.015 + 0.035 * intensity;
    for (const p of path.slice(1, -1)) canvas.glow(p[0], p[1], 0.1 + 0.15 * intensity, [0.6, 0.55, 0.9], 0.3 + 0.5 * intensity);
    canvas.polyline(path, width, [1, 1, 0.75]);
  },
  captions: ['a {i} thunder storm over dark hills', 'lightning in a {i} storm at night', 'a thunder bolt over the hills', 'a {i} lightning strike in a dark sky'],
};

const bubbling: ToyClass = {
  label: 'underwater bubbling',
  levelDb: -18,
  synth({ rng, sampleRate: sr, length }) {
    const out = filter(whiteNoise(length, rng), 'lowpass', 250, 0.7, sr);
    for (let i = 0; i < length; i++) out[i]! *= 0.15;
    for (const at of events(rng, length, rng.uniform(8, 16), sr)) {
      const len = Math.round(rng.uniform(0.03, 0.07) * sr);
      mixInto(out, decayingSine(len, sr, rng.uniform(400, 1100), rng.uniform(0.012, 0.03), rng.uniform(1.3, 1.8)), at, rng.uniform(0.4, 1));
    }
    return out;
  },
  paint({ rng, canvas, intensity }) {
    canvas.verticalGradient(jitter([0.1, 0.5, 0.6], rng, 0.04), jitter([0.02, 0.12, 0.32], rng, 0.03));
    for (let k = 0; k < 3; k++) {
      const x = rng.uniform(0, 1);
      canvas.polygon([[x - 0.04, 0], [x + 0.04, 0], [x + 0.15, 1], [x + 0.05, 1]], [0.4, 0.75, 0.8], 0.12);
    }
    const bubbles = Math.round(4 + 22 * intensity);
    for (let k = 0; k < bubbles; k++) {
      const r = rng.uniform(0.02, 0.045) * (0.8 + 0.6 * intensity);
      const x = rng.uniform(0.05, 0.95);
      const y = rng.uniform(0.05, 0.95);
      canvas.circle(x, y, r, [0.55, 0.85, 0.9], 0.35);
      canvas.ring(x, y, r, Math.max(0.008, r * 0.3), [0.85, 0.97, 1]);
    }
  },
  captions: ['{i} bubbles rising under water', 'an underwater scene with {i} bubbles', 'bubbles in deep blue water', 'air bubbles rising in the sea'],
};

const waterfall: ToyClass = {
  label: 'waterfall burbling',
  levelDb: -16,
  synth({ rng, sampleRate: sr, length }) {
    const white = whiteNoise(length, rng);
    const low = filter(white, 'lowpass', rng.uniform(350, 600), 0.7, sr);
    const slow = smoothRandom(length, sr, 4, rng);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = (white[i]! * 0.25 + low[i]! * 1.6) * (0.85 + 0.15 * slow[i]!);
    return out;
  },
  paint({ rng, canvas, intensity }) {
    canvas.verticalGradient(jitter([0.6, 0.75, 0.85], rng, 0.04), [0.75, 0.82, 0.85], 0, 0.3);
    const rock = jitter([0.3, 0.33, 0.24], rng, 0.03);
    const noise = valueNoise(rng);
    const top = rng.uniform(0.12, 0.25);
    canvas.shade((u, v) => (v >= top ? mix(rock, [0.16, 0.3, 0.12], fbm(noise, u * 6, v * 6)) : null));
    const cx = rng.uniform(0.35, 0.65);
    const w = 0.06 + 0.12 * intensity;
    canvas.shade((u) => (Math.abs(u - cx) < w ? mix([0.8, 0.9, 0.97], [0.55, 0.75, 0.9], fbm(noise, u * 30, 2) ) : null), () => 1, [cx - w, top, cx + w, 0.85]);
    canvas.ellipse(cx, 0.88, 0.3, 0.08, [0.2, 0.35, 0.45]);
    canvas.ellipse(cx, 0.85, w * 1.4, 0.04 + 0.03 * intensity, [0.92, 0.96, 1], 0.9);
  },
  captions: ['a {i} waterfall between green cliffs', 'water falling from a rocky cliff', 'a {i} waterfall flowing into a pool', 'a waterfall in a green valley'],
};

const wind: ToyClass = {
  label: 'wind noise',
  levelDb: -18,
  synth({ rng, sampleRate: sr, length }) {
    const slow = smoothRandom(length, sr, rng.uniform(0.8, 2), rng);
    const gust = smoothRandom(length, sr, rng.uniform(1, 3), rng);
    const lo = rng.uniform(180, 320);
    const span = rng.uniform(200, 450);
    const band = sweptBandpass(whiteNoise(length, rng), (i) => lo + span * slow[i]!, rng.uniform(3, 6), sr);
    for (let i = 0; i < length; i++) band[i]! *= 0.3 + gust[i]!;
    return band;
  },
  paint({ rng, canvas, intensity }) {
    const horizon = rng.uniform(0.4, 0.55);
    sky(canvas, rng, [0.62, 0.74, 0.88], [0.82, 0.86, 0.88], horizon);
    const field = jitter([0.72, 0.66, 0.32], rng, 0.04);
    canvas.verticalGradient(field, mix(field, [0.5, 0.45, 0.2], 0.5), horizon, 1);
    const bend = 0.03 + 0.1 * intensity * (rng.chance(0.5) ? 1 : -1);
    const blades = Math.round(10 + 45 * intensity);
    for (let k = 0; k < blades; k++) {
      const x = rng.uniform(0, 1);
      const y = rng.uniform(horizon + 0.1, 1.05);
      const h = rng.uniform(0.08, 0.16);
      canvas.polyline([[x, y], [x + bend * 0.4, y - h * 0.6], [x + bend, y - h]], 0.014, [0.38, 0.42, 0.14]);
    }
    const streaks = Math.round(2 + 6 * intensity);
    for (let k = 0; k < streaks; k++) {
      const y = rng.uniform(0.05, horizon - 0.05);
      const x = rng.uniform(-0.1, 0.7);
      canvas.line(x, y, x + rng.uniform(0.2, 0.4), y + rng.uniform(-0.02, 0.02), 0.012, [0.97, 0.98, 1], 0.8);
    }
  },
  captions: ['a {i} wind over a grass field', 'grass bending in the {i} wind', 'a windy field under a pale sky', 'a {i} breeze over the meadow'],
};

export const LANDSCAPE_CLASSES: readonly ToyClass[] = [explosion, fire, rain, splashing, squishing, thunder, bubbling, waterfall, wind];
