// Public surface of the SD-1.x UNet with SonicDiffusion's gated audio adapters.
export {
  UNET_PRESETS,
  SD14_UNET_CONFIG,
  TINY_UNET_CONFIG,
  SMALL_UNET_CONFIG,
  MID_UNET_CONFIG,
  UNetConfigError,
  validateUNetConfig,
  headsPerBlock,
  type UNetConfig,
  type UNetPresetName,
  type DownBlockType,
  type UpBlockType,
} from './config.js';
export { UNet2DCondition, isAdapterParam } from './unet2d-condition.js';
export { countParams, addParamsToStore, type ParamSpec, type ParamInit, type ParamLookup } from './param-spec.js';
export { createUNetParams, loadUNetWeights, type CreateParamsOptions, type UNetWeightPart } from './weights.js';
