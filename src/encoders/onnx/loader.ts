// The bundle-facing entry point: ModelRef.impl names → ONNX model classes.
import { resolveModelPath, type ModelRef } from '../bundle.js';
import { OnnxCaptioner } from './captioner.js';
import { OnnxClapAudioEncoder } from './clap-audio-encoder.js';
import { OnnxClipImageEncoder } from './clip-image-encoder.js';
import { OnnxClipTextEncoder } from './clip-text-encoder.js';
import { OnnxInceptionFeatures } from './inception-features.js';
import { OnnxVae } from './vae.js';
import { OnnxWav2Clip } from './wav2clip-encoder.js';

export interface OnnxModels {
  'onnx-ms-clap-2022': OnnxClapAudioEncoder;
  'onnx-clip-text': OnnxClipTextEncoder;
  'onnx-clip-image': OnnxClipImageEncoder;
  'onnx-wav2clip': OnnxWav2Clip;
  'onnx-inception-v3': OnnxInceptionFeatures;
  'onnx-captioner': OnnxCaptioner;
  'onnx-sd-vae': OnnxVae;
}
export type OnnxImpl = keyof OnnxModels;

const LOADERS: { [K in OnnxImpl]: (path: string, options: unknown) => Promise<OnnxModels[K]> } = {
  'onnx-ms-clap-2022': (p, o) => OnnxClapAudioEncoder.load(p, o),
  'onnx-clip-text': (p, o) => OnnxClipTextEncoder.load(p, o),
  'onnx-clip-image': (p, o) => OnnxClipImageEncoder.load(p, o),
  'onnx-wav2clip': (p, o) => OnnxWav2Clip.load(p, o),
  'onnx-inception-v3': (p, o) => OnnxInceptionFeatures.load(p, o),
  'onnx-captioner': (p, o) => OnnxCaptioner.load(p, o),
  'onnx-sd-vae': (p, o) => OnnxVae.load(p, o),
};

export const ONNX_IMPLS = Object.keys(LOADERS) as OnnxImpl[];

export function isOnnxImpl(impl: string): impl is OnnxImpl {
  return Object.hasOwn(LOADERS, impl);
}

/** Loads the model a bundle's ModelRef names; `path` is already resolved (see bundle.resolveModelPath). */
export async function loadOnnxModel<K extends OnnxImpl>(impl: K, path: string, options?: Record<string, unknown>): Promise<OnnxModels[K]>;
export async function loadOnnxModel(impl: string, path: string, options?: Record<string, unknown>): Promise<OnnxModels[OnnxImpl]>;
export async function loadOnnxModel(impl: string, path: string, options: Record<string, unknown> = {}): Promise<OnnxModels[OnnxImpl]> {
  if (!isOnnxImpl(impl)) throw new Error(`unknown ONNX model impl '${impl}' (known: ${ONNX_IMPLS.join(', ')})`);
  return LOADERS[impl](path, options);
}

/** Loads a bundle's ModelRef: `path` resolves against the bundle directory unless absolute. */
export async function loadOnnxModelRef(bundle: { dir: string }, ref: ModelRef): Promise<OnnxModels[OnnxImpl]> {
  return loadOnnxModel(ref.impl, resolveModelPath(bundle, ref), ref.options);
}
