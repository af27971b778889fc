// The paper's foundation bundle from the model registry (experiments/models.yaml): every role names a
// registry entry (optionally a folder inside it, its impl and extra options), the registry resolves where
// the files are (files[].path, <modelsDir>/<dir>/<name>, or the download cache; SONIC_MODELS_DIR moves
// modelsDir), and bundle.json records those absolute directories in place: multi-GB checkpoints are never
// copied. The stage's `models` input must list those files (the pipeline does, from its models_dir var), so
// they are part of the fingerprint and a missing one is reported when the pipeline loads.
// With `only: encoders` it binds the encoder roles alone (no vae, unet, scheduler, image): an encoders-only bundle,
// whose `models` need not include the SD weights. Given such a bundle as its `encoders` input, it takes the
// encoder roles from there as they are and binds only vae, unet and scheduler, so its `models` list just the SD files
// and the full bundle cannot disagree with the encoders one.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

export const BUNDLE_ROLES = ['audioEncoder', 'textEncoder', 'imageEncoder', 'aisImageEncoder', 'audioToImage', 'captioner', 'fidFeatures', 'vae', 'unet', 'scheduler'] as const;
type Role = (typeof BUNDLE_ROLES)[number];
const DIFFUSION_ROLES: readonly Role[] = ['vae', 'unet', 'scheduler'];

const roleBinding = z.strictObject({
  /** Registry entry name. */
  model: z.string().min(1),
  /** A folder inside the entry's directory (e.g. `unet` of sd-v1-4). */
  path: z.string().min(1).optional(),
  /** Loader impl; default: the entry's `impl`. */
  impl: z.string().min(1).optional(),
  /** Merged over the entry's `options`. */
  options: z.record(z.string(), z.unknown()).default({}),
});
type RoleBinding = z.input<typeof roleBinding>;

/** The paper's binding (spec §10): MS-CLAP 2022, CLIP ViT-L/14 and B/32, Wav2CLIP, Inception, the captioner, SD 1.4 (its scheduler config too). */
export const PAPER_ROLES: Record<Role, RoleBinding> = {
  audioEncoder: { model: 'ms-clap-2022' },
  textEncoder: { model: 'clip-vit-large-patch14-text' },
  imageEncoder: { model: 'clip-vit-large-patch14-image' },
  aisImageEncoder: { model: 'clip-vit-base-patch32-image' },
  audioToImage: { model: 'wav2clip' },
  captioner: { model: 'captioner-vit-gpt2' },
  fidFeatures: { model: 'inception-v3-fid' },
  vae: { model: 'sd-v1-4-vae' },
  unet: { model: 'sd-v1-4', path: 'unet', impl: 'diffusers-unet' },
  scheduler: { model: 'sd-v1-4', path: 'scheduler', impl: 'diffusers-scheduler' },
};

const params = z.strictObject({
  world: z.string().min(1).default('paper'),
  image: z.strictObject({ size: z.number().int().positive(), latentScale: z.number().positive() }).default({ size: 512, latentScale: 0.18215 }),
  /** Per-role overrides of PAPER_ROLES (a whole binding per role given). */
  roles: z.strictObject(Object.fromEntries(BUNDLE_ROLES.map((r) => [r, roleBinding.optional()])) as Record<Role, z.ZodOptional<typeof roleBinding>>).default({}),
  /** `encoders`: an encoders-only bundle (every role but vae, unet and scheduler, no image); default: every role. */
  only: z.enum(['encoders']).optional(),
}).superRefine((p, ctx) => {
  if (p.only !== 'encoders') return;
  for (const r of DIFFUSION_ROLES) {
    if (p.roles[r] !== undefined) ctx.addIssue({ code: 'custom', path: ['roles', r], message: `\`only: encoders\` makes a bundle without ${r}; drop roles.${r} or \`only\`` });
  }
});

export const paperBundleStage: StageDefinition<z.infer<typeof params>> = {
  name: 'paper-bundle',
  version: '2',
  description: 'Bind the paper world: bundle.json naming the registry model (impl, absolute directory, options) of every role',
  params,
  inputs: {
    registry: { description: 'the model registry (experiments/models.yaml or a variant; docs/reproduce-paper.md#pretrained-weights)' },
    models: { description: 'a model file of the registry (where it goes and how to produce it: docs/reproduce-paper.md#pretrained-weights)', list: true },
    encoders: { description: 'an encoders-only bundle (paper-bundle with `only: encoders`) whose encoder roles this bundle takes as they are; then only vae, unet and scheduler are bound here', optional: true },
  },
  outputs: { bundle: { description: 'foundation bundle directory (bundle.json only; models stay in place)' } },
  async run(ctx) {
    const { mkdirSync, realpathSync } = await import('node:fs');
    const { join, sep } = await import('node:path');
    const { loadModelRegistry, resolveModel } = await import('../../encoders/onnx/model-registry.js');
    const { bundleSchema, BUNDLE_FILE, ENCODER_ROLE_NAMES, readBundle, resolveModelPath } = await import('../../encoders/bundle.js');
    const { writeJson } = await import('../common/json-file.js');
    const refs: Record<string, unknown> = {};
    const encodersDir = ctx.inputs.encoders;
    if (typeof encodersDir === 'string') {
      if (ctx.params.only === 'encoders') throw new Error('paper-bundle: `only: encoders` with an `encoders` input would copy that bundle; drop one of them');
      const given = ENCODER_ROLE_NAMES.filter((r) => ctx.params.roles[r] !== undefined);
      if (given.length) throw new Error(`paper-bundle: roles.${given.join(', roles.')} given, but the encoder roles come from the \`encoders\` input; set them on the stage that makes it`);
      const enc = readBundle(encodersDir);
      if (enc.world !== ctx.params.world) throw new Error(`paper-bundle: the \`encoders\` input (${join(encodersDir, BUNDLE_FILE)}) is for world '${enc.world}', this bundle for '${ctx.params.world}'`);
      for (const r of ENCODER_ROLE_NAMES) refs[r] = { ...enc[r], path: resolveModelPath(enc, enc[r]) };
    }
    const registry = loadModelRegistry(ctx.inputs.registry as string);
    const declared = ([] as string[]).concat(ctx.inputs.models ?? []).map((p) => realpathSync(p));
    const covered = (file: string) => {
      const real = realpathSync(file);
      return declared.some((d) => real === d || real.startsWith(d + sep));
    };
    const problems: string[] = [];
    const roles = ctx.params.only === 'encoders' ? BUNDLE_ROLES.filter((r) => !DIFFUSION_ROLES.includes(r)) : BUNDLE_ROLES;
    for (const role of roles) {
      if (refs[role] !== undefined) continue; // from the encoders input
      const b = roleBinding.parse(ctx.params.roles[role] ?? PAPER_ROLES[role]);
      let resolved;
      try {
        resolved = await resolveModel(registry, b.model);
      } catch (e) {
        problems.push(`role ${role}: ${(e as Error).message}`);
        continue;
      }
      const impl = b.impl ?? resolved.impl;
      if (!impl) {
        problems.push(`role ${role}: registry entry '${b.model}' names no impl; give roles.${role}.impl`);
        continue;
      }
      const files = Object.entries(resolved.files).filter(([name]) => !b.path || name.startsWith(`${b.path}/`));
      if (files.length === 0) problems.push(`role ${role}: registry entry '${b.model}' lists no file under '${b.path}'`);
      for (const [name, at] of files) {
        if (!covered(at)) problems.push(`role ${role}: ${b.model}/${name} resolves to ${at}, which is not among the stage's \`models\` inputs (so it would not be fingerprinted): add it there, or make the pipeline's models_dir agree with the registry's modelsDir / SONIC_MODELS_DIR`);
      }
      refs[role] = { impl, path: b.path ? join(resolved.dir, b.path) : resolved.dir, options: { ...resolved.options, ...b.options } };
    }
    if (problems.length) throw new Error(`paper-bundle (registry ${registry.file}):\n${problems.join('\n')}\nSee docs/reproduce-paper.md, Pretrained weights.`);
    const out = ctx.outputs.bundle!;
    mkdirSync(out, { recursive: true });
    const image = ctx.params.only === 'encoders' ? {} : { image: ctx.params.image };
    const bundle = bundleSchema.parse({ kind: 'sonicdiffusion-foundation-bundle', version: 1, world: ctx.params.world, ...refs, ...image });
    writeJson(join(out, BUNDLE_FILE), bundle);
    const kind = ctx.params.only === 'encoders' ? 'encoders-only bundle' : 'bundle';
    ctx.log(`${kind} for world '${bundle.world}': ${roles.map((r) => `${r}=${bundle[r]!.impl} ${bundle[r]!.path}`).join('; ')}`);
  },
};
