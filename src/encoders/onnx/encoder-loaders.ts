// The ONNX encoder impls as loaders of the bundle's encoder registry (load-encoders.ts), so loadEncoders()
// serves the paper's bundles as it serves SonicToy's. onnxruntime-node is imported only when a bundle
// actually names an ONNX impl. A model directory named by several roles (one CLIP image tower for the
// IIS/AIC and AIS roles, say) is loaded once.
import type { EncoderLoader, LoaderContext } from '../load-encoders.js';

/** The encoder roles' ONNX impls (onnx-sd-vae is the diffusion backbone's, loaded by the method code). */
export const ONNX_ENCODER_IMPLS = ['onnx-ms-clap-2022', 'onnx-clip-text', 'onnx-clip-image', 'onnx-wav2clip', 'onnx-inception-v3', 'onnx-captioner'] as const;

const loadOnnxEncoder: EncoderLoader = async (ctx: LoaderContext) => {
  const { loadOnnxModel } = await import('./loader.js');
  const key = `${ctx.ref.impl}:${ctx.modelPath}:${JSON.stringify(ctx.ref.options)}`;
  const model = await ctx.shared(
    key,
    () => loadOnnxModel(ctx.ref.impl, ctx.modelPath, ctx.ref.options),
    (m) => {
      m.close().catch(() => undefined); // releasing a session cannot fail in a way the caller could act on
    },
  );
  return model as Awaited<ReturnType<EncoderLoader>>;
};

/** Registers every ONNX encoder impl through `register` (load-encoders' registerEncoderLoader). */
export function registerOnnxEncoderLoaders(register: (impl: string, loader: EncoderLoader) => void): void {
  for (const impl of ONNX_ENCODER_IMPLS) register(impl, loadOnnxEncoder);
}
