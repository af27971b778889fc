// The win-rate scores of SonicDiffusion's evaluation.py (AIS, IIS): for each generated image, the
// fraction of reference embeddings that the image is LESS similar to than to its paired target
// (strict >), averaged over images. Chance is about 0.5. All embeddings are L2-normalised first.
import { dot, l2Normalize, type Embedding } from './embeddings.js';

export interface WinRateResult {
  score: number; // mean over images
  perImage: number[];
}

export function pairedWinRate(images: Embedding[], targets: Embedding[], references: Embedding[]): WinRateResult {
  if (images.length !== targets.length) throw new Error(`win rate: ${images.length} images but ${targets.length} paired targets`);
  if (images.length === 0) throw new Error('win rate: no images to score');
  if (references.length === 0) throw new Error('win rate: the reference set is empty');
  const refs = references.map(l2Normalize);
  const perImage = images.map((img, i) => {
    const x = l2Normalize(img);
    const paired = dot(x, l2Normalize(targets[i]!));
    let wins = 0;
    for (const r of refs) if (paired > dot(x, r)) wins++;
    return wins / refs.length;
  });
  return { score: perImage.reduce((a, b) => a + b, 0) / perImage.length, perImage };
}
