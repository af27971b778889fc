// Writes a foundation bundle directory: bundle.json plus copies of the model directories handed in as
// inputs. A role names one of the stage's inputs (`from`, optionally a sub-`path` inside it), which is
// copied into the bundle; or a model of the registry (`model`, resolved through the `registry` input,
// experiments/models.yaml; optional sub-`path`), kept in place; or an absolute `path`.
// With `only: encoders` it writes an encoders-only bundle: every role but vae and unet, no image, so the
// `sd` input is not needed (the method's caption/embed/evaluate stages then need not wait for toy-SD).
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const roleNames = ['audioEncoder', 'textEncoder', 'imageEncoder', 'aisImageEncoder', 'audioToImage', 'captioner', 'fidFeatures', 'vae', 'unet'] as const;
const inputNames = ['clip', 'clap', 'wav2clip', 'captioner', 'sd'] as const;
const diffusionRoles: readonly (typeof roleNames)[number][] = ['vae', 'unet'];

const roleRef = z
  .strictObject({
    /** Loader name; with `model`, defaults to the registry entry's impl. */
    impl: z.string().min(1).optional(),
    from: z.enum(inputNames).optional(),
    model: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((r) => [r.from, r.model].filter((x) => x !== undefined).length <= 1, { message: 'give at most one of `from` and `model`' })
  .refine((r) => r.from !== undefined || r.model !== undefined || r.path !== undefined, { message: 'give `from` (an input of the stage), `model` (a registry entry) or an absolute `path`' })
  .refine((r) => r.model !== undefined || r.impl !== undefined, { message: '`impl` is required unless `model` names a registry entry with an impl' });

/** The SonicToy binding: every role served by a model the toy pipeline trains. */
export const SONICTOY_ROLES: Record<(typeof roleNames)[number], z.input<typeof roleRef>> = {
  audioEncoder: { impl: 'toy-clap-audio', from: 'clap' },
  textEncoder: { impl: 'toy-clip-text', from: 'clip' },
  imageEncoder: { impl: 'toy-clip-image', from: 'clip' },
  aisImageEncoder: { impl: 'toy-clip-image', from: 'clip' },
  audioToImage: { impl: 'toy-wav2clip', from: 'wav2clip' },
  captioner: { impl: 'toy-retrieval-captioner', from: 'captioner' },
  fidFeatures: { impl: 'toy-clip-image-features', from: 'clip' },
  vae: { impl: 'toy-vae', from: 'sd', path: 'vae' },
  unet: { impl: 'toy-unet', from: 'sd', path: 'unet' },
};

const params = z.strictObject({
  world: z.string().min(1).default('sonictoy'),
  image: z.strictObject({ size: z.number().int().positive(), latentScale: z.number().positive() }).default({ size: 32, latentScale: 1 }),
  /** Directory the registry's relative paths resolve against (default: the registry file's grandparent, the repository root). */
  registryRoot: z.string().min(1).optional(),
  roles: z.strictObject(Object.fromEntries(roleNames.map((r) => [r, roleRef.optional()])) as Record<(typeof roleNames)[number], z.ZodOptional<typeof roleRef>>).default({}),
  /** `encoders`: an encoders-only bundle (every role but vae and unet, no image); default: every role. */
  only: z.enum(['encoders']).optional(),
}).superRefine((p, ctx) => {
  if (p.only !== 'encoders') return;
  for (const r of diffusionRoles) {
    if (p.roles[r] !== undefined) ctx.addIssue({ code: 'custom', path: ['roles', r], message: `\`only: encoders\` makes a bundle without ${r}; drop roles.${r} or \`only\`` });
  }
});

export const assembleBundleStage: StageDefinition<z.infer<typeof params>> = {
  name: 'assemble-bundle',
  version: '1',
  description: 'Bind a world to the method: bundle.json naming the model of every role (copies of input model dirs, or registry paths)',
  params,
  inputs: {
    ...Object.fromEntries(inputNames.map((n) => [n, { description: `${n} model directory`, optional: true }])),
    registry: { description: 'model registry (experiments/models.yaml) for roles given as `model`', optional: true },
  },
  outputs: { bundle: { description: 'foundation bundle directory (bundle.json + model copies)' } },
  async run(ctx) {
    const { cpSync, existsSync, mkdirSync } = await import('node:fs');
    const { isAbsolute, join } = await import('node:path');
    const { writeJson } = await import('../common/json-file.js');
    const { bundleSchema, BUNDLE_FILE } = await import('../../encoders/bundle.js');
    const out = ctx.outputs.bundle!;
    mkdirSync(out, { recursive: true });
    const copied = new Set<string>();
    let registry: import('../../encoders/onnx/model-registry.js').ModelRegistry | null = null;
    const refs: Record<string, unknown> = {};
    const roles = ctx.params.only === 'encoders' ? roleNames.filter((r) => !diffusionRoles.includes(r)) : roleNames;
    for (const role of roles) {
      const given = ctx.params.roles[role];
      const ref = given ?? roleRef.parse(SONICTOY_ROLES[role]);
      if (ref.from) {
        const src = ctx.inputs[ref.from];
        if (typeof src !== 'string') throw new Error(`assemble-bundle: role '${role}' reads input '${ref.from}', which is not connected (add inputs.${ref.from})`);
        if (!copied.has(ref.from)) {
          cpSync(src, join(out, ref.from), { recursive: true });
          copied.add(ref.from);
        }
        const path = ref.path ? `${ref.from}/${ref.path}` : ref.from;
        if (!existsSync(join(out, path))) throw new Error(`assemble-bundle: role '${role}': '${ref.path}' does not exist inside input '${ref.from}'`);
        refs[role] = { impl: ref.impl, path, options: ref.options };
      } else if (ref.model) {
        const { loadModelRegistry, resolveModel } = await import('../../encoders/onnx/model-registry.js');
        if (!registry) {
          const file = ctx.inputs.registry;
          if (typeof file !== 'string') throw new Error(`assemble-bundle: role '${role}' names registry model '${ref.model}' but the \`registry\` input is not connected (inputs.registry: experiments/models.yaml)`);
          registry = loadModelRegistry(file, ctx.params.registryRoot ? { root: ctx.params.registryRoot } : {});
        }
        const resolved = await resolveModel(registry, ref.model);
        const impl = ref.impl ?? resolved.impl;
        if (!impl) throw new Error(`assemble-bundle: role '${role}': registry model '${ref.model}' has no impl; set roles.${role}.impl`);
        const path = ref.path ? join(resolved.dir, ref.path) : resolved.dir;
        refs[role] = { impl, path, options: { ...resolved.options, ...ref.options } };
      } else {
        if (!isAbsolute(ref.path!)) throw new Error(`assemble-bundle: role '${role}': path '${ref.path}' must be absolute when no \`from\` input is given`);
        if (!existsSync(ref.path!)) ctx.log(`warning: role '${role}' points at ${ref.path}, which does not exist on this machine`);
        refs[role] = { impl: ref.impl, path: ref.path, options: ref.options };
      }
    }
    const image = ctx.params.only === 'encoders' ? {} : { image: ctx.params.image };
    const bundle = bundleSchema.parse({ kind: 'sonicdiffusion-foundation-bundle', version: 1, world: ctx.params.world, ...refs, ...image });
    writeJson(join(out, BUNDLE_FILE), bundle);
    const kind = ctx.params.only === 'encoders' ? 'encoders-only bundle' : 'bundle';
    ctx.log(`${kind} for world '${bundle.world}': ${roles.map((r) => `${r}=${(refs[r] as { impl: string }).impl}`).join(', ')}`);
  },
};
