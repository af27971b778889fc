// `sonicdiffusion`: the package's main entry. The models and their loader (also `sonicdiffusion/models`),
// the method (schedulers, guidance, editing, losses, training steps), the tfjs backend choice and the
// tfjs-core instance the models compute with.
export * from './models.js';
export {
  NoiseSchedule, SD_NOISE_SCHEDULE, SD_SCHEDULER_CONFIG, DdimScheduler, ddimInvert, sample, guidedEpsilon, combineGuidance, mixAudioEmbeddings, pnpEdit,
  pnpInjectionHooks, pnpSitesFor, infoNceLoss, tokenMseLoss, epsilonMseLoss, stage1Loss, stage1Step, stage2Loss, stage2Step,
  createStage2Optimizer, stage2ModelFromUNet, STAGE1_DEFAULTS, STAGE2_DEFAULTS,
  type NoiseScheduleConfig, type SchedulerConfig, type DdimConfig, type GuidedSampleOptions, type PnpEditOptions, type Stage2Model,
} from './sonic/method.js';
export { selectBackend, BackendUnavailableError, type BackendChoice, type BackendRequest, type SelectBackendOptions } from './compute/backend.js';
export { tf } from './compute/tfjs.js';
export { SONIC_VERSION } from './version.js';
