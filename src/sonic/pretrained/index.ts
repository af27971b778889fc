// Public loading API: diffusers directories and SonicDiffusion checkpoints -> the TensorFlow.js models.
export { loadSonicDiffusion, type LoadSonicDiffusionOptions, type SonicDiffusionModels } from './load-sonic-diffusion.js';
export { loadDiffusersUNet, loadAdapterWeights, readUNetConfig, type LoadUNetOptions, type LoadedUNet, type AdapterSettings } from './load-unet.js';
export { loadDiffusersVae, readVaeConfig, type LoadedVae } from './load-vae.js';
export { loadAudioProjector, readProjectorConfig, PROJECTOR_CONFIG_FILE, PROJECTOR_WEIGHTS_FILE } from './load-projector.js';
export { checkUNetCapacity, MINIMAL_UNET_WORKLOAD, type UNetWorkloadOption } from './unet-capacity.js';
export { CapacityError } from '../../compute/capacity/backend-capacity.js';
export { DIFFUSERS_WEIGHTS, diffusersWeightsPath, readDiffusersConfigJson } from './diffusers-dir.js';
export { unetConfigFromJson, unetConfigToJson, UNET_FIELDS } from './unet-config-json.js';
export { vaeConfigFromJson, vaeConfigToJson, VAE_FIELDS } from './vae-config-json.js';
export { schedulerConfigFromJson, SCHEDULER_FIELDS } from './scheduler-config-json.js';
export { readSchedulerConfig, SCHEDULER_CONFIG_FILE } from './read-scheduler.js';
export { DiffusersConfigError, type FieldRule, type FieldTable, type ReadFieldsOptions, type UnknownFieldPolicy } from './config-fields.js';
