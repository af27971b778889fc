// A loudness value for real clips, on the same [0, 1] scale as the SonicToy `intensity` column: the clip's
// RMS level in dBFS mapped linearly from [-60, 0] to [0, 1], clamped, rounded to 3 decimals. It depends on
// the clip alone, so adding files never changes existing rows.

export const INTENSITY_FLOOR_DB = -60;

export function rmsDbfs(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = samples.length > 0 ? Math.sqrt(sum / samples.length) : 0;
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

export function clipIntensity(samples: Float32Array): number {
  const db = rmsDbfs(samples);
  const x = Math.min(1, Math.max(0, (db - INTENSITY_FLOOR_DB) / -INTENSITY_FLOOR_DB));
  return Math.round(x * 1000) / 1000;
}
