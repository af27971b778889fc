// librosa.filters.mel with htk=False and norm='slaney' (the Slaney mel scale: linear below 1 kHz,
// logarithmic above), which is what torchlibrosa's LogmelFilterBank builds for MS-CLAP's Cnn14.

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMelSlaney(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHzSlaney(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** [nMels·(nFft/2+1)] weights, mel-major. */
export function slaneyMelFilterbank(sampleRate: number, nFft: number, nMels: number, fmin: number, fmax: number): Float64Array {
  const bins = nFft / 2 + 1;
  const lo = hzToMelSlaney(fmin);
  const hi = hzToMelSlaney(fmax);
  const melF = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHzSlaney(lo + (i * (hi - lo)) / (nMels + 1));
  const weights = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const fLow = melF[m]!;
    const fMid = melF[m + 1]!;
    const fHigh = melF[m + 2]!;
    const enorm = 2 / (fHigh - fLow);
    for (let k = 0; k < bins; k++) {
      const freq = (k * sampleRate) / nFft;
      const lower = (freq - fLow) / (fMid - fLow);
      const upper = (fHigh - freq) / (fHigh - fMid);
      weights[m * bins + k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
  }
  return weights;
}
