// toy-SD: SonicToy's stand-in for Stable Diffusion 1.4 (an AutoencoderKL and a text-conditioned UNet from
// the model core, trained by the pipeline), saved in the diffusers layout the method stages load.
export { trainToySd, TOY_SD_PROFILES, type ToySdProfile, type TrainToySdOptions, type ToySdReport } from './toy-sd.js';
export { trainToyVae, toyVaeConfig, encodeMeans, TOY_VAE_DEFAULTS, type ToyVaeOptions, type ToyVaeReport, type TrainedToyVae } from './train-vae.js';
export {
  trainToyUnet,
  toyUnetConfig,
  toyUnetLoss,
  encodeTextTokens,
  ToyUnetData,
  TOY_SD_UNET_CONFIG,
  TOY_UNET_DEFAULTS,
  type ToyUnetOptions,
  type ToyUnetReport,
  type TrainedToyUnet,
} from './train-unet.js';
export { sampleToySd, TOY_SD_SAMPLE_DEFAULTS, type ToySdSampleOptions, type ToySdSamplingModel } from './sample.js';
export { saveToySd, loadToySd, readToySdConfig, TOY_SD_FILE, type ToySd, type LoadToySdOptions, type ToySdTextEncoderInfo } from './checkpoint.js';
export { writeToyVaeDir, readToyVaeDir, VAE_WEIGHTS_FILE, type ToyVaeOnDisk } from './vae-dir.js';
export { toySdSampleGrid, classPrompts, classKey, colourHistogram, ColourCentroidClassifier, type SampleGridOptions, type SampleGridResult } from './quality.js';
export { toyVaeQuality, type VaeQualityResult } from './vae-quality.js';
export { FixedWordTextEncoder } from './fixed-word-encoder.js';
export { loadImageBatch, tensorToImages, imagesToTensor } from './images.js';
export type { ToySdProgress, ToySdProgressFn } from './training-loop.js';
