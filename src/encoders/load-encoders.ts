// Loads the frozen-model roles of a foundation bundle: each role's ModelRef names an `impl`, which is looked
// up in a registry of loaders. The SonicToy stand-ins are registered here (loaded lazily, so a bundle that
// uses none of them never loads tfjs); other families (e.g. ONNX checkpoints) add theirs with
// registerEncoderLoader. The vae/unet roles are loaded by the method code, not here, so a full bundle and an
// encoders-only one load alike.
import type { FoundationBundle, ModelRef } from './bundle.js';
import { ENCODER_ROLE_NAMES, resolveModelPath } from './bundle.js';
import { registerOnnxEncoderLoaders } from './onnx/encoder-loaders.js';
import type { AudioEncoder, AudioToImageSpaceEncoder, Captioner, FeatureExtractor, ImageEncoder, TextEncoder } from './interfaces.js';

export interface Encoders {
  audioEncoder: AudioEncoder;
  textEncoder: TextEncoder;
  imageEncoder: ImageEncoder;
  aisImageEncoder: ImageEncoder;
  audioToImage: AudioToImageSpaceEncoder;
  captioner: Captioner;
  fidFeatures: FeatureExtractor;
  /** Frees every model loaded for these roles (shared models once). */
  dispose(): void;
}

export type EncoderRole = Exclude<keyof Encoders, 'dispose'>;
export type AnyEncoder = Encoders[EncoderRole];

export const ENCODER_ROLES: readonly EncoderRole[] = ENCODER_ROLE_NAMES;

export interface LoaderContext {
  role: EncoderRole;
  ref: ModelRef;
  /** ref.path resolved against the bundle directory. */
  modelPath: string;
  /**
   * Loads a model once per loadEncoders call under `key` (e.g. one toy-CLIP directory serving the text,
   * image and FID roles); `dispose` runs once when the Encoders are disposed.
   */
  shared<T>(key: string, load: () => Promise<T>, dispose: (model: T) => void): Promise<T>;
}

export type EncoderLoader = (ctx: LoaderContext) => Promise<AnyEncoder>;

const loaders = new Map<string, EncoderLoader>();

/** Adds a loader for `impl`; registering a different loader under a taken name is an error. */
export function registerEncoderLoader(impl: string, loader: EncoderLoader): void {
  const existing = loaders.get(impl);
  if (existing && existing !== loader) throw new Error(`an encoder loader is already registered for impl '${impl}'`);
  loaders.set(impl, loader);
}

export function knownEncoderImpls(): string[] {
  return [...loaders.keys()].sort();
}

const ROLE_SHAPES: Record<EncoderRole, { interface: string; methods: string[] }> = {
  audioEncoder: { interface: 'AudioEncoder', methods: ['embedAudio'] },
  textEncoder: { interface: 'TextEncoder', methods: ['encodeTokens', 'embedText'] },
  imageEncoder: { interface: 'ImageEncoder', methods: ['embedImages'] },
  aisImageEncoder: { interface: 'ImageEncoder', methods: ['embedImages'] },
  audioToImage: { interface: 'AudioToImageSpaceEncoder', methods: ['embedAudio'] },
  captioner: { interface: 'Captioner', methods: ['caption'] },
  fidFeatures: { interface: 'FeatureExtractor', methods: ['features'] },
};

type BundleWithDir = FoundationBundle & { dir: string };

/** Loads every encoder role of the bundle; on failure, what was already loaded is disposed. */
export async function loadEncoders(bundle: BundleWithDir): Promise<Encoders> {
  const cache = new Map<string, Promise<unknown>>();
  const disposers: Array<() => void> = [];
  const disposeAll = () => {
    for (const d of disposers.splice(0).reverse()) d();
  };
  const shared = <T>(key: string, load: () => Promise<T>, dispose: (model: T) => void): Promise<T> => {
    const cached = cache.get(key);
    if (cached) return cached as Promise<T>;
    const p = load().then((m) => {
      disposers.push(() => dispose(m));
      return m;
    });
    cache.set(key, p);
    return p;
  };
  try {
    const out: Partial<Record<EncoderRole, AnyEncoder>> = {};
    for (const role of ENCODER_ROLES) out[role] = await loadRole(bundle, role, shared);
    return { ...(out as Omit<Encoders, 'dispose'>), dispose: disposeAll };
  } catch (e) {
    // Models still loading in the cache settle before their disposers exist; wait so none is leaked.
    await Promise.allSettled(cache.values());
    disposeAll();
    throw e;
  }
}

async function loadRole(bundle: BundleWithDir, role: EncoderRole, shared: LoaderContext['shared']): Promise<AnyEncoder> {
  const ref = bundle[role];
  const where = `${bundle.dir}/bundle.json: ${role} (impl '${ref.impl}', path '${ref.path}')`;
  const loader = loaders.get(ref.impl);
  if (!loader) throw new Error(`${where}: unknown impl '${ref.impl}'; known impls: ${knownEncoderImpls().join(', ')}`);
  let encoder: AnyEncoder;
  try {
    encoder = await loader({ role, ref, modelPath: resolveModelPath(bundle, ref), shared });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  const shape = ROLE_SHAPES[role];
  const missing = shape.methods.filter((m) => typeof (encoder as unknown as Record<string, unknown>)[m] !== 'function');
  if (missing.length > 0) throw new Error(`${where}: impl '${ref.impl}' does not provide a ${shape.interface} (it lacks ${missing.join(', ')})`);
  return encoder;
}

function noOptions(ctx: LoaderContext): void {
  const keys = Object.keys(ctx.ref.options);
  if (keys.length > 0) throw new Error(`impl '${ctx.ref.impl}' takes no options, got ${keys.join(', ')}`);
}

async function sharedToyClip(ctx: LoaderContext) {
  const { ToyClip } = await import('./toy/toy-clip.js');
  return ctx.shared(`toy-clip:${ctx.modelPath}`, () => ToyClip.load(ctx.modelPath), (m) => m.dispose());
}

registerEncoderLoader('toy-clip-text', async (ctx) => {
  noOptions(ctx);
  const { toyClipTextEncoder } = await import('./toy/toy-clip.js');
  return toyClipTextEncoder(await sharedToyClip(ctx));
});
registerEncoderLoader('toy-clip-image', async (ctx) => {
  noOptions(ctx);
  const { toyClipImageEncoder } = await import('./toy/toy-clip.js');
  return toyClipImageEncoder(await sharedToyClip(ctx));
});
registerEncoderLoader('toy-clip-image-features', async (ctx) => {
  noOptions(ctx);
  const { toyClipImageFeatures } = await import('./toy/toy-clip.js');
  return toyClipImageFeatures(await sharedToyClip(ctx));
});
registerEncoderLoader('toy-clap-audio', async (ctx) => {
  noOptions(ctx);
  const { ToyClap, toyClapAudioEncoder } = await import('./toy/toy-clap.js');
  return toyClapAudioEncoder(await ctx.shared(`toy-clap:${ctx.modelPath}`, () => ToyClap.load(ctx.modelPath), (m) => m.dispose()));
});
registerEncoderLoader('toy-wav2clip', async (ctx) => {
  noOptions(ctx);
  const { ToyWav2Clip, toyWav2ClipEncoder } = await import('./toy/toy-wav2clip.js');
  return toyWav2ClipEncoder(await ctx.shared(`toy-wav2clip:${ctx.modelPath}`, () => ToyWav2Clip.load(ctx.modelPath), (m) => m.dispose()));
});
registerEncoderLoader('toy-retrieval-captioner', async (ctx) => {
  noOptions(ctx);
  const { RetrievalCaptioner, toyRetrievalCaptioner } = await import('./toy/retrieval-captioner.js');
  return toyRetrievalCaptioner(await ctx.shared(`toy-captioner:${ctx.modelPath}`, () => RetrievalCaptioner.load(ctx.modelPath), (m) => m.dispose()));
});

registerOnnxEncoderLoaders(registerEncoderLoader);
