// Fitting a clip to a fixed length. MS-CLAP tiles a short clip (repeat ceil(L/len) times, cut to L) and
// crops a long one at a random start (random.randrange): spec §2. The random start makes embeddings
// non-deterministic, so here the start is either the centre or drawn from a PRNG seeded by the run's seed
// and the clip's own content (spec §11): the same clip always gets the same crop, whatever the batch order.

export type CropPolicy = { kind: 'center' } | { kind: 'seeded'; seed: number };

export function tileOrCrop(samples: Float32Array, target: number, crop: CropPolicy): Float32Array {
  const n = samples.length;
  if (n === 0) throw new Error('cannot fit an empty audio clip to a fixed length');
  if (n === target) return samples;
  const out = new Float32Array(target);
  if (n < target) {
    for (let off = 0; off < target; off += n) out.set(samples.subarray(0, Math.min(n, target - off)), off);
    return out;
  }
  const start = cropStart(samples, target, crop);
  out.set(samples.subarray(start, start + target));
  return out;
}

export function cropStart(samples: Float32Array, target: number, crop: CropPolicy): number {
  const room = samples.length - target;
  if (room <= 0) return 0;
  if (crop.kind === 'center') return Math.floor(room / 2);
  // Same range as CLAPWrapper's random.randrange(len − L): starts 0..room−1.
  const rng = mulberry32((crop.seed ^ contentHash(samples)) >>> 0);
  return Math.floor(rng() * room);
}

/** FNV-1a over the length and up to 4096 evenly spaced samples' bit patterns. */
export function contentHash(samples: Float32Array): number {
  let h = 0x811c9dc5;
  const mix = (v: number): void => {
    for (let s = 0; s < 32; s += 8) {
      h ^= (v >>> s) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  mix(samples.length);
  const bits = new Uint32Array(samples.buffer, samples.byteOffset, samples.length);
  const step = Math.max(1, Math.floor(samples.length / 4096));
  for (let i = 0; i < samples.length; i += step) mix(bits[i]!);
  return h >>> 0;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Right zero-padding to at least `target` samples (Wav2CLIP in evaluation.py); longer clips stay whole. */
export function padRight(samples: Float32Array, target: number): Float32Array {
  if (samples.length >= target) return samples;
  const out = new Float32Array(target);
  out.set(samples);
  return out;
}
