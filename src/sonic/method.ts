// The method's public surface (projector, schedulers, guidance, editing, losses, training) in one import.
// The UNet and VAE live in ./unet and ./vae.
export { AudioProjector, projectorParamSpecs, type ParamSpec as ProjectorParamSpec } from './projector/audio-projector.js';
export {
  OFFICIAL_PROJECTOR, SMALL_PROJECTOR, TINY_PROJECTOR, PROJECTOR_PRESETS, projectorPreset, projectorDims, singleTokenVariant,
  validateProjectorConfig, type AudioProjectorConfig, type ProjectorDims, type ProjectorPresetName,
} from './projector/projector-config.js';
export { NoiseSchedule, SD_NOISE_SCHEDULE, type NoiseScheduleConfig } from './schedulers/noise-schedule.js';
export { SD_SCHEDULER_CONFIG, type SchedulerConfig, type DdimConfig } from './schedulers/scheduler-config.js';
export { DdimScheduler, type DdimStepResult } from './schedulers/ddim.js';
export { ddimInvert, tileBatch, type InversionOptions } from './schedulers/ddim-inversion.js';
export { mulberry32, randomInts } from './schedulers/seeded-random.js';
export { sample, guidedEpsilon, combineGuidance, type GuidedSampleOptions } from './guidance/cfg-sampler.js';
export { mixAudioEmbeddings } from './guidance/audio-mixing.js';
export { pnpEdit, injectionSteps, type PnpEditOptions } from './editing/pnp-edit.js';
export { pnpInjectionHooks, broadcastFirstChunk, type PnpHookOptions } from './editing/pnp-hooks.js';
export { pnpSitesFor, SD14_UP_LAYOUT, type PnpSites, type PnpSiteRule, type UNetUpLayout } from './editing/pnp-sites.js';
export { infoNceLoss, poolTokens, type InfoNceOptions, type TokenPooling } from './losses/info-nce.js';
export { tokenMseLoss, epsilonMseLoss } from './losses/regression.js';
export { groupedAdamW, lossAndGrads, type GroupedOptimizer, type ParamGroup, type AdamWOptions } from './training/optimizer.js';
export { stage1Loss, stage1Step, STAGE1_DEFAULTS, type Stage1Batch, type Stage1LossOptions, type Stage1Losses, type StepResult } from './training/stage1.js';
export { stage2Loss, stage2Step, createStage2Optimizer, STAGE2_DEFAULTS, type Stage2Model, type Stage2Batch, type Stage2Options } from './training/stage2.js';
export { stage2ModelFromUNet } from './training/unet-stage2-model.js';
export { sampleContrastiveIndices, type ContrastiveIndices } from './training/contrastive-sampling.js';
