// `sonicdiffusion/models`: loading SonicDiffusion from disk (a diffusers directory + the SonicDiffusion
// checkpoints) and the TensorFlow.js model classes it returns. docs/using-the-library.md shows it in use.
export * from './sonic/pretrained/index.js';
export {
  UNet2DCondition,
  isAdapterParam,
  createUNetParams,
  loadUNetWeights,
  validateUNetConfig,
  UNetConfigError,
  UNET_PRESETS,
  SD14_UNET_CONFIG,
  TINY_UNET_CONFIG,
  type UNetConfig,
  type UNetPresetName,
  type UNetWeightPart,
} from './sonic/unet/index.js';
export { AutoencoderKL, VAE_PRESETS, SD14_VAE_CONFIG, TINY_VAE_CONFIG, AutoencoderKLConfigError, validateAutoencoderKLConfig, type AutoencoderKLConfig } from './sonic/vae/index.js';
export { AudioProjector, OFFICIAL_PROJECTOR, PROJECTOR_PRESETS, projectorPreset, projectorDims, validateProjectorConfig, type AudioProjectorConfig } from './sonic/method.js';
export type { NoisePredictor, NoisePredictorInput, UNetHooks } from './sonic/noise-predictor.js';
export { ParamStore, CheckpointMismatchError } from './compute/param-store.js';
export { SafetensorsFile, writeSafetensors } from './compute/safetensors.js';
