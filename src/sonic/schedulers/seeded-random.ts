// Small deterministic PRNGs for seeded training steps and initialisation (tfjs' own seeded ops cover
// tensors; these cover host-side choices such as timesteps and text dropout).

export { mulberry32 } from '../../compute/seeded-random.js';

/** Uniform integers in [0, n). */
export function randomInts(rand: () => number, count: number, n: number): number[] {
  return Array.from({ length: count }, () => Math.min(n - 1, Math.floor(rand() * n)));
}
