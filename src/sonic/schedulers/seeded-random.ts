// Small deterministic PRNGs for seeded training steps and initialisation (tfjs' own seeded ops cover
// tensors; these cover host-side choices such as timesteps and text dropout).

/** mulberry32: uniform floats in [0, 1) from a 32-bit seed. */
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

/** Uniform integers in [0, n). */
export function randomInts(rand: () => number, count: number, n: number): number[] {
  return Array.from({ length: count }, () => Math.min(n - 1, Math.floor(rand() * n)));
}
