// RAVDESS song stand-ins: a synthetic singing voice (additive glottal source shaped by vowel formants)
// whose pitch contour, tempo, vibrato, loudness and timbre carry the emotion; faces that show it.
import { filter, smoothRandom, whiteNoise } from './dsp.js';
import { Canvas, jitter, mix, type Rgb } from './raster.js';
import type { Rng } from './prng.js';
import type { PaintContext, SynthContext, ToyClass } from './toy-class.js';

interface Emotion {
  label: string;
  words: readonly string[];
  levelDb: number;
  /** Semitones relative to the singer's base pitch. */
  pitchOffset: number;
  /** Scale degrees (semitones) the melody draws from. */
  scale: readonly number[];
  /** Melody direction per note in semitone steps (+ rising, − falling). */
  drift: number;
  notesPerSecond: number;
  /** Fraction of each note that is sung (1 = legato). */
  duty: number;
  vibratoHz: number;
  vibratoCents: number;
  tremolo: number;
  /** Spectral tilt exponent: harmonic k has amplitude k^-tilt (lower = brighter). */
  tilt: number;
  breath: number;
  face: { colour: Rgb; mouth: number; mouthOpen: number; brow: number; browLift: number; eye: number };
}

const EMOTIONS: readonly Emotion[] = [
  { label: 'neutral', words: ['neutral', 'plain'], levelDb: -20, pitchOffset: 0, scale: [0, 2, 4, 5, 7], drift: 0, notesPerSecond: 3, duty: 0.85, vibratoHz: 5, vibratoCents: 10, tremolo: 0, tilt: 1.3, breath: 0.05,
    face: { colour: [0.93, 0.78, 0.62], mouth: 0, mouthOpen: 0, brow: 0, browLift: 0, eye: 1 } },
  { label: 'calm', words: ['calm', 'peaceful'], levelDb: -24, pitchOffset: -3, scale: [0, 2, 4, 7, 9], drift: 0, notesPerSecond: 1.6, duty: 1, vibratoHz: 4.5, vibratoCents: 25, tremolo: 0, tilt: 1.8, breath: 0.25,
    face: { colour: [0.55, 0.85, 0.65], mouth: 0.35, mouthOpen: 0, brow: 0, browLift: -0.3, eye: 0.35 } },
  { label: 'happy', words: ['happy', 'joyful'], levelDb: -16, pitchOffset: 4, scale: [0, 4, 7, 12], drift: 1, notesPerSecond: 4, duty: 0.8, vibratoHz: 5.5, vibratoCents: 30, tremolo: 0, tilt: 1.0, breath: 0.05,
    face: { colour: [1, 0.85, 0.2], mouth: 1, mouthOpen: 0.3, brow: 0, browLift: 0.6, eye: 1 } },
  { label: 'sad', words: ['sad', 'unhappy'], levelDb: -24, pitchOffset: -5, scale: [0, 2, 3, 7, 8], drift: -1, notesPerSecond: 1.4, duty: 1, vibratoHz: 4, vibratoCents: 20, tremolo: 0, tilt: 1.9, breath: 0.15,
    face: { colour: [0.45, 0.6, 0.95], mouth: -0.9, mouthOpen: 0, brow: -1, browLift: 0.2, eye: 0.8 } },
  { label: 'angry', words: ['angry', 'furious'], levelDb: -13, pitchOffset: 2, scale: [0, 1, 3, 6], drift: 0, notesPerSecond: 4.5, duty: 0.55, vibratoHz: 6, vibratoCents: 5, tremolo: 0, tilt: 0.7, breath: 0.02,
    face: { colour: [0.95, 0.25, 0.15], mouth: -0.6, mouthOpen: 0.15, brow: 1, browLift: -0.4, eye: 0.8 } },
  { label: 'fearful', words: ['fearful', 'scared'], levelDb: -20, pitchOffset: 7, scale: [0, 1, 3, 4, 6], drift: 0.5, notesPerSecond: 3.5, duty: 0.75, vibratoHz: 7.5, vibratoCents: 70, tremolo: 0.35, tilt: 1.3, breath: 0.3,
    face: { colour: [0.75, 0.6, 0.95], mouth: -0.2, mouthOpen: 0.9, brow: -0.8, browLift: 0.8, eye: 1.5 } },
];

// Formant frequencies (Hz) and bandwidths for five vowels.
const VOWELS: ReadonlyArray<readonly [number, number, number]> = [
  [800, 1150, 2900],
  [400, 1700, 2600],
  [300, 2200, 3000],
  [450, 800, 2830],
  [325, 700, 2530],
];
const FORMANT_BW = [90, 110, 160];
const FORMANT_GAIN = [1, 0.6, 0.3];

function formantGain(freq: number, vowel: readonly [number, number, number]): number {
  let g = 0.02;
  for (let k = 0; k < 3; k++) g += FORMANT_GAIN[k]! / (1 + ((freq - vowel[k]!) / FORMANT_BW[k]!) ** 2);
  return g;
}

function sing(e: Emotion, { rng, sampleRate: sr, length }: SynthContext): Float32Array {
  const female = rng.chance(0.5);
  const base = (female ? 220 : 130) * Math.pow(2, (e.pitchOffset + rng.uniform(-1.5, 1.5)) / 12);
  const tempo = e.notesPerSecond * rng.uniform(0.85, 1.15);
  const noteLen = Math.round(sr / tempo);
  const notes = Math.ceil(length / noteLen);
  const degrees: number[] = [];
  const vowels: Array<readonly [number, number, number]> = [];
  let position = rng.int(0, e.scale.length - 1);
  for (let k = 0; k < notes; k++) {
    const step = Math.round(e.drift + rng.uniform(-1.2, 1.2));
    position = Math.max(0, Math.min(e.scale.length - 1, position + step));
    degrees.push(e.scale[position]! + (e.drift !== 0 ? e.drift * k * 0.5 : 0));
    vowels.push(rng.pick(VOWELS));
  }
  const vibratoHz = e.vibratoHz * rng.uniform(0.9, 1.1);
  const vibPhase = rng.uniform(0, 6.28);
  const wobble = smoothRandom(length, sr, 8, rng);
  const out = new Float32Array(length);
  const maxHarmonics = 60;
  const phases = new Float64Array(maxHarmonics);
  const amps = new Float64Array(maxHarmonics);
  const block = 32;
  for (let start = 0; start < length; start += block) {
    const note = Math.min(notes - 1, Math.floor(start / noteLen));
    const inNote = (start - note * noteLen) / noteLen;
    const t = start / sr;
    const semis = degrees[note]! + (e.vibratoCents / 100) * Math.sin(2 * Math.PI * vibratoHz * t + vibPhase);
    const f0 = base * Math.pow(2, semis / 12);
    const sung = inNote < e.duty;
    const attack = Math.min(1, inNote / 0.08);
    const release = e.duty >= 1 ? 1 : Math.max(0, Math.min(1, (e.duty - inNote) / 0.1));
    let env = sung ? Math.min(attack, release) : 0;
    if (e.duty >= 1) env = Math.min(1, (start / sr) / 0.05) * (0.75 + 0.25 * Math.sin(Math.PI * inNote));
    env *= 1 - e.tremolo * wobble[start]!;
    const vowel = vowels[note]!;
    const harmonics = Math.min(maxHarmonics, Math.floor((sr * 0.45) / f0));
    for (let k = 0; k < maxHarmonics; k++) amps[k] = k < harmonics ? (env * formantGain(f0 * (k + 1), vowel)) / Math.pow(k + 1, e.tilt) : 0;
    const end = Math.min(length, start + block);
    for (let i = start; i < end; i++) {
      let acc = 0;
      for (let k = 0; k < harmonics; k++) {
        phases[k] = phases[k]! + (2 * Math.PI * f0 * (k + 1)) / sr;
        acc += amps[k]! * Math.sin(phases[k]!);
      }
      out[i] = acc;
    }
  }
  const breath = filter(whiteNoise(length, rng), 'bandpass', 2500, 0.7, sr);
  let peak = 1e-9;
  for (let i = 0; i < length; i++) peak = Math.max(peak, Math.abs(out[i]!));
  for (let i = 0; i < length; i++) out[i] = out[i]! / peak + e.breath * breath[i]! * (0.3 + 0.7 * Math.abs(out[i]!) / peak);
  return out;
}

function drawFace(e: Emotion, { rng, canvas, intensity }: PaintContext): void {
  canvas.fill(jitter(rng.pick<Rgb>([[0.86, 0.86, 0.84], [0.8, 0.82, 0.86], [0.88, 0.85, 0.8], [0.78, 0.8, 0.78]]), rng, 0.04));
  const cx = rng.uniform(0.44, 0.56);
  const cy = rng.uniform(0.46, 0.56);
  const r = rng.uniform(0.34, 0.42);
  const strength = 0.25 + 0.75 * intensity;
  const hue = jitter(e.face.colour, rng, 0.04);
  const grey: Rgb = [0.5 * hue[0] + 0.5 * 0.72, 0.5 * hue[1] + 0.5 * 0.72, 0.5 * hue[2] + 0.5 * 0.72];
  canvas.circle(cx, cy + r * 0.05, r * 1.02, [0.25, 0.22, 0.2]);
  canvas.circle(cx, cy, r, mix(grey, hue, strength));
  const ink: Rgb = [0.12, 0.08, 0.08];
  const eyeY = cy - r * 0.2;
  const eyeDx = r * 0.38;
  const eyeR = r * 0.11 * (1 + (e.face.eye - 1) * strength);
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeDx;
    if (e.face.eye < 0.5) {
      canvas.line(ex - r * 0.12, eyeY, ex + r * 0.12, eyeY, r * 0.06, ink);
    } else {
      if (e.face.eye > 1.2) canvas.circle(ex, eyeY, eyeR * 1.35, [1, 1, 1]);
      canvas.circle(ex, eyeY, eyeR, ink);
    }
    const browY = eyeY - r * (0.25 + 0.12 * e.face.browLift * strength);
    const tilt = r * 0.12 * e.face.brow * strength;
    canvas.line(ex - side * r * 0.16, browY + tilt, ex + side * r * 0.16, browY - tilt, r * 0.07, ink);
  }
  const mouthY = cy + r * 0.42;
  const halfW = r * 0.38;
  const curve = r * 0.25 * e.face.mouth * strength;
  const points: Array<[number, number]> = [];
  for (let k = 0; k <= 8; k++) {
    const x = (k / 8) * 2 - 1;
    points.push([cx + x * halfW, mouthY + curve * (1 - x * x) - curve * 0.5]);
  }
  canvas.polyline(points, r * 0.08, ink);
  if (e.face.mouthOpen > 0) canvas.ellipse(cx, mouthY + curve * 0.2, halfW * 0.45, r * 0.2 * e.face.mouthOpen * strength + r * 0.03, [0.4, 0.05, 0.08]);
}

function emotionClass(e: Emotion): ToyClass {
  return {
    label: e.label,
    levelDb: e.levelDb,
    synth: (ctx) => sing(e, ctx),
    paint: (ctx) => drawFace(e, ctx),
    captions: e.words.flatMap((w) => [`a {i} ${w} singing face`, `a person singing with a {i} ${w} face`, `a face that looks {i} ${w} while singing`]),
  };
}

export const VOICES_CLASSES: readonly ToyClass[] = EMOTIONS.map(emotionClass);
