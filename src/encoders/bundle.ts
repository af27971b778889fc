// A "foundation bundle": the one artifact that binds a world (SonicToy or the paper) to the method DAG.
// The method stages receive a bundle directory and load every frozen model through it, so the shared
// method template never names a world-specific model. `bundle.json` lives at the directory's root; a
// relative `path` resolves against that directory, an absolute one points at files outside the workspace
// (the paper's multi-GB checkpoints, which are hashed in place rather than copied).
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

const modelRef = z.object({
  impl: z.string().min(1), // loader name, e.g. 'toy-clap' or 'onnx-ms-clap-2022'
  path: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ModelRef = z.infer<typeof modelRef>;

export const bundleSchema = z.object({
  kind: z.literal('sonicdiffusion-foundation-bundle'),
  version: z.literal(1),
  world: z.string().min(1), // 'sonictoy' | 'paper' | a user's own
  audioEncoder: modelRef, // CLAP's role: embeddings the projector maps to tokens
  textEncoder: modelRef, // SD's text encoder: per-token conditioning and pooled zero-shot embeddings
  imageEncoder: modelRef, // CLIP ViT-L/14's role in IIS and AIC
  aisImageEncoder: modelRef, // CLIP ViT-B/32's role in AIS
  audioToImage: modelRef, // Wav2CLIP's role in AIS
  captioner: modelRef, // BLIP-2's role
  fidFeatures: modelRef, // Inception-v3's role; its name goes into every FID column header
  vae: modelRef,
  unet: modelRef,
  image: z.object({ size: z.number().int().positive(), latentScale: z.number().positive() }),
});
export type FoundationBundle = z.infer<typeof bundleSchema>;

export const BUNDLE_FILE = 'bundle.json';

export function readBundle(dir: string): FoundationBundle & { dir: string } {
  const file = join(dir, BUNDLE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the foundation bundle (${(e as Error).message})`);
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: not a valid foundation bundle: ${issues}`);
  }
  return { ...parsed.data, dir };
}

export function resolveModelPath(bundle: { dir: string }, ref: ModelRef): string {
  return isAbsolute(ref.path) ? ref.path : join(bundle.dir, ref.path);
}
