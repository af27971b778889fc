// Public surface of the SD VAE.
export { AutoencoderKL } from './autoencoder-kl.js';
export {
  VAE_PRESETS,
  SD14_VAE_CONFIG,
  TINY_VAE_CONFIG,
  AutoencoderKLConfigError,
  validateAutoencoderKLConfig,
  type AutoencoderKLConfig,
  type VaePresetName,
} from './config.js';
export { createVaeParams, loadVaeWeights } from './weights.js';
