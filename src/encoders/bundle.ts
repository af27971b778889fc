// A "foundation bundle": the one artifact that binds a world (SonicToy or the paper) to the method DAG.
// The method stages receive a bundle directory and load every frozen model through it, so the shared
// method template never names a world-specific model. `bundle.json` lives at the directory's root; a
// relative `path` resolves against that directory, an absolute one points at files outside the workspace
// (the paper's multi-GB checkpoints, which are hashed in place rather than copied).
//
// A bundle comes in two kinds with one schema: a full bundle names every role; an encoders-only bundle
// (assemble-bundle / paper-bundle with `only: encoders`) omits the diffusion roles `vae`, `unet` and `image`,
// so the stages that need only the frozen encoders (caption, embed, evaluate) need not wait for the
// diffusion model. Code that needs the backbone reads those roles through diffusionRoles().
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

const modelRef = z.object({
  impl: z.string().min(1), // loader name, e.g. 'toy-clap' or 'onnx-ms-clap-2022'
  path: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ModelRef = z.infer<typeof modelRef>;

const imageSpec = z.object({ size: z.number().int().positive(), latentScale: z.number().positive() });

/** The roles loadEncoders serves: what an encoders-only bundle holds. */
export const ENCODER_ROLE_NAMES = ['audioEncoder', 'textEncoder', 'imageEncoder', 'aisImageEncoder', 'audioToImage', 'captioner', 'fidFeatures'] as const;
/** The fields only a full bundle has: the diffusion backbone's roles and its image geometry. */
export const DIFFUSION_FIELDS = ['vae', 'unet', 'image'] as const;

export const bundleSchema = z
  .object({
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
    // Absent all three in an encoders-only bundle.
    vae: modelRef.optional(),
    unet: modelRef.optional(),
    image: imageSpec.optional(),
    // A diffusers scheduler folder (scheduler_config.json; impl 'diffusers-scheduler'), only in a full bundle.
    // Absent: SD's scheduler (SD_SCHEDULER_CONFIG), which SonicToy's toy-SD is trained with.
    scheduler: modelRef.optional(),
  })
  .superRefine((b, ctx) => {
    const present = DIFFUSION_FIELDS.filter((f) => b[f] !== undefined);
    if (present.length > 0 && present.length < DIFFUSION_FIELDS.length) {
      const missing = DIFFUSION_FIELDS.filter((f) => b[f] === undefined);
      ctx.addIssue({ code: 'custom', path: [missing[0]!], message: `${present.join(', ')} given without ${missing.join(', ')}: a full bundle has all of vae, unet and image, an encoders-only bundle none of them` });
    }
    if (b.scheduler !== undefined && present.length === 0) ctx.addIssue({ code: 'custom', path: ['scheduler'], message: 'a scheduler belongs with the diffusion backbone: give it only in a full bundle (with vae, unet and image)' });
  });
export type FoundationBundle = z.infer<typeof bundleSchema>;
export type ImageSpec = z.infer<typeof imageSpec>;

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

export function isEncodersOnly(bundle: FoundationBundle): boolean {
  return bundle.vae === undefined;
}

export interface DiffusionRoles {
  vae: ModelRef;
  unet: ModelRef;
  image: ImageSpec;
  /** Absent: SD's scheduler. */
  scheduler?: ModelRef;
}

/**
 * The diffusion roles of a full bundle. An encoders-only bundle has none: `needs` says what wanted them
 * (e.g. 'the diffusion backbone'), so the error tells which stage input to rewire.
 */
export function diffusionRoles(bundle: FoundationBundle & { dir: string }, needs = 'the diffusion backbone'): DiffusionRoles {
  const { vae, unet, image } = bundle;
  if (vae === undefined || unet === undefined || image === undefined) {
    throw new Error(
      `${join(bundle.dir, BUNDLE_FILE)}: ${needs} needs the vae, unet and image of a full foundation bundle, but this is an encoders-only bundle ` +
        `(made with \`only: encoders\`: it names only ${ENCODER_ROLE_NAMES.join(', ')}); give this stage the world's full bundle ` +
        `(\`\${{ stages.bundle.outputs.bundle }}\`) instead of the encoders bundle`,
    );
  }
  return { vae, unet, image, ...(bundle.scheduler !== undefined ? { scheduler: bundle.scheduler } : {}) };
}

export function resolveModelPath(bundle: { dir: string }, ref: ModelRef): string {
  return isAbsolute(ref.path) ? ref.path : join(bundle.dir, ref.path);
}
