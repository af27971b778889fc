// The paper's three audio–image metrics with the official definitions (spec §8, SonicDiffusion
// evaluation.py). Encoders are the caller's: Wav2CLIP + CLIP ViT-B/32 for AIS, CLIP ViT-L/14 for IIS and
// AIC in the paper; their toy stand-ins in SonicToy.
import { dot, l2Normalize, type Embedding } from './embeddings.js';
import { pairedWinRate, type WinRateResult } from './win-rate.js';

/** AIS: image vs its audio's (Wav2CLIP) embedding, as a win rate against reference audio embeddings. */
export function audioImageSimilarity(images: Embedding[], pairedAudio: Embedding[], referenceAudio: Embedding[]): WinRateResult {
  return pairedWinRate(images, pairedAudio, referenceAudio);
}

/** IIS: generated image vs the ground-truth frame paired with the audio, as a win rate against reference images. */
export function imageImageSimilarity(generated: Embedding[], groundTruth: Embedding[], referenceImages: Embedding[]): WinRateResult {
  return pairedWinRate(generated, groundTruth, referenceImages);
}

export interface ZeroShotResult {
  accuracy: number;
  predictions: number[];
}

/** AIC: zero-shot classification of generated images against class-name text embeddings (argmax cosine). */
export function audioImageContent(images: Embedding[], labels: number[], classTexts: Embedding[]): ZeroShotResult {
  if (images.length !== labels.length) throw new Error(`AIC: ${images.length} images but ${labels.length} labels`);
  if (images.length === 0) throw new Error('AIC: no images to score');
  const texts = classTexts.map(l2Normalize);
  let correct = 0;
  const predictions = images.map((img, i) => {
    const x = l2Normalize(img);
    let best = 0;
    let bestScore = -Infinity;
    texts.forEach((t, c) => {
      const s = dot(x, t);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    });
    const label = labels[i]!;
    if (label < 0 || label >= texts.length) throw new Error(`AIC: label ${label} of image ${i} is not one of the ${texts.length} classes`);
    if (best === label) correct++;
    return best;
  });
  return { accuracy: correct / images.length, predictions };
}
